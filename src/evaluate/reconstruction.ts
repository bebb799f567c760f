/**
 * How well a model gives back its input, measured on held-out data: per-pixel MSE and binary
 * cross-entropy, PSNR, and the error of each sample (the anomaly score of lesson 07).
 *
 * Every figure here is exact up to float32 rounding of the values themselves: the values are read
 * back batch by batch and their squares, logs and sums are taken in float64 (JavaScript numbers).
 * A float32 sum on the backend is not: on the 10,000 Fashion-MNIST test images (7.8 million
 * pixels) the wasm backend's float32 mean reported PCA's error 1.2–1.5% low. Work goes in batches,
 * so a whole test set never needs a second copy in memory.
 *
 *   const error = reconstructionError(ae, data.test.x);          // MSE per pixel; nothing to dispose
 *   const db = reconstructionPsnr(denoiser, noisy, { target: data.test.x });
 */
import * as tf from '@tensorflow/tfjs';
import { PROBABILITY_EPSILON } from '../models/losses';
import { valuesOf, valuesOfAll } from './values';

export const DEFAULT_EVAL_BATCH = 500;

/** A perfect reconstruction has infinite PSNR; an image reconstructed exactly counts as this. */
export const PSNR_OF_EXACT_COPY = 100;

/** Anything with a batch-wise function, e.g. `(x) => ae.reconstruct(x)` or `(x) => ae.encode(x)`. */
export type BatchFunction = (x: tf.Tensor) => tf.Tensor;

/** Applies `fn` to `x` in batches and concatenates the results (the caller disposes them). */
export function mapBatches(fn: BatchFunction, x: tf.Tensor, batchSize = DEFAULT_EVAL_BATCH): tf.Tensor {
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < x.shape[0]; start += batchSize) {
    const size = Math.min(batchSize, x.shape[0] - start);
    parts.push(tf.tidy(() => fn(x.slice(start, size))));
  }
  const all = tf.concat(parts);
  tf.dispose(parts);
  return all;
}

/** The codes of a whole dataset: (N, code). The caller disposes them. */
export function encodeAll(model: { encode(x: tf.Tensor): tf.Tensor }, x: tf.Tensor, batchSize = DEFAULT_EVAL_BATCH): tf.Tensor2D {
  return mapBatches((batch) => model.encode(batch), x, batchSize) as tf.Tensor2D;
}

/** The reconstructions of a whole dataset. The caller disposes them. */
export function reconstructAll(model: { reconstruct(x: tf.Tensor): tf.Tensor }, x: tf.Tensor, batchSize = DEFAULT_EVAL_BATCH): tf.Tensor {
  return mapBatches((batch) => model.reconstruct(batch), x, batchSize);
}

function checkSameShape(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (a.shape.join() !== b.shape.join()) {
    throw new Error(`${what}: shapes differ, (${a.shape.join(', ')}) against (${b.shape.join(', ')}).`);
  }
  if (a.shape[0] === 0) throw new Error(`${what}: there are no samples to measure.`);
}

/** Calls `visit` with the values of `a` and `b` (and the first sample's index), `batchSize` samples at a time. */
function pairedBatches(
  a: tf.Tensor,
  b: tf.Tensor,
  batchSize: number,
  visit: (aValues: Float32Array, bValues: Float32Array, first: number, count: number) => void,
): void {
  for (let start = 0; start < a.shape[0]; start += batchSize) {
    const count = Math.min(batchSize, a.shape[0] - start);
    const [aValues, bValues] = valuesOfAll(() => [a.slice(start, count), b.slice(start, count)]) as Float32Array[];
    visit(aValues, bValues, start, count);
  }
}

/** Writes the squared error per pixel of `count` samples into `errors` from `first` on, in float64. */
function addSquaredErrors(aValues: Float32Array, bValues: Float32Array, pixels: number, errors: Float64Array, first: number, count: number): void {
  for (let s = 0; s < count; s++) {
    let sum = 0;
    for (let p = s * pixels, end = p + pixels; p < end; p++) {
      const d = aValues[p] - bValues[p];
      sum += d * d;
    }
    errors[first + s] = sum / pixels;
  }
}

/** Squared error of each sample per pixel, in float64, visiting pairs of batches. */
function squaredErrors(a: tf.Tensor, b: tf.Tensor, batchSize: number): Float64Array {
  const errors = new Float64Array(a.shape[0]);
  const pixels = a.size / a.shape[0];
  pairedBatches(a, b, batchSize, (aValues, bValues, first, count) => addSquaredErrors(aValues, bValues, pixels, errors, first, count));
  return errors;
}

/** The mean of some numbers, summed in float64. */
export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) throw new Error('mean: there are no values.');
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** The mean of every value of a tensor, summed in float64 (a batch at a time). */
export function tensorMean(x: tf.Tensor, batchSize = DEFAULT_EVAL_BATCH): number {
  if (x.size === 0) throw new Error('tensorMean: the tensor is empty.');
  if (x.rank === 0) return x.dataSync()[0];
  let sum = 0;
  for (let start = 0; start < x.shape[0]; start += batchSize) {
    const count = Math.min(batchSize, x.shape[0] - start);
    const values = valuesOf(() => x.slice(start, count));
    for (let i = 0; i < values.length; i++) sum += values[i];
  }
  return sum / x.size;
}

/** Mean squared error of each sample, per pixel: (N). */
export function msePerSample(original: tf.Tensor, reconstruction: tf.Tensor): Float64Array {
  checkSameShape(original, reconstruction, 'msePerSample');
  return squaredErrors(original, reconstruction, DEFAULT_EVAL_BATCH);
}

/** Mean squared error per pixel over the whole set. */
export function msePerPixel(original: tf.Tensor, reconstruction: tf.Tensor): number {
  checkSameShape(original, reconstruction, 'msePerPixel');
  return mean(squaredErrors(original, reconstruction, DEFAULT_EVAL_BATCH));
}

/** Binary cross-entropy per pixel over the whole set (targets and predictions in [0, 1]). */
export function bcePerPixel(original: tf.Tensor, reconstruction: tf.Tensor): number {
  checkSameShape(original, reconstruction, 'bcePerPixel');
  let sum = 0;
  pairedBatches(original, reconstruction, DEFAULT_EVAL_BATCH, (t, p) => {
    for (let i = 0; i < t.length; i++) {
      // The same clipping as the loss (models/losses.ts), so the two agree.
      const q = Math.min(1 - PROBABILITY_EPSILON, Math.max(PROBABILITY_EPSILON, Math.fround(p[i])));
      sum -= t[i] * Math.log(q) + (1 - t[i]) * Math.log(1 - q);
    }
  });
  return sum / original.size;
}

/** Peak signal-to-noise ratio in dB of an MSE, for values in [0, peak]. */
export function psnrFromMse(mse: number, peak = 1): number {
  return 10 * Math.log10((peak * peak) / mse);
}

/** The mean over images of each image's PSNR (an exact copy counts as PSNR_OF_EXACT_COPY dB). */
function meanPsnr(errors: ArrayLike<number>, peak: number): number {
  let sum = 0;
  for (let i = 0; i < errors.length; i++) sum += errors[i] > 0 ? psnrFromMse(errors[i], peak) : PSNR_OF_EXACT_COPY;
  return sum / errors.length;
}

/**
 * PSNR in dB, averaged over images (each image's own PSNR, then the mean), the usual way image
 * papers report it. A perfect copy would be infinite; identical images are given 100 dB.
 */
export function psnr(original: tf.Tensor, reconstruction: tf.Tensor, peak = 1): number {
  return meanPsnr(msePerSample(original, reconstruction), peak);
}

/** A model that rebuilds its input: an auto-encoder, a VAE, or `{ reconstruct: (x) => ... }`. */
export interface Reconstructor {
  reconstruct(x: tf.Tensor): tf.Tensor;
}

export interface ReconstructionErrorOptions {
  /** What the output should be (e.g. the clean images when the input is noisy). Default: the input. */
  target?: tf.Tensor;
  /** Samples per batch. Default DEFAULT_EVAL_BATCH. */
  batchSize?: number;
}

function modelErrors(model: Reconstructor, input: tf.Tensor, options: ReconstructionErrorOptions, what: string): Float64Array {
  const target = options.target ?? input;
  const n = input.shape[0];
  if (target.shape[0] !== n) throw new Error(`${what}: target has ${target.shape[0]} samples but the input has ${n}.`);
  if (n === 0) throw new Error(`${what}: there are no samples to measure.`);
  const pixels = target.size / n;
  const batchSize = options.batchSize ?? DEFAULT_EVAL_BATCH;
  const errors = new Float64Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    // The model sees the input's rows; its output is compared with the target's. Both are freed here.
    const [wanted, rebuilt] = valuesOfAll(() => {
      const output = model.reconstruct(input.slice(start, count));
      if (output.size !== count * pixels) {
        throw new Error(`${what}: the model's output (${output.shape.join(', ')}) does not match the target's samples (${target.shape.slice(1).join(', ')}).`);
      }
      return [target.slice(start, count), output];
    }) as Float32Array[];
    addSquaredErrors(wanted, rebuilt, pixels, errors, start, count);
  }
  return errors;
}

/**
 * The error of each sample when `model` rebuilds `input` (per pixel, against `target` or the input
 * itself): the anomaly score of lesson 07. Reconstructions are made and freed batch by batch.
 */
export function errorPerSample(model: Reconstructor, input: tf.Tensor, options: ReconstructionErrorOptions = {}): Float64Array {
  return modelErrors(model, input, options, 'errorPerSample');
}

/** Mean squared error per pixel of `model` on `input` (against `target`, default the input). */
export function reconstructionError(model: Reconstructor, input: tf.Tensor, options: ReconstructionErrorOptions = {}): number {
  return mean(errorPerSample(model, input, options));
}

/** Mean PSNR in dB of `model` on `input` (against `target`, default the input). */
export function reconstructionPsnr(model: Reconstructor, input: tf.Tensor, options: ReconstructionErrorOptions & { peak?: number } = {}): number {
  return meanPsnr(errorPerSample(model, input, options), options.peak ?? 1);
}
