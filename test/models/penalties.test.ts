import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { denseAutoencoder } from '../../src/models/dense';
import { bcePerSample, bceWithLogitsPerSample } from '../../src/models/losses';
import { contractiveNorm, klSparsity, checkPenalty } from '../../src/models/penalties';
import { variationalAutoencoder } from '../../src/models/vae';
import { gradientCheck, someEntries, useBackend } from '../helpers';

const INPUT = 12;
const CODE = 5;

function batch(seed: number): tf.Tensor2D {
  return tf.randomUniform([8, INPUT], 0, 1, 'float32', seed) as tf.Tensor2D;
}

for (const activation of ['sigmoid', 'tanh', 'linear'] as const) {
  test(`contractive norm equals ‖∂h/∂x‖²_F from finite differences (${activation})`, async () => {
    await useBackend('cpu');
    const ae = denseAutoencoder({ inputSize: INPUT, hidden: [], code: CODE, codeActivation: activation, seed: 3 });
    const x = batch(1);
    const analytic = tf.tidy(() => contractiveNorm(ae.encode(x), ae.encoder.layers[0]).dataSync()[0]);
    // Numerical Jacobian of each sample's code, column by column.
    const rows = x.arraySync();
    const step = 1e-2;
    let sum = 0;
    for (const row of rows) {
      for (let i = 0; i < INPUT; i++) {
        const plus = row.slice();
        const minus = row.slice();
        plus[i] += step;
        minus[i] -= step;
        const column = tf.tidy(() => ae.encode(tf.tensor2d([plus])).sub(ae.encode(tf.tensor2d([minus]))).div(2 * step).dataSync());
        for (const d of column) sum += d * d;
      }
    }
    const numeric = sum / rows.length;
    assert.ok(Math.abs(analytic - numeric) / numeric < 1e-2, `analytic ${analytic}, numeric ${numeric}`);
    ae.dispose();
    x.dispose();
  });
}

test('the contractive penalty gradient matches finite differences', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: INPUT, hidden: [], code: CODE, codeActivation: 'sigmoid', loss: 'mse', penalties: [{ type: 'contractive', lambda: 0.5 }], seed: 4 });
  const x = batch(2);
  const kernel = ae.encoder.layers[0].weights.kernel;
  const loss = () => ae.lossTerms(x, x, { seed: 0, training: true }).contractive;
  assert.ok(gradientCheck(loss, kernel, someEntries(kernel.size)) < 2e-2);
  const bias = ae.encoder.layers[0].weights.bias;
  assert.ok(gradientCheck(loss, bias, someEntries(bias.size, 3)) < 2e-2);
  ae.dispose();
  x.dispose();
});

test('KL sparsity: value matches the formula, and its gradient matches finite differences', async () => {
  await useBackend('cpu');
  const code = tf.tensor2d([[0.1, 0.5], [0.3, 0.7]]);
  const rho = 0.05;
  const kl = (r: number, q: number) => r * Math.log(r / q) + (1 - r) * Math.log((1 - r) / (1 - q));
  const expected = kl(rho, 0.2) + kl(rho, 0.6);
  assert.ok(Math.abs(klSparsity(code, rho).dataSync()[0] - expected) < 1e-5);
  code.dispose();

  const ae = denseAutoencoder({ inputSize: INPUT, hidden: [], code: CODE, codeActivation: 'sigmoid', penalties: [{ type: 'klSparsity', rho: 0.1, beta: 1 }], seed: 5 });
  const x = batch(3);
  const kernel = ae.encoder.layers[0].weights.kernel;
  assert.ok(gradientCheck(() => ae.lossTerms(x, x, { seed: 0, training: true }).kl, kernel, someEntries(kernel.size)) < 2e-2);
  ae.dispose();
  x.dispose();
});

test('weight decay and activity terms equal their definitions', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({
    inputSize: INPUT, hidden: [], code: CODE,
    penalties: [{ type: 'weightDecay', l2: 0.01 }, { type: 'activity', l1: 0.1 }], seed: 6,
  });
  const x = batch(4);
  const terms = ae.lossTerms(x, x, { seed: 0, training: true });
  const kernels = [ae.encoder.layers[0].weights.kernel, ae.decoder.layers[0].weights.kernel];
  const l2 = 0.01 * kernels.reduce((s, k) => s + tf.tidy(() => k.square().sum().dataSync()[0]), 0);
  assert.ok(Math.abs(terms.weightDecay.dataSync()[0] - l2) < 1e-5);
  const code = ae.encode(x);
  const l1 = 0.1 * tf.tidy(() => code.abs().sum(1).mean().dataSync()[0]);
  assert.ok(Math.abs(terms.activity.dataSync()[0] - l1) < 1e-5);
  const total = terms.reconstruction.dataSync()[0] + l2 + l1;
  assert.ok(Math.abs(terms.total.dataSync()[0] - total) < 1e-5, 'total is the sum of the terms');
  tf.dispose([...Object.values(terms), code, x]);
  ae.dispose();
});

test('bad penalties are refused by name', () => {
  assert.throws(() => checkPenalty({ type: 'klSparsity', rho: 1.5, beta: 1 }), /rho must be between 0 and 1/);
  assert.throws(() => checkPenalty({ type: 'activity' }), /give l1 or l2/);
  assert.throws(() => checkPenalty({ type: 'contractive', lambda: -1 }), /lambda must be a number ≥ 0/);
  assert.throws(() => checkPenalty({ type: 'dropout' } as never), /Unknown penalty type dropout/);
  assert.throws(
    () => {
      const ae = denseAutoencoder({ inputSize: INPUT, hidden: [8], code: CODE, penalties: [{ type: 'contractive', lambda: 1 }] });
      const x = tf.zeros([2, INPUT]);
      ae.lossTerms(x, x, { seed: 0, training: true });
    },
    /contractive penalty needs a one-layer dense encoder/,
  );
});

test('Bernoulli loss from logits equals the clipped loss from probabilities, and a VAE uses it', async () => {
  await useBackend('cpu');
  tf.tidy(() => {
    const logits = tf.randomNormal([4, 30], 0, 3, 'float32', 5);
    const target = tf.randomUniform([4, 30], 0, 1, 'float32', 6).round();
    const fromLogits = bceWithLogitsPerSample(target, logits).dataSync();
    const fromProbabilities = bcePerSample(target, tf.sigmoid(logits)).dataSync();
    fromLogits.forEach((v, i) => assert.ok(Math.abs(v - fromProbabilities[i]) < 1e-3 * (1 + Math.abs(v)), `sample ${i}: ${v} vs ${fromProbabilities[i]}`));
  });
  const vae = variationalAutoencoder({ inputSize: 12, hidden: [8], latent: 2, seed: 3 });
  assert.equal(vae.decoder.endsInSigmoid(), true);
  tf.tidy(() => {
    const x = tf.randomUniform([5, 12], 0, 1, 'float32', 7);
    const z = tf.randomNormal([5, 2], 0, 1, 'float32', 8);
    // applyLogits is the decoder output before its sigmoid.
    const gap = tf.sigmoid(vae.decoder.applyLogits(z)).sub(vae.decoder.apply(z)).abs().max().dataSync()[0];
    assert.ok(gap < 1e-6, `σ(logits) = output (gap ${gap})`);
    const terms = vae.lossTerms(x, x, { seed: 1, training: true });
    assert.ok(Number.isFinite(terms.total.dataSync()[0]));
  });
  vae.dispose();
});
