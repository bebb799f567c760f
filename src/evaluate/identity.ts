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
import { seededNormal } from '../random';
import { Reconstructor } from './reconstruction';
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
  const o = { ...DEFAULT_IDENTITY_GAP_OPTIONS, ...options };
  if (x.rank !== 2 || basis.rank !== 2 || basis.shape[0] !== x.shape[1]) {
    throw new Error(`identityGap: x must be (samples, features) and basis (features, k); got (${x.shape.join(', ')}) and (${basis.shape.join(', ')}).`);
  }
  if (x.shape[0] === 0) throw new Error('identityGap: there are no inputs.');
  if (!(o.epsilon > 0)) throw new Error(`identityGap: epsilon must be > 0, got ${o.epsilon}.`);
  let sum = 0;
  for (let start = 0, b = 0; start < x.shape[0]; start += o.batchSize, b++) {
    const count = Math.min(o.batchSize, x.shape[0] - start);
    const gaps = valuesOf(() => {
      const inputs = x.slice(start, count);
      const directions = tf.matMul(seededNormal([count, basis.shape[1]], 0, 1, o.seed * 7919 + b + 1), basis, false, true);
      const unit = directions.div(directions.norm('euclidean', 1, true));
      const step = unit.mul(o.epsilon);
      const through = model.reconstruct(inputs.add(step)).sub(model.reconstruct(inputs.sub(step))).div(2 * o.epsilon);
      return through.reshape(unit.shape).sub(unit).norm('euclidean', 1);
    });
    for (const gap of gaps) sum += gap;
  }
  return sum / x.shape[0];
}
