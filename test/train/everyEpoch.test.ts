import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { denseAutoencoder } from '../../src/models/dense';
import { everyEpoch } from '../../src/train/everyEpoch';
import { train } from '../../src/train/train';
import { reconstructionError } from '../../src/evaluate/reconstruction';
import { useBackend } from '../helpers';

test('everyEpoch: one row per epoch, numbered, with what measure returned then', async () => {
  await useBackend('cpu');
  const x = tf.randomUniform([32, 8], 0, 1, 'float32', 1);
  const model = denseAutoencoder({ inputSize: 8, hidden: [], code: 3, seed: 1 });
  const track = everyEpoch(() => ({ error: reconstructionError(model, x) }));
  await train(model, x, { epochs: 3, batchSize: 8, seed: 1, learningRate: 1e-2, callbacks: track });
  assert.deepEqual(track.rows.map((r) => r.epoch), [1, 2, 3]);
  assert.equal(track.rows[2].error, reconstructionError(model, x), 'the last row measures the trained model');
  assert.ok(track.rows[2].error < track.rows[0].error, 'the error falls as it trains');
  model.dispose();
  x.dispose();
});

test('everyEpoch: bad measures throw', () => {
  assert.throws(() => everyEpoch(undefined as unknown as () => object), /measure must be a function/);
  const track = everyEpoch(() => 3 as unknown as object);
  assert.throws(() => track.onEpochEnd({ epoch: 1, seconds: 0 }), /return an object/);
});
