import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { codeActivity } from '../../src/evaluate/activity';
import { useBackend } from '../helpers';

test('code activity: dormant, dead and firing rates', async () => {
  await useBackend('cpu');
  const codes = tf.tensor2d([[0, 2, 0, 0], [0, 1, 3, 0]]);
  const activity = codeActivity(codes);
  assert.deepEqual(Array.from(activity.firingRate), [0, 1, 0.5, 0]);
  assert.equal(activity.deadFraction, 0.5);
  assert.equal(activity.busyFraction, 0.25, 'one unit of four fires on more than half: a rate of 0.5 is not busy');
  assert.equal(activity.activePerSample, 1.5);
  assert.equal(activity.dormantFraction, 1 - 1.5 / 4);
  assert.deepEqual(Array.from(activity.meanActivation), [0, 1.5, 1.5, 0]);
  codes.dispose();
});
