/**
 * Faster matrix products on the wasm backend.
 *
 * Our own product (`matmulOnHeap` in wasmNative.ts) takes every float32 product of rank 2, or of
 * rank 3 with a batch of one: it reads transposed operands as they are, adds a bias and applies
 * relu as it writes, and, where the engine has relaxed SIMD, uses fused multiply-adds. On the
 * lessons' layer sizes it ran at about 40 GFLOP/s against XNNPACK's 24 (29 without relaxed SIMD).
 *
 * What it declines (batched products, fused activations other than relu, other dtypes) goes to
 * tfjs-backend-wasm 4.22's kernel, which hands a product to XNNPACK only when neither operand is
 * transposed and otherwise runs a plain scalar loop: so a transposed operand is transposed
 * explicitly first (a cheap copy). That path stays because the VAE's sigmoid output layer and
 * any batched product take it (tests run it with our module switched off, too).
 *
 * A product with an empty inner dimension ([m, 0]·[0, n]) is zeros (plus the bias): tfjs's kernel
 * returned whatever the heap held.
 */
import * as tf from '@tensorflow/tfjs';
import { wasmInternals } from './internals';
import { replaceKernel, stockKernel } from './replaceKernel';
import { checkNativeSize, matmulOnHeap } from './wasmNative';

const KERNELS = [tf.BatchMatMul, tf._FusedMatMul];

type MatMulAttrs = { transposeA: boolean; transposeB: boolean; activation?: string };

/** Swaps the last two axes. */
function swapLastTwo(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const n = perm.length;
  [perm[n - 2], perm[n - 1]] = [perm[n - 1], perm[n - 2]];
  return tf.transpose(x, perm);
}

/** Our product, when it can take this call (see matmulOnHeap); undefined otherwise. */
function ours(args: Parameters<tf.KernelFunc>[0], kernelName: string): tf.TensorInfo | undefined {
  const { transposeA, transposeB, activation } = args.attrs as MatMulAttrs;
  const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  if (!a || !b) return undefined;
  const backend = args.backend as tf.KernelBackend;
  if (kernelName === tf.BatchMatMul) return matmulOnHeap({ a, b, transposeA, transposeB }, backend);
  if (preluActivationWeights || !(activation === undefined || activation === 'linear' || activation === 'relu')) return undefined;
  return matmulOnHeap({ a, b, transposeA, transposeB, bias: bias ?? undefined, relu: activation === 'relu' }, backend);
}

/**
 * The result of a float32 product whose inner dimension is 0: zeros, plus the bias and activation
 * of a fused product (computed by ordinary ops). Undefined for any other product.
 */
function emptyInnerProduct(args: Parameters<tf.KernelFunc>[0], k: number, shape: number[]): tf.TensorInfo | undefined {
  const { a, b, bias } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
  const { activation } = args.attrs as MatMulAttrs;
  if (k !== 0 || a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  if (!bias && (activation === undefined || activation === 'linear' || activation === 'relu')) {
    const internals = wasmInternals(args.backend);
    const out = internals.makeOutput(shape, 'float32');
    if (tf.util.sizeFromShape(shape) > 0) internals.typedArrayFromHeap(out).fill(0);
    return out;
  }
  return tf.tidy(() => {
    let y: tf.Tensor = tf.zeros(shape);
    if (bias) y = y.add(tf.engine().makeTensorFromTensorInfo(bias));
    if (activation === 'relu') y = tf.relu(y);
    else if (activation === 'sigmoid') y = tf.sigmoid(y);
    else if (activation === 'elu') y = tf.elu(y);
    else if (activation !== undefined && activation !== 'linear') throw new Error(`matMul: activation ${activation} on an empty product.`);
    return tf.keep(y.clone());
  });
}

/** The inner dimension and the output shape of a product. */
function productShape(args: Parameters<tf.KernelFunc>[0]): { k: number; shape: number[] } {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as MatMulAttrs;
  const k = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
  const m = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
  const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return { k, shape: [...outer, m, n] };
}

function withOurProduct(original: tf.KernelFunc, kernelName: string): tf.KernelFunc {
  return (args) => {
    const { k, shape } = productShape(args);
    // Before anything is allocated: an output too large for the heap's offsets is refused here, so
    // that neither our product nor tfjs's can write outside it.
    checkNativeSize(`the product's output (${shape.join(' × ')})`, tf.util.sizeFromShape(shape));
    const empty = emptyInnerProduct(args, k, shape);
    if (empty) return empty;
    const fast = ours(args, kernelName);
    if (fast) return fast;
    const { transposeA, transposeB } = args.attrs as MatMulAttrs;
    if (!transposeA && !transposeB) return original(args);
    const inputs = args.inputs as { a: tf.Tensor; b: tf.Tensor };
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

/** Registers our product for wasm's BatchMatMul and _FusedMatMul (once). Returns true when it changed them. */
export function registerFastWasmMatMul(): boolean {
  let changed = false;
  for (const kernelName of KERNELS) {
    const original = stockKernel(kernelName, 'wasm') ?? tf.getKernel(kernelName, 'wasm');
    if (!original) continue;
    if (replaceKernel(kernelName, 'wasm', withOurProduct(original.kernelFunc, kernelName)) === 'replaced') changed = true;
  }
  return changed;
}
