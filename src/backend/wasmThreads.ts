/**
 * A second thread for the wasm backend's large matrix products. tfjs-backend-wasm runs on one
 * thread in Node (its threaded build needs workers Node cannot start) and keeps its heap in an
 * unshared memory that no other thread can read. So a helper thread gets its own instance of our
 * module (the build for a shared memory) working in a shared memory of its own: for a product
 * large enough to pay, the main thread copies the operands the helper needs into that memory,
 * starts it on C's first rows or columns (whichever needs less copied), computes the rest itself,
 * in place in tfjs's heap, waits, and copies the helper's share back. Every value is computed by
 * the same code in the same order whichever thread computes it, so the result is bit for bit the
 * single-thread one (test/backend/wasmThreads.test.ts).
 *
 * The two threads meet through `Atomics.wait`/`notify` on a small shared control block: no
 * message passing per product. The helper is `unref`'d (it never keeps a process alive) and
 * dies with the process; if it fails or stops answering, products go back to one thread and the
 * report says so. `threads: 1` (AE_THREADS=1, read in ./index.ts) never starts it.
 */
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';

/** The helper's share is C's first rows, a multiple of ROW_BLOCK, or first columns, of COLUMN_BLOCK. */
const ROW_BLOCK = 4;
const COLUMN_BLOCK = 8;
/** Products with fewer multiply-adds than this stay on one thread: copying and waking cost more. */
export const MIN_PARALLEL_MACS = 2 ** 22;
/**
 * The cost model that decides a split, measured on a 2-core machine (scratch benchmark of the
 * lessons' product shapes): one thread does about 22 million multiply-adds per ms; a copy moves
 * about 3 million floats per ms plus 80 ns per separate run. A product is split when its copies
 * cost under 35% of its one-thread time (two threads, each about 20% slower when both run,
 * save at most about 40%).
 */
const MACS_PER_MS = 22e6;
const COPY_FLOATS_PER_MS = 3e6;
const COPY_RUN_MS = 8e-5;
const MAX_COPY_SHARE = 0.35;
/** The helper's memory: 64 KiB pages, grown as products need, up to 1 GiB (then one thread). */
const INITIAL_PAGES = 256;
const MAXIMUM_PAGES = 16384;
/** How long the main thread waits for the helper's share before giving up on the helper. */
const HELPER_TIMEOUT_MS = 60_000;

// The control block: Int32 slots.
const STATE = 0; // IDLE, JOB, DONE, FAILED, QUIT
const READY = 1; // 0 starting, 1 ready, -1 could not instantiate the module
const ARGS = 2; // matmul's 15 arguments follow
const IDLE = 0;
const JOB = 1;
const DONE = 2;
const FAILED = 3;
const QUIT = 4;

/** The helper's loop, run as an eval'd worker (no file to find, no TypeScript loader needed). */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, bytes, control } = workerData;
const c = new Int32Array(control);
let matmul;
try {
  matmul = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.matmul;
  Atomics.store(c, ${READY}, 1);
} catch (e) {
  Atomics.store(c, ${READY}, -1);
}
Atomics.notify(c, ${READY});
while (matmul) {
  Atomics.wait(c, ${STATE}, ${IDLE});
  const state = Atomics.load(c, ${STATE});
  if (state === ${QUIT}) break;
  if (state !== ${JOB}) continue;
  let outcome = ${DONE};
  try {
    const a = [];
    for (let i = 0; i < 15; i++) a.push(c[${ARGS} + i]);
    matmul(...a);
  } catch (e) {
    outcome = ${FAILED};
  }
  Atomics.store(c, ${STATE}, outcome);
  Atomics.notify(c, ${STATE});
}
`;

/** The helper's share of a product: C's first `size` rows or columns. */
export interface ProductSplit {
  by: 'rows' | 'columns';
  size: number;
}

/** A product for the helper: C = op(A)·op(B) (+ bias, relu), row-major, in a heap of float32. */
export interface SharedProduct {
  heap: Float32Array;
  /** Offsets in floats (not bytes) of A, B and the bias (or -1) in `heap`. */
  a: number;
  b: number;
  bias: number;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  relu: boolean;
}

class Helper {
  private readonly control = new Int32Array(new SharedArrayBuffer((ARGS + 15) * 4));
  private readonly memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
  private readonly worker: Worker;
  /** Why the helper is no longer used, once it is not. */
  failure: string | undefined;
  /** How many products the helper has computed a share of. */
  products = 0;
  /** The helper's share of the product in flight: hm × hn values of C, at `c` in its memory. */
  private pending: { hm: number; hn: number; n: number; out: number; c: number } | undefined;

  constructor(readonly variant: string, bytes: Uint8Array) {
    this.worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { memory: this.memory, bytes, control: this.control.buffer } });
    this.worker.unref();
    this.worker.on('error', (error) => (this.failure ??= `the helper thread failed: ${error.message}`));
    this.worker.on('exit', () => (this.failure ??= 'the helper thread exited'));
  }

  get ready(): boolean {
    const ready = Atomics.load(this.control, READY);
    if (ready === -1) this.failure ??= 'the helper thread could not instantiate our module';
    return ready === 1 && !this.failure;
  }

  /** Waits (blocking) until the helper has started or failed to; true when it can take work. */
  waitUntilReady(timeoutMs = 10_000): boolean {
    if (Atomics.load(this.control, READY) === 0) Atomics.wait(this.control, READY, 0, timeoutMs);
    return this.ready;
  }

  /**
   * The helper's share of a product: C's first rows (a multiple of 4) or first columns (of 8),
   * about half, whichever costs less to copy (A's rows and B whole, or A whole and B's columns);
   * undefined when copying would cost more than a fraction of the time the helper saves.
   */
  static splitFor(p: { m: number; k: number; n: number; transA: boolean; transB: boolean }): ProductSplit | undefined {
    const { m, k, n } = p;
    if (m * k * n < MIN_PARALLEL_MACS) return undefined;
    const rows = Math.floor(m / 2 / ROW_BLOCK) * ROW_BLOCK;
    const columns = Math.floor(n / 2 / COLUMN_BLOCK) * COLUMN_BLOCK;
    // Floats copied and separate runs (a run is one copy call) each way, in and out.
    const cost = (floats: number, runs: number) => floats / COPY_FLOATS_PER_MS + runs * COPY_RUN_MS;
    const byRows = rows > 0 ? cost(rows * k + k * n + rows * n, (p.transA ? k : 1) + 1 + 1) : Infinity;
    const byColumns = columns > 0 ? cost(m * k + k * columns + m * columns, 1 + (p.transB ? 1 : k) + m) : Infinity;
    const best = Math.min(byRows, byColumns);
    if (!(best < MAX_COPY_SHARE * ((m * k * n) / MACS_PER_MS))) return undefined;
    return byRows <= byColumns ? { by: 'rows', size: rows } : { by: 'columns', size: columns };
  }

  /**
   * Copies what the helper needs into its memory and starts it on its share of C (`out`, an
   * offset in floats of the heap). Returns false, having started nothing, when its memory cannot
   * hold them.
   */
  begin(p: SharedProduct, split: ProductSplit, out: number): boolean {
    const { m, k, n, heap } = p;
    // The helper's product is a whole product of its own: op(A) of hm × k, op(B) of k × hn.
    const [hm, hn] = split.by === 'rows' ? [split.size, n] : [m, split.size];
    const panel = 8 * k + (p.transA ? 4 * Math.ceil(hm / 4) * k : 0);
    const sizes = [hm * k, k * hn, hn, hm * hn, panel];
    const floats = sizes.reduce((x, y) => x + y, 0);
    const needPages = Math.ceil((floats * 4) / 65536);
    const havePages = this.memory.buffer.byteLength / 65536;
    if (needPages > havePages) {
      if (needPages > MAXIMUM_PAGES) return false;
      this.memory.grow(needPages - havePages);
    }
    const shared = new Float32Array(this.memory.buffer);
    const at: number[] = [];
    sizes.reduce((offset, size) => (at.push(offset), offset + size), 0);
    const [aAt, bAt, biasAt, cAt, panelAt] = at;
    // Copies `count` runs of `length` floats, `stride` apart in the heap, into consecutive runs.
    const runs = (from: number, stride: number, length: number, count: number, to: number) => {
      if (stride === length) shared.set(heap.subarray(from, from + length * count), to);
      else for (let r = 0; r < count; r++) shared.set(heap.subarray(from + r * stride, from + r * stride + length), to + r * length);
    };
    // A is stored m × k, or k × m when transA; B is stored k × n, or n × k when transB.
    if (p.transA) runs(p.a, m, hm, k, aAt);
    else runs(p.a, k, k, hm, aAt);
    if (p.transB) runs(p.b, k, k, hn, bAt);
    else runs(p.b, n, hn, k, bAt);
    if (p.bias >= 0) shared.set(heap.subarray(p.bias, p.bias + hn), biasAt);
    const args = [aAt * 4, bAt * 4, p.bias >= 0 ? biasAt * 4 : 0, cAt * 4, panelAt * 4, hm, k, hn, p.transA ? 1 : 0, p.transB ? 1 : 0, p.relu ? 1 : 0, 0, hm, 0, hn];
    this.control.set(args, ARGS);
    this.pending = { hm, hn, n, out, c: cAt };
    Atomics.store(this.control, STATE, JOB);
    Atomics.notify(this.control, STATE);
    return true;
  }

  /** Waits for the helper's share and copies it into C. */
  end(heap: Float32Array): void {
    const job = this.pending!;
    this.pending = undefined;
    const deadline = Date.now() + HELPER_TIMEOUT_MS;
    while (Atomics.load(this.control, STATE) === JOB) {
      if (Atomics.wait(this.control, STATE, JOB, Math.max(1, deadline - Date.now())) === 'timed-out' && Date.now() >= deadline) {
        this.failure = `the helper thread did not finish a product within ${HELPER_TIMEOUT_MS / 1000} s`;
        void this.worker.terminate();
        throw new Error(`wasm threads: ${this.failure}; products run on one thread from now on.`);
      }
    }
    const state = Atomics.load(this.control, STATE);
    Atomics.store(this.control, STATE, IDLE);
    if (state !== DONE) {
      this.failure = 'the helper thread failed in a product';
      throw new Error(`wasm threads: ${this.failure}; products run on one thread from now on.`);
    }
    this.products++;
    const shared = new Float32Array(this.memory.buffer);
    const { hm, hn, n, out, c } = job;
    if (hn === n) heap.set(shared.subarray(c, c + hm * n), out);
    else for (let row = 0; row < hm; row++) heap.set(shared.subarray(c + row * hn, c + (row + 1) * hn), out + row * n);
  }

  stop(): void {
    Atomics.store(this.control, STATE, QUIT);
    Atomics.notify(this.control, STATE);
    void this.worker.terminate();
  }
}

/** What one wasm backend's products use: how many threads were asked for, and its helper, if started. */
interface ThreadState {
  threadsWanted: number;
  helper?: Helper;
}

/** Each backend's thread state, kept with the backend (as ./wasmNative.ts keeps its link), not in a module variable. */
const states = new WeakMap<object, ThreadState>();

function stateOf(backend: object): ThreadState {
  let state = states.get(backend);
  if (!state) {
    state = { threadsWanted: 1 };
    states.set(backend, state);
  }
  return state;
}

/**
 * Sets how many threads the wasm backend's products use: 1, or 2 (a helper thread is started on
 * the first product that pays, with the module build `variant` needs). Returns the count in effect.
 */
export function setProductThreads(threads: number, backend: object = tf.backend()): number {
  if (!(threads === 1 || threads === 2)) throw new Error(`wasm threads: threads must be 1 or 2, got ${threads}.`);
  // A helper already started stays (blocked in Atomics.wait, it costs nothing): switching back
  // to 2 threads is then immediate, which the benchmark's interleaved rounds rely on.
  stateOf(backend).threadsWanted = threads;
  return threads;
}

/** Stops the backend's helper thread, if one runs (the next product that pays with 2 threads starts another). */
export function stopProductHelper(backend: object = tf.backend()): void {
  const state = stateOf(backend);
  state.helper?.stop();
  state.helper = undefined;
}

/**
 * The thread count products use now, why it is 1 when 2 were asked for, and how many products
 * the running helper has taken a share of.
 */
export function productThreads(backend: object = tf.backend()): { threads: number; note?: string; helped: number } {
  const { threadsWanted, helper } = stateOf(backend);
  const helped = helper?.products ?? 0;
  if (threadsWanted === 1) return { threads: 1, helped };
  if (helper?.failure) return { threads: 1, note: helper.failure, helped };
  return { threads: 2, helped };
}

/**
 * The helper for products built with `variant`, started (and waited for) on first use; undefined
 * when products use one thread or the helper failed. `bytes` is the module's shared-memory build.
 */
export function productHelper(variant: string, bytes: () => Uint8Array, backend: object = tf.backend()): Helper | undefined {
  const state = stateOf(backend);
  if (state.threadsWanted === 1) return undefined;
  if (state.helper && state.helper.variant !== variant) {
    state.helper.stop();
    state.helper = undefined;
  }
  if (!state.helper) {
    state.helper = new Helper(variant, bytes());
    state.helper.waitUntilReady();
  }
  return state.helper.ready ? state.helper : undefined;
}

export { Helper as ProductHelper };
