/**
 * How sparse a model's code is on a dataset, and at what cost: one row per model for lesson 04's
 * tables (test error, active units per image, mean activation, share of units dead).
 *
 *   const row = measureSparsity(model, data.test.x, 0.1);   // active: activation above 0.1
 */
import * as tf from '@tensorflow/tfjs';
import type { FigureRow } from '../comparisons';
import type { Autoencoder } from '../models/autoencoder';
import { codeActivity } from './activity';
import { encodeAll, reconstructionError } from './reconstruction';

/** One model's sparsity and error on a dataset. */
export interface SparsityRow {
  /** Mean squared error per pixel of the reconstructions. */
  'test error': number;
  /** Mean number of units above the threshold, per sample. */
  'active units per image': number;
  /** Mean activation over samples and units. */
  'mean activation': number;
  /** Share of units above the threshold on no sample at all (dormant in the extreme). */
  'share of units dead': number;
}

/**
 * Encodes `x` with `model` (the codes are freed afterwards), counts a unit as active on a sample
 * when its activation exceeds `threshold` (codeActivity), and measures the reconstruction error.
 */
export function measureSparsity(model: Autoencoder, x: tf.Tensor, threshold: number): SparsityRow {
  const codes = encodeAll(model, x);
  try {
    const activity = codeActivity(codes, threshold);
    const means = activity.meanActivation;
    return {
      'test error': reconstructionError(model, x),
      'active units per image': activity.activePerSample,
      'mean activation': means.reduce((a, b) => a + b, 0) / means.length,
      'share of units dead': activity.deadFraction,
    };
  } finally {
    codes.dispose();
  }
}

/** A model's row as figures of the run: its test error (MSE per pixel), active units per image and share of units dead. */
export function sparsityFigures(rows: readonly ({ model: string } & SparsityRow)[]): FigureRow[] {
  return rows.flatMap((r) => [
    { figure: `${r.model}: test error (MSE per pixel)`, value: r['test error'] },
    { figure: `${r.model}: active units per image`, value: r['active units per image'] },
    { figure: `${r.model}: share of units dead`, value: r['share of units dead'] },
  ]);
}
