/**
 * The measurements lesson 02 compares constraints on (small layers, penalties, denoising, a
 * threshold on the code): one row per model, each measurement the one a constraint is meant to
 * move.
 *
 *   const row = measureConstraint(model, {
 *     clean: data.test.x, noisy: noisyTest, directions: pca.components, seed: SEED,
 *   });
 */
import * as tf from '@tensorflow/tfjs';
import type { FigureRow, Judgement } from '../comparisons';
import { Autoencoder } from '../models/autoencoder';
import { codeActivity } from './activity';
import { identityGap } from './identity';
import { encodeAll, reconstructionError } from './reconstruction';
import { codeSensitivity } from './sensitivity';

/** Test images the identity gap is measured at (the first ones of `clean`). */
export const IDENTITY_GAP_INPUTS = 200;

export interface ConstraintInputs {
  /** Clean test images (N, features). */
  clean: tf.Tensor;
  /** The same images, damaged (N, features); their error is taken against `clean`. */
  noisy: tf.Tensor;
  /** Directions the identity gap nudges along (features, k), e.g. PCA components. */
  directions: tf.Tensor2D;
  /** Seed of the identity gap's random directions. */
  seed: number;
}

export type ConstraintMeasures = {
  /** Mean squared error per pixel on the clean images. */
  'clean error': number;
  /** Mean squared error per pixel of the outputs for the noisy images, against the clean ones. */
  'noisy error': number;
  /** Mean over images of the share of code units that are off (|h| ≤ 0.001) for that image. */
  'share of units off per image': number;
  /** Share of code units that are off for every image: dead units (dormant in the extreme). */
  'share of units dead': number;
  /** Mean over images of ‖∂h/∂x‖_F, how much the code moves when the input is nudged. */
  sensitivity: number;
  /** Distance from copying along `directions` (0: a copier; see identityGap). */
  'identity gap': number;
};

/** Measures `model` on the clean and noisy images: errors, silent units, sensitivity, identity gap. */
export function measureConstraint(model: Autoencoder, inputs: ConstraintInputs): ConstraintMeasures {
  const { clean, noisy, directions, seed } = inputs;
  if (!clean || !noisy || !directions) {
    throw new Error('measureConstraint: give clean, noisy and directions (tensors).');
  }
  if (noisy.shape[0] !== clean.shape[0]) {
    throw new Error(`measureConstraint: noisy has ${noisy.shape[0]} images but clean has ${clean.shape[0]}.`);
  }
  if (!Number.isFinite(seed)) throw new Error(`measureConstraint: seed must be a finite number, got ${seed}.`);
  const codes = encodeAll(model, clean);
  const activity = codeActivity(codes);
  codes.dispose();
  const gapInputs = clean.slice(0, Math.min(IDENTITY_GAP_INPUTS, clean.shape[0])) as tf.Tensor2D;
  const gap = identityGap(model, gapInputs, directions, { seed });
  gapInputs.dispose();
  return {
    'clean error': reconstructionError(model, clean),
    'noisy error': reconstructionError(model, noisy, { target: clean }),
    'share of units off per image': activity.dormantFraction,
    'share of units dead': activity.deadFraction,
    sensitivity: codeSensitivity(model, clean),
    'identity gap': gap,
  };
}

/** A row of lesson 02's table: a model's name and its measures. */
export type ConstraintRow = { method: string } & ConstraintMeasures;

/** The unit of each measure, as the figures name it. */
const UNITS: Record<keyof ConstraintMeasures, string> = {
  'clean error': 'MSE per pixel',
  'noisy error': 'MSE per pixel, against the clean images',
  'share of units off per image': 'share of the code units',
  'share of units dead': 'share of the code units',
  sensitivity: '‖∂h/∂x‖_F',
  'identity gap': '0 for a copier',
};

/** Every measure of every row as a figure of the run: "<method>: <measure> (<unit>)". */
export function constraintFigures(rows: readonly ConstraintRow[]): FigureRow[] {
  return rows.flatMap((row) => (Object.keys(UNITS) as (keyof ConstraintMeasures)[]).map((measure) => (
    { figure: `${row.method}: ${measure} (${UNITS[measure]})`, value: row[measure] })));
}

/**
 * Holds when the row named `method` has the lowest `column` of all rows; the figures are every
 * row's value, named "<method>, <column>, <unit>": lowestOf(rows, 'noisy error', '3. denoising',
 * 'MSE per pixel').
 */
export function lowestOf(rows: ConstraintRow[], column: keyof ConstraintMeasures, method: string, unit = ''): Judgement {
  const chosen = rows.find((row) => row.method === method);
  if (!chosen) {
    throw new Error(`lowestOf: no row has method '${method}'; the rows are ${rows.map((r) => `'${r.method}'`).join(', ')}.`);
  }
  const figures: Record<string, number> = {};
  for (const row of rows) figures[`${row.method}, ${column}${unit ? `, ${unit}` : ''}`] = row[column];
  return { holds: rows.every((row) => row === chosen || chosen[column] < row[column]), figures };
}

