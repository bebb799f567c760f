/**
 * `Identity` on the wasm backend without copying the data.
 *
 * tfjs calls Identity for `tf.clone`, and its engine clones every tensor a gradient will need
 * (each op's saved inputs and outputs) during a training step: 28–45 calls a step for the lessons'
 * models. tfjs-backend-wasm 4.22 copies the whole buffer each time (1–2 ms a step in all). The cpu
 * backend instead shares the buffer and counts one more reference, and so does this kernel. That
 * is safe because no wasm kernel writes into an input: every kernel, ours included, writes a new
 * output, and `variable.assign` swaps buffers rather than overwriting one (tests check that a
 * clone keeps its values while the original is trained).
 */
import * as tf from '@tensorflow/tfjs';
import { replaceKernel, stockKernel } from './replaceKernel';
import { wasmInternals } from './internals';

const identityKernel: tf.KernelFunc = (args) => {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string') return stockKernel(tf.Identity, 'wasm')!.kernelFunc(args);
  wasmInternals(args.backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Registers the sharing `Identity` for wasm (once). Returns true when it changed it. */
export function registerFastWasmIdentity(): boolean {
  return replaceKernel(tf.Identity, 'wasm', identityKernel) === 'replaced';
}
