/**
 * Representations compared as features (lesson 08): the same images as raw pixels, as PCA
 * coordinates or as an encoder's codes, each for the training and the test images.
 */
import * as tf from '@tensorflow/tfjs';

/** One way to describe the images: `width` numbers per image, for the training and test images. */
export interface Representation {
  name: string;
  /** Numbers per image. */
  width: number;
  /** The training images, (images, width). */
  train: tf.Tensor2D;
  /** The test images, (images, width). */
  test: tf.Tensor2D;
}

/**
 * The representation's training and test values divided by one number, the standard deviation of
 * all its training values, so that one classifier step size suits representations whose scales
 * differ by orders of magnitude. Throws when the training values do not vary.
 */
export function scaledBySpread(r: Representation): { train: tf.Tensor2D; test: tf.Tensor2D } {
  if (r.train.rank !== 2 || r.test.rank !== 2) {
    throw new Error(`scaledBySpread: ${r.name}: train and test must be (images, numbers), got ranks ${r.train.rank} and ${r.test.rank}.`);
  }
  if (r.train.shape[1] !== r.test.shape[1]) {
    throw new Error(`scaledBySpread: ${r.name}: train has ${r.train.shape[1]} numbers per image, test ${r.test.shape[1]}.`);
  }
  const spread = tf.tidy(() => tf.moments(r.train).variance.sqrt().dataSync()[0]);
  if (!(spread > 0)) throw new Error(`scaledBySpread: ${r.name}: the training values do not vary (spread ${spread}).`);
  return {
    train: tf.tidy(() => r.train.div(spread)) as tf.Tensor2D,
    test: tf.tidy(() => r.test.div(spread)) as tf.Tensor2D,
  };
}
