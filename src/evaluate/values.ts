/**
 * Reading tensors back without a trap: tf.tidy walks every element of whatever its function
 * returns, looking for tensors, so a tidy that returns a large typed array (a batch's values)
 * spends seconds walking it. Make the tensor inside tidy, read it outside.
 */
import * as tf from '@tensorflow/tfjs';

/** The values of the tensor `make` returns; every tensor made on the way, and that one, is freed. */
export function valuesOf(make: () => tf.Tensor): tf.TypedArray {
  const tensor = tf.tidy(make);
  try {
    return tensor.dataSync();
  } finally {
    tensor.dispose();
  }
}

/** Like valuesOf, for several tensors made together. */
export function valuesOfAll(make: () => tf.Tensor[]): tf.TypedArray[] {
  const tensors = tf.tidy(make);
  try {
    return tensors.map((t) => t.dataSync());
  } finally {
    tf.dispose(tensors);
  }
}
