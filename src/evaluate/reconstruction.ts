/**
 * How well a model gives back its input, measured on held-out data: per-pixel MSE and binary
 * cross-entropy, PSNR, and the error of each sample (the anomaly score of lesson 07).
 * Every function works in batches so that a whole test set fits in memory on any backend.
 */
import * as tf from '@tensorflow/tfjs';
import { bcePerSample, squaredErrorPerSample } from '../models/losses';

export const DEFAULT_EVAL_BATCH = 500;

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

/** The codes of a whole dataset: (N, code). */
export function encodeAll(model: { encode(x: tf.Tensor): tf.Tensor }, x: tf.Tensor, batchSize = DEFAULT_EVAL_BATCH): tf.Tensor2D {
  return mapBatches((batch) => model.encode(batch), x, batchSize) as tf.Tensor2D;
}

/** The reconstructions of a whole dataset. */
export function reconstructAll(model: { reconstruct(x: tf.Tensor): tf.Tensor }, x: tf.Tensor, batchSize = DEFAULT_EVAL_BATCH): tf.Tensor {
  return mapBatches((batch) => model.reconstruct(batch), x, batchSize);
}

function checkSameShape(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (a.shape.join() !== b.shape.join()) {
    throw new Error(`${what}: shapes differ, (${a.shape.join(', ')}) against (${b.shape.join(', ')}).`);
  }
}

/** Mean squared error of each sample, per pixel: (N). */
export function perSampleError(original: tf.Tensor, reconstruction: tf.Tensor): Float32Array {
  checkSameShape(original, reconstruction, 'perSampleError');
  const pixels = original.size / original.shape[0];
  return tf.tidy(() => squaredErrorPerSample(original, reconstruction).div(pixels).dataSync() as Float32Array);
}

/** Mean squared error per pixel over the whole set. */
export function msePerPixel(original: tf.Tensor, reconstruction: tf.Tensor): number {
  checkSameShape(original, reconstruction, 'msePerPixel');
  return tf.tidy(() => original.sub(reconstruction).square().mean().dataSync()[0]);
}

/** Binary cross-entropy per pixel over the whole set (targets and predictions in [0, 1]). */
export function bcePerPixel(original: tf.Tensor, reconstruction: tf.Tensor): number {
  checkSameShape(original, reconstruction, 'bcePerPixel');
  const pixels = original.size;
  return tf.tidy(() => bcePerSample(original, reconstruction).sum().dataSync()[0] / pixels);
}

/** Peak signal-to-noise ratio in dB of an MSE, for values in [0, peak]. */
export function psnrFromMse(mse: number, peak = 1): number {
  return 10 * Math.log10((peak * peak) / mse);
}

/**
 * PSNR in dB, averaged over images (each image's own PSNR, then the mean), the usual way image
 * papers report it. A perfect copy would be infinite; identical images are given 100 dB.
 */
export function psnr(original: tf.Tensor, reconstruction: tf.Tensor, peak = 1): number {
  const errors = perSampleError(original, reconstruction);
  let sum = 0;
  for (const mse of errors) sum += mse > 0 ? psnrFromMse(mse, peak) : 100;
  return sum / errors.length;
}
