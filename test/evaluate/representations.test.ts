import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { scaledBySpread } from '../../src/evaluate/representations';
import { useBackend } from '../helpers';

test('scaledBySpread divides train and test by the spread of all training values, leaking nothing', async () => {
  await useBackend('cpu');
  const train = tf.tensor2d([[0, 2], [4, 6]]); // mean 3, variance (9 + 1 + 1 + 9) / 4 = 5
  const testSet = tf.tensor2d([[5, 10]]);
  const before = tf.memory().numTensors;
  const scaled = scaledBySpread({ name: 'r', width: 2, train, test: testSet });
  assert.equal(tf.memory().numTensors, before + 2);
  const s = Math.sqrt(5);
  const close = (a: ArrayLike<number>, b: number[]) => Array.from(a).forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-5, `${v} vs ${b[i]}`));
  close(scaled.train.dataSync(), [0, 2 / s, 4 / s, 6 / s]);
  close(scaled.test.dataSync(), [5 / s, 10 / s]);
  tf.dispose([train, testSet, scaled.train, scaled.test]);
});

test('scaledBySpread refuses mismatched widths, a wrong rank and constant values', async () => {
  await useBackend('cpu');
  const train = tf.tensor2d([[1, 2]]);
  assert.throws(() => scaledBySpread({ name: 'r', width: 2, train, test: tf.tensor2d([[1, 2, 3]]) }), /r: train has 2 numbers per image, test 3/);
  assert.throws(() => scaledBySpread({ name: 'r', width: 2, train: tf.tensor1d([1, 2]) as never, test: train }), /must be \(images, numbers\)/);
  assert.throws(() => scaledBySpread({ name: 'c', width: 2, train: tf.ones([3, 2]) as tf.Tensor2D, test: train }), /c: the training values do not vary/);
});
