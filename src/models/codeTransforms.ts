/**
 * Transforms applied to the code after the encoder's last activation.
 *
 * k-sparse (Makhzani & Frey 2013, "k-Sparse Autoencoders"): keep the k largest activations of each
 * sample and set the rest to zero. The article's "manually zeroing the required hidden units".
 * The gradient flows only through the k units that were kept.
 *
 * threshold: h = max(0, a − θ), a ReLU moved right by θ. A unit stays silent (dormant) unless its
 * input clears θ: the article's "tuning the activation functions so that most units are dormant".
 */
import * as tf from '@tensorflow/tfjs';

export type CodeTransform = { type: 'topK'; k: number } | { type: 'threshold'; threshold: number };

/** (B, units) → (B, units) with exactly k non-zero entries per row (those that were largest). */
export function keepTopK(code: tf.Tensor, k: number): tf.Tensor {
  const units = code.shape[1]!;
  if (!Number.isInteger(k) || k < 1 || k > units) {
    throw new Error(`k-sparse: k must be a whole number from 1 to the code size ${units}, got ${k}.`);
  }
  // TopK has no gradient in tfjs, and needs none: the mask is a constant, so the gradient of
  // code·mask is dy·mask (it flows only through the k kept units).
  const sparsify = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const { indices } = tf.topk(input as tf.Tensor2D, k); // (B, k)
    // A 0/1 mask with exactly k ones per row, even when activations tie.
    const mask = tf.oneHot(indices.reshape([-1]), units).reshape([input.shape[0], k, units]).sum(1);
    save([mask]);
    return { value: input.mul(mask), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => dy.mul(saved[0]) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return tf.tidy(() => sparsify(code));
}

/** max(0, code − θ). */
export function shiftedRelu(code: tf.Tensor, threshold: number): tf.Tensor {
  if (!(Number.isFinite(threshold) && threshold >= 0)) throw new Error(`threshold code: θ must be a number ≥ 0, got ${threshold}.`);
  return tf.tidy(() => tf.relu(code.sub(threshold)));
}

export function applyCodeTransform(code: tf.Tensor, transform: CodeTransform | undefined): tf.Tensor {
  if (!transform) return code;
  if (transform.type === 'topK') return keepTopK(code, transform.k);
  if (transform.type === 'threshold') return shiftedRelu(code, transform.threshold);
  throw new Error(`Unknown code transform ${(transform as { type: string }).type}.`);
}
