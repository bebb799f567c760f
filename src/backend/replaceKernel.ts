/**
 * Registering our own kernel in place of a backend's, once, and keeping the one it replaced
 * (tests compare the two; nothing else calls the stock kernel).
 */
import * as tf from '@tensorflow/tfjs';

const MARK = Symbol.for('autoencoder-lessons.kernel');
const stock = new Map<string, tf.KernelConfig>();

/**
 * Registers `kernelFunc` as `kernelName` for `backendName`. Returns 'added' (the backend had no
 * such kernel), 'replaced', or 'unchanged' (ours was already registered).
 */
export function replaceKernel(kernelName: string, backendName: string, kernelFunc: tf.KernelFunc): 'added' | 'replaced' | 'unchanged' {
  const existing = tf.getKernel(kernelName, backendName);
  if ((existing?.kernelFunc as { [MARK]?: boolean } | undefined)?.[MARK]) return 'unchanged';
  if (existing) {
    stock.set(`${kernelName}/${backendName}`, existing);
    tf.unregisterKernel(kernelName, backendName);
  }
  const marked = ((args: Parameters<tf.KernelFunc>[0]) => kernelFunc(args)) as tf.KernelFunc & { [MARK]?: boolean };
  marked[MARK] = true;
  tf.registerKernel({ ...existing, kernelName, backendName, kernelFunc: marked });
  return existing ? 'replaced' : 'added';
}

/** The backend's own kernel that `replaceKernel` replaced, if any. */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  return stock.get(`${kernelName}/${backendName}`);
}
