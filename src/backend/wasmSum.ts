/**
 * `Sum` over a tensor's leading axes on the wasm backend, without a transpose.
 *
 * tfjs-backend-wasm 4.22 sums only over innermost axes: for any other axes it first transposes the
 * whole input. A bias gradient is exactly that other case, a sum over every axis but the channels
 * ((B, H, W, C) → (C), or (B, units) → (units)): on a 128×14×14×16 conv gradient the transpose and
 * sum took 1.2 ms. Here the input is read once as a rows × cols matrix and its columns summed, by
 * the `sum_rows` function of our wasm module (see `wasmNative.ts`). Other sums, and sums down to
 * fewer than 4 values (a running sum per value, slower than the stock kernel's), go to the stock kernel.
 * A sum over an empty tensor is zeros (the stock kernel returned whatever the heap held).
 */
import * as tf from '@tensorflow/tfjs';
import { wasmInternals } from './internals';
import { replaceKernel, stockKernel } from './replaceKernel';
import { sumRowsOnHeap } from './wasmNative';

/** The sum of an empty tensor: zeros of the reduced shape (tfjs's Sum gives int32 for bool). */
function emptySum(x: tf.TensorInfo, axes: number[], keepDims: boolean, backend: unknown): tf.TensorInfo {
  const [reduced] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
  const shape = keepDims ? tf.backend_util.expandShapeToKeepDim(reduced, axes) : reduced;
  const internals = wasmInternals(backend);
  const out = internals.makeOutput(shape, x.dtype === 'bool' ? 'int32' : x.dtype);
  if (tf.util.sizeFromShape(shape) > 0) internals.typedArrayFromHeap(out).fill(0);
  return out;
}

const sumKernel: tf.KernelFunc = (args) => {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  if (tf.util.sizeFromShape(x.shape) === 0 && x.dtype !== 'string') return emptySum(x, axes, keepDims, args.backend);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (leading && x.dtype === 'float32' && tf.util.sizeFromShape(x.shape) > 0) {
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const kept = x.shape.slice(axes.length);
    const shape = keepDims ? [...axes.map(() => 1), ...kept] : kept;
    const cols = tf.util.sizeFromShape(kept);
    const out = cols >= 4 ? sumRowsOnHeap(x, rows, cols, shape, args.backend as tf.KernelBackend) : undefined;
    if (out) return out;
  }
  return stockKernel(tf.Sum, 'wasm')!.kernelFunc(args);
};

/** Registers the leading-axes `Sum` for wasm (once). Returns true when it changed it. */
export function registerFastWasmSum(): boolean {
  return replaceKernel(tf.Sum, 'wasm', sumKernel) === 'replaced';
}
