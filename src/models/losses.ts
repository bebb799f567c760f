/**
 * Reconstruction losses, as pure functions of (target, reconstruction).
 * Per-pixel versions for the plain auto-encoders (the numbers Keras and the TensorFlow tutorials
 * report); per-image sums for the VAE's ELBO (nats per image).
 */
import * as tf from '@tensorflow/tfjs';

/** Keeps log() finite for predictions that reach 0 or 1. */
export const PROBABILITY_EPSILON = 1e-7;

export type ReconstructionLoss = 'bce' | 'mse';

/** (B, ...) → (B): binary cross-entropy summed over every pixel of each sample. */
export function bcePerSample(target: tf.Tensor, prediction: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const p = prediction.clipByValue(PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
    const perPixel = target.mul(p.log()).add(tf.scalar(1).sub(target).mul(tf.scalar(1).sub(p).log())).neg();
    return perPixel.reshape([perPixel.shape[0], -1]).sum(1) as tf.Tensor1D;
  });
}

/**
 * (B, ...) → (B): the same binary cross-entropy from logits z (prediction = σ(z)), summed over
 * every pixel: −[t·log σ(z) + (1−t)·log(1−σ(z))] = softplus(z) − t·z, exact without clipping.
 */
export function bceWithLogitsPerSample(target: tf.Tensor, logits: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const perPixel = tf.softplus(logits).sub(target.mul(logits));
    return perPixel.reshape([perPixel.shape[0], -1]).sum(1) as tf.Tensor1D;
  });
}

/** (B, ...) → (B): squared error summed over every pixel of each sample. */
export function squaredErrorPerSample(target: tf.Tensor, prediction: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const squared = target.sub(prediction).square();
    return squared.reshape([squared.shape[0], -1]).sum(1) as tf.Tensor1D;
  });
}

/** Mean over samples and pixels: the per-pixel loss of a batch. */
export function reconstructionLoss(kind: ReconstructionLoss, target: tf.Tensor, prediction: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const pixels = target.size / target.shape[0];
    const perSample = kind === 'bce' ? bcePerSample(target, prediction) : squaredErrorPerSample(target, prediction);
    return perSample.mean().div(pixels) as tf.Scalar;
  });
}
