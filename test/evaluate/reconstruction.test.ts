import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { bcePerPixel, encodeAll, msePerPixel, msePerSample, psnr, psnrFromMse, reconstructAll } from '../../src/evaluate/reconstruction';
import { denseAutoencoder } from '../../src/models/dense';
import { useBackend } from '../helpers';

test('MSE, BCE and PSNR on known values', async () => {
  await useBackend('cpu');
  const a = tf.tensor2d([[0, 1], [1, 1]]);
  const b = tf.tensor2d([[0.1, 1], [1, 0.8]]);
  assert.ok(Math.abs(msePerPixel(a, b) - (0.01 + 0.04) / 4) < 1e-7);
  const perSample = msePerSample(a, b);
  assert.ok(Math.abs(perSample[0] - 0.005) < 1e-7 && Math.abs(perSample[1] - 0.02) < 1e-7);
  assert.ok(Math.abs(psnrFromMse(0.01) - 20) < 1e-9);
  assert.ok(Math.abs(psnr(a, b) - (psnrFromMse(0.005) + psnrFromMse(0.02)) / 2) < 1e-4);
  const bce = (-Math.log(0.9) - Math.log(0.8)) / 4;
  assert.ok(Math.abs(bcePerPixel(a, b) - bce) < 1e-4);
  assert.throws(() => msePerPixel(a, tf.zeros([3, 2])), /shapes differ/);
  tf.dispose([a, b]);
});

test('encodeAll and reconstructAll work in batches and match one big call', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ code: 6, seed: 1 });
  const x = tf.randomUniform([23, 784], 0, 1, 'float32', 1);
  const whole = ae.encode(x);
  const batched = encodeAll(ae, x, 5);
  assert.ok(tf.tidy(() => whole.sub(batched).abs().max().dataSync()[0]) < 1e-5);
  const rebuilt = reconstructAll(ae, x, 7);
  assert.deepEqual(rebuilt.shape, [23, 784]);
  tf.dispose([x, whole, batched, rebuilt]);
  ae.dispose();
});
