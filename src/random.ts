/**
 * Seeded pseudo-random numbers for everything that is random outside TensorFlow.js ops:
 * shuffling, choosing samples, deriving per-layer and per-batch seeds.
 *
 * mulberry32 is a small, fast 32-bit generator (Tommy Ettinger, public domain). It is not
 * cryptographic; it only has to make a seeded run reproducible.
 */
import * as tf from '@tensorflow/tfjs';

/** A function returning uniform numbers in [0, 1). */
export type Random = () => number;

/** Returns a generator whose sequence is fixed by `seed` (any finite number). */
export function seededRandom(seed: number): Random {
  if (!Number.isFinite(seed)) {
    throw new Error(`seededRandom: seed must be a finite number, got ${seed}.`);
  }
  let state = Math.floor(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixes a seed with further integers (layer index, epoch, batch, ...) into a new seed, so that
 * every random draw in a run gets its own reproducible stream.
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  for (const part of parts) {
    h = Math.imul(h ^ (Math.floor(part) >>> 0), 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h;
}

/** A permutation of 0..n-1 (Fisher–Yates), reproducible for a given seed. */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  const random = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = indices[i];
    indices[i] = indices[j];
    indices[j] = tmp;
  }
  return indices;
}

/**
 * tf.randomNormal whose seed always counts. tfjs 4.22 reads a seed of 0 as "no seed" (its normal
 * generator tests `seed ? seed : Math.random()`), so a draw seeded with 0 changed on every call.
 * Here 0 becomes 2³², which no whole-number seed below 2³² (every seed deriveSeed makes) can equal.
 */
export function seededNormal(shape: number[], mean: number, stdDev: number, seed: number): tf.Tensor {
  if (!Number.isFinite(seed)) throw new Error(`seededNormal: seed must be a finite number, got ${seed}.`);
  return tf.randomNormal(shape, mean, stdDev, 'float32', seed === 0 ? 2 ** 32 : seed);
}
