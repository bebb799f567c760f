/**
 * Ways to corrupt an input for a denoising auto-encoder (Vincent et al. 2008): the network sees the
 * corrupted x̃ and must give back the clean x. Pure functions of (x, seed): train() draws a fresh
 * seed every batch, so the noise differs each time but a seeded run is reproducible.
 *
 *   gaussian        x̃ = clip(x + σ·ε, 0, 1),  ε ~ N(0, 1)
 *   masking         each value set to 0 with probability p (the "masking noise" of Vincent et al.)
 *   saltAndPepper   each value, with probability p, replaced by 0 or 1 (half each)
 */
import * as tf from '@tensorflow/tfjs';
import { seededNormal } from '../random';

export type Corruption =
  | { type: 'gaussian'; sigma: number; clip?: boolean }
  | { type: 'masking'; fraction: number }
  | { type: 'saltAndPepper'; fraction: number };

export function checkCorruption(c: Corruption): void {
  const fraction = (value: number) => {
    if (!(value >= 0 && value <= 1)) throw new Error(`corruption ${c.type}: fraction must be between 0 and 1, got ${value}.`);
  };
  switch (c?.type) {
    case 'gaussian':
      if (!(Number.isFinite(c.sigma) && c.sigma >= 0)) throw new Error(`corruption gaussian: sigma must be a number ≥ 0, got ${c.sigma}.`);
      return;
    case 'masking':
    case 'saltAndPepper':
      fraction(c.fraction);
      return;
    default:
      throw new Error(`Unknown corruption ${JSON.stringify(c)}: use { type: 'gaussian', sigma }, { type: 'masking', fraction } or { type: 'saltAndPepper', fraction }.`);
  }
}

/** Returns a corrupted copy of x (same shape); x is not changed. The same seed gives the same noise. */
export function corrupt(x: tf.Tensor, corruption: Corruption, seed: number): tf.Tensor {
  checkCorruption(corruption);
  // tf.randomUniform draws unseeded noise for an undefined seed: never do that silently.
  if (!Number.isFinite(seed)) throw new Error(`corrupt: seed must be a finite number, got ${seed}.`);
  return tf.tidy(() => {
    switch (corruption.type) {
      case 'gaussian': {
        const noisy = x.add(seededNormal(x.shape, 0, corruption.sigma, seed));
        return corruption.clip === false ? noisy : noisy.clipByValue(0, 1);
      }
      case 'masking': {
        const keep = tf.randomUniform(x.shape, 0, 1, 'float32', seed).greaterEqual(corruption.fraction);
        return x.mul(keep.toFloat());
      }
      case 'saltAndPepper': {
        const hit = tf.randomUniform(x.shape, 0, 1, 'float32', seed).less(corruption.fraction);
        const salt = tf.randomUniform(x.shape, 0, 1, 'float32', seed + 1).less(0.5).toFloat();
        return tf.where(hit, salt, x);
      }
    }
  });
}

/** A short label for tables and charts, e.g. "gaussian σ=0.4". */
export function describeCorruption(c: Corruption): string {
  switch (c.type) {
    case 'gaussian':
      return `gaussian σ=${c.sigma}`;
    case 'masking':
      return `masking p=${c.fraction}`;
    case 'saltAndPepper':
      return `salt & pepper p=${c.fraction}`;
  }
}
