import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { errorPerStep, rollingZScores, windowMax } from '../../src/evaluate/sequenceScores';
import { useBackend } from '../helpers';

test('errorPerStep averages each point\'s squared error over the windows covering it; flat models get flat windows', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const windows = tf.tensor3d([[[1], [2], [3]], [[2], [3], [4]]]);
  // A "model" that answers zeros: the error at a point is its value squared, whichever window.
  const zeros = { reconstruct: (x: tf.Tensor) => tf.zerosLike(x) };
  const e = errorPerStep(zeros, windows, [0, 1], 5);
  assert.deepEqual(Array.from(e.subarray(0, 4)), [1, 4, 9, 16]);
  assert.ok(Number.isNaN(e[4]), 'no window covers the last point');
  let seen: number[] = [];
  const flat = { inputShape: [3], reconstruct: (x: tf.Tensor) => { seen = x.shape; return tf.zerosLike(x); } };
  errorPerStep(flat, windows, [0, 1], 5);
  assert.deepEqual(seen, [2, 3]);
  assert.throws(() => errorPerStep(zeros, windows, [0], 5), /1 starts for 2 windows/);
  windows.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('rollingZScores: distance from the mean of the previous width points, in their standard deviations', () => {
  const z = rollingZScores([1, 3, 1, 3, 10], 4);
  assert.ok(z.subarray(0, 4).every(Number.isNaN));
  const sd = Math.sqrt(4 / 3); // of 1, 3, 1, 3
  assert.ok(Math.abs(z[4] - 8 / sd) < 1e-9);
  assert.throws(() => rollingZScores([1, 2], 1), /width must be a whole number ≥ 2, got 1/);
});

test('windowMax: a window\'s largest point score, NaN ignored', () => {
  assert.deepEqual(Array.from(windowMax([NaN, 1, 5, 2, 0], [0, 2], 3)), [5, 5]);
  assert.deepEqual(Array.from(windowMax([NaN, NaN], [0], 2)), [-Infinity]);
});
