/** Shared by the tests: quiet backend set-up and a finite-difference gradient check. */
import * as tf from '@tensorflow/tfjs';
import { BackendName, setupBackend } from '../src/backend';

export async function useBackend(backend: BackendName = 'cpu'): Promise<void> {
  await setupBackend({ force: backend, log: () => {} });
}

/**
 * Compares the autodiff gradient of `loss` with respect to `variable` against central finite
 * differences at a few entries. Returns the largest relative error.
 */
export function gradientCheck(loss: () => tf.Scalar, variable: tf.Variable, entries: number[], step = 1e-2): number {
  const { grads } = tf.variableGrads(loss, [variable]);
  const analytic = grads[variable.name].dataSync();
  tf.dispose(grads);
  const original = variable.dataSync().slice();
  let worst = 0;
  for (const i of entries) {
    const at = (delta: number) => {
      const values = original.slice();
      values[i] += delta;
      variable.assign(tf.tensor(values, variable.shape));
      return tf.tidy(() => loss().dataSync()[0]);
    };
    const numeric = (at(step) - at(-step)) / (2 * step);
    const error = Math.abs(numeric - analytic[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[i]));
    worst = Math.max(worst, error);
  }
  variable.assign(tf.tensor(original, variable.shape));
  return worst;
}

/** A few entries spread over a variable. */
export function someEntries(size: number, count = 6): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * size) / count));
}
