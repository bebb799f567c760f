import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { convVariationalAutoencoder } from '../../src/models/convVae';
import { loadModel, saveModel } from '../../src/models/saving';
import { VariationalAutoencoder } from '../../src/models/vae';
import { evaluateLoss, train } from '../../src/train/train';
import { useBackend } from '../helpers';

for (const backend of ['cpu', 'wasm'] as const) {
  test(`conv VAE on ${backend}: shapes, finite loss terms, training lowers the loss, no leaks`, async () => {
    await useBackend(backend);
    const x = tf.randomUniform([16, 28, 28, 1], 0, 1, 'float32', 1).round();
    const vae = convVariationalAutoencoder({ filters: [4, 8], latent: 3, seed: 2 });
    assert.equal(vae.name, 'conv VAE 4/8 filters, latent 3');
    assert.deepEqual(vae.inputShape, [28, 28, 1]);
    const { mean, logVar } = vae.encodeDistribution(x);
    assert.deepEqual(mean.shape, [16, 3]);
    assert.deepEqual(logVar.shape, [16, 3]);
    const samples = vae.sample(5, 1);
    assert.deepEqual(samples.shape, [5, 28, 28, 1]);
    tf.dispose([mean, logVar, samples]);
    const before = await evaluateLoss(vae, x);
    assert.ok(Number.isFinite(before.total) && before.kl >= 0 && before.reconstruction > 0);
    const tensors = tf.memory().numTensors;
    await train(vae, x, { epochs: 8, batchSize: 8, learningRate: 3e-3, seed: 1 });
    assert.equal(tf.memory().numTensors, tensors, 'no tensor leaks');
    const after = await evaluateLoss(vae, x);
    assert.ok(after.total < before.total, `loss ${before.total} → ${after.total}`);
    vae.dispose();
    x.dispose();
  });
}

test('conv VAE: bad options throw, and a saved one loads with identical outputs', async () => {
  await useBackend('cpu');
  assert.throws(() => convVariationalAutoencoder({ filters: [8] }), /filters must be 2 numbers/);
  assert.throws(() => convVariationalAutoencoder({ imageSize: 30 }), /divisible by 4/);
  assert.throws(() => convVariationalAutoencoder({ latnet: 2 } as never), /unknown option 'latnet'/);
  const vae = convVariationalAutoencoder({ filters: [4, 8], latent: 2, seed: 3 });
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ae-cvae-')), 'model');
  await saveModel(vae, dir);
  const loaded = (await loadModel(dir)) as VariationalAutoencoder;
  const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 4);
  const [a, b] = [vae.reconstruct(x), loaded.reconstruct(x)];
  assert.equal(tf.tidy(() => a.sub(b).abs().max().dataSync()[0]), 0);
  assert.equal(loaded.name, vae.name);
  tf.dispose([a, b, x]);
  vae.dispose();
  loaded.dispose();
});
