/**
 * A faster `Softplus` on the wasm backend.
 *
 * tfjs-backend-wasm 4.22's Softplus is a scalar loop: 2.5 ms on a 128×784 batch, the VAE's
 * Bernoulli loss (softplus of the decoder's logits) took more time than any kernel but the matrix
 * products. Its Sigmoid and Log are vectorised (0.15 ms and 0.6 ms on the same batch), so we
 * compute
 *
 *   softplus(x) = log(1 + eˣ) = max(x, 0) − log σ(|x|)
 *
 * from them: σ(|x|) lies in [½, 1], so the log never meets 0 and nothing overflows for any x.
 * About 0.8 ms. The gradient (tfjs's registered one, dy·σ(x)) is unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceKernel } from './replaceKernel';

const softplusKernel: tf.KernelFunc = ({ inputs }) => {
  const { x } = inputs as { x: tf.Tensor };
  return tf.tidy(() => tf.sub(tf.relu(x), tf.log(tf.sigmoid(tf.abs(x)))));
};

/** Registers the composed `Softplus` for wasm (once). Returns true when it changed it. */
export function registerFastWasmSoftplus(): boolean {
  return replaceKernel(tf.Softplus, 'wasm', softplusKernel) === 'replaced';
}
