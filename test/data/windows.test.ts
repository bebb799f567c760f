import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { cutWindows, downsample, downsampleLabels, standardiseWith, windowLabels } from '../../src/data/windows';
import { useBackend } from '../helpers';

test('cutWindows: windows of length points every stride inside [from, to), the last one ending at to', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const values = Array.from({ length: 20 }, (_, i) => i);
  const { x, starts } = cutWindows(values, { length: 4, stride: 3, from: 2, to: 12 });
  assert.deepEqual(starts, [2, 5, 8]);
  assert.deepEqual(x.shape, [3, 4, 1]);
  assert.deepEqual(Array.from(x.dataSync()), [2, 3, 4, 5, 5, 6, 7, 8, 8, 9, 10, 11]);
  x.dispose();
  const five = cutWindows(values, { length: 5, stride: 5 });
  assert.equal(five.starts.length, 4);
  five.x.dispose();
  assert.throws(() => cutWindows(values, { length: 0, stride: 1 }), /cutWindows: length must be a whole number ≥ 1, got 0/);
  assert.throws(() => cutWindows(values, { length: 4, stride: 1.5 }), /stride must be a whole number ≥ 1, got 1.5/);
  assert.throws(() => cutWindows(values, { length: 4, stride: 1, from: 10, to: 30 }), /0 ≤ from < to ≤ 20/);
  assert.throws(() => cutWindows(values, { length: 8, stride: 1, from: 15 }), /holds 5 points, fewer than one window of 8/);
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
});

test('windowLabels: a window is anomalous when any of its points is', () => {
  assert.deepEqual(Array.from(windowLabels([0, 0, 0, 1, 0, 0, 0, 0], [0, 2, 4], 3)), [0, 1, 0]);
});

test('downsample averages groups and drops a partial one; labels keep any anomalous point', () => {
  assert.deepEqual(Array.from(downsample([1, 3, 5, 7, 9], 2)), [2, 6]);
  assert.deepEqual(Array.from(downsampleLabels([0, 0, 0, 1, 1, 0], 2)), [0, 1, 1]);
  assert.throws(() => downsample([1], 0), /downsample: factor must be a whole number ≥ 1, got 0/);
});

test('standardiseWith uses the reference points only', () => {
  const { values, mean, sd } = standardiseWith([1, 3, 100], [1, 3]);
  assert.equal(mean, 2);
  assert.ok(Math.abs(sd - Math.SQRT2) < 1e-12);
  assert.ok(Math.abs(values[2] - 98 / Math.SQRT2) < 1e-9);
  assert.throws(() => standardiseWith([1], [2, 2]), /standard deviation 0/);
  assert.throws(() => standardiseWith([1], [2]), /at least 2 points/);
});
