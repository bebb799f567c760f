/**
 * Faster matrix products on the wasm backend.
 *
 * tfjs-backend-wasm 4.22 hands a matrix product to XNNPACK's fast kernel only when neither operand
 * is transposed; otherwise it runs a plain scalar loop. Training multiplies by transposes all the
 * time (a dense layer's backward pass computes dX = dY·Wᵀ and dW = Xᵀ·dY), so most training
 * arithmetic took the slow loop. We re-register BatchMatMul and _FusedMatMul for wasm so that they
 * transpose the operand explicitly (a cheap copy) and then call the original, untransposed kernel.
 *
 * Before either, our own product (`matmulOnHeap` in wasmNative.ts) gets the first go: it reads
 * transposed operands as they are, adds a bias and applies relu as it writes, and, where the
 * engine has relaxed SIMD, uses fused multiply-adds. On the lessons' layer sizes it ran at about
 * 40 GFLOP/s against XNNPACK's 24 (29 without relaxed SIMD). It takes rank-2 products and rank-3
 * ones with a batch of one; batched products, other activations and other dtypes go to tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { matmulOnHeap } from './wasmNative';

const KERNELS = [tf.BatchMatMul, tf._FusedMatMul];

/** Swaps the last two axes. */
function swapLastTwo(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const n = perm.length;
  [perm[n - 2], perm[n - 1]] = [perm[n - 1], perm[n - 2]];
  return tf.transpose(x, perm);
}

/**
 * XNNPACK repacks its right-hand operand on every call, and in training that operand is new every
 * step. For A·Bᵀ (a dense layer's input gradient dY·Wᵀ, where B is the weight matrix) it is cheaper
 * to compute (B·Aᵀ)ᵀ: B is used as stored, and only the small batch-sized operands are transposed
 * and packed. True when that moves fewer numbers (M×K batch rows, N×K weights, M×N output).
 * Measured on dY·Wᵀ with a 128×1024 dY and 784×1024 W: 19.0 → 10.9 ms. Applies to rank-2 products
 * and to rank-3 ones with a batch of one, the form tf.fused.matMul's gradient uses.
 */
export function cheaperSwapped(m: number, k: number, n: number): boolean {
  return 2 * m * k + m * n < 2 * n * k;
}

/** Our product, when it can take this call (see matmulOnHeap); undefined otherwise. */
function ours(args: Parameters<tf.KernelFunc>[0], kernelName: string): tf.TensorInfo | undefined {
  const { transposeA, transposeB, activation } = args.attrs as { transposeA: boolean; transposeB: boolean; activation?: string };
  const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  if (!a || !b) return undefined;
  if (kernelName === tf.BatchMatMul) return matmulOnHeap({ a, b, transposeA, transposeB }, args.backend as tf.KernelBackend);
  if (preluActivationWeights || !(activation === undefined || activation === 'linear' || activation === 'relu')) return undefined;
  return matmulOnHeap({ a, b, transposeA, transposeB, bias: bias ?? undefined, relu: activation === 'relu' }, args.backend as tf.KernelBackend);
}

function untransposed(original: tf.KernelFunc, kernelName: string): tf.KernelFunc {
  return (args) => {
    const fast = ours(args, kernelName);
    if (fast) return fast;
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original(args);
    const inputs = args.inputs as { a: tf.Tensor; b: tf.Tensor };
    // Rank 2, or rank 3 with a batch of one (tf.fused.matMul's gradient multiplies in that form).
    const single = (x: tf.Tensor) => x.rank === 2 || (x.rank === 3 && x.shape[0] === 1);
    if (kernelName === tf.BatchMatMul && transposeB && !transposeA && single(inputs.a) && single(inputs.b)) {
      const [m, k] = inputs.a.shape.slice(-2);
      const n = inputs.b.shape[inputs.b.rank - 2];
      if (cheaperSwapped(m, k, n)) {
        return tf.tidy(() => {
          const aT = tf.transpose(inputs.a.reshape([m, k]));
          const b = inputs.b.reshape([n, k]);
          const product = original({ ...args, inputs: { a: b, b: aT }, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as tf.TensorInfo;
          const result = tf.transpose(tf.engine().makeTensorFromTensorInfo(product));
          return inputs.a.rank === 3 ? result.reshape([1, m, n]) : result;
        });
      }
    }
    const a = transposeA ? swapLastTwo(inputs.a) : inputs.a;
    const b = transposeB ? swapLastTwo(inputs.b) : inputs.b;
    try {
      return original({ ...args, inputs: { ...args.inputs, a, b }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    } finally {
      if (a !== inputs.a) a.dispose();
      if (b !== inputs.b) b.dispose();
    }
  };
}

/** Marks kernels we already wrapped, so that calling this twice does not wrap twice. */
const WRAPPED = Symbol.for('autoencoder-lessons.untransposedMatMul');

/** Re-registers the wasm matrix-product kernels (once). Returns true when it changed them. */
export function registerFastWasmMatMul(): boolean {
  let changed = false;
  for (const kernelName of KERNELS) {
    const config = tf.getKernel(kernelName, 'wasm');
    if (!config || (config.kernelFunc as { [WRAPPED]?: boolean })[WRAPPED]) continue;
    const kernelFunc = untransposed(config.kernelFunc, kernelName) as tf.KernelFunc & { [WRAPPED]?: boolean };
    kernelFunc[WRAPPED] = true;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ ...config, kernelFunc });
    changed = true;
  }
  return changed;
}
