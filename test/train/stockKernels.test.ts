/**
 * The code path a tfjs-node user takes: no kernel of ours, tfjs's own Adam. tfjs-node cannot be
 * installed in CI, so this file trains a dense AE, a conv AE and a conv VAE with tfjs's stock
 * kernels on cpu (in its own process: the test runner starts one per file).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setupBackend } from '../../src/backend';
import { isOurKernel } from '../../src/backend/replaceKernel';
import { convAutoencoder } from '../../src/models/conv';
import { convVariationalAutoencoder } from '../../src/models/convVae';
import { denseAutoencoder } from '../../src/models/dense';
import { evaluateLoss, train } from '../../src/train/train';

test('training with tfjs\'s stock kernels and Adam lowers the loss (dense, conv and conv VAE)', async () => {
  const report = await setupBackend({ force: 'cpu', fastKernels: false, log: () => {} });
  assert.equal(report.fastKernels, false);
  for (const kernel of [tf.BatchMatMul, tf._FusedMatMul, tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput]) {
    assert.ok(!isOurKernel(kernel, 'cpu'), `${kernel} is tfjs's own`);
  }
  const x = tf.randomUniform([64, 784], 0, 1, 'float32', 3);
  const dense = denseAutoencoder({ code: 8, seed: 1 });
  const denseHistory = await train(dense, x, { epochs: 5, batchSize: 16, seed: 1 });
  assert.ok(denseHistory.rows[4].total < denseHistory.rows[0].total, 'dense loss falls');
  const images = x.slice(0, 16).reshape([16, 28, 28, 1]);
  const conv = convAutoencoder({ code: 8, seed: 2 });
  const convHistory = await train(conv, images, { epochs: 3, batchSize: 8, seed: 1 });
  assert.ok(convHistory.rows[2].total < convHistory.rows[0].total, 'conv loss falls');
  // Lesson 05's conv VAE: its training loss is noisy (sampled codes), so compare whole-set losses.
  const binary = images.round();
  const vae = convVariationalAutoencoder({ filters: [4, 8], latent: 3, seed: 2 });
  const before = (await evaluateLoss(vae, binary)).total;
  await train(vae, binary, { epochs: 8, batchSize: 8, learningRate: 3e-3, seed: 1 });
  const after = (await evaluateLoss(vae, binary)).total;
  assert.ok(after < before, `conv VAE loss falls: ${before} → ${after}`);
  vae.dispose();
  tf.dispose([x, images, binary]);
  dense.dispose();
  conv.dispose();
});
