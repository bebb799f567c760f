import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { codecSweep } from '../../src/evaluate/codecSweep';
import { codecRoundTrip } from '../../src/evaluate/codecs';
import { mean, psnr } from '../../src/evaluate/reconstruction';
import { loadFashionMnist } from '../../src/data/fashionMnist';
import { disposeDataset } from '../../src/data/imageDataset';
import { useBackend } from '../helpers';

test('codecSweep: a point per codec and quality, codec after codec, the same as one round trip', async () => {
  await useBackend('cpu');
  const data = loadFashionMnist({ limit: 10 });
  const before = tf.memory().numTensors;
  const points = await codecSweep(data.test.x, [20, 80], ['jpeg', 'webp']);
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
  assert.deepEqual(points.map((p) => `${p.method} ${p.setting}`), ['jpeg quality 20', 'jpeg quality 80', 'webp quality 20', 'webp quality 80']);
  const one = await codecRoundTrip(data.test.x, 'webp', 80);
  assert.equal(points[3].bytes, mean(one.bytes));
  assert.equal(points[3].payload, mean(one.payloadBytes));
  assert.equal(points[3].psnr, psnr(data.test.x, one.decoded));
  assert.ok(points.every((p) => p.ssim > 0 && p.ssim <= 1 && p.payload < p.bytes));
  one.decoded.dispose();
  disposeDataset(data);
});

test('codecSweep rejects an empty list of qualities or codecs', async () => {
  await useBackend('cpu');
  const x = tf.zeros([1, 784]);
  await assert.rejects(codecSweep(x, []), /qualities/);
  await assert.rejects(codecSweep(x, [50], []), /codecs/);
  x.dispose();
});
