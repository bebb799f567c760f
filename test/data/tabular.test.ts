import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fitStandardiser, splitIndices } from '../../src/data/tabular';
import { useBackend } from '../helpers';

test('standardisation uses the training rows only, and a constant column stays finite', async () => {
  await useBackend('cpu');
  const train = tf.tensor2d([[1, 10, 5], [3, 30, 5]]);
  const scaler = fitStandardiser(train);
  assert.deepEqual(Array.from(scaler.apply(train).dataSync()).map((v) => Math.round(v * 1e6) / 1e6), [-1, -1, 0, 1, 1, 0]);
  assert.deepEqual(Array.from(scaler.apply(tf.tensor2d([[2, 50, 7]])).dataSync()), [0, 3, 2]);
  assert.throws(() => scaler.apply(tf.tensor2d([[1, 2]])), /expected 3 columns, got 2/);
  scaler.dispose();
});

test('splitIndices: a seeded partition of the rows', () => {
  const [a, b] = splitIndices(10, 0.7, 1);
  assert.equal(a.length, 7);
  assert.equal(b.length, 3);
  assert.deepEqual([...a, ...b].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(Array.from(splitIndices(10, 0.7, 1)[0]), Array.from(a));
  assert.throws(() => splitIndices(10, 1, 1), /fraction must be between 0 and 1/);
});
