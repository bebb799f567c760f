/**
 * `Add` of a bias on the wasm backend: a tensor plus a vector along its last axis.
 *
 * Every layer adds its bias this way ((B, H, W, C) + (C), or (B, units) + (units)), and in
 * training the relu layers do it as a separate Add (tfjs fuses bias and relu into the product
 * only outside gradients). tfjs-backend-wasm 4.22 broadcasts with a general index loop: 0.9 ms on
 * a 128×14×14×16 conv output. Here `add_rows` of our wasm module (see `wasmNative.ts`) adds the
 * row to each row of the tensor, viewed as a rows × cols matrix. The sums are the same float32
 * additions, so results are identical; every other Add goes to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceKernel, stockKernel } from './replaceKernel';
import { addRowsOnHeap } from './wasmNative';

/** True when `row` broadcasts along the last axis of `x` only: shape (…1, cols) with cols = x's last dimension. */
function isRowOf(row: tf.TensorInfo, x: tf.TensorInfo): boolean {
  const cols = x.shape[x.shape.length - 1];
  return (
    x.shape.length >= 1 &&
    row.shape.length >= 1 &&
    row.shape.length <= x.shape.length &&
    row.shape[row.shape.length - 1] === cols &&
    row.shape.slice(0, -1).every((d) => d === 1)
  );
}

const addKernel: tf.KernelFunc = (args) => {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  if (a.dtype === 'float32' && b.dtype === 'float32') {
    // x + row and row + x are the same float32 sums.
    const [x, row] = isRowOf(b, a) ? [a, b] : isRowOf(a, b) ? [b, a] : [undefined, undefined];
    const size = x ? tf.util.sizeFromShape(x.shape) : 0;
    if (x && row && size > 0 && tf.util.sizeFromShape(row.shape) < size) {
      const cols = x.shape[x.shape.length - 1];
      const out = addRowsOnHeap(x, row, size / cols, cols, args.backend as tf.KernelBackend);
      if (out) return out;
    }
  }
  return stockKernel(tf.Add, 'wasm')!.kernelFunc(args);
};

/** Registers the bias `Add` for wasm (once). Returns true when it changed it. */
export function registerFastWasmAdd(): boolean {
  return replaceKernel(tf.Add, 'wasm', addKernel) === 'replaced';
}
