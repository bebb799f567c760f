import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { inspect } from 'util';
import { printsAs } from '../src/printsAs';
import { TrainingInterrupted } from '../src/train/interrupt';

test('printsAs: an object prints as its text in Node (as in a notebook), and its keys do not change', () => {
  const history = printsAs({ rows: [1, 2], stopReason: 'completed' }, () => '[training history: 2 epochs, completed]');
  assert.equal(inspect(history), '[training history: 2 epochs, completed]');
  assert.deepEqual(Object.keys(history), ['rows', 'stopReason']);
  assert.deepEqual(JSON.parse(JSON.stringify(history)), { rows: [1, 2], stopReason: 'completed' });
  assert.notEqual(inspect({ rows: [1, 2] }), '[training history: 2 epochs, completed]', 'a plain object prints its fields');
});

test('an interrupted training prints as its one-line message, not as an object with its history', () => {
  const error = new TrainingInterrupted('train: interrupted in epoch 3 of 10', { rows: new Array(3).fill({}) });
  assert.equal(inspect(error), 'TrainingInterrupted: train: interrupted in epoch 3 of 10');
});
