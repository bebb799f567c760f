/**
 * Registering our own kernel in place of a backend's, keeping the one it replaced so that it can
 * be put back (`restoreStockKernels`: the path a tfjs-node user takes, tested in CI on cpu) and
 * compared with ours in tests. tfjs's kernel registry is the only record of what is installed:
 * `isOurKernel` reads it, so no other module keeps a flag of its own.
 */
import * as tf from '@tensorflow/tfjs';

const MARK = Symbol.for('autoencoder-lessons.kernel');
/** The kernels ours replaced (or undefined where the backend had none), by "kernel/backend". */
const replaced = new Map<string, tf.KernelConfig | undefined>();

function isMarked(config: tf.KernelConfig | undefined): boolean {
  return Boolean((config?.kernelFunc as { [MARK]?: boolean } | undefined)?.[MARK]);
}

/**
 * Registers `kernelFunc` as `kernelName` for `backendName`. Returns 'added' (the backend had no
 * such kernel), 'replaced', or 'unchanged' (ours was already registered).
 */
export function replaceKernel(kernelName: string, backendName: string, kernelFunc: tf.KernelFunc): 'added' | 'replaced' | 'unchanged' {
  const existing = tf.getKernel(kernelName, backendName);
  if (isMarked(existing)) return 'unchanged';
  replaced.set(`${kernelName}/${backendName}`, existing);
  if (existing) tf.unregisterKernel(kernelName, backendName);
  const marked = ((args: Parameters<tf.KernelFunc>[0]) => kernelFunc(args)) as tf.KernelFunc & { [MARK]?: boolean };
  marked[MARK] = true;
  tf.registerKernel({ ...existing, kernelName, backendName, kernelFunc: marked });
  return existing ? 'replaced' : 'added';
}

/** The backend's own kernel that `replaceKernel` replaced, if any. */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  return replaced.get(`${kernelName}/${backendName}`);
}

/** True when the kernel registered as `kernelName` for `backendName` is one of ours. */
export function isOurKernel(kernelName: string, backendName: string): boolean {
  return isMarked(tf.getKernel(kernelName, backendName));
}

/**
 * Puts the backend's own kernels back in place of ours, except those in `keep` (e.g. a kernel the
 * backend lacks, without which a model cannot train). Returns the names restored or removed.
 */
export function restoreStockKernels(backendName: string, keep: string[] = []): string[] {
  const restored: string[] = [];
  for (const [key, original] of replaced) {
    const [kernelName, backend] = key.split('/');
    if (backend !== backendName || keep.includes(kernelName) || !isOurKernel(kernelName, backendName)) continue;
    tf.unregisterKernel(kernelName, backendName);
    if (original) tf.registerKernel(original);
    replaced.delete(key);
    restored.push(kernelName);
  }
  return restored;
}
