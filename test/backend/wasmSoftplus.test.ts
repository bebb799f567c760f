import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { stockKernel } from '../../src/backend/replaceKernel';
import { useBackend } from '../helpers';

// Far tails included: log(1 + eˣ) computed naively overflows above 88 and loses everything below −17.
const EXTREMES = [-1e4, -100, -30, -17, -1, -1e-3, 0, 1e-3, 1, 17, 30, 88, 100, 1e4];

const run = () =>
  tf.tidy(() => {
    const x = tf.concat([tf.tensor1d(EXTREMES), tf.randomNormal([500], 0, 6, 'float32', 31)]);
    const [value, gradient] = [tf.softplus(x), tf.grad((v: tf.Tensor) => tf.softplus(v).sum())(x)];
    return { value: Array.from(value.dataSync()), gradient: Array.from(gradient.dataSync()) };
  });

test('wasm softplus (ours) matches the cpu backend, tails included, and keeps its gradient', async () => {
  await useBackend('cpu');
  const expected = run();
  await useBackend('wasm');
  assert.ok(stockKernel(tf.Softplus, 'wasm'), 'our kernel replaced the stock one');
  const before = tf.memory().numTensors;
  const actual = run();
  assert.equal(tf.memory().numTensors, before, 'nothing leaks');
  actual.value.forEach((v, i) => {
    const e = expected.value[i];
    assert.ok(Number.isFinite(v) && Math.abs(v - e) <= 1e-6 * Math.max(1, Math.abs(e)) + 1e-7, `softplus at index ${i}: ${v} vs ${e}`);
  });
  actual.gradient.forEach((g, i) => assert.ok(Math.abs(g - expected.gradient[i]) < 1e-6, `gradient at index ${i}`));
  // softplus(x) ≥ max(x, 0) everywhere, and equals x for large x.
  assert.equal(actual.value[EXTREMES.indexOf(1e4)], 1e4);
  assert.ok(actual.value[EXTREMES.indexOf(-1e4)] >= 0);
});
