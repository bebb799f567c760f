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

test('splitIndices refuses a row count or seed that is not a number, and an empty group', () => {
  assert.throws(() => splitIndices(NaN, 0.7, 1), /n must be a whole number ≥ 2, got NaN/);
  assert.throws(() => splitIndices(10.5, 0.7, 1), /n must be a whole number ≥ 2, got 10.5/);
  assert.throws(() => splitIndices(1, 0.5, 1), /n must be a whole number ≥ 2, got 1/);
  assert.throws(() => splitIndices(10, NaN, 1), /fraction must be between 0 and 1, got NaN/);
  assert.throws(() => splitIndices(10, 0.7, NaN), /seed must be a finite number, got NaN/);
  assert.throws(() => splitIndices(3, 0.1, 1), /a fraction of 0.1 of 3 rows leaves the first group empty/);
  assert.throws(() => splitIndices(3, 0.9, 1), /leaves the second group empty/);
  const [a, b] = splitIndices(2, 0.5, 1);
  assert.equal(a.length + b.length, 2);
});

test('fitStandardiser refuses NaN and infinite values, naming the columns', async () => {
  await useBackend('cpu');
  const train = tf.tensor2d([[1, NaN, 5, 1], [3, 30, 5, Infinity], [2, 20, 5, 2]]);
  const tensorsBefore = tf.memory().numTensors;
  assert.throws(() => fitStandardiser(train), /columns 1, 3 \(0-based\) hold NaN or infinite values/);
  assert.equal(tf.memory().numTensors, tensorsBefore, 'the check leaves no tensors behind');
  train.dispose();
});
