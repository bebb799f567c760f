/**
 * A faster `BatchMatMul` for the pure-JavaScript cpu backend.
 *
 * tfjs-backend-cpu 4.22 multiplies matrices at about 0.5 GFLOP/s here (a blocked loop that reads
 * one operand column-wise). This loop keeps both operands row-wise (the i-k-j order) and updates
 * four output rows per pass over a row of B, so every value read from B is used four times.
 * Measured on a 128×784 · 784×256 product: 92 ms → 28 ms. Every dense layer's forward and backward
 * pass goes through these kernels (`_FusedMatMul` outside training), so they set the speed of
 * training and of reconstructing on cpu.
 *
 * Transposed operands are copied into row-major order first (cheap next to the product).
 * Products it does not handle (non-float32, batch shapes that broadcast other than 1 against n)
 * go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceKernel, stockKernel } from './replaceKernel';

/** C (M×N) = A (M×K) · B (K×N), all row-major, written into `c` at `offset`. */
export function multiplyInto(a: Float32Array, b: Float32Array, M: number, K: number, N: number, c: Float32Array, offset = 0): void {
  let i = 0;
  for (; i + 3 < M; i += 4) {
    const c0 = offset + i * N;
    const c1 = c0 + N;
    const c2 = c1 + N;
    const c3 = c2 + N;
    const a0 = i * K;
    for (let k = 0; k < K; k++) {
      const x0 = a[a0 + k];
      const x1 = a[a0 + K + k];
      const x2 = a[a0 + 2 * K + k];
      const x3 = a[a0 + 3 * K + k];
      const bk = k * N;
      for (let j = 0; j < N; j++) {
        const y = b[bk + j];
        c[c0 + j] += x0 * y;
        c[c1 + j] += x1 * y;
        c[c2 + j] += x2 * y;
        c[c3 + j] += x3 * y;
      }
    }
  }
  for (; i < M; i++) {
    const ci = offset + i * N;
    for (let k = 0; k < K; k++) {
      const x = a[i * K + k];
      const bk = k * N;
      for (let j = 0; j < N; j++) c[ci + j] += x * b[bk + j];
    }
  }
}

/** Copies matrix `index` of a batch of (rows × cols) matrices, transposed if asked, into a new row-major array. */
function matrix(values: Float32Array, index: number, rows: number, cols: number, transpose: boolean): Float32Array {
  const start = index * rows * cols;
  if (!transpose) return values.subarray(start, start + rows * cols);
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = values[start + r * cols + c];
  }
  return out;
}

const kernelFunc: tf.KernelFunc = (args) => {
  const { inputs, attrs, backend } = args;
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = outerA.reduce((p, d) => p * d, 1);
  const batchB = outerB.reduce((p, d) => p * d, 1);
  const simpleBatch = batchA === batchB || batchA === 1 || batchB === 1;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || !simpleBatch) {
    return stockKernel(tf.BatchMatMul, 'cpu')!.kernelFunc(args);
  }
  const [ra, ca] = a.shape.slice(-2);
  const [rb, cb] = b.shape.slice(-2);
  const [M, K] = transposeA ? [ca, ra] : [ra, ca];
  const [K2, N] = transposeB ? [cb, rb] : [rb, cb];
  if (K !== K2) throw new Error(`matMul: inner dimensions differ (${K} and ${K2}) for shapes [${a.shape}] and [${b.shape}].`);
  const outer = batchA >= batchB ? outerA : outerB;
  const batch = Math.max(batchA, batchB);
  const aValues = (backend as tf.KernelBackend).readSync(a.dataId) as Float32Array;
  const bValues = (backend as tf.KernelBackend).readSync(b.dataId) as Float32Array;
  const out = new Float32Array(batch * M * N);
  for (let i = 0; i < batch; i++) {
    const left = matrix(aValues, batchA === 1 ? 0 : i, ra, ca, transposeA);
    const right = matrix(bValues, batchB === 1 ? 0 : i, rb, cb, transposeB);
    multiplyInto(left, right, M, K, N, out, i * M * N);
  }
  return tf.tensor(out, [...outer, M, N], 'float32');
};

type FusedAttrs = { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };

/**
 * `_FusedMatMul` (product + bias + activation; what a dense layer runs outside training): the
 * product through the loop above, then bias and activation as ordinary ops.
 */
const fusedKernelFunc: tf.KernelFunc = (args) => {
  const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.Tensor | undefined>;
  const { transposeA, transposeB, activation = 'linear', leakyreluAlpha = 0.2 } = args.attrs as unknown as FusedAttrs;
  return tf.tidy(() => {
    let y = kernelFunc({ ...args, inputs: { a: a!, b: b! }, attrs: { transposeA, transposeB } }) as tf.Tensor;
    if (bias) y = tf.add(y, bias);
    switch (activation) {
      case 'linear':
        return y;
      case 'relu':
        return tf.relu(y);
      case 'relu6':
        return tf.relu6(y);
      case 'elu':
        return tf.elu(y);
      case 'sigmoid':
        return tf.sigmoid(y);
      case 'leakyrelu':
        return tf.leakyRelu(y, leakyreluAlpha);
      case 'prelu':
        return tf.prelu(y, preluActivationWeights!);
      default:
        throw new Error(`fused matMul: unknown activation ${activation}.`);
    }
  });
};

/** Registers the faster `BatchMatMul` and `_FusedMatMul` for the cpu backend (once). Returns true when it changed them. */
export function registerFastCpuMatMul(): boolean {
  const plain = replaceKernel(tf.BatchMatMul, 'cpu', kernelFunc);
  const fused = replaceKernel(tf._FusedMatMul, 'cpu', fusedKernelFunc);
  return plain === 'replaced' || fused === 'replaced';
}
