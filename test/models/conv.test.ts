import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { convAutoencoder } from '../../src/models/conv';
import { checkModelBasics, useBackend } from '../helpers';

test('conv: shapes, finite non-negative loss, no leaks, and a few steps lower the loss', () =>
  checkModelBasics({ name: 'conv', make: () => convAutoencoder({ filters: [8, 4], code: 16, seed: 1 }), layout: 'image', code: 16, learningRate: 3e-3 }));

test('conv: each strided layer halves the image, the decoder mirrors the encoder', async () => {
  await useBackend('cpu');
  const ae = convAutoencoder({ imageSize: 16, channels: 3, filters: [4, 6], code: 5, seed: 2 });
  assert.equal(ae.name, 'conv 4/6 filters, code 5');
  assert.deepEqual(ae.inputShape, [16, 16, 3]);
  const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 1);
  const shapes = tf.tidy(() => {
    const out: number[][] = [];
    ae.encoder.layers.reduce((h, layer) => { const y = layer.apply(h); out.push(y.shape); return y; }, x as tf.Tensor);
    return out;
  });
  assert.deepEqual(shapes, [[2, 8, 8, 4], [2, 4, 4, 6], [2, 96], [2, 5]]);
  const output = ae.reconstruct(x);
  assert.deepEqual(output.shape, [2, 16, 16, 3]);
  const [low, high] = tf.tidy(() => [output.min().dataSync()[0], output.max().dataSync()[0]]);
  assert.ok(low >= 0 && high <= 1, 'the last layer is a sigmoid: pixels in [0, 1]');
  tf.dispose([x, output]);
  ae.dispose();
});

test('bad conv options are refused by name', () => {
  assert.throws(() => convAutoencoder({ filters: [4, 4, 4] }), /imageSize 28 is not divisible by 8/);
  // Added: the other checks of convAutoencoder.
  assert.throws(() => convAutoencoder({ filters: [] }), /convAutoencoder: filters must be a non-empty array/);
  assert.throws(() => convAutoencoder({ filters: [8, 0] }), /filters\[1\] must be a whole number > 0, got 0/);
  assert.throws(() => convAutoencoder({ kernelSize: 2.5 }), /kernelSize must be a whole number > 0, got 2.5/);
  assert.throws(() => convAutoencoder({ codeActivation: 'softmax' as never }), /codeActivation must be one of/);
  assert.throws(() => convAutoencoder({ filter: [8] } as never), /convAutoencoder: unknown option 'filter'/);
});
