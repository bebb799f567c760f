/**
 * Our small SIMD WebAssembly module, working inside tfjs-backend-wasm's heap.
 *
 * Some of the work our wasm kernels do has no fast tfjs kernel: the im2col/col2im rearrangements
 * of the conv gradients, a sum over leading axes (a bias gradient), and an Adam step (about
 * thirteen separate tfjs kernels per variable). As JavaScript loops, with the data copied out of
 * the wasm heap and back, im2col and col2im took 4–9 ms per call on a 128-image batch of the
 * lessons' conv layers, most of a conv training step; a JavaScript Adam was slower than tfjs's.
 * `native/kernels.c` does this work in C, compiled by clang to wasm32 with SIMD (28 KB, embedded in
 * `native/kernelsWasm.ts`, rebuilt by scripts/build-wasm-kernels.sh). The module imports tfjs's
 * WebAssembly.Memory and owns no data or stack in it, so it reads and writes tensors where they
 * are: im2col and col2im now take 0.3–1.5 ms per call. For layers whose channel counts suit its
 * blocks, it computes the conv filter gradient directly, without im2col's strided copy.
 *
 * It also has a matrix product (`matmulOnHeap`) faster than the XNNPACK one tfjs uses, and an LSTM
 * layer's whole forward and backward pass (`lstmForwardOnHeap`, `lstmBackwardOnHeap`, used by
 * ../models/lstm.ts), where the steps written out took about 44 small tfjs kernels a step. The module
 * is built twice: with 128-bit SIMD, and with relaxed SIMD, whose fused multiply-add (one x86 FMA
 * instruction) lets the product do twice the arithmetic per instruction. Relaxed SIMD is on by
 * default from V8 11.4 (Node 22); Node 20's V8 11.3 has it behind `--experimental-wasm-relaxed-simd`,
 * which we switch on at run time (it only adds instructions that modules may use). The relaxed build
 * links when the engine accepts it, else the plain one (see `nativeVariant`).
 *
 * The module is linked to a backend only by `linkNative`, which the kernel entry point
 * (`installKernels` in ./kernels.ts) calls; which build was linked is recorded per backend, not in
 * a variable that other modules read. Every function here returns undefined, and the caller runs
 * its JavaScript path, when no module is linked to the backend (the cpu backend, `native: 'off'`,
 * or a heap the module cannot link to).
 *
 * Before any write, sizes are checked: a tensor or scratch buffer of 2 GiB or more is refused with
 * an error (the module indexes the heap with 32-bit signed offsets; tfjs's heap holds 4 GiB), so a
 * too-large product fails before it can write outside its output.
 */
import * as tf from '@tensorflow/tfjs';
import { WASM_BASE64, WASM_RELAXED_BASE64, WASM_RELAXED_SHARED_BASE64, WASM_SHARED_BASE64 } from './native/kernelsWasm';
import { ProductHelper, productHelper } from './wasmThreads';
import { wasmInternals, wasmMemory } from './internals';

type Geometry = tf.backend_util.Conv2DInfo;

type Transfer = (from: number, to: number, ...geometry: number[]) => void;
interface Exports {
  im2col_t: Transfer;
  col2im: Transfer;
  sum_rows: (matrix: number, sums: number, rows: number, cols: number) => void;
  add_rows: (x: number, row: number, out: number, rows: number, cols: number) => void;
  adam: (w: number, g: number, m: number, v: number, out: number, n: number, ...constants: number[]) => void;
  conv_filter_grad: (x: number, dy: number, dw: number, ...geometryAndFilters: number[]) => void;
  matmul: (a: number, b: number, bias: number, c: number, panel: number, m: number, k: number, n: number, transA: number, transB: number, relu: number, row0: number, row1: number, col0: number, col1: number) => void;
  lstm_forward: (xwb: number, u: number, h: number, cs: number, g: number, panel: number, batch: number, steps: number, units: number, repeated: number) => void;
  lstm_backward: (dh: number, u: number, h: number, cs: number, g: number, dz: number, du: number, dzSum: number, scratch: number, batch: number, steps: number, units: number) => void;
}

/** Which build of the module: with relaxed SIMD (fused multiply-add in matmul) or without. */
export type NativeVariant = 'relaxed-simd' | 'simd';

interface Link {
  memory: WebAssembly.Memory;
  variant: NativeVariant;
  exports: Exports;
}

/** The build linked to each wasm backend (by linkNative); null when linking was turned off. */
const links = new WeakMap<object, Link | null>();

/** The largest tensor, in bytes, our module handles: its heap offsets are 32-bit signed integers. */
export const MAX_NATIVE_BYTES = 2 ** 31 - 1;

function moduleBytes(variant: NativeVariant = 'simd', memory: 'own' | 'shared' = 'own'): Uint8Array {
  const base64 = memory === 'shared'
    ? (variant === 'relaxed-simd' ? WASM_RELAXED_SHARED_BASE64 : WASM_SHARED_BASE64)
    : (variant === 'relaxed-simd' ? WASM_RELAXED_BASE64 : WASM_BASE64);
  return Buffer.from(base64, 'base64');
}

/**
 * True when this engine compiles relaxed SIMD. On Node 20 that takes V8's
 * `--experimental-wasm-relaxed-simd`, set here once (a flag for wasm compilation only; V8 11.4
 * shipped the feature on).
 */
export function relaxedSimdSupported(): boolean {
  const bytes = moduleBytes('relaxed-simd');
  if (WebAssembly.validate(bytes)) return true;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false; // not Node
  }
  return WebAssembly.validate(bytes);
}

/** What the embedded module imports and exports, and how many data sections it has (must be 0: data would be written into tfjs's heap). */
export function inspectModule(variant: NativeVariant = 'simd'): { imports: string[]; exports: string[]; dataSections: number } {
  if (variant === 'relaxed-simd' && !relaxedSimdSupported()) throw new Error('inspectModule: this engine cannot compile relaxed SIMD.');
  const bytes = moduleBytes(variant);
  const module = new WebAssembly.Module(bytes);
  let dataSections = 0;
  // Sections follow the 8-byte header as (id, LEB128 size, contents); id 11 is data.
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      size += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) break;
    }
    if (id === 11) dataSections++;
    at += size;
  }
  return {
    imports: WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}:${i.kind}`),
    exports: WebAssembly.Module.exports(module).map((e) => `${e.name}:${e.kind}`),
    dataSections,
  };
}

function instantiate(memory: WebAssembly.Memory, variant: NativeVariant): Exports | undefined {
  try {
    return new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(variant)), { env: { memory } }).exports as unknown as Exports;
  } catch {
    return undefined; // e.g. a multi-threaded build's shared memory: the JavaScript paths run
  }
}

/**
 * Links our module to a wasm backend's heap: `variant` 'relaxed-simd' (used only where the engine
 * compiles it, else the plain build), 'simd', or 'off' (link none, so every caller takes its
 * fallback path; tests and the benchmark compare them). Returns the build linked, or undefined.
 * Only the kernel entry point (./kernels.ts) and tests call this.
 */
export function linkNative(backend: tf.KernelBackend, variant: NativeVariant | 'off'): NativeVariant | undefined {
  const memory = wasmMemory(backend);
  if (!memory || variant === 'off') {
    links.set(backend, null);
    return undefined;
  }
  const order: NativeVariant[] = variant === 'relaxed-simd' && relaxedSimdSupported() ? ['relaxed-simd', 'simd'] : ['simd'];
  for (const candidate of order) {
    const exports = instantiate(memory, candidate);
    if (exports) {
      links.set(backend, { memory, variant: candidate, exports });
      return candidate;
    }
  }
  links.set(backend, null);
  return undefined;
}

function nativeFor(backend: tf.KernelBackend): Exports | undefined {
  const link = links.get(backend);
  if (!link) return undefined;
  const memory = wasmMemory(backend);
  if (memory !== link.memory) return linkNative(backend, link.variant) ? links.get(backend)!.exports : undefined;
  return link.exports;
}

/** True when our module is linked to the active wasm backend's memory (the report and tests ask). */
export function nativeKernelsAvailable(backend: tf.KernelBackend = tf.backend()): boolean {
  return nativeFor(backend) !== undefined;
}

/** The build linked to the backend, or undefined when none is. */
export function nativeVariant(backend: tf.KernelBackend = tf.backend()): NativeVariant | undefined {
  return nativeFor(backend) ? links.get(backend)?.variant : undefined;
}

/** Throws, before anything is allocated or written, when a buffer is too large for our module. */
export function checkNativeSize(what: string, elements: number): void {
  const bytes = elements * 4;
  if (!(bytes <= MAX_NATIVE_BYTES)) {
    const gib = (bytes / 2 ** 30).toFixed(2);
    throw new Error(
      `wasm kernels: ${what} needs ${gib} GiB (${elements} float32 values); the wasm backend's kernels handle at most 2 GiB per tensor. ` +
        'Work in smaller batches.',
    );
  }
}

function geometryArgs(g: Geometry): number[] {
  return [
    g.batchSize, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth, g.filterHeight, g.filterWidth,
    g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padInfo.top, g.padInfo.left,
  ];
}

/**
 * The shared part of every entry point: when our module is linked to `backend` and every input is
 * float32, allocates float32 outputs of `shapes` and, for the call only, `scratch` floats of
 * scratch (freed after), and lets `call` run the module with the heap offsets of the inputs, the
 * outputs and the scratch. Undefined (nothing allocated) otherwise.
 */
function onHeapMany(
  backend: tf.KernelBackend,
  inputs: tf.TensorInfo[],
  shapes: number[][],
  call: (native: Exports, offsets: number[], outs: number[], scratch: number) => void,
  scratch = 0,
): tf.TensorInfo[] | undefined {
  const native = inputs.every((t) => t.dtype === 'float32') ? nativeFor(backend) : undefined;
  if (!native) return undefined;
  for (const shape of shapes) checkNativeSize(`an output of shape (${shape.join(', ')})`, tf.util.sizeFromShape(shape));
  checkNativeSize('scratch space', scratch);
  const wasm = wasmInternals(backend);
  // Allocate first: offsets stay valid when the heap grows (views would not).
  const outs = shapes.map((shape) => wasm.makeOutput(shape, 'float32'));
  const space = scratch > 0 ? wasm.makeOutput([scratch], 'float32') : undefined;
  const offsetOf = (info: tf.TensorInfo) => {
    const data = wasm.dataIdMap!.get(info.dataId);
    if (!data) throw new Error('wasm native kernels: a tensor is not on the wasm backend.');
    return data.memoryOffset;
  };
  try {
    call(native, inputs.map(offsetOf), outs.map(offsetOf), space ? offsetOf(space) : 0);
  } finally {
    if (space) backend.disposeData(space.dataId);
  }
  return outs;
}

/** onHeapMany for one output and no scratch. */
function onHeap(
  backend: tf.KernelBackend,
  inputs: tf.TensorInfo[],
  shape: number[],
  call: (native: Exports, offsets: number[], out: number) => void,
): tf.TensorInfo | undefined {
  return onHeapMany(backend, inputs, [shape], (native, offsets, [out]) => call(native, offsets, out))?.[0];
}

const asTensor = <T extends tf.Tensor>(info: tf.TensorInfo | undefined) => (info ? (tf.engine().makeTensorFromTensorInfo(info) as T) : undefined);

/**
 * The transpose of im2col's matrix (see `im2col.ts`), (kh·kw·C, B·outH·outW), built in the heap
 * from the NHWC float32 `x`: the left operand of the filter gradient columnsᵀ·dy, so that the
 * product needs no transposed operand. Undefined off wasm.
 */
export function im2colTransposedOnHeap(x: tf.Tensor, g: Geometry, backend: tf.KernelBackend): tf.Tensor2D | undefined {
  const shape = [g.filterHeight * g.filterWidth * g.inChannels, g.batchSize * g.outHeight * g.outWidth];
  return asTensor(onHeap(backend, [x], shape, (native, [from], to) => native.im2col_t(from, to, ...geometryArgs(g))));
}

/**
 * The filter gradient (kh, kw, Ci, Co) of a convolution of geometry `g`, from its NHWC float32
 * input `x` and output gradient `dy`, computed in the heap without an im2col matrix. Undefined off
 * wasm, and unless Co is a multiple of 8 and Ci of 4 (the kernel's blocks: with fewer input
 * channels most of its work is wasted, and im2col is faster; the caller then uses im2col).
 */
export function convFilterGradientOnHeap(x: tf.Tensor, dy: tf.Tensor, g: Geometry, backend: tf.KernelBackend): tf.Tensor4D | undefined {
  if (g.outChannels % 8 !== 0 || g.inChannels % 4 !== 0) return undefined;
  const shape = [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels];
  return asTensor(onHeap(backend, [x, dy], shape, (native, [xAt, dyAt], out) => native.conv_filter_grad(xAt, dyAt, out, ...geometryArgs(g), g.outChannels)));
}

/** The NHWC image of `g`'s input shape that col2im makes from float32 `columns`, in the heap; undefined off wasm. */
export function col2imOnHeap(columns: tf.Tensor, g: Geometry, backend: tf.KernelBackend): tf.Tensor4D | undefined {
  const shape = [g.batchSize, g.inHeight, g.inWidth, g.inChannels];
  return asTensor(onHeap(backend, [columns], shape, (native, [from], to) => native.col2im(from, to, ...geometryArgs(g))));
}

/**
 * Sums a float32 tensor, viewed as a rows × cols matrix, over its rows (its leading axes) into a
 * new tensor of `shape` (cols values); undefined off wasm.
 */
export function sumRowsOnHeap(x: tf.TensorInfo, rows: number, cols: number, shape: number[], backend: tf.KernelBackend): tf.TensorInfo | undefined {
  return onHeap(backend, [x], shape, (native, [from], to) => native.sum_rows(from, to, rows, cols));
}

/**
 * x + row for a float32 x viewed as a rows × cols matrix and a float32 `row` of cols values (a
 * bias added at every position), into a new tensor of x's shape; undefined off wasm.
 */
export function addRowsOnHeap(x: tf.TensorInfo, row: tf.TensorInfo, rows: number, cols: number, backend: tf.KernelBackend): tf.TensorInfo | undefined {
  return onHeap(backend, [x, row], x.shape, (native, [xAt, rowAt], out) => native.add_rows(xAt, rowAt, out, rows, cols));
}

/** Adam's constants for one step; c1 = 1 − β₁ᵗ and c2 = 1 − β₂ᵗ. */
export interface AdamStep {
  beta1: number;
  beta2: number;
  c1: number;
  c2: number;
  epsilon: number;
  learningRate: number;
}

/**
 * One Adam step for `w` in the heap: updates the moments `m` and `v` in place (they must be
 * float32 tensors of w's size that nothing else shares) and returns the new weights as a new
 * tensor. Undefined off wasm.
 */
export function adamOnHeap(w: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, step: AdamStep, backend: tf.KernelBackend): tf.Tensor | undefined {
  if (![g, m, v].every((t) => t.size === w.size)) return undefined;
  const { beta1, beta2, c1, c2, epsilon, learningRate } = step;
  return asTensor(onHeap(backend, [w, g, m, v], w.shape, (native, [wAt, gAt, mAt, vAt], out) =>
    native.adam(wAt, gAt, mAt, vAt, out, w.size, beta1, 1 - beta1, beta2, 1 - beta2, c1, c2, epsilon, -learningRate)));
}

/** A float32 matrix product's operands, as BatchMatMul and _FusedMatMul receive them. */
export interface MatMulOperands {
  /** M × K, or K × M when transposeA; rank 2, or rank 3 with a batch of one. */
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  /** N values added to every row, or undefined. */
  bias?: tf.TensorInfo;
  relu?: boolean;
}

/**
 * op(a)·op(b) (+ bias, then relu) computed by our module in the heap; the result has rank 3
 * ([1, M, N]) when either operand has, else [M, N]. Undefined (the caller uses tfjs's kernel) off
 * wasm, for other dtypes, for batched operands, and for empty products.
 */
export function matmulOnHeap(operands: MatMulOperands, backend: tf.KernelBackend): tf.TensorInfo | undefined {
  const { a, b, transposeA, transposeB, bias, relu } = operands;
  const single = (x: tf.TensorInfo) => x.shape.length === 2 || (x.shape.length === 3 && x.shape[0] === 1);
  if (!single(a) || !single(b)) return undefined;
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const [k2, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
  if (k !== k2 || m === 0 || n === 0 || k === 0) return undefined;
  if (bias && (bias.dtype !== 'float32' || bias.shape.reduce((x, y) => x * y, 1) !== n || bias.shape[bias.shape.length - 1] !== n)) return undefined;
  const shape = a.shape.length === 3 || b.shape.length === 3 ? [1, m, n] : [m, n];
  const inputs = bias ? [a, b, bias] : [a, b];
  // Scratch, freed after the call: B's K × 8 panel and, for a transposed A, its blocks of 4 rows.
  const scratch = 8 * k + (transposeA ? 4 * Math.ceil(m / 4) * k : 0);
  return onHeapMany(backend, inputs, [shape], (native, [aAt, bAt, biasAt], [out], panelAt) => {
    const flags = [transposeA ? 1 : 0, transposeB ? 1 : 0, relu ? 1 : 0] as const;
    const split = ProductHelper.splitFor({ m, k, n, transA: transposeA, transB: transposeB });
    const variant = links.get(backend)!.variant;
    const helper = split && productHelper(variant, () => moduleBytes(variant, 'shared'), backend);
    if (split && helper) {
      // A second thread computes C's first rows or columns from copies in its own memory; this
      // one computes the rest in place (./wasmThreads.ts). The heap does not grow meanwhile.
      const heap = new Float32Array(wasmMemory(backend)!.buffer);
      const product = { heap, a: aAt / 4, b: bAt / 4, bias: bias ? biasAt / 4 : -1, m, k, n, transA: transposeA, transB: transposeB, relu: !!relu };
      if (helper.begin(product, split, out / 4)) {
        const [rows, columns] = split.by === 'rows' ? [[split.size, m], [0, n]] : [[0, m], [split.size, n]];
        native.matmul(aAt, bAt, bias ? biasAt : 0, out, panelAt, m, k, n, ...flags, rows[0], rows[1], columns[0], columns[1]);
        helper.end(heap);
        return;
      }
    }
    native.matmul(aAt, bAt, bias ? biasAt : 0, out, panelAt, m, k, n, ...flags, 0, m, 0, n);
  }, scratch)?.[0];
}

/** What the forward pass of a whole LSTM layer keeps: every state, every cell, every activated gate. */
export interface LstmForward {
  /** h_1 … h_T, (B, T, U). */
  h: tf.Tensor3D;
  /** c_1 … c_T, (B, T, U). */
  c: tf.Tensor3D;
  /** σ(i), σ(f), tanh(g), σ(o) at every step, (B, T, 4U). */
  gates: tf.Tensor3D;
}

/**
 * A whole LSTM layer's forward pass over `steps` steps, from h_0 = c_0 = 0, in one call of our
 * module (`lstm_forward` in native/kernels.c): `xwb` (B, steps, 4U) holds x_t·W + b for every
 * step, or (B, 1, 4U) for an input repeated at every step; `recurrentKernel` is U (U, 4U).
 * Undefined off wasm. (It runs on one thread: half the batch on the helper thread, measured,
 * gained under 10% of a training step; MAINTAINING.md, *Speed*.)
 */
export function lstmForwardOnHeap(xwb: tf.Tensor3D, recurrentKernel: tf.Tensor2D, backend: tf.KernelBackend, steps = xwb.shape[1]): LstmForward | undefined {
  const [batch, given, width] = xwb.shape;
  const units = recurrentKernel.shape[0];
  if (width !== 4 * units || recurrentKernel.shape[1] !== width || (given !== steps && given !== 1)) {
    throw new Error(`lstmForwardOnHeap: xwb (${xwb.shape.join(', ')}) and U (${recurrentKernel.shape.join(', ')}) do not fit an LSTM of ${units} units over ${steps} steps.`);
  }
  const panel = Math.ceil(width / 8) * 8 * units;
  const outs = onHeapMany(backend, [xwb, recurrentKernel], [[batch, steps, units], [batch, steps, units], [batch, steps, width]],
    (native, [xwbAt, uAt], [hAt, cAt, gAt], scratch) => native.lstm_forward(xwbAt, uAt, hAt, cAt, gAt, scratch, batch, steps, units, given === 1 ? 1 : 0), panel);
  if (!outs) return undefined;
  const [h, c, gates] = outs.map((info) => asTensor<tf.Tensor3D>(info)!);
  return { h, c, gates };
}

/**
 * Back-propagation through a whole LSTM layer in one call of our module (`lstm_backward`): from
 * `dh`, the loss's gradient with respect to every state h_t (B, T, U), and what the forward pass
 * kept, the gradients with respect to U and to xwb: every z_t = x_t·W + h_{t−1}·U + b, (B, T, 4U),
 * or, for a `repeated` input, their sum over the steps, (B, 1, 4U). Undefined off wasm.
 */
export function lstmBackwardOnHeap(dh: tf.Tensor3D, recurrentKernel: tf.Tensor2D, forward: LstmForward, backend: tf.KernelBackend, repeated = false): { dxwb: tf.Tensor3D; du: tf.Tensor2D } | undefined {
  const [batch, steps, units] = dh.shape;
  const width = 4 * units;
  const fits = recurrentKernel.shape.join() === [units, width].join() && forward.c.shape.join() === dh.shape.join() &&
    forward.h.shape.join() === dh.shape.join() && forward.gates.shape.join() === [batch, steps, width].join();
  if (!fits) {
    throw new Error(`lstmBackwardOnHeap: dh (${dh.shape.join(', ')}), U (${recurrentKernel.shape.join(', ')}) and the forward pass's gates (${forward.gates.shape.join(', ')}) do not fit.`);
  }
  // Scratch: Uᵀ's panels, dh and dc; then, for a repeated input, dZ (which is then not an output).
  const working = Math.ceil(units / 8) * 8 * width + 2 * batch * units;
  const outShape = repeated ? [batch, 1, width] : [batch, steps, width];
  const outs = onHeapMany(backend, [dh, recurrentKernel, forward.h, forward.c, forward.gates], [outShape, [units, width]],
    (native, [dhAt, uAt, hAt, cAt, gAt], [outAt, duAt], scratch) => {
      const [dzAt, sumAt] = repeated ? [scratch + 4 * working, outAt] : [outAt, 0];
      native.lstm_backward(dhAt, uAt, hAt, cAt, gAt, dzAt, duAt, sumAt, scratch, batch, steps, units);
    }, working + (repeated ? batch * steps * width : 0));
  return outs ? { dxwb: asTensor<tf.Tensor3D>(outs[0])!, du: asTensor<tf.Tensor2D>(outs[1])! } : undefined;
}
