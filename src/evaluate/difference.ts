/**
 * How far two tensors of the same shape are apart, relative to the size of the second: the check
 * that a few lines written out in a lesson compute what the library computes (lesson 04's L1 and
 * KL penalties and top-k step against the library's, on the same codes).
 *
 *   relativeDifference(mine, library)   // largest |mine − library| ÷ largest |library|
 */
import * as tf from '@tensorflow/tfjs';

/**
 * max |a − b| ÷ max |b| over all elements (0 when both are all zeros). Scalars, vectors and
 * batches of codes alike; float32 arithmetic agrees to about 1e-7 of the size of the values.
 */
export function relativeDifference(a: tf.Tensor, b: tf.Tensor): number {
  if (a.shape.join() !== b.shape.join()) {
    throw new Error(`relativeDifference: the shapes differ, (${a.shape.join(', ')}) against (${b.shape.join(', ')}).`);
  }
  const [difference, size] = tf.tidy(() => [a.sub(b).abs().max(), b.abs().max()]).map((t) => {
    const value = t.dataSync()[0];
    t.dispose();
    return value;
  });
  if (!Number.isFinite(difference) || !Number.isFinite(size)) {
    throw new Error(`relativeDifference: the tensors hold values that are not finite (difference ${difference}, size ${size}).`);
  }
  if (size === 0) return difference === 0 ? 0 : Infinity;
  return difference / size;
}
