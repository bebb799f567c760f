import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { corrupt } from '../../src/data/corruption';
import { useBackend } from '../helpers';

const SHAPE = [200, 500];

test('gaussian noise has the stated σ (before clipping) and is clipped to [0, 1] by default', async () => {
  await useBackend('cpu');
  const x = tf.fill(SHAPE, 0.5);
  const raw = corrupt(x, { type: 'gaussian', sigma: 0.1, clip: false }, 1);
  const noise = tf.tidy(() => raw.sub(x));
  const mean = noise.mean().dataSync()[0];
  const std = tf.tidy(() => noise.square().mean().sqrt().dataSync()[0]);
  assert.ok(Math.abs(mean) < 0.002, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.1) < 0.002, `std ${std}`);
  const clipped = corrupt(x, { type: 'gaussian', sigma: 2 }, 1);
  assert.ok(clipped.min().dataSync()[0] >= 0 && clipped.max().dataSync()[0] <= 1);
  tf.dispose([x, raw, noise, clipped]);
});

test('masking zeroes the stated fraction and leaves the rest unchanged', async () => {
  await useBackend('cpu');
  const x = tf.fill(SHAPE, 0.7);
  const masked = corrupt(x, { type: 'masking', fraction: 0.25 }, 2);
  const zeros = tf.tidy(() => masked.equal(0).toFloat().mean().dataSync()[0]);
  const unchanged = tf.tidy(() => masked.equal(0.7).toFloat().mean().dataSync()[0]);
  assert.ok(Math.abs(zeros - 0.25) < 0.005, `zeroed ${zeros}`);
  assert.ok(Math.abs(zeros + unchanged - 1) < 1e-5, "every value is either zeroed or unchanged");
  tf.dispose([x, masked]);
});

test('salt and pepper replaces the stated fraction, half by 0 and half by 1', async () => {
  await useBackend('cpu');
  const x = tf.fill(SHAPE, 0.5);
  const noisy = corrupt(x, { type: 'saltAndPepper', fraction: 0.2 }, 3);
  const salt = tf.tidy(() => noisy.equal(1).toFloat().mean().dataSync()[0]);
  const pepper = tf.tidy(() => noisy.equal(0).toFloat().mean().dataSync()[0]);
  assert.ok(Math.abs(salt - 0.1) < 0.005 && Math.abs(pepper - 0.1) < 0.005, `salt ${salt}, pepper ${pepper}`);
  tf.dispose([x, noisy]);
});

test('the same seed gives the same noise, another seed other noise; x is unchanged', async () => {
  await useBackend('cpu');
  const x = tf.randomUniform([10, 10], 0, 1, 'float32', 1);
  const copy = x.clone();
  const a = corrupt(x, { type: 'masking', fraction: 0.5 }, 7);
  const b = corrupt(x, { type: 'masking', fraction: 0.5 }, 7);
  const c = corrupt(x, { type: 'masking', fraction: 0.5 }, 8);
  assert.deepEqual(a.arraySync(), b.arraySync());
  assert.notDeepEqual(a.arraySync(), c.arraySync());
  assert.deepEqual(x.arraySync(), copy.arraySync());
  assert.throws(() => corrupt(x, { type: 'masking', fraction: 2 }, 1), /fraction must be between 0 and 1, got 2/);
  assert.throws(() => corrupt(x, { type: 'blur' } as never, 1), /Unknown corruption/);
  tf.dispose([x, copy, a, b, c]);
});

test('corrupt refuses a missing or non-finite seed instead of drawing unseeded noise', async () => {
  await useBackend('cpu');
  const x = tf.fill([4, 4], 0.5);
  const tensorsBefore = tf.memory().numTensors;
  for (const corruption of [{ type: 'masking', fraction: 0.5 }, { type: 'saltAndPepper', fraction: 0.5 }, { type: 'gaussian', sigma: 0.1 }] as const) {
    assert.throws(() => corrupt(x, corruption, undefined as never), /seed must be a finite number, got undefined/);
    assert.throws(() => corrupt(x, corruption, NaN), /seed must be a finite number, got NaN/);
  }
  assert.equal(tf.memory().numTensors, tensorsBefore, 'no noise tensor is left behind');
  x.dispose();
});
