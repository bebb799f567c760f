import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { convAutoencoder } from '../../src/models/conv';
import { denseAutoencoder } from '../../src/models/dense';
import { Decoder, Encoder } from '../../src/models/parts';
import { variationalAutoencoder } from '../../src/models/vae';
import { useBackend } from '../helpers';

const maxDifference = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);

test('Encoder and Decoder copies keep working after the source model is disposed', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 1);
  const ae = convAutoencoder({ filters: [4, 2], code: 6, seed: 2 });
  const expectedCodes = ae.encode(x);
  const expectedImages = ae.decode(expectedCodes);
  const encoder = ae.encoderPart();
  const decoder = ae.decoderPart();
  assert.ok(encoder instanceof Encoder && decoder instanceof Decoder);
  assert.deepEqual([encoder.inputShape, decoder.inputShape, decoder.outputShape], [[28, 28, 1], [6], [28, 28, 1]]);
  ae.dispose();
  const codes = encoder.encode(x);
  const images = decoder.decode(codes);
  assert.equal(maxDifference(codes, expectedCodes), 0, 'the encoder encodes as the model did');
  assert.equal(maxDifference(images, expectedImages), 0, 'the decoder decodes as the model did');
  tf.dispose([x, expectedCodes, expectedImages, codes, images]);
  encoder.dispose();
  decoder.dispose();
  assert.equal(tf.memory().numTensors, before, 'each part frees its own copy');
});

test('an encoder taken from a k-sparse model keeps the code transform', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 16, hidden: [], code: 10, codeActivation: 'linear', kSparse: 3, seed: 4 });
  const encoder = ae.encoderPart();
  assert.deepEqual(encoder.codeTransform, { type: 'topK', k: 3 });
  ae.dispose();
  const x = tf.randomUniform([5, 16], 0, 1, 'float32', 2);
  const codes = encoder.encode(x);
  assert.deepEqual(tf.tidy(() => codes.notEqual(0).sum(1).arraySync()), [3, 3, 3, 3, 3]);
  tf.dispose([x, codes]);
  encoder.dispose();
});

test('a VAE decoder part decodes latent points after the VAE is disposed', async () => {
  await useBackend('cpu');
  const vae = variationalAutoencoder({ inputSize: 20, hidden: [8], latent: 2, seed: 5 });
  const z = tf.tensor2d([[0, 0], [1, -1]]);
  const expected = vae.decode(z);
  const decoder = vae.decoderPart();
  vae.dispose();
  const images = decoder.decode(z);
  assert.equal(maxDifference(images, expected), 0);
  tf.dispose([z, expected, images]);
  decoder.dispose();
});

test('parts check the shape of what they are given', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 12, hidden: [], code: 4, seed: 1 });
  const [encoder, decoder] = [ae.encoderPart(), ae.decoderPart()];
  ae.dispose();
  const wrong = tf.zeros([2, 5]);
  assert.throws(() => encoder.encode(wrong), /encoder: input samples have shape \(5\) but the model takes \(12\)/);
  assert.throws(() => decoder.decode(wrong), /decoder: code samples have shape \(5\) but the model takes \(4\)/);
  wrong.dispose();
  encoder.dispose();
  decoder.dispose();
});
