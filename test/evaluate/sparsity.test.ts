import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { codeActivity } from '../../src/evaluate/activity';
import { encodeAll, reconstructionError } from '../../src/evaluate/reconstruction';
import { measureSparsity, sparsityFigures } from '../../src/evaluate/sparsity';
import { denseAutoencoder } from '../../src/models/dense';
import { useBackend } from '../helpers';

test('measureSparsity gives the error and the activity of the codes, and frees them', async () => {
  await useBackend('cpu');
  const x = tf.randomUniform([40, 20], 0, 1, 'float32', 1);
  const model = denseAutoencoder({ inputSize: 20, hidden: [], code: 30, codeActivation: 'linear', kSparse: 4, seed: 3 });
  const before = tf.memory().numTensors;
  const row = measureSparsity(model, x, 0.1);
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  const codes = encodeAll(model, x);
  const activity = codeActivity(codes, 0.1);
  assert.equal(row['test error'], reconstructionError(model, x));
  assert.equal(row['active units per image'], activity.activePerSample);
  assert.ok(row['active units per image'] <= 4, 'a 4-sparse code has at most 4 active units');
  assert.equal(row['share of units dead'], activity.deadFraction);
  assert.ok(Math.abs(row['mean activation'] - codes.mean().dataSync()[0]) < 1e-6);
  assert.throws(() => measureSparsity(model, x, -1), /threshold/);
  tf.dispose([x, codes]);
  model.dispose();
});

test('sparsityFigures: three figures a row, named with the model and the unit', () => {
  const row = { model: 'L1', 'test error': 0.03, 'active units per image': 12.5, 'mean activation': 0.2, 'share of units dead': 0.6 };
  assert.deepEqual(sparsityFigures([row]), [
    { figure: 'L1: test error (MSE per pixel)', value: 0.03 },
    { figure: 'L1: active units per image', value: 12.5 },
    { figure: 'L1: share of units dead', value: 0.6 },
  ]);
});
