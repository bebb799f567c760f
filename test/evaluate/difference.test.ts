import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { relativeDifference } from '../../src/evaluate/difference';
import { useBackend } from '../helpers';

test('relativeDifference is the largest difference over the largest value of the second tensor', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const b = tf.tensor2d([[1, -4], [2, 0]]);
  const a = tf.tensor2d([[1, -4.5], [2.2, 0]]);
  assert.ok(Math.abs(relativeDifference(a, b) - 0.5 / 4) < 1e-7);
  assert.equal(relativeDifference(b, b), 0);
  tf.tidy(() => {
    assert.equal(relativeDifference(tf.scalar(0), tf.scalar(0)), 0);
    assert.equal(relativeDifference(tf.scalar(1), tf.scalar(0)), Infinity);
    assert.throws(() => relativeDifference(a, tf.zeros([4])), /shapes differ/);
    assert.throws(() => relativeDifference(tf.scalar(NaN), tf.scalar(1)), /not finite/);
  });
  tf.dispose([a, b]);
  assert.equal(tf.memory().numTensors, before);
});
