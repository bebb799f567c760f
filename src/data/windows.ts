/**
 * Windows cut from a series (lesson 09): the samples a sequence auto-encoder trains on. A window
 * is `length` consecutive points; the next one starts `stride` points later.
 */
import * as tf from '@tensorflow/tfjs';

/** Means of consecutive groups of `factor` points (a trailing partial group is dropped). */
export function downsample(values: ArrayLike<number>, factor: number): Float64Array {
  if (!(Number.isInteger(factor) && factor >= 1)) throw new Error(`downsample: factor must be a whole number ≥ 1, got ${factor}.`);
  const out = new Float64Array(Math.floor(values.length / factor));
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let j = 0; j < factor; j++) sum += values[i * factor + j];
    out[i] = sum / factor;
  }
  return out;
}

/** Labels for downsample(): a group is anomalous when any of its points is. */
export function downsampleLabels(isAnomaly: ArrayLike<number>, factor: number): Uint8Array {
  return Uint8Array.from(downsample(isAnomaly, factor), (v) => (v > 0 ? 1 : 0));
}

/** The series standardised with the mean and standard deviation of `reference` (e.g. normal training points). */
export function standardiseWith(values: ArrayLike<number>, reference: ArrayLike<number>): { values: Float64Array; mean: number; sd: number } {
  const n = reference.length;
  if (n < 2) throw new Error(`standardiseWith: reference needs at least 2 points, got ${n}.`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += reference[i] / n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (reference[i] - mean) ** 2 / (n - 1);
  const sd = Math.sqrt(variance);
  if (!(sd > 0)) throw new Error('standardiseWith: the reference points are all equal (standard deviation 0).');
  return { values: Float64Array.from(values, (v) => (v - mean) / sd), mean, sd };
}

export interface WindowOptions {
  /** Points per window. */
  length: number;
  /** Points from one window's start to the next. */
  stride: number;
  /** First point windows may use. Default 0. */
  from?: number;
  /** One past the last point windows may use. Default: the series' end. */
  to?: number;
}

/**
 * Every window of `length` points inside [from, to), starting at from, from + stride, ...:
 * `x` is (windows, length, 1) and `starts[i]` is where window i starts. The caller disposes x.
 */
export function cutWindows(values: ArrayLike<number>, options: WindowOptions): { x: tf.Tensor3D; starts: number[] } {
  const { length, stride } = options;
  const from = options.from ?? 0;
  const to = options.to ?? values.length;
  for (const [field, v] of [['length', length], ['stride', stride]] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new Error(`cutWindows: ${field} must be a whole number ≥ 1, got ${v}.`);
  }
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to <= values.length && from < to)) {
    throw new Error(`cutWindows: from and to must be whole numbers with 0 ≤ from < to ≤ ${values.length}, got ${from} and ${to}.`);
  }
  if (to - from < length) throw new Error(`cutWindows: [${from}, ${to}) holds ${to - from} points, fewer than one window of ${length}.`);
  const starts: number[] = [];
  for (let s = from; s + length <= to; s += stride) starts.push(s);
  const flat = new Float32Array(starts.length * length);
  starts.forEach((s, i) => { for (let j = 0; j < length; j++) flat[i * length + j] = values[s + j]; });
  return { x: tf.tensor3d(flat, [starts.length, length, 1]), starts };
}

/** 1 for each window that holds at least one anomalous point, else 0. */
export function windowLabels(isAnomaly: ArrayLike<number>, starts: readonly number[], length: number): Uint8Array {
  return Uint8Array.from(starts, (s) => {
    for (let j = s; j < s + length; j++) if (isAnomaly[j]) return 1;
    return 0;
  });
}
