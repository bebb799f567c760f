import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { applyCodeTransform, CodeTransform, keepTopK, shiftedRelu } from '../../src/models/codeTransforms';
import { useBackend } from '../helpers';

test('k-sparse keeps exactly k units per sample, the largest ones', async () => {
  await useBackend('cpu');
  const code = tf.tensor2d([[0.5, -1, 3, 2, 0.1], [1, 1, 1, 5, 1]]);
  const kept = (keepTopK(code, 2).arraySync() as number[][]).map((row) => row.map((v) => v + 0)); // -0 → 0
  assert.deepEqual(kept[0], [0, 0, 3, 2, 0]);
  assert.equal(kept[1].filter((v) => v !== 0).length, 2, 'ties still keep exactly k');
  assert.equal(kept[1][3], 5);
  const random = tf.randomNormal([50, 40], 0, 1, 'float32', 9);
  const sparse = keepTopK(random, 7);
  const counts = tf.tidy(() => sparse.notEqual(0).sum(1).arraySync() as number[]);
  assert.ok(counts.every((n) => n === 7));
  assert.throws(() => keepTopK(code, 6), /k must be a whole number from 1 to the code size 5/);
  tf.dispose([code, random, sparse]);
});

test('k-sparse: the gradient flows only through the k kept units, and nothing is left behind', async () => {
  await useBackend('cpu');
  const code = tf.tensor2d([[0.5, -1, 3, 2, 0.1]]);
  const before = tf.memory().numTensors;
  const gradient = tf.grad((x: tf.Tensor) => keepTopK(x, 2).mul(tf.tensor2d([[1, 2, 3, 4, 5]])).sum())(code);
  assert.deepEqual(Array.from(gradient.dataSync()), [0, 0, 3, 4, 0]);
  gradient.dispose();
  const kept = keepTopK(code, 3);
  kept.dispose();
  assert.equal(tf.memory().numTensors, before, 'keepTopK and its gradient leave no tensors');
  assert.throws(() => keepTopK(code, 0), /got 0/);
  assert.throws(() => keepTopK(code, 1.5), /got 1.5/);
  code.dispose();
});

test('a threshold code is max(0, a − θ) and its gradient flows only through active units', async () => {
  await useBackend('cpu');
  const a = tf.tensor2d([[0.2, 0.7, 1.5, -1]]);
  assert.deepEqual((shiftedRelu(a, 0.5).arraySync() as number[][])[0].map((v) => Number(v.toFixed(6))), [0, 0.2, 1, 0]);
  const gradient = tf.grad((x: tf.Tensor) => shiftedRelu(x, 0.5).sum())(a);
  assert.deepEqual(Array.from(gradient.dataSync()), [0, 1, 1, 0]);
  assert.throws(() => shiftedRelu(a, -1), /θ must be a number ≥ 0/);
});

test('applyCodeTransform: none leaves the code as it is, else dispatches on the type', async () => {
  await useBackend('cpu');
  const code = tf.tensor2d([[0.2, 0.7, 1.5, -1]]);
  assert.equal(applyCodeTransform(code, undefined), code, 'no transform: the same tensor');
  const top = applyCodeTransform(code, { type: 'topK', k: 1 });
  assert.deepEqual(Array.from(top.dataSync()).map((v) => v + 0), [0, 0, 1.5, 0]);
  const shifted = applyCodeTransform(code, { type: 'threshold', threshold: 1 });
  assert.deepEqual(Array.from(shifted.dataSync()).map((v) => Number(v.toFixed(6))), [0, 0, 0.5, 0]);
  assert.throws(() => applyCodeTransform(code, { type: 'dropout' } as unknown as CodeTransform), /Unknown code transform dropout/);
  tf.dispose([code, top, shifted]);
});
