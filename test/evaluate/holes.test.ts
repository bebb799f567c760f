import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { holeRatio } from '../../src/evaluate/holes';
import { useBackend } from '../helpers';

test('holeRatio is near 1 for random codes from the codes\' own distribution, large for codes in a hole', async () => {
  await useBackend('wasm');
  const before = tf.memory().numTensors;
  const trainCodes = tf.randomNormal([3000, 2], 0, 1, 'float32', 1);
  const alike = tf.randomNormal([300, 2], 0, 1, 'float32', 2);
  const ratio = holeRatio(trainCodes, alike);
  assert.ok(ratio > 0.7 && ratio < 1.4, `same distribution: ${ratio}`);
  // The same random codes, shifted by 6 standard deviations: far from every training code.
  const shifted = alike.add(6);
  assert.ok(holeRatio(trainCodes, shifted) > 20 * ratio);
  // Unitless: scaling both sets by 10 leaves it unchanged.
  const [bigTrain, bigAlike] = [trainCodes.mul(10), alike.mul(10)];
  assert.ok(Math.abs(holeRatio(bigTrain, bigAlike) - ratio) < 1e-4 * ratio);
  tf.dispose([shifted, bigTrain, bigAlike]);
  assert.equal(tf.memory().numTensors, before + 2, 'only the two inputs remain');
  tf.dispose([trainCodes, alike]);
});

test('holeRatio against a plain loop over the points', async () => {
  await useBackend('wasm');
  const train = [[0, 0], [1, 0], [0, 2], [3, 3], [5, 0]];
  const random = [[0.5, 0], [4, 4]];
  // Spacing over the first two training codes: [0,0]→[1,0] is 1, [1,0]→[0,0] is 1.
  // Random codes: [0.5,0] is 0.5 from [0,0]; [4,4] is √2 from [3,3].
  const expected = ((0.5 + Math.SQRT2) / 2) / 1;
  const ratio = holeRatio(tf.tensor2d(train), tf.tensor2d(random));
  assert.ok(Math.abs(ratio - expected) < 1e-6, `${ratio} vs ${expected}`);
});

test('holeRatio names what is wrong with its inputs', async () => {
  await useBackend('cpu');
  const codes = tf.zeros([10, 2]);
  assert.throws(() => holeRatio(tf.zeros([10]), codes), /trainCodes must be \(codes, code size\)/);
  assert.throws(() => holeRatio(codes, tf.zeros([0, 2])), /randomCodes must be/);
  assert.throws(() => holeRatio(codes, tf.zeros([3, 4])), /randomCodes have 4 numbers per code but trainCodes 2/);
  assert.throws(() => holeRatio(codes, tf.zeros([10, 2])), /more codes than randomCodes \(10\)/);
});
