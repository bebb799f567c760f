import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { stockKernel } from '../../src/backend/replaceKernel';
import { useBackend } from '../helpers';

test('wasm clone (our sharing Identity) keeps its values when the original is disposed or reassigned, and frees memory once', async () => {
  await useBackend('wasm');
  assert.ok(stockKernel(tf.Identity, 'wasm'), 'our Identity replaced the stock one');
  const buffers = () => (tf.memory() as tf.MemoryInfo & { numDataBuffers: number }).numDataBuffers;
  const before = { tensors: tf.memory().numTensors, buffers: buffers() };
  const x = tf.tensor2d([[1, 2], [3, 4]]);
  const copy = tf.clone(x);
  assert.equal(buffers(), before.buffers + 1, 'the clone shares the buffer (stock wasm copies it)');
  x.dispose();
  assert.deepEqual(Array.from(copy.dataSync()), [1, 2, 3, 4]);
  copy.dispose();
  assert.equal(buffers(), before.buffers, 'freed when the last reference goes');
  assert.equal(tf.memory().numTensors, before.tensors);

  const v = tf.variable(tf.tensor1d([5, 6, 7]));
  const snapshot = tf.clone(v);
  v.assign(tf.tensor1d([0, 0, 0]));
  assert.deepEqual(Array.from(snapshot.dataSync()), [5, 6, 7]);
  assert.deepEqual(Array.from(v.dataSync()), [0, 0, 0]);
  tf.dispose([v, snapshot]);

  const words = tf.tensor1d(['a', 'bc'], 'string');
  const wordsCopy = tf.clone(words);
  words.dispose();
  assert.deepEqual(wordsCopy.dataSync(), ['a', 'bc']);
  wordsCopy.dispose();
});

test('wasm gradients with saved (cloned) tensors match cpu', async () => {
  const run = () => tf.tidy(() => {
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 61);
    const w = tf.randomNormal([5, 4], 0, 1, 'float32', 62);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sigmoid(tf.matMul(a, b)).square().sum())([x, w]);
    return g.map((t) => Array.from(t.dataSync()));
  });
  await useBackend('cpu');
  const expected = run();
  await useBackend('wasm');
  const actual = run();
  actual.forEach((values, k) => values.forEach((v, i) => assert.ok(Math.abs(v - expected[k][i]) < 1e-4, `gradient ${k} entry ${i}`)));
});
