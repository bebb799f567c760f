/**
 * Every place the library reaches into a package's internals (things not in its public types),
 * in one file: these are what to re-check when tfjs or tslab is upgraded.
 *
 * - tfjs-backend-wasm 4.22's BackendWasm: the heap, tensor offsets, allocation (our wasm kernels);
 * - tfjs-backend-cpu's first-use banner;
 * - tfjs's engine: variables by name (an optimiser's `applyGradients` receives names only);
 * - tslab 1.0.22's display writer (a chart needs several MIME types in one output).
 */
import * as tf from '@tensorflow/tfjs';

export type HeapArray = Float32Array | Int32Array | Uint8Array;

/** The parts of tfjs-backend-wasm 4.22's BackendWasm that our wasm kernels use. */
export interface WasmBackendInternals {
  /** A new tensor of `shape` in the wasm heap, contents undefined. May grow (and so detach) the heap. */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** A view of a tensor's values in the heap (no copy); invalid once the heap grows. */
  typedArrayFromHeap(info: tf.TensorInfo): HeapArray;
  /** A copy of a tensor's values. */
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  /** One more reference to a tensor's buffer (freed when the count returns to 0). */
  incRef(dataId: tf.DataId): void;
  /** Frees a tensor's buffer (or drops one reference). */
  disposeData(dataId: tf.DataId): boolean;
  /** Where each tensor's buffer starts in the heap. */
  dataIdMap?: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  /** The emscripten module; `asm.memory` is the heap's WebAssembly.Memory. */
  wasm?: { asm?: { memory?: unknown } };
}

/** A backend seen through the wasm backend's internals (kernels receive it as `args.backend`). */
export function wasmInternals(backend: unknown): WasmBackendInternals {
  return backend as WasmBackendInternals;
}

/** The WebAssembly.Memory of a wasm backend's heap, or undefined for any other backend. */
export function wasmMemory(backend: unknown): WebAssembly.Memory | undefined {
  const internals = wasmInternals(backend);
  const memory = internals?.wasm?.asm?.memory;
  return memory instanceof WebAssembly.Memory && internals.dataIdMap ? memory : undefined;
}

/**
 * tfjs's cpu backend prints a banner on first use in Node urging tfjs-node; our one-line backend
 * report already says why tfjs-node was skipped, so keep lesson output free of it.
 */
export function silenceCpuBanner(backend: tf.KernelBackend): void {
  (backend as unknown as { firstUse?: boolean }).firstUse = false;
}

/** The variable tfjs's engine knows by `name` (what an optimiser's applyGradients receives). */
export function registeredVariable(name: string): tf.Variable | undefined {
  return tf.engine().registeredVariables[name];
}

/** tslab's writer of a display_data message, for the cell now executing. */
export type TslabWriter = (
  content: { data: Record<string, unknown>; metadata: object; transient: { display_id?: string } },
  update: boolean,
) => void;

/** tslab's writer for the cell now executing, or undefined outside a tslab kernel. */
export function tslabDisplayWriter(): TslabWriter | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('tslab/dist/jupyter') as { lastWriteDisplayData?: TslabWriter }).lastWriteDisplayData ?? undefined;
  } catch {
    return undefined;
  }
}
