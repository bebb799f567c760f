import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Autoencoder } from '../../src/models/autoencoder';
import { denseAutoencoder } from '../../src/models/dense';
import { train } from '../../src/train/train';
import { useBackend } from '../helpers';

/** Non-zero units in each row of a code. */
function activePerRow(code: tf.Tensor): number[] {
  return tf.tidy(() => code.notEqual(0).sum(1).arraySync() as number[]);
}

test('tied weights: the decoder uses the encoder kernels transposed, before and after training', async () => {
  await useBackend('cpu');
  const tied = denseAutoencoder({ inputSize: 20, hidden: [12], code: 4, tiedWeights: true, seed: 1 });
  const untied = denseAutoencoder({ inputSize: 20, hidden: [12], code: 4, seed: 1 });
  const count = (m: Autoencoder) => m.trainableVariables().reduce((n, v) => n + v.size, 0);
  assert.equal(count(untied) - count(tied), 20 * 12 + 12 * 4, 'the decoder kernels are not separate weights');
  const x = tf.randomUniform([16, 20], 0, 1, 'float32', 1);
  await train(tied, x, { epochs: 3, batchSize: 8 });
  const decoder = tied.decoderPart();
  // The stand-alone decoder's kernels are the transposes of the trained encoder's.
  const encoderKernel = tied.encoder.layers[0].weights.kernel;
  const decoderKernel = decoder.stack.layers[1].weights.kernel;
  assert.ok(tf.tidy(() => encoderKernel.transpose().sub(decoderKernel).abs().max().dataSync()[0]) === 0);
  const [a, b] = [tied.decode(tied.encode(x)), decoder.decode(tied.encode(x))];
  assert.ok(tf.tidy(() => a.sub(b).abs().max().dataSync()[0]) < 1e-6, 'the stand-alone decoder decodes the same');
  tf.dispose([x, a, b]);
  [tied, untied, decoder].forEach((m) => m.dispose());
});

test('setKSparse changes k of a k-sparse model; other models and a k out of range are refused', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 20, hidden: [], code: 12, codeActivation: 'linear', kSparse: 6, seed: 3 });
  const x = tf.randomUniform([5, 20], 0, 1, 'float32', 2);
  const wide = ae.encode(x);
  assert.deepEqual(activePerRow(wide), [6, 6, 6, 6, 6]);
  ae.setKSparse(2);
  assert.deepEqual(ae.config.codeTransform, { type: 'topK', k: 2 });
  const narrow = ae.encode(x);
  assert.deepEqual(activePerRow(narrow), [2, 2, 2, 2, 2], 'encode keeps the new k');
  const output = ae.reconstruct(x);
  const expected = ae.decode(narrow);
  assert.equal(tf.tidy(() => output.sub(expected).abs().max().dataSync()[0]), 0, 'reconstruct uses the new k too');
  const encoder = ae.encoderPart();
  const fromPart = encoder.encode(x);
  assert.deepEqual(activePerRow(fromPart), [2, 2, 2, 2, 2], 'an encoder taken afterwards has the new k');
  ae.setKSparse(12);
  const all = ae.encode(x);
  assert.deepEqual(activePerRow(all), [12, 12, 12, 12, 12], 'k = code size keeps every unit');

  assert.throws(() => ae.setKSparse(0), /dense 20-12-20, 6-sparse: k must be a whole number from 1 to the code size 12, got 0/);
  assert.throws(() => ae.setKSparse(13), /k must be a whole number from 1 to the code size 12, got 13/);
  assert.throws(() => ae.setKSparse(2.5), /got 2\.5/);
  assert.deepEqual(ae.config.codeTransform, { type: 'topK', k: 12 }, 'a refused k leaves k as it was');

  const plain = denseAutoencoder({ inputSize: 20, hidden: [], code: 12, seed: 3 });
  const thresholded = denseAutoencoder({ inputSize: 20, hidden: [], code: 12, codeThreshold: 0.2, seed: 3 });
  assert.throws(() => plain.setKSparse(3), /dense 20-12-20: setKSparse needs a k-sparse model \(built with kSparse\)/);
  assert.throws(() => thresholded.setKSparse(3), /setKSparse needs a k-sparse model/);
  assert.deepEqual(thresholded.config.codeTransform, { type: 'threshold', threshold: 0.2 });
  tf.dispose([x, wide, narrow, output, expected, fromPart, all]);
  [ae, encoder, plain, thresholded].forEach((m) => m.dispose());
});

test('encode, decode and reconstruct agree, and the loss terms are named after the penalties', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 10, hidden: [6], code: 3, penalties: [{ type: 'activity', l1: 0.1 }, { type: 'weightDecay', l2: 0.01 }], seed: 5 });
  const x = tf.randomUniform([4, 10], 0, 1, 'float32', 6);
  const before = tf.memory().numTensors;
  const direct = ae.reconstruct(x);
  const viaCode = tf.tidy(() => ae.decode(ae.encode(x)));
  assert.equal(tf.tidy(() => direct.sub(viaCode).abs().max().dataSync()[0]), 0);
  const terms = ae.lossTerms(x, x, { seed: 0, training: true });
  const names = Object.keys(terms).sort();
  assert.ok(names.includes('total') && names.includes('reconstruction') && names.length === 4, names.join(', '));
  const sum = Object.entries(terms).filter(([k]) => k !== 'total').reduce((s, [, v]) => s + v.dataSync()[0], 0);
  assert.ok(Math.abs(terms.total.dataSync()[0] - sum) < 1e-5, 'total is the reconstruction plus every penalty');
  tf.dispose([direct, viaCode, ...Object.values(terms)]);
  assert.equal(tf.memory().numTensors, before, 'nothing left behind');
  assert.equal(ae.trainableVariables().length, 8, 'four layers, kernel and bias each');
  x.dispose();
  ae.dispose();
});
