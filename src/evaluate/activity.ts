/**
 * How the code units behave on a dataset: which are dormant (lesson 02's "tune the activations so
 * that most units are dormant") and how often each fires (lesson 04's sparse codes).
 */
import * as tf from '@tensorflow/tfjs';

/** A unit counts as active on a sample when its activation exceeds this. */
export const DEFAULT_ACTIVE_THRESHOLD = 1e-3;

export interface CodeActivity {
  /** Mean activation of each unit over the samples. */
  meanActivation: Float32Array;
  /** Fraction of samples on which each unit is active (|h| > threshold). */
  firingRate: Float32Array;
  /** Fraction of units active on no sample at all. */
  deadFraction: number;
  /** Mean over samples of the fraction of units that are NOT active: the code's sparsity. */
  dormantFraction: number;
  /** Mean number of active units per sample. */
  activePerSample: number;
}

/** Summarises codes (N, units), e.g. from encodeAll(). */
export function codeActivity(codes: tf.Tensor2D, threshold = DEFAULT_ACTIVE_THRESHOLD): CodeActivity {
  if (codes.rank !== 2) throw new Error(`codeActivity expects codes of shape (samples, units), got (${codes.shape.join(', ')}).`);
  return tf.tidy(() => {
    const active = codes.abs().greater(threshold).toFloat();
    const firingRate = active.mean(0).dataSync() as Float32Array;
    const meanActivation = codes.mean(0).dataSync() as Float32Array;
    const units = codes.shape[1];
    const activePerSample = active.sum(1).mean().dataSync()[0];
    return {
      meanActivation,
      firingRate,
      deadFraction: firingRate.filter((rate) => rate === 0).length / units,
      dormantFraction: 1 - activePerSample / units,
      activePerSample,
    };
  });
}
