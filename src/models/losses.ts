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
 *
 * The gradient is written out, ∂/∂z = σ(z) − t times the sample's upstream gradient, rather than
 * traced back through softplus, product, difference and sum: on a 128×784 batch that halves the
 * loss's share of a training step. The target is a constant here: no gradient flows into it.
 */
export function bceWithLogitsPerSample(target: tf.Tensor, logits: tf.Tensor): tf.Tensor1D {
  if (target.shape.join() !== logits.shape.join()) {
    throw new Error(`bceWithLogitsPerSample: target (${target.shape.join(', ')}) and logits (${logits.shape.join(', ')}) must have the same shape.`);
  }
  const rows = logits.shape[0];
  // A new op per call, so that the target is a constant of it (a customGrad input would need a gradient).
  const op = tf.customGrad((...args) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const z = input.reshape([rows, -1]);
    const t = target.reshape([rows, -1]);
    save([z, t]);
    return {
      value: tf.softplus(z).sub(t.mul(z)).sum(1),
      gradFunc: (dy: tf.Tensor, [z, t]: tf.Tensor[]) => tf.sigmoid(z).sub(t).mul(dy.reshape([rows, 1])).reshape(input.shape),
    };
  });
  return op(logits) as tf.Tensor1D;
}

/**
 * (B, latent) mean and log-variance → (B): KL(N(μ, σ²) ‖ N(0, I)) of each sample, in nats:
 * ½ Σ (σ² + μ² − 1 − log σ²). The VAE's regulariser. Its gradient is written out,
 * ∂/∂μ = μ and ∂/∂log σ² = ½(σ² − 1), times the sample's upstream gradient (fewer small kernels
 * than tracing the sum back).
 */
export function gaussianKlPerSample(mean: tf.Tensor, logVar: tf.Tensor): tf.Tensor1D {
  if (mean.rank !== 2 || mean.shape.join() !== logVar.shape.join()) {
    throw new Error(`gaussianKlPerSample: mean (${mean.shape.join(', ')}) and logVar (${logVar.shape.join(', ')}) must both be (batch, latent).`);
  }
  return gaussianKlOp(mean, logVar) as tf.Tensor1D;
}

const gaussianKlOp = tf.customGrad((...args) => {
  const [mean, logVar, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const variance = logVar.exp();
  save([mean, variance]);
  return {
    value: variance.add(mean.square()).sub(logVar).sum(1).sub(mean.shape[1]!).mul(0.5),
    gradFunc: (dy: tf.Tensor, [mean, variance]: tf.Tensor[]) => {
      const upstream = dy.reshape([-1, 1]);
      return [mean.mul(upstream), variance.sub(1).mul(upstream.mul(0.5))];
    },
  };
});

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
