/**
 * The tfjs-node user's path for lesson 09's sequence models: no kernel of ours, tfjs's own Adam
 * (as stockKernels.test.ts does for the image models; its own process, as every test file).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setupBackend } from '../../src/backend';
import { isOurKernel } from '../../src/backend/replaceKernel';
import { conv1dAutoencoder } from '../../src/models/conv1dAutoencoder';
import { lstmAutoencoder } from '../../src/models/lstmAutoencoder';
import { train } from '../../src/train/train';
import { sineWindows } from '../models/sequence.shared';

test('training with tfjs\'s stock kernels and Adam lowers the loss (LSTM and conv1d auto-encoders)', async () => {
  const report = await setupBackend({ force: 'cpu', fastKernels: false, log: () => {} });
  assert.equal(report.fastKernels, false);
  for (const kernel of [tf.BatchMatMul, tf._FusedMatMul, tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput]) {
    assert.ok(!isOurKernel(kernel, 'cpu'), `${kernel} is tfjs's own`);
  }
  const x = sineWindows(16);
  for (const model of [lstmAutoencoder({ steps: 16, code: 4, hidden: 8, seed: 1 }), conv1dAutoencoder({ steps: 16, filters: [8, 4], code: 4, seed: 1 })]) {
    const history = await train(model, x, { epochs: 6, batchSize: 16, learningRate: 1e-2, seed: 1 });
    assert.ok(history.rows[5].total < history.rows[0].total, `${model.name}: ${history.rows[0].total} → ${history.rows[5].total}`);
    model.dispose();
  }
  x.dispose();
});
