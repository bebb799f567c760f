import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { codeSensitivity } from '../../src/evaluate/sensitivity';
import { denseAutoencoder } from '../../src/models/dense';
import { contractiveNorm } from '../../src/models/penalties';
import { useBackend } from '../helpers';

/** ‖∂h/∂x‖_F by finite differences, one input at a time. */
function numeric(encode: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor2D, step = 1e-2): number {
  let sum = 0;
  for (let n = 0; n < x.shape[0]; n++) {
    const row = x.slice(n, 1);
    let squared = 0;
    for (let i = 0; i < x.shape[1]; i++) {
      const e = tf.oneHot([i], x.shape[1]).toFloat().mul(step);
      const d = tf.tidy(() => encode(row.add(e)).sub(encode(row.sub(e))).div(2 * step).square().sum().dataSync()[0]);
      squared += d;
      e.dispose();
    }
    sum += Math.sqrt(squared);
  }
  return sum / x.shape[0];
}

test('code sensitivity ‖∂h/∂x‖_F matches finite differences for sigmoid, relu, threshold and k-sparse codes', async () => {
  await useBackend('cpu');
  const x = tf.randomUniform([5, 12], 0, 1, 'float32', 1) as tf.Tensor2D;
  for (const options of [
    { codeActivation: 'sigmoid' as const },
    { codeActivation: 'relu' as const },
    { codeActivation: 'linear' as const, codeThreshold: 0.1 },
    { codeActivation: 'linear' as const, kSparse: 3 },
  ]) {
    const ae = denseAutoencoder({ inputSize: 12, hidden: [], code: 8, seed: 2, ...options });
    const exact = codeSensitivity(ae, x);
    const approx = numeric((v) => ae.encode(v), x, 1e-3);
    assert.ok(Math.abs(exact - approx) < 1e-2 * Math.max(1, approx), `${JSON.stringify(options)}: ${exact} against ${approx}`);
    ae.dispose();
  }
  // For a plain sigmoid code it is the square root of the contractive penalty's norm, per sample.
  const sigmoid = denseAutoencoder({ inputSize: 12, hidden: [], code: 8, codeActivation: 'sigmoid', seed: 3 });
  const one = x.slice(0, 1);
  const fromPenalty = Math.sqrt(tf.tidy(() => contractiveNorm(sigmoid.encode(one), sigmoid.encoder.layers[0]).dataSync()[0]));
  assert.ok(Math.abs(codeSensitivity(sigmoid, one) - fromPenalty) < 1e-5);
  assert.throws(() => codeSensitivity(denseAutoencoder({ inputSize: 12, hidden: [6], code: 4 }), x), /one-layer dense encoder/);
  sigmoid.dispose();
  tf.dispose([x, one]);
});
