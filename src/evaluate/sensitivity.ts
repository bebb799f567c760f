/**
 * How much a code changes when its input does: ‖∂h/∂x‖_F, the Frobenius norm of the encoder's
 * Jacobian, averaged over inputs. The contractive auto-encoder (Rifai et al. 2011) penalises its
 * square; lesson 02 measures it for every constraint, to see which codes are insensitive.
 *
 * For an encoder that is one dense layer h = g(f(xW + b)) (f its activation, g a code transform
 * such as a threshold or k-sparse, both element-wise given the kept units) the norm is exact:
 * ∂h_j/∂x_i = g'(·)·f'(a_j)·W_ij, so ‖J‖²_F = Σ_j (∂h_j/∂a_j)² · Σ_i W_ij², with ∂h/∂a from autodiff.
 */
import * as tf from '@tensorflow/tfjs';
import { Autoencoder } from '../models/autoencoder';
import { applyCodeTransform } from '../models/codeTransforms';
import { activate } from '../models/layers';
import { valuesOf } from './values';

/** Inputs per batch. */
const SENSITIVITY_BATCH = 250;

/** Mean over the inputs x (N, features) of ‖∂h/∂x‖_F, for an auto-encoder with a one-layer dense encoder. */
export function codeSensitivity(model: Autoencoder, x: tf.Tensor): number {
  const layers = model.encoder.layers;
  const layer = layers[0];
  if (layers.length !== 1 || layer.spec.type !== 'dense' || !layer.applyLinear) {
    throw new Error(`codeSensitivity is exact for a one-layer dense encoder (hidden: []); ${model.name} has ${layers.length} encoder layers.`);
  }
  if (x.shape[0] === 0) throw new Error('codeSensitivity: there are no inputs.');
  const activation = layer.spec.activation;
  const transform = model.config.codeTransform;
  let sum = 0;
  for (let start = 0; start < x.shape[0]; start += SENSITIVITY_BATCH) {
    const count = Math.min(SENSITIVITY_BATCH, x.shape[0] - start);
    const norms = valuesOf(() => {
      const a = layer.applyLinear!(x.slice(start, count));
      // Each h_j depends on a_j alone (k-sparse's mask is fixed for a given input), so the
      // gradient of Σ h with respect to a is the diagonal ∂h_j/∂a_j.
      const slope = tf.grad((pre: tf.Tensor) => applyCodeTransform(activate(pre, activation), transform).sum() as tf.Scalar)(a);
      const columnNorms = layer.weights.kernel.square().sum(0); // (units): Σ_i W_ij²
      return slope.square().mul(columnNorms).sum(1).sqrt();
    });
    for (const norm of norms) sum += norm;
  }
  return sum / x.shape[0];
}
