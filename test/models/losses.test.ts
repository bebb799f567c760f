import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { BackendName } from '../../src/backend';
import { bceWithLogitsPerSample, gaussianKlPerSample } from '../../src/models/losses';
import { gradientCheck, someEntries, useBackend } from '../helpers';

const BACKENDS: BackendName[] = ['cpu', 'wasm'];

function maxRelativeGap(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  assert.equal(x.length, y.length);
  return Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i]) / (1e-3 + Math.abs(y[i]))));
}

// The written-out gradients are checked against tfjs's autodiff of the textbook formulas, with a
// different weight per sample so that the per-sample upstream gradient matters.
for (const backend of BACKENDS) {
  test(`${backend}: BCE from logits: value and hand-written gradient match the traced formula`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const logits = tf.randomNormal([5, 3, 4], 0, 4, 'float32', 21);
      const target = tf.randomUniform([5, 3, 4], 0, 1, 'float32', 22);
      const weights = tf.tensor1d([1, -2, 0.5, 3, 0]);
      const traced = (z: tf.Tensor) => tf.softplus(z).sub(target.mul(z)).reshape([5, -1]).sum(1);
      assert.ok(maxRelativeGap(bceWithLogitsPerSample(target, logits), traced(logits)) < 1e-5);
      const ours = tf.grad((z: tf.Tensor) => bceWithLogitsPerSample(target, z).mul(weights).sum())(logits);
      const expected = tf.grad((z: tf.Tensor) => traced(z).mul(weights).sum())(logits);
      assert.deepEqual(ours.shape, logits.shape);
      assert.ok(maxRelativeGap(ours, expected) < 1e-5, `gradient gap ${maxRelativeGap(ours, expected)}`);
    });
    assert.equal(tf.memory().numTensors, before, 'nothing leaks');
  });

  test(`${backend}: Gaussian KL: value and hand-written gradients match the traced formula`, async () => {
    await useBackend(backend);
    tf.tidy(() => {
      const mean = tf.randomNormal([6, 3], 0, 2, 'float32', 23);
      const logVar = tf.randomNormal([6, 3], 0, 1.5, 'float32', 24);
      const weights = tf.tensor1d([1, 2, -1, 0.25, 4, 0]);
      // −½ Σ (1 + log σ² − μ² − σ²), as Kingma & Welling write it.
      const traced = (m: tf.Tensor, v: tf.Tensor) => tf.scalar(1).add(v).sub(m.square()).sub(v.exp()).sum(1).mul(-0.5);
      assert.ok(maxRelativeGap(gaussianKlPerSample(mean, logVar), traced(mean, logVar)) < 1e-5);
      const [dMean, dLogVar] = tf.grads((m: tf.Tensor, v: tf.Tensor) => gaussianKlPerSample(m, v).mul(weights).sum())([mean, logVar]);
      const [eMean, eLogVar] = tf.grads((m: tf.Tensor, v: tf.Tensor) => traced(m, v).mul(weights).sum())([mean, logVar]);
      assert.ok(maxRelativeGap(dMean, eMean) < 1e-5, 'd/dμ');
      assert.ok(maxRelativeGap(dLogVar, eLogVar) < 1e-5, 'd/dlog σ²');
    });
  });
}

test('the written-out gradients agree with finite differences', async () => {
  await useBackend('cpu');
  const logits = tf.variable(tf.randomNormal([3, 8], 0, 2, 'float32', 25));
  const target = tf.randomUniform([3, 8], 0, 1, 'float32', 26);
  assert.ok(gradientCheck(() => bceWithLogitsPerSample(target, logits).sum() as tf.Scalar, logits, someEntries(24)) < 1e-2);
  const logVar = tf.variable(tf.randomNormal([3, 4], 0, 1, 'float32', 27));
  const mean = tf.randomNormal([3, 4], 0, 1, 'float32', 28);
  assert.ok(gradientCheck(() => gaussianKlPerSample(mean, logVar).sum() as tf.Scalar, logVar, someEntries(12)) < 1e-2);
  tf.dispose([logits, target, logVar, mean]);
});

test('the KL of the prior with itself is 0, and bad shapes are named', async () => {
  await useBackend('cpu');
  tf.tidy(() => {
    const kl = gaussianKlPerSample(tf.zeros([2, 5]), tf.zeros([2, 5])).dataSync();
    assert.deepEqual(Array.from(kl), [0, 0]);
  });
  assert.throws(() => gaussianKlPerSample(tf.zeros([2, 5]), tf.zeros([2, 4])), /mean \(2, 5\) and logVar \(2, 4\) must both be \(batch, latent\)/);
  assert.throws(() => bceWithLogitsPerSample(tf.zeros([2, 5]), tf.zeros([2, 4])), /target \(2, 5\) and logits \(2, 4\) must have the same shape/);
});
