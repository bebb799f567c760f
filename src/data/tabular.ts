/**
 * Helpers for tables of numbers (lesson 07's breast-cancer data): a seeded split of row indices
 * and standardisation (each column to mean 0, standard deviation 1, using statistics of the
 * training rows only, so that nothing about the test rows leaks into training).
 */
import * as tf from '@tensorflow/tfjs';
import { shuffledIndices } from '../random';

/** Splits 0..n-1 into two shuffled groups, `fraction` of them in the first; neither may be empty. */
export function splitIndices(n: number, fraction: number, seed: number): [Int32Array, Int32Array] {
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`splitIndices: n must be a whole number ≥ 2, got ${n}.`);
  if (!(fraction > 0 && fraction < 1)) throw new Error(`splitIndices: fraction must be between 0 and 1, got ${fraction}.`);
  if (!Number.isFinite(seed)) throw new Error(`splitIndices: seed must be a finite number, got ${seed}.`);
  const cut = Math.round(n * fraction);
  if (cut === 0 || cut === n) {
    throw new Error(`splitIndices: a fraction of ${fraction} of ${n} rows leaves ${cut === 0 ? 'the first' : 'the second'} group empty.`);
  }
  const order = shuffledIndices(n, seed);
  return [order.slice(0, cut), order.slice(cut)];
}

export interface Standardiser {
  mean: tf.Tensor1D;
  std: tf.Tensor1D;
  /** (x − mean) / std, column by column. */
  apply(x: tf.Tensor2D): tf.Tensor2D;
  dispose(): void;
}

/**
 * Learns column means and standard deviations from `train` (N, features). Throws, naming the
 * columns, when a value is NaN or infinite (the mean of such a column is NaN or infinite too).
 */
export function fitStandardiser(train: tf.Tensor2D): Standardiser {
  if (train.rank !== 2 || train.shape[0] < 2) throw new Error(`fitStandardiser needs (rows ≥ 2, features), got (${train.shape.join(', ')}).`);
  const badColumns = tf.tidy(() => tf.logicalNot(tf.isFinite(train)).any(0).dataSync()); // (features)
  const bad = Array.from(badColumns).flatMap((isBad, column) => (isBad ? [column] : []));
  if (bad.length > 0) {
    throw new Error(`fitStandardiser: column${bad.length > 1 ? 's' : ''} ${bad.join(', ')} (0-based) hold${bad.length > 1 ? '' : 's'} NaN or infinite values; clean or drop them first.`);
  }
  const { mean, std } = tf.tidy(() => {
    const moments = tf.moments(train, 0);
    // A constant column has no spread: divide by 1 rather than 0.
    const std = moments.variance.sqrt().maximum(1e-8).where(moments.variance.greater(0), tf.onesLike(moments.variance));
    return { mean: moments.mean as tf.Tensor1D, std: std as tf.Tensor1D };
  });
  return {
    mean,
    std,
    apply: (x) => {
      if (x.shape[1] !== mean.shape[0]) throw new Error(`Standardiser: expected ${mean.shape[0]} columns, got ${x.shape[1]}.`);
      return tf.tidy(() => x.sub(mean).div(std) as tf.Tensor2D);
    },
    dispose: () => tf.dispose([mean, std]),
  };
}
