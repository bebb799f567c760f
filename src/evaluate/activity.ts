/**
 * How the code units behave on a dataset: which are dormant (lesson 02's "tune the activations so
 * that most units are dormant") and how often each fires (lesson 04's sparse codes).
 */
import * as tf from '@tensorflow/tfjs';
import { valuesOf } from './values';

/** A unit counts as active on a sample when its activation exceeds this. */
export const DEFAULT_ACTIVE_THRESHOLD = 1e-3;

/** Samples read back at a time. */
const ACTIVITY_BATCH = 500;

export interface CodeActivity {
  /** Mean activation of each unit over the samples. */
  meanActivation: Float64Array;
  /** Fraction of samples on which each unit is active (|h| > threshold). */
  firingRate: Float64Array;
  /** Fraction of units active on no sample at all. */
  deadFraction: number;
  /** Fraction of units active on more than half the samples: busy, the other way to fail sparsity. */
  busyFraction: number;
  /** Mean over samples of the fraction of units that are NOT active: the code's sparsity. */
  dormantFraction: number;
  /** Mean number of active units per sample. */
  activePerSample: number;
}

/** Summarises codes (N, units), e.g. from encodeAll(). Counts and sums are taken in float64. */
export function codeActivity(codes: tf.Tensor2D, threshold = DEFAULT_ACTIVE_THRESHOLD): CodeActivity {
  if (codes.rank !== 2) throw new Error(`codeActivity expects codes of shape (samples, units), got (${codes.shape.join(', ')}).`);
  const [n, units] = codes.shape;
  if (n === 0 || units === 0) throw new Error(`codeActivity: there are no codes to summarise (${n} samples of ${units} units).`);
  if (!(Number.isFinite(threshold) && threshold >= 0)) throw new Error(`codeActivity: threshold must be a number ≥ 0, got ${threshold}.`);
  const sums = new Float64Array(units);
  const fired = new Float64Array(units);
  let active = 0;
  for (let start = 0; start < n; start += ACTIVITY_BATCH) {
    const count = Math.min(ACTIVITY_BATCH, n - start);
    const values = valuesOf(() => codes.slice(start, count));
    for (let i = 0; i < values.length; i++) {
      const unit = i % units;
      sums[unit] += values[i];
      if (Math.abs(values[i]) > threshold) {
        fired[unit] += 1;
        active += 1;
      }
    }
  }
  const firingRate = Float64Array.from(fired, (count) => count / n);
  const activePerSample = active / n;
  return {
    meanActivation: Float64Array.from(sums, (sum) => sum / n),
    firingRate,
    deadFraction: firingRate.filter((rate) => rate === 0).length / units,
    busyFraction: firingRate.filter((rate) => rate > 0.5).length / units,
    dormantFraction: 1 - activePerSample / units,
    activePerSample,
  };
}
