/**
 * The one entry point of our kernel layer: `installKernels(backend, options)` registers (or
 * removes) our replacements of tfjs's kernels for a backend and says what it did. `setupBackend`
 * calls it once the backend is active; nothing else in the library registers a kernel.
 *
 *   wasm  conv gradients, matrix products, gather/slice, softplus, sum, bias add, identity, and
 *         our wasm module linked to the heap (relaxed SIMD where the engine has it)
 *   cpu   conv gradients and matrix products
 *   tensorflow (tfjs-node): nothing; its kernels are native
 *
 * With `fast: false` the backend keeps (or gets back) tfjs's own kernels: the path a tfjs-node user
 * takes, which CI exercises on cpu. Only wasm's missing Conv2DBackpropFilter is added even then,
 * since no conv layer can train on wasm without it. Which Adam `train()` uses follows from the
 * same registry (see ./optimizer.ts). Each replacement is described in src/backend/README.md.
 */
import * as tf from '@tensorflow/tfjs';
import * as os from 'os';
import { registerConv2dBackpropFilter } from './conv2dBackpropFilter';
import { registerConv2dBackpropInput } from './conv2dBackpropInput';
import { registerFastCpuMatMul } from './cpuMatMul';
import { isOurKernel, restoreStockKernels } from './replaceKernel';
import { registerFastWasmAdd } from './wasmAdd';
import { registerFastWasmGather } from './wasmGather';
import { registerFastWasmIdentity } from './wasmIdentity';
import { registerFastWasmMatMul } from './wasmMatMul';
import { linkNative, NativeVariant } from './wasmNative';
import { productThreads, setProductThreads } from './wasmThreads';
import { registerFastWasmSoftplus } from './wasmSoftplus';
import { registerFastWasmSum } from './wasmSum';

export type KernelBackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface KernelOptions {
  /** Our faster kernels (true) or tfjs's own (false). */
  fast: boolean;
  /** wasm only: which build of our wasm module to link ('off': none; its callers fall back). */
  native: NativeVariant | 'off';
  /**
   * wasm only: threads for large matrix products, 1 or 2 (a helper thread; ./wasmThreads.ts).
   * Default: 2 where the process may use two cores or more, else 1.
   */
  threads: number;
}

export const DEFAULT_KERNEL_OPTIONS: KernelOptions = { fast: true, native: 'relaxed-simd', threads: Math.min(2, os.availableParallelism()) };

export interface InstalledKernels {
  /** Whether our faster kernels are in place. */
  fast: boolean;
  /** Short names of what we replaced or added, for the report line. */
  replaced: string[];
  /** Facts for the report line ('relaxed SIMD on', 'stock kernels', ...). */
  details: string[];
}

/** Registers our kernels for `backend` (the active one), or removes them with `fast: false`. */
export function installKernels(backend: KernelBackendName, options: Partial<KernelOptions> = {}): InstalledKernels {
  const settings = { ...DEFAULT_KERNEL_OPTIONS, ...options };
  if (backend === 'tensorflow') return { fast: false, replaced: [], details: [] };
  if (!settings.fast) {
    restoreStockKernels(backend, backend === 'wasm' ? [tf.Conv2DBackpropFilter] : []);
    if (backend === 'wasm') linkNative(tf.backend(), 'off');
    setProductThreads(1, tf.backend());
    const added = backend === 'wasm' && registerConv2dBackpropFilter('wasm') !== 'unchanged';
    const lacking = backend === 'wasm' && (added || isOurKernel(tf.Conv2DBackpropFilter, 'wasm'));
    return { fast: false, replaced: [], details: [lacking ? 'stock kernels, plus the Conv2DBackpropFilter it lacks' : 'stock kernels'] };
  }
  const details: string[] = [];
  let variant: NativeVariant | undefined;
  if (backend === 'wasm') {
    variant = linkNative(tf.backend(), settings.native);
    if (variant) details.push(variant === 'relaxed-simd' ? 'relaxed SIMD on' : 'relaxed SIMD off');
    const threads = setProductThreads(variant ? settings.threads : 1, tf.backend());
    details.push(threads === 1 ? 'products on 1 thread' : 'large products on 2 threads');
    registerFastWasmMatMul();
  } else {
    setProductThreads(1, tf.backend());
    registerFastCpuMatMul();
  }
  registerConv2dBackpropFilter(backend);
  registerConv2dBackpropInput(backend);
  const replaced = ['matMul', 'conv gradients'];
  if (backend === 'wasm') {
    registerFastWasmGather();
    registerFastWasmSoftplus();
    registerFastWasmSum();
    registerFastWasmIdentity();
    registerFastWasmAdd();
    replaced.push('gather/slice', 'softplus', 'sum', 'bias add', 'identity');
    // Not a kernel: lstmSequence (../models/lstm.ts) runs a whole layer in our module when it is linked.
    if (variant) replaced.push('LSTM layers');
  }
  replaced.push('Adam'); // createOptimizer (./optimizer.ts) picks FusedAdam where our kernels are installed
  details.push(`our faster kernels: ${replaced.join(', ')}`);
  return { fast: true, replaced, details };
}

/** True when our kernels are installed for `backend` (read from tfjs's kernel registry). */
export function fastKernelsInstalled(backend: string): boolean {
  return (backend === 'wasm' || backend === 'cpu') && isOurKernel(tf.BatchMatMul, backend);
}
