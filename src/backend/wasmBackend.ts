/**
 * The parts of tfjs-backend-wasm 4.22's BackendWasm that our wasm kernels use, in one place: these
 * are the internals to re-check when tfjs is upgraded. Not part of tfjs's public types.
 */
import * as tf from '@tensorflow/tfjs';

export type HeapArray = Float32Array | Int32Array | Uint8Array;

export interface WasmBackendInternals {
  /** A new tensor of `shape` in the wasm heap, contents undefined. May grow (and so detach) the heap. */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view of a tensor's values in the heap (no copy); invalid once the heap grows. */
  typedArrayFromHeap(info: tf.TensorInfo): HeapArray;
  /** A copy of a tensor's values. */
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  /** One more reference to a tensor's buffer (freed when the count returns to 0). */
  incRef(dataId: tf.DataId): void;
  /** Where each tensor's buffer starts in the heap. */
  dataIdMap?: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  /** The emscripten module; `asm.memory` is the heap's WebAssembly.Memory. */
  wasm?: { asm?: { memory?: unknown } };
}
