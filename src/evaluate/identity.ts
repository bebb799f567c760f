/**
 * How close a model's end-to-end map is to the identity: the "identity trap" of lesson 01,
 * measured directly rather than guessed from errors.
 *
 * Around an input x, nudge it by a small step ε·d along a unit direction d and see what comes out:
 * a model that copies passes the nudge through unchanged (J·d = d, J the Jacobian of x ↦ x̂); a
 * model that describes its input only through a few code numbers lets through only the part its
 * code can follow. The identity gap is
 *
 *   gap = mean over inputs x and random unit directions d of ‖J(x)·d − d‖,
 *
 * with J·d from central differences, (f(x + εd) − f(x − εd)) / 2ε. It is 0 for a perfect copier,
 * about 1 for a map that lets nothing through, and about √2 for a random linear map. The
 * directions are drawn from a subspace: the principal directions the training images vary in
 * (is it the identity on the data?), or the ones they do not vary in.
 */
import * as tf from '@tensorflow/tfjs';
import { above, allOf, below, Judgement } from '../comparisons';
import { seededNormal } from '../random';
import { fitPca } from './pca';
import { reconstructionError, Reconstructor } from './reconstruction';
import { valuesOf } from './values';

export interface IdentityGapOptions {
  /** Seed of the random directions. Default 0. */
  seed: number;
  /** Step of the central differences, in pixel units. Default 0.01. */
  epsilon: number;
  /** Inputs per batch. Default 200. */
  batchSize: number;
}

export const DEFAULT_IDENTITY_GAP_OPTIONS: IdentityGapOptions = { seed: 0, epsilon: 0.01, batchSize: 200 };

/**
 * The identity gap of `model` at the inputs `x` (N, features), for random unit directions in the
 * span of `basis`'s columns (features, k), e.g. PCA components. Lower is closer to copying.
 */
export function identityGap(model: Reconstructor, x: tf.Tensor2D, basis: tf.Tensor2D, options: Partial<IdentityGapOptions> = {}): number {
  const settings = { ...DEFAULT_IDENTITY_GAP_OPTIONS, ...options };
  if (x.rank !== 2 || basis.rank !== 2 || basis.shape[0] !== x.shape[1]) {
    throw new Error(`identityGap: x must be (samples, features) and basis (features, k); got (${x.shape.join(', ')}) and (${basis.shape.join(', ')}).`);
  }
  if (x.shape[0] === 0) throw new Error('identityGap: there are no inputs.');
  if (!(settings.epsilon > 0)) throw new Error(`identityGap: epsilon must be > 0, got ${settings.epsilon}.`);
  let sum = 0;
  for (let start = 0, b = 0; start < x.shape[0]; start += settings.batchSize, b++) {
    const count = Math.min(settings.batchSize, x.shape[0] - start);
    const gaps = valuesOf(() => {
      const inputs = x.slice(start, count);
      const directions = tf.matMul(seededNormal([count, basis.shape[1]], 0, 1, settings.seed * 7919 + b + 1), basis, false, true);
      const unit = directions.div(directions.norm('euclidean', 1, true));
      const step = unit.mul(settings.epsilon);
      const through = model.reconstruct(inputs.add(step)).sub(model.reconstruct(inputs.sub(step))).div(2 * settings.epsilon);
      return through.reshape(unit.shape).sub(unit).norm('euclidean', 1);
    });
    for (const gap of gaps) sum += gap;
  }
  return sum / x.shape[0];
}

/** Directions to nudge inputs along: where the training data varies, and where it hardly does. */
export interface DataDirections {
  /** (features, on): the principal directions the data varies most along, as columns. */
  onData: tf.Tensor2D;
  /** (features, off): the principal directions the data varies least along, as columns. */
  offData: tf.Tensor2D;
  /** Share of the data's total variance along the `off` directions (0 to 1). */
  offShare: number;
}

/**
 * PCA of `x` (N, features): its `on` leading principal directions and its `off` trailing ones,
 * with the share of the variance the trailing ones hold. The caller disposes the two tensors.
 */
export function dataDirections(x: tf.Tensor, counts: { on: number; off: number }): DataDirections {
  if (x.rank !== 2) throw new Error(`dataDirections: x must be (samples, features), got (${x.shape.join(', ')}).`);
  const features = x.shape[1]!;
  for (const field of ['on', 'off'] as const) {
    const count = counts?.[field];
    if (!(Number.isInteger(count) && count >= 1)) throw new Error(`dataDirections: ${field} must be a whole number ≥ 1, got ${count}.`);
  }
  if (counts.on + counts.off > features) {
    throw new Error(`dataDirections: on + off (${counts.on} + ${counts.off}) cannot exceed the ${features} features.`);
  }
  const pca = fitPca(x, features);
  try {
    const total = pca.variances.reduce((a, b) => a + b, 0);
    return {
      onData: pca.components.slice([0, 0], [features, counts.on]) as tf.Tensor2D,
      offData: pca.components.slice([0, features - counts.off], [features, counts.off]) as tf.Tensor2D,
      offShare: pca.variances.slice(-counts.off).reduce((a, b) => a + b, 0) / total,
    };
  } finally {
    pca.dispose();
  }
}

/** The identity gaps of a model on and off the data. */
export interface IdentityGaps {
  'on the data': number;
  'off the data': number;
}

/** What copyingMeasures() measures a model with, besides the directions. */
export interface CopyingProbe {
  /** Inputs at which the gaps are measured, (N, features). */
  probe: tf.Tensor2D;
  /** Named sets whose reconstruction error (MSE per pixel) is measured, e.g. { clothes, digits }. */
  inputs: Record<string, tf.Tensor>;
  /** Seed of the gaps' random directions. */
  seed: number;
}

/** How close to a copier a model is: its identity gaps, and its error on each set of inputs. */
export interface CopyingMeasures {
  gaps: IdentityGaps;
  /** MSE per pixel on each named set of CopyingProbe.inputs. */
  errors: Record<string, number>;
}

/**
 * The identity gaps of `model` on and off the data (along `directions`, at the probe's inputs),
 * and its errors on each set of inputs.
 */
export function copyingMeasures(model: Reconstructor, directions: DataDirections, probe: CopyingProbe): CopyingMeasures {
  if (!directions?.onData || !directions.offData) throw new Error('copyingMeasures: directions must come from dataDirections().');
  if (!probe?.probe || !probe.inputs) throw new Error('copyingMeasures: give { probe, inputs, seed }.');
  const options = { seed: probe.seed };
  const gaps = {
    'on the data': identityGap(model, probe.probe, directions.onData, options),
    'off the data': identityGap(model, probe.probe, directions.offData, options),
  };
  const errors = Object.fromEntries(
    Object.entries(probe.inputs).map(([name, x]) => [name, reconstructionError(model, x)]),
  );
  return { gaps, errors };
}

/**
 * Lesson 01's judgement of the copier: training moves it towards the identity on the data (its gap
 * on the data falls from the first epoch to the last), it ends closer there than off the data
 * (below half its gap off the data), and closer than the bottleneck model (`bottleneck`, its gaps).
 */
export function copierNearsIdentity(track: { epoch: number; gaps: IdentityGaps }[], bottleneck: IdentityGaps): Judgement {
  if (!Array.isArray(track) || track.length < 2) {
    throw new Error(`copierNearsIdentity: track needs the gaps of at least two epochs, got ${track?.length ?? 0}.`);
  }
  const [first, last] = [track[0], track[track.length - 1]];
  return allOf(
    below({ [`copier's gap on the data, epoch ${last.epoch}`]: last.gaps['on the data'] },
      { [`copier's gap on the data, epoch ${first.epoch}`]: first.gaps['on the data'] }),
    below({ [`copier's gap on the data, epoch ${last.epoch}`]: last.gaps['on the data'] },
      { [`copier's gap off the data, epoch ${last.epoch}`]: last.gaps['off the data'] }, 0.5),
    below({ [`copier's gap on the data, epoch ${last.epoch}`]: last.gaps['on the data'] },
      { "bottleneck model's gap on the data": bottleneck['on the data'] }),
  );
}

/** The error on a named set of inputs, with an error that names the set when it was not measured. */
function errorOn(measures: CopyingMeasures, set: string, who: string, what: string): number {
  const value = measures?.errors?.[set];
  if (typeof value !== 'number') throw new Error(`${what}: ${who} has no error on '${set}'; measure it with inputs { ${set}, ... }.`);
  return value;
}

/**
 * Lesson 01's judgement of what a bottleneck does with inputs unlike its training data: its error
 * on digits is over twice its error on clothes, and above the copier's error on digits. Both
 * measures need errors on the sets 'clothes' and 'digits'.
 */
export function describesDigitsAsClothes(bottleneck: CopyingMeasures, copier: CopyingMeasures): Judgement {
  const what = 'describesDigitsAsClothes';
  const digits = { 'bottleneck model, digits (MSE per pixel)': errorOn(bottleneck, 'digits', 'the bottleneck model', what) };
  return allOf(
    above(digits, { 'bottleneck model, clothes': errorOn(bottleneck, 'clothes', 'the bottleneck model', what) }, 2),
    above(digits, { 'copier, digits': errorOn(copier, 'digits', 'the copier', what) }),
  );
}

/** MSE per pixel of always answering grey (0.5) to uniform noise in [0, 1]: the variance of U(0, 1). */
export const HALF_GREY_ERROR = 1 / 12;

/**
 * Lesson 01's judgement of a fully trained copier: it rebuilds digits about as well as clothes
 * (within 1.5×), and passes most of uniform noise through (its error on noise below that of
 * answering grey, HALF_GREY_ERROR), while the bottleneck model does not. Needs errors on the sets
 * 'clothes', 'digits' and 'noise'.
 */
export function copierCopiesAnything(copier: CopyingMeasures, bottleneck: CopyingMeasures): Judgement {
  const what = 'copierCopiesAnything';
  const grey = { 'always grey (0.5), noise': HALF_GREY_ERROR };
  return allOf(
    below({ 'copier, digits (MSE per pixel)': errorOn(copier, 'digits', 'the copier', what) },
      { 'copier, clothes': errorOn(copier, 'clothes', 'the copier', what) }, 1.5),
    below({ 'copier, noise': errorOn(copier, 'noise', 'the copier', what) }, grey),
    above({ 'bottleneck model, noise': errorOn(bottleneck, 'noise', 'the bottleneck model', what) }, grey),
  );
}
