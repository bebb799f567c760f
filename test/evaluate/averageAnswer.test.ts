import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { averageAnswer } from '../../src/evaluate/averageAnswer';
import { errorPerSample } from '../../src/evaluate/reconstruction';
import { useBackend } from '../helpers';

test('averageAnswer answers the mean training sample for every input, in the input\'s shape', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const train = tf.tensor3d([[[1], [2]], [[3], [6]]]); // two windows of 2 steps: mean [[2], [4]]
  const yardstick = averageAnswer(train);
  const answer = tf.tidy(() => Array.from(yardstick.reconstruct(tf.zeros([3, 2, 1])).dataSync()));
  assert.deepEqual(answer, [2, 4, 2, 4, 2, 4]);
  // Its error on a sample is that sample's squared distance from the mean, per value.
  const probe = tf.tensor3d([[[2], [4]], [[0], [0]]]);
  assert.deepEqual(Array.from(errorPerSample(yardstick, probe)), [0, (4 + 16) / 2]);
  tf.tidy(() => {
    assert.throws(() => yardstick.reconstruct(tf.zeros([1, 3, 1])), /samples were \[2, 1\] each, this input's are \[3, 1\]/);
    assert.throws(() => averageAnswer(tf.zeros([4])), /give a batch of samples \(N, \.\.\.\)/);
  });
  tf.dispose([probe, train]);
  yardstick.dispose();
  assert.equal(tf.memory().numTensors, before);
});
