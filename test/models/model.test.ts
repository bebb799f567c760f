import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { convAutoencoder } from '../../src/models/conv';
import { denseAutoencoder } from '../../src/models/dense';
import { checkInputShape } from '../../src/models/model';
import { useBackend } from '../helpers';

test('a batch of the wrong shape gets an error saying how to fix it', async () => {
  await useBackend('cpu');
  const dense = denseAutoencoder();
  assert.throws(() => dense.encode(tf.zeros([2, 28, 28, 1])), /samples have shape \(28, 28, 1\) but the model takes \(784\).*layout: 'flat'/);
  const conv = convAutoencoder();
  assert.throws(() => conv.reconstruct(tf.zeros([2, 784])), /layout: 'image'/);
  dense.dispose();
  conv.dispose();
});

test('checkInputShape: silent on a fitting batch; otherwise names the model, what, both shapes and a fix', async () => {
  await useBackend('cpu');
  const flat = { name: 'flat model', inputShape: [784] };
  const image = { name: 'image model', inputShape: [28, 28, 1] };
  const batch = (shape: number[]) => tf.zeros(shape);
  const tensors = [batch([3, 784]), batch([3, 28, 28, 1]), batch([3, 10]), batch([3, 14, 14, 1])];
  const [flatBatch, imageBatch, shortBatch, smallImages] = tensors;
  checkInputShape(flat, flatBatch);
  checkInputShape(image, imageBatch);
  assert.throws(
    () => checkInputShape(flat, imageBatch),
    { message: "flat model: input samples have shape (28, 28, 1) but the model takes (784). Load the data with layout: 'flat' for dense models." },
  );
  assert.throws(
    () => checkInputShape(image, flatBatch),
    { message: "image model: input samples have shape (784) but the model takes (28, 28, 1). Load the data with layout: 'image' for conv models." },
  );
  assert.throws(() => checkInputShape(flat, shortBatch), /flat model: input samples have shape \(10\) but the model takes \(784\)\. Reshape the data or build the model for it\./);
  assert.throws(() => checkInputShape(image, smallImages), /\(14, 14, 1\) but the model takes \(28, 28, 1\)\. Reshape the data/);
  assert.throws(() => checkInputShape({ name: 'decoder', inputShape: [4] }, shortBatch, 'code'), /^Error: decoder: code samples have shape \(10\)/);
  tf.dispose(tensors);
});
