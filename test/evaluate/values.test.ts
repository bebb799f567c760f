import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { valuesOf, valuesOfAll } from '../../src/evaluate/values';
import { useBackend } from '../helpers';

test('valuesOf reads the values and frees every tensor made on the way', async () => {
  await useBackend('cpu');
  const x = tf.tensor1d([1, 2, 3]);
  const before = tf.memory().numTensors;
  const values = valuesOf(() => x.mul(2).add(1).square());
  assert.ok(values instanceof Float32Array);
  assert.deepEqual(Array.from(values), [9, 25, 49]);
  assert.equal(tf.memory().numTensors, before, 'the intermediates and the result are freed');
  assert.equal(x.isDisposed, false, 'a tensor made outside is left alone');
  assert.throws(() => valuesOf(() => { x.mul(2); throw new Error('broken'); }), /broken/);
  assert.equal(tf.memory().numTensors, before, 'also when making the tensor fails');
  x.dispose();
});

test('valuesOfAll reads several tensors made together and frees them all', async () => {
  await useBackend('cpu');
  const x = tf.tensor2d([[1, 2], [3, 4]]);
  const before = tf.memory().numTensors;
  const [sums, maxima, labels] = valuesOfAll(() => [x.sum(1), x.max(0), x.argMax(1)]);
  assert.deepEqual(Array.from(sums), [3, 7]);
  assert.deepEqual(Array.from(maxima), [3, 4]);
  assert.ok(labels instanceof Int32Array, 'each keeps its dtype');
  assert.deepEqual(Array.from(labels), [1, 1]);
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(valuesOfAll(() => []), []);
  x.dispose();
});
