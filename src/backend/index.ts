/**
 * Chooses the TensorFlow.js backend for the lessons: the fastest one that actually loads.
 *
 *   tensorflow  @tensorflow/tfjs-node (native libtensorflow; optional, it may not have installed)
 *   wasm        @tensorflow/tfjs-backend-wasm (SIMD; its .wasm files come from node_modules)
 *   cpu         pure JavaScript, always there, slowest
 *
 * `AE_BACKEND=tensorflow|wasm|cpu` forces one; a forced backend that cannot load is an error,
 * never a quiet fallback. `AE_KERNELS=stock` keeps tfjs's own kernels (the path a tfjs-node user
 * takes; CI runs it on cpu); the default, `fast`, installs ours (src/backend/kernels.ts). This is
 * the only module that reads the environment.
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { silenceCpuBanner } from './internals';
import { installKernels } from './kernels';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** The backends in the order they are tried. */
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** The environment variable that forces a backend. */
export const BACKEND_ENV_VAR = 'AE_BACKEND';

/** The environment variable that chooses our kernels ('fast', the default) or tfjs's ('stock'). */
export const KERNELS_ENV_VAR = 'AE_KERNELS';

/** The environment variable that sets the wasm backend's threads for large products (1 or 2). */
export const THREADS_ENV_VAR = 'AE_THREADS';

export interface BackendOptions {
  /** Use exactly this backend (fails if it cannot load). Default: `AE_BACKEND`, else try in order. */
  force?: BackendName;
  /** Module to load for the `tensorflow` backend. Tests point it at a simulated broken package. */
  nodeModule?: string;
  /** Where the one-line report goes. Default: `console.log`; pass `() => {}` for silence. */
  log?: (line: string) => void;
  /**
   * Use our faster kernels (default: `AE_KERNELS`, else true): see src/backend/kernels.ts. With
   * false, tfjs's own kernels (and its Adam) are used, as with tfjs-node; ours are removed if an
   * earlier call installed them.
   */
  fastKernels?: boolean;
  /**
   * wasm with our kernels: threads for large matrix products, 1 or 2 (default: `AE_THREADS`, else
   * 2 where the process may use two cores or more). See src/backend/wasmThreads.ts.
   */
  threads?: number;
}

export interface BackendReport {
  /** The backend now active in `tf`. */
  backend: BackendName;
  /** True when chosen by `force` or `AE_BACKEND`. */
  forced: boolean;
  /** Better backends that were passed over, each with the reason. */
  skipped: { backend: BackendName; reason: string }[];
  /** Extra facts about the chosen backend (SIMD, threads, kernels we added). */
  details: string[];
  /** Whether our faster kernels (and our Adam) are in use; false on tensorflow and with stock kernels. */
  fastKernels: boolean;
  /** The one line printed: which backend and why. */
  summary: string;
}

const DEFAULT_NODE_MODULE = '@tensorflow/tfjs-node';

/** Reads and checks `AE_BACKEND`; undefined when unset or empty. */
export function backendFromEnvironment(env: NodeJS.ProcessEnv = process.env): BackendName | undefined {
  const value = env[BACKEND_ENV_VAR]?.trim();
  if (!value) return undefined;
  if (!(BACKEND_ORDER as readonly string[]).includes(value)) {
    throw new Error(
      `${BACKEND_ENV_VAR}=${value} is not a backend. Use one of ${BACKEND_ORDER.join(', ')}, or unset it to pick the fastest that loads.`,
    );
  }
  return value as BackendName;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim();
}

/** Reads and checks `AE_KERNELS`: true for 'fast', false for 'stock', undefined when unset or empty. */
export function fastKernelsFromEnvironment(env: NodeJS.ProcessEnv = process.env): boolean | undefined {
  const value = env[KERNELS_ENV_VAR]?.trim();
  if (!value) return undefined;
  if (value !== 'fast' && value !== 'stock') {
    throw new Error(`${KERNELS_ENV_VAR}=${value} is not a kernel set. Use fast (ours, the default) or stock (tfjs's own), or unset it.`);
  }
  return value === 'fast';
}

/** Reads and checks `AE_THREADS`: 1 or 2, undefined when unset or empty. */
export function threadsFromEnvironment(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env[THREADS_ENV_VAR]?.trim();
  if (!value) return undefined;
  if (value !== '1' && value !== '2') {
    throw new Error(`${THREADS_ENV_VAR}=${value} is not a thread count. Use 1 or 2, or unset it (2 where two cores are free).`);
  }
  return Number(value);
}

/** Explains a failure to load tfjs-node in words a learner can act on. */
function explainNodeFailure(error: unknown, moduleName: string): string {
  const message = firstLine(error);
  if ((error as { code?: string })?.code === 'MODULE_NOT_FOUND' && message.includes(moduleName)) {
    return `${moduleName} is not installed (its install step downloads libtensorflow, which needs internet; it is optional)`;
  }
  if (message.includes('isNullOrUndefined')) {
    return `${moduleName} 4.x does not run on Node ${process.versions.node} (${message}); use Node 20 or 22 for it`;
  }
  return `${moduleName} failed to load: ${message}`;
}

async function tryTensorflow(moduleName: string): Promise<string | undefined> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(moduleName);
  } catch (error) {
    return explainNodeFailure(error, moduleName);
  }
  if (tf.findBackendFactory('tensorflow') === null) {
    return `${moduleName} loaded but registered no 'tensorflow' backend (is it a different copy of @tensorflow/tfjs-core? run npm ls @tensorflow/tfjs-core)`;
  }
  try {
    if (!(await tf.setBackend('tensorflow'))) return `the 'tensorflow' backend failed to initialise`;
  } catch (error) {
    return `the 'tensorflow' backend failed to initialise: ${firstLine(error)}`;
  }
  return undefined;
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection';
const PROCESS_EVENTS: ProcessEvent[] = ['uncaughtException', 'unhandledRejection'];

/**
 * The wasm backend's Emscripten glue adds process-wide handlers that rethrow every uncaught error,
 * so Node prints the whole minified wasm loader instead of the learner's error. Remove the
 * handlers it added (ours or the user's stay).
 */
async function withoutNewProcessHandlers<T>(run: () => Promise<T>): Promise<T> {
  const listeners = (event: ProcessEvent) => process.listeners(event as 'uncaughtException') as ((...args: unknown[]) => void)[];
  const before = new Map(PROCESS_EVENTS.map((event) => [event, new Set(listeners(event))]));
  try {
    return await run();
  } finally {
    for (const event of PROCESS_EVENTS) {
      for (const listener of listeners(event)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
      }
    }
  }
}

async function tryWasm(): Promise<string | undefined> {
  return withoutNewProcessHandlers(loadWasm);
}

async function loadWasm(): Promise<string | undefined> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    const wasmFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
    // Load the binaries from node_modules, never from a network address.
    wasm.setWasmPaths(path.dirname(wasmFile) + path.sep);
  } catch (error) {
    return `@tensorflow/tfjs-backend-wasm failed to load: ${firstLine(error)}`;
  }
  try {
    if (!(await tf.setBackend('wasm'))) return `the 'wasm' backend failed to initialise`;
  } catch (error) {
    return `the 'wasm' backend failed to initialise: ${firstLine(error)}`;
  }
  return undefined;
}

async function tryCpu(): Promise<string | undefined> {
  if (!(await tf.setBackend('cpu'))) return `the 'cpu' backend failed to initialise`;
  silenceCpuBanner(tf.backend());
  return undefined;
}

/** Facts about the wasm backend's engine, for the report. */
async function wasmFacts(): Promise<string[]> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return [simd ? 'SIMD on' : 'SIMD off', ...(threads ? ["tfjs's own threads on"] : [])];
}

/**
 * Activates a backend and reports the choice in one line.
 *
 *   const report = await setupBackend();   // "Backend: wasm (SIMD on, ..., large products on 2 threads, ...). Skipped tensorflow: ..."
 */
export async function setupBackend(options: BackendOptions = {}): Promise<BackendReport> {
  const forcedBackend = options.force ?? backendFromEnvironment();
  if (forcedBackend !== undefined && !BACKEND_ORDER.includes(forcedBackend)) {
    throw new Error(`setupBackend: force must be one of ${BACKEND_ORDER.join(', ')}, got ${String(forcedBackend)}.`);
  }
  const nodeModule = options.nodeModule ?? DEFAULT_NODE_MODULE;
  const log = options.log ?? ((line: string) => console.log(line));
  const attempts: Record<BackendName, () => Promise<string | undefined>> = {
    tensorflow: () => tryTensorflow(nodeModule),
    wasm: tryWasm,
    cpu: tryCpu,
  };
  const candidates = forcedBackend ? [forcedBackend] : BACKEND_ORDER;
  const skipped: BackendReport['skipped'] = [];
  for (const backend of candidates) {
    const failure = await attempts[backend]();
    if (failure !== undefined) {
      if (forcedBackend) {
        throw new Error(
          `${BACKEND_ENV_VAR}/force asked for the '${backend}' backend, but ${failure}. ` +
            `Unset ${BACKEND_ENV_VAR} to use the fastest backend that loads, or pick another.`,
        );
      }
      skipped.push({ backend, reason: failure });
      continue;
    }
    await tf.ready();
    const threads = options.threads ?? threadsFromEnvironment();
    const kernels = installKernels(backend, { fast: options.fastKernels ?? fastKernelsFromEnvironment() ?? true, ...(threads ? { threads } : {}) });
    const details = [...(backend === 'wasm' ? await wasmFacts() : []), ...kernels.details];
    const how = options.force ? 'forced' : forcedBackend ? `forced by ${BACKEND_ENV_VAR}` : 'fastest that loaded';
    const facts = [how, ...details].join(', ');
    const passedOver = skipped.map((s) => ` Skipped ${s.backend}: ${s.reason}.`).join('');
    const summary = `Backend: ${backend} (${facts}).${passedOver}`;
    log(summary);
    return { backend, forced: forcedBackend !== undefined, skipped, details, fastKernels: kernels.fast, summary };
  }
  // cpu is pure JavaScript and always registers; reaching this line means tfjs itself is broken.
  throw new Error(`No TensorFlow.js backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}.`);
}
