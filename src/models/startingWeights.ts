/**
 * The weights a dense auto-encoder starts from, as plain tensors: what lesson 01's hand-written
 * auto-encoder (tf.matMul, tf.add, tf.relu, tf.sigmoid on tf.variable weights) starts from, so
 * that it can be checked against denseAutoencoder() number for number.
 *
 *   const [w1, b1, w2, b2, w3, b3, w4, b4] = startingWeights({ hidden: [256], code: 32, seed: 1 });
 *   // w1 (784, 256), b1 (256), w2 (256, 32), b2 (32): the encoder; w3, b3, w4, b4: the decoder
 */
import * as tf from '@tensorflow/tfjs';
import { DenseAutoencoderOptions, denseAutoencoder } from './dense';

/**
 * The initial weights denseAutoencoder(options) draws (Glorot-uniform kernels from the seed, zero
 * biases), in the order of the model's trainableVariables(): for each encoder layer, input side
 * first, its kernel (inputs, units) and bias (units); then the same for each decoder layer. Drawing
 * them draws nothing else: every draw is seeded, so the random numbers of other models do not move.
 * The caller owns (disposes) the tensors.
 */
export function startingWeights(options: Partial<DenseAutoencoderOptions> = {}): tf.Tensor[] {
  if (options.tiedWeights) {
    throw new Error('startingWeights: tiedWeights must be false: a tied decoder has no kernels of its own.');
  }
  const model = denseAutoencoder(options);
  try {
    return model.trainableVariables().map((weight) => weight.clone());
  } finally {
    model.dispose();
  }
}
