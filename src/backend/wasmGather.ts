/**
 * Row gathers and slices on the wasm backend without copying the whole source tensor.
 *
 * tfjs-backend-wasm 4.22's `Slice` starts by reading the *entire* input out of the wasm heap into
 * a JavaScript copy, whatever the size of the slice; its `GatherV2` goes element by element. Every
 * training step gathers its batch from the whole training set (train() keeps the data on the
 * backend), so on 3,840 images of 784 pixels one 128-row batch cost about 4.4 ms with `gather` and
 * 7 ms with `slice`: 10–20% of a dense auto-encoder's step. Here both copy rows straight from heap
 * view to heap view.
 *
 * Gathers along another axis, with batch dimensions, or of strings go to the stock kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceKernel, stockKernel } from './replaceKernel';
import { wasmInternals } from './internals';

const HEAP_DTYPES = new Set<tf.DataType>(['float32', 'int32', 'bool']);

const gatherKernel: tf.KernelFunc = (args) => {
  const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
  const backend = wasmInternals(args.backend);
  const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0];
  if (parsedAxis !== 0 || batchDims !== 0 || !HEAP_DTYPES.has(x.dtype) || x.shape.length === 0) {
    return stockKernel(tf.GatherV2, 'wasm')!.kernelFunc(args);
  }
  const rows = x.shape[0];
  const rowSize = tf.util.sizeFromShape(x.shape.slice(1));
  const picks = backend.readSync(indices.dataId) as Int32Array;
  for (const index of picks) {
    if (!(index >= 0 && index <= rows - 1)) throw new Error(`GatherV2: the index value ${index} is not in [0, ${rows - 1}]`);
  }
  // Allocate first: allocation may grow the wasm memory, which detaches earlier views.
  const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  for (let i = 0; i < picks.length; i++) {
    const start = picks[i] * rowSize;
    target.set(source.subarray(start, start + rowSize), i * rowSize);
  }
  return out;
};

/** Copies the block [begin, begin+size) of a row-major array of `shape` into `target`, innermost runs at a time. */
export function copyBlock(source: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> }, shape: number[], begin: number[], size: number[], target: { set(a: ArrayLike<number>, offset: number): void }): void {
  const rank = shape.length;
  const strides = tf.util.computeStrides(shape);
  const run = size[rank - 1];
  const outer = size.slice(0, rank - 1);
  const count = outer.reduce((p, d) => p * d, 1);
  const position = new Array<number>(rank - 1).fill(0);
  for (let n = 0; n < count; n++) {
    let start = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) start += (begin[d] + position[d]) * strides[d];
    target.set(source.subarray(start, start + run), n * run);
    for (let d = rank - 2; d >= 0; d--) {
      if (++position[d] < outer[d]) break;
      position[d] = 0;
    }
  }
}

const sliceKernel: tf.KernelFunc = (args) => {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
  const backend = wasmInternals(args.backend);
  if (!HEAP_DTYPES.has(x.dtype) || x.shape.length === 0) return stockKernel(tf.Slice, 'wasm')!.kernelFunc(args);
  const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.TensorInfo as tf.Tensor, begin, size);
  // The same check tf.slice makes before it calls a kernel: never read past the input's end.
  tf.slice_util.assertParamsValid(x, begin_, size_);
  const out = backend.makeOutput(size_, x.dtype);
  if (tf.util.sizeFromShape(size_) === 0) return out;
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  copyBlock(source, x.shape, begin_, size_, target);
  return out;
};

/** Registers the row-copying `GatherV2` and `Slice` for wasm (once). Returns true when it changed them. */
export function registerFastWasmGather(): boolean {
  const gather = replaceKernel(tf.GatherV2, 'wasm', gatherKernel);
  const slice = replaceKernel(tf.Slice, 'wasm', sliceKernel);
  return gather === 'replaced' || slice === 'replaced';
}
