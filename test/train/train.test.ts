import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { denseAutoencoder } from '../../src/models/dense';
import { variationalAutoencoder } from '../../src/models/vae';
import { evaluateLoss, train } from '../../src/train/train';
import { loadFashionMnist } from '../../src/data/fashionMnist';
import { disposeDataset } from '../../src/data/imageDataset';
import { useBackend } from '../helpers';

test('no tensor leaks: the tensor count after epoch 1 equals that after epoch 20', async () => {
  await useBackend('wasm');
  const data = loadFashionMnist({ limit: 64 });
  for (const model of [denseAutoencoder({ hidden: [32], code: 8, seed: 1 }), variationalAutoencoder({ hidden: [32], latent: 2, seed: 1 })]) {
    const counts: number[] = [];
    await train(model, data.train.x, {
      epochs: 20, batchSize: 16, validation: data.test.x, corruption: { type: 'gaussian', sigma: 0.2 },
      onEpochEnd: () => { counts.push(tf.memory().numTensors); },
    });
    assert.equal(counts.length, 20);
    assert.equal(counts[19], counts[0], `${model.name}: ${counts.join(' ')}`);
    model.dispose();
  }
  const before = tf.memory().numTensors;
  disposeDataset(data);
  assert.equal(tf.memory().numTensors, before - 2);
});

test('history: one row per epoch with every loss term, validation and seconds; a danfojs table', async () => {
  await useBackend('wasm');
  const data = loadFashionMnist({ limit: 64 });
  const vae = variationalAutoencoder({ hidden: [32], latent: 2, seed: 1 });
  const history = await train(vae, data.train.x, { epochs: 3, batchSize: 32, validation: data.test.x });
  assert.equal(history.rows.length, 3);
  assert.equal(history.stopReason, 'completed');
  for (const key of ['epoch', 'seconds', 'total', 'reconstruction', 'kl', 'val_total', 'val_reconstruction', 'val_kl']) {
    assert.ok(Number.isFinite(history.rows[2][key]), key);
  }
  const row = history.rows[2];
  assert.ok(Math.abs(row.total - (row.reconstruction + row.kl)) < 1e-2 * row.total);
  const frame = history.toDataFrame();
  assert.deepEqual(frame.shape, [3, Object.keys(row).length]);
  const test = await evaluateLoss(vae, data.test.x);
  assert.ok(Math.abs(test.total - row.val_total) / row.val_total < 1e-6, 'validation in the history is evaluateLoss on the same data');
  vae.dispose();
  disposeDataset(data);
});

test('seeded training is reproducible on the same backend', async () => {
  await useBackend('wasm');
  const data = loadFashionMnist({ limit: 64 });
  const run = async (seed: number) => {
    const ae = denseAutoencoder({ hidden: [32], code: 8, seed });
    const history = await train(ae, data.train.x, { epochs: 2, batchSize: 16, seed, corruption: { type: 'masking', fraction: 0.3 } });
    const weights = Array.from(ae.decoder.layers[0].weights.kernel.dataSync());
    ae.dispose();
    return { losses: history.rows.map((r) => r.total), weights };
  };
  const a = await run(3);
  const b = await run(3);
  const c = await run(4);
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.weights, b.weights);
  assert.notDeepEqual(a.losses, c.losses);
  disposeDataset(data);
});

test('batch hooks: called every batch, with the loss read back only when asked', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 10, hidden: [], code: 3 });
  const x = tf.randomUniform([50, 10], 0, 1, 'float32', 1);
  const calls: { batch: number; loss?: Record<string, number> }[] = [];
  await train(ae, x, { epochs: 1, batchSize: 10, batchLossEvery: 2, onBatchEnd: (info) => { calls.push(info); } });
  assert.equal(calls.length, 5);
  assert.deepEqual(calls.map((c) => c.loss !== undefined), [true, false, true, false, true]);
  assert.ok(calls[0].loss!.total > 0);
  ae.dispose();
  x.dispose();
});

test('early stopping stops when the loss stops improving and restores the best weights', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 10, hidden: [], code: 3, seed: 1 });
  const x = tf.randomUniform([40, 10], 0, 1, 'float32', 1);
  // A learning rate this large makes the loss bounce: early stopping must catch it.
  const history = await train(ae, x, { epochs: 50, batchSize: 40, optimizer: 'sgd', learningRate: 40, earlyStopping: { patience: 2 } });
  assert.ok(history.rows.length < 50, `stopped after ${history.rows.length} epochs`);
  assert.match(history.stopReason, /early stop after epoch \d+: total did not improve for 2 epochs/);
  const best = Math.min(...history.rows.map((r) => r.total));
  const now = (await evaluateLoss(ae, x)).total;
  assert.ok(now <= history.rows[history.rows.length - 1].total + 1e-6 || Math.abs(now - best) < best, 'weights restored');
  ae.dispose();
  x.dispose();
});

test('bad options and bad data get clear errors', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 10, hidden: [], code: 3 });
  const x = tf.randomUniform([8, 10]);
  await assert.rejects(train(ae, x, { batchSize: 0 }), /batchSize must be a whole number > 0, got 0/);
  await assert.rejects(train(ae, x, { epochs: 1.5 }), /epochs must be a whole number > 0/);
  await assert.rejects(train(ae, x, { learningRate: -1 }), /learningRate must be a number > 0/);
  await assert.rejects(train(ae, x, { optimizer: 'lbfgs' as never }), /optimizer must be adam, sgd or rmsprop/);
  await assert.rejects(train(ae, x, { epoch: 3 } as never), /unknown option 'epoch'/);
  await assert.rejects(train(ae, x, { corruption: { type: 'gaussian', sigma: -1 } }), /sigma must be a number ≥ 0/);
  await assert.rejects(train(ae, tf.zeros([8, 12])), /samples have shape \(12\) but the model takes \(10\)/);
  await assert.rejects(train(ae, x, { validation: tf.zeros([2, 5]) }), /validation samples have shape \(5\)/);
  const withNaN = tf.tensor2d([[...new Array(9).fill(0), NaN]]);
  await assert.rejects(train(ae, withNaN), /the training data contains NaN or infinite values/);
  ae.dispose();
});

test('a loss that becomes NaN stops training with a message saying so', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 10, hidden: [], code: 3, outputActivation: 'linear', codeActivation: 'linear', seed: 1 });
  const x = tf.randomUniform([40, 10], 0, 100, 'float32', 1);
  await assert.rejects(
    train(ae, x, { epochs: 30, batchSize: 40, optimizer: 'sgd', learningRate: 10 }),
    /the loss became (NaN|Infinity) in epoch \d+ of .*Lower the learningRate \(now 10\)/,
  );
  ae.dispose();
  x.dispose();
});
