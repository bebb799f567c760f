import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { conv1dAutoencoder } from '../../src/models/conv1dAutoencoder';
import { useBackend } from '../helpers';
import { checkSequenceModel, checkSequenceSaveLoad } from './sequence.shared';

for (const backend of ['wasm', 'cpu'] as const) {
  test(`conv1d (${backend}): shapes, finite non-negative loss, no leaks, and a few steps lower the loss`, () =>
    checkSequenceModel(backend, () => conv1dAutoencoder({ steps: 16, filters: [8, 4], code: 4, seed: 1 }), 16, 4));
}

test('conv1d: each strided layer halves the window, the decoder mirrors the encoder', async () => {
  await useBackend('cpu');
  const ae = conv1dAutoencoder({ steps: 32, channels: 2, filters: [4, 6], kernelSize: 3, code: 5, seed: 2 });
  assert.equal(ae.name, 'conv1d 4/6 filters, code 5');
  const x = tf.randomNormal([3, 32, 2], 0, 1, 'float32', 1);
  const shapes = (stack: typeof ae.encoder, input: tf.Tensor) => tf.tidy(() => {
    const seen: number[][] = [];
    stack.layers.reduce((v, layer) => { const y = layer.apply(v); seen.push(y.shape); return y; }, input);
    return seen;
  });
  assert.deepEqual(shapes(ae.encoder, x), [[3, 16, 4], [3, 8, 6], [3, 48], [3, 5]]);
  const code = ae.encode(x);
  assert.deepEqual(shapes(ae.decoder, code), [[3, 48], [3, 8, 6], [3, 16, 4], [3, 32, 2]]);
  tf.dispose([x, code]);
  ae.dispose();
});

test('conv1dTranspose is the adjoint of conv1d: <conv(x), y> = <x, convT(y)> with the same kernel', async () => {
  await useBackend('cpu');
  const ae = conv1dAutoencoder({ steps: 8, filters: [3], kernelSize: 3, code: 2, seed: 5 });
  const down = ae.encoder.layers[0];
  const up = ae.decoder.layers[2];
  // Same kernel for both: conv1d's is (k, in, out), conv1dTranspose's (k, out, in) with in/out swapped.
  up.weights.kernel.assign(down.weights.kernel);
  const [a, b] = tf.tidy(() => {
    const x = tf.randomNormal([1, 8, 1], 0, 1, 'float32', 6);
    const y = tf.randomNormal([1, 4, 3], 0, 1, 'float32', 7);
    const conv = tf.conv1d(x as tf.Tensor3D, down.weights.kernel as tf.Tensor3D, 2, 'same');
    const convT = up.apply(y).sub(up.weights.bias); // linear last layer: remove the bias
    return [conv.mul(y).sum().dataSync()[0], x.mul(convT).sum().dataSync()[0]];
  });
  assert.ok(Math.abs(a - b) < 1e-4, `${a} vs ${b}`);
  ae.dispose();
});

test('bad conv1d options are refused by name', () => {
  assert.throws(() => conv1dAutoencoder({ steps: 30 }), /conv1dAutoencoder: steps 30 is not divisible by 4/);
  assert.throws(() => conv1dAutoencoder({ filters: [] }), /filters must be a non-empty array/);
  assert.throws(() => conv1dAutoencoder({ filters: [8, 0] }), /filters\[1\] must be a whole number > 0, got 0/);
  assert.throws(() => conv1dAutoencoder({ kernelSize: 0 }), /kernelSize must be a whole number > 0, got 0/);
  assert.throws(() => conv1dAutoencoder({ activation: 'softmax' as never }), /activation must be one of/);
  assert.throws(() => conv1dAutoencoder({ filter: [8] } as never), /conv1dAutoencoder: unknown option 'filter'/);
  assert.throws(() => conv1dAutoencoder({ seed: 0.5 }), /conv1dAutoencoder: seed must be a whole number, got 0.5/);
});

test('a 1-D convolutional auto-encoder is saved and loaded like every model', () =>
  checkSequenceSaveLoad(() => conv1dAutoencoder({ steps: 16, seed: 2 }), 16));
