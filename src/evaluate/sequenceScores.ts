/**
 * Anomaly scores along a series (lesson 09): a model's error at each time step, spread back onto
 * the series, and the rolling z-score a practitioner would try before any network.
 */
import * as tf from '@tensorflow/tfjs';
import { Reconstructor } from './reconstruction';

/**
 * The squared error at each point of the series, averaged over the windows that cover it, from
 * `model` rebuilding `windows` (N, length, 1) that start at `starts`. NaN where no window covers a
 * point. A model that takes flat windows (N, length) is given them flat.
 */
export function errorPerStep(
  model: Reconstructor & { inputShape?: readonly number[] },
  windows: tf.Tensor3D,
  starts: readonly number[],
  seriesLength: number,
): Float64Array {
  const [n, length] = windows.shape;
  if (starts.length !== n) throw new Error(`errorPerStep: ${starts.length} starts for ${n} windows.`);
  const flatInput = model.inputShape?.length === 1;
  const squared = tf.tidy(() => {
    const input = flatInput ? windows.reshape([n, length * windows.shape[2]]) : windows;
    return model.reconstruct(input).reshape([n, length, -1]).sub(windows).square().mean(2).dataSync() as Float32Array;
  });
  const sum = new Float64Array(seriesLength);
  const count = new Float64Array(seriesLength);
  starts.forEach((s, i) => {
    for (let j = 0; j < length; j++) {
      sum[s + j] += squared[i * length + j];
      count[s + j] += 1;
    }
  });
  return sum.map((v, t) => (count[t] > 0 ? v / count[t] : NaN));
}

/**
 * How far each point lies from the mean of the `width` points before it, in their standard
 * deviations: |x_t − mean| / sd. NaN for the first `width` points.
 */
export function rollingZScores(values: ArrayLike<number>, width: number): Float64Array {
  if (!(Number.isInteger(width) && width >= 2)) throw new Error(`rollingZScores: width must be a whole number ≥ 2, got ${width}.`);
  const out = new Float64Array(values.length).fill(NaN);
  for (let t = width; t < values.length; t++) {
    let mean = 0;
    for (let j = t - width; j < t; j++) mean += values[j] / width;
    let variance = 0;
    for (let j = t - width; j < t; j++) variance += (values[j] - mean) ** 2 / (width - 1);
    out[t] = Math.abs(values[t] - mean) / Math.max(Math.sqrt(variance), 1e-12);
  }
  return out;
}

/** A window's score: the largest point score inside it (NaN points ignored; −Infinity when all are NaN). */
export function windowMax(pointScores: ArrayLike<number>, starts: readonly number[], length: number): Float64Array {
  return Float64Array.from(starts, (s) => {
    let best = -Infinity;
    for (let j = s; j < s + length; j++) if (pointScores[j] > best) best = pointScores[j];
    return best;
  });
}
