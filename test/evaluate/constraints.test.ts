import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { constraintFigures, lowestOf, measureConstraint } from '../../src/evaluate/constraints';
import { codeActivity } from '../../src/evaluate/activity';
import { identityGap } from '../../src/evaluate/identity';
import { encodeAll, reconstructionError } from '../../src/evaluate/reconstruction';
import { codeSensitivity } from '../../src/evaluate/sensitivity';
import { denseAutoencoder } from '../../src/models/dense';
import { useBackend } from '../helpers';

test('measureConstraint gives the errors, silent units, sensitivity and identity gap of a model', async () => {
  await useBackend('cpu');
  const clean = tf.randomUniform([6, 12], 0, 1, 'float32', 1);
  const noisy = tf.randomUniform([6, 12], 0, 1, 'float32', 2);
  const directions = tf.eye(12).slice([0, 0], [12, 3]) as tf.Tensor2D;
  const model = denseAutoencoder({ inputSize: 12, hidden: [], code: 8, seed: 4 });
  const before = tf.memory().numTensors;
  const row = measureConstraint(model, { clean, noisy, directions, seed: 3 });
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
  const codes = encodeAll(model, clean);
  const activity = codeActivity(codes);
  assert.equal(row['clean error'], reconstructionError(model, clean));
  assert.equal(row['noisy error'], reconstructionError(model, noisy, { target: clean }));
  assert.equal(row['share of units off per image'], activity.dormantFraction);
  assert.equal(row['share of units dead'], activity.deadFraction);
  assert.equal(row.sensitivity, codeSensitivity(model, clean));
  assert.equal(row['identity gap'], identityGap(model, clean as tf.Tensor2D, directions, { seed: 3 }));
  assert.notEqual(row['clean error'], row['noisy error']);
  assert.throws(() => measureConstraint(model, { clean, noisy: noisy.slice(0, 3), directions, seed: 3 }), /noisy has 3 images/);
  assert.throws(() => measureConstraint(model, { clean, noisy, directions, seed: NaN }), /seed/);
  model.dispose();
  tf.dispose([clean, noisy, directions, codes]);
});

test('lowestOf judges one row against all others and name every figure', () => {
  const measures = { 'noisy error': 0, 'share of units off per image': 0, 'share of units dead': 0, sensitivity: 0, 'identity gap': 0 };
  const rows = [
    { method: 'a', 'clean error': 0.02, ...measures },
    { method: 'b', 'clean error': 0.03, ...measures },
    { method: 'c', 'clean error': 0.05, ...measures },
  ];
  const low = lowestOf(rows, 'clean error', 'a', 'MSE per pixel');
  assert.equal(low.holds, true);
  assert.deepEqual(low.figures, { 'a, clean error, MSE per pixel': 0.02, 'b, clean error, MSE per pixel': 0.03, 'c, clean error, MSE per pixel': 0.05 });
  assert.equal(lowestOf(rows, 'clean error', 'b').holds, false);
  assert.deepEqual(Object.keys(lowestOf(rows, 'clean error', 'c').figures), ['a, clean error', 'b, clean error', 'c, clean error']);
  // A tie is not a win.
  assert.equal(lowestOf([rows[0], { ...rows[1], 'clean error': 0.02 }], 'clean error', 'a').holds, false);
  assert.throws(() => lowestOf(rows, 'clean error', 'd'), /no row has method 'd'/);
});

test('constraintFigures lists every measure of every row, named with its model and unit', () => {
  const row = {
    method: 'control', 'clean error': 0.027, 'noisy error': 0.031, 'share of units off per image': 0.45,
    'share of units dead': 0.1, sensitivity: 23.9, 'identity gap': 0.92,
  };
  const figures = constraintFigures([row, { ...row, method: 'L1' }]);
  assert.equal(figures.length, 12);
  assert.deepEqual(figures[0], { figure: 'control: clean error (MSE per pixel)', value: 0.027 });
  assert.deepEqual(figures.find((f) => f.figure.startsWith('L1: sensitivity')), { figure: 'L1: sensitivity (‖∂h/∂x‖_F)', value: 23.9 });
  assert.equal(new Set(figures.map((f) => f.figure)).size, 12, 'no two figures share a name');
});
