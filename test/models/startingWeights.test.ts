import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { denseAutoencoder } from '../../src/models/dense';
import { startingWeights } from '../../src/models/startingWeights';
import { useBackend } from '../helpers';

test('startingWeights: the weights denseAutoencoder starts from, in trainableVariables order, as plain tensors', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const options = { inputSize: 12, hidden: [6], code: 3, seed: 5 };
  const weights = startingWeights(options);
  assert.deepEqual(weights.map((w) => w.shape), [[12, 6], [6], [6, 3], [3], [3, 6], [6], [6, 12], [12]]);
  assert.ok(weights.every((w) => !(w instanceof tf.Variable)), 'plain tensors, not variables');
  const model = denseAutoencoder(options);
  model.trainableVariables().forEach((v, i) => {
    assert.deepEqual(Array.from(weights[i].dataSync()), Array.from(v.dataSync()), `weight ${i} as the model draws it`);
  });
  model.dispose();
  const other = startingWeights({ ...options, seed: 6 });
  assert.notDeepEqual(Array.from(other[0].dataSync()), Array.from(weights[0].dataSync()), 'another seed, other weights');
  tf.dispose([...weights, ...other]);
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
});

test('startingWeights: a hand-written model from them gives the library model\'s loss', async () => {
  await useBackend('cpu');
  const options = { inputSize: 10, hidden: [5], code: 2, codeActivation: 'linear' as const, seed: 2 };
  const [w1, b1, w2, b2, w3, b3, w4, b4] = startingWeights(options);
  const x = tf.randomUniform([4, 10], 0, 1, 'float32', 1);
  const code = tf.relu(x.matMul(w1).add(b1)).matMul(w2).add(b2);
  const rebuilt = tf.sigmoid(tf.relu(code.matMul(w3).add(b3)).matMul(w4).add(b4));
  const hand = x.sub(rebuilt).square().mean().dataSync()[0];
  const model = denseAutoencoder(options);
  const library = model.lossTerms(x, x, { seed: 0, training: false }).total.dataSync()[0];
  assert.ok(Math.abs(hand - library) < 1e-6, `hand ${hand}, library ${library}`);
  model.dispose();
});

test('startingWeights: bad options throw', async () => {
  await useBackend('cpu');
  assert.throws(() => startingWeights({ tiedWeights: true }), /tiedWeights must be false/);
  assert.throws(() => startingWeights({ code: 0 }), /code/);
});
