import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Autoencoder } from '../../src/models/autoencoder';
import { convAutoencoder } from '../../src/models/conv';
import { denseAutoencoder, overcompleteAutoencoder } from '../../src/models/dense';
import { keepTopK } from '../../src/models/codeTransforms';
import { TrainableModel } from '../../src/models/model';
import { variationalAutoencoder, normalQuantile, VariationalAutoencoder } from '../../src/models/vae';
import { train } from '../../src/train/train';
import { loadFashionMnist } from '../../src/data/fashionMnist';
import { disposeDataset } from '../../src/data/imageDataset';
import { useBackend } from '../helpers';

type Case = { name: string; make: () => TrainableModel; layout: 'flat' | 'image'; code: number; learningRate?: number };

const CASES: Case[] = [
  { name: 'dense', make: () => denseAutoencoder({ hidden: [64], code: 16, seed: 1 }), layout: 'flat', code: 16 },
  { name: 'dense, tied weights', make: () => denseAutoencoder({ hidden: [64], code: 16, tiedWeights: true, seed: 1 }), layout: 'flat', code: 16 },
  { name: 'dense bce', make: () => denseAutoencoder({ hidden: [64], code: 16, loss: 'bce', seed: 1 }), layout: 'flat', code: 16 },
  { name: 'overcomplete', make: () => overcompleteAutoencoder({ code: 900, seed: 1 }), layout: 'flat', code: 900, learningRate: 1e-4 },
  { name: 'contractive', make: () => denseAutoencoder({ hidden: [], code: 32, codeActivation: 'sigmoid', penalties: [{ type: 'contractive', lambda: 1e-3 }], seed: 1 }), layout: 'flat', code: 32 },
  { name: 'L1 activity', make: () => denseAutoencoder({ hidden: [], code: 128, penalties: [{ type: 'activity', l1: 1e-4 }], seed: 1 }), layout: 'flat', code: 128 },
  { name: 'KL sparse', make: () => denseAutoencoder({ hidden: [], code: 128, codeActivation: 'sigmoid', penalties: [{ type: 'klSparsity', rho: 0.05, beta: 0.01 }], seed: 1 }), layout: 'flat', code: 128 },
  { name: 'k-sparse', make: () => denseAutoencoder({ hidden: [], code: 128, codeActivation: 'linear', kSparse: 10, seed: 1 }), layout: 'flat', code: 128 },
  { name: 'threshold code', make: () => denseAutoencoder({ hidden: [], code: 128, codeActivation: 'linear', codeThreshold: 0.5, seed: 1 }), layout: 'flat', code: 128 },
  { name: 'conv', make: () => convAutoencoder({ filters: [8, 4], code: 16, seed: 1 }), layout: 'image', code: 16, learningRate: 3e-3 },
  { name: 'VAE', make: () => variationalAutoencoder({ hidden: [64], latent: 4, seed: 1 }), layout: 'flat', code: 4 },
];

for (const c of CASES) {
  test(`${c.name}: shapes, finite non-negative loss, no leaks, and a few steps lower the loss`, async () => {
    await useBackend('wasm');
    const atStart = tf.memory().numTensors;
    const data = loadFashionMnist({ limit: 128, layout: c.layout });
    const x = data.train.x;
    const model = c.make();
    const encoder = model as unknown as { encode(x: tf.Tensor): tf.Tensor };
    const five = x.slice(0, 5);
    const before = tf.memory().numTensors;
    const code = encoder.encode(five);
    assert.deepEqual(code.shape, [5, c.code]);
    const output = model.reconstruct(five);
    assert.deepEqual(output.shape, [5, ...x.shape.slice(1)]);
    tf.dispose([code, output]);
    const terms = model.lossTerms(x, x, { seed: 1, training: true });
    for (const [name, value] of Object.entries(terms)) {
      const v = value.dataSync()[0];
      assert.ok(Number.isFinite(v) && v >= 0, `${name} = ${v}`);
    }
    tf.dispose(Object.values(terms));
    assert.equal(tf.memory().numTensors, before, 'encode, reconstruct and lossTerms leave no tensors behind');
    five.dispose();
    const history = await train(model, x, { epochs: 6, batchSize: 32, learningRate: c.learningRate ?? 3e-3, seed: 2 });
    const first = history.rows[0].total;
    const last = history.rows[history.rows.length - 1].total;
    assert.ok(last < first, `loss fell from ${first} to ${last}`);
    model.dispose();
    disposeDataset(data);
    assert.equal(tf.memory().numTensors, atStart, 'dispose frees every weight');
  });
}

test('k-sparse keeps exactly k units per sample, the largest ones', async () => {
  await useBackend('cpu');
  const code = tf.tensor2d([[0.5, -1, 3, 2, 0.1], [1, 1, 1, 5, 1]]);
  const kept = (keepTopK(code, 2).arraySync() as number[][]).map((row) => row.map((v) => v + 0)); // -0 → 0
  assert.deepEqual(kept[0], [0, 0, 3, 2, 0]);
  assert.equal(kept[1].filter((v) => v !== 0).length, 2, 'ties still keep exactly k');
  assert.equal(kept[1][3], 5);
  const random = tf.randomNormal([50, 40], 0, 1, 'float32', 9);
  const sparse = keepTopK(random, 7);
  const counts = tf.tidy(() => sparse.notEqual(0).sum(1).arraySync() as number[]);
  assert.ok(counts.every((n) => n === 7));
  assert.throws(() => keepTopK(code, 6), /k must be a whole number from 1 to the code size 5/);
  tf.dispose([code, random, sparse]);
});

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
  assert.throws(() => denseAutoencoder({ tiedWeights: 'yes' as never }), /tiedWeights must be true or false/);
});

test('a threshold code is max(0, a − θ) and its gradient flows only through active units', async () => {
  await useBackend('cpu');
  const { shiftedRelu } = await import('../../src/models/codeTransforms');
  const a = tf.tensor2d([[0.2, 0.7, 1.5, -1]]);
  assert.deepEqual((shiftedRelu(a, 0.5).arraySync() as number[][])[0].map((v) => Number(v.toFixed(6))), [0, 0.2, 1, 0]);
  const gradient = tf.grad((x: tf.Tensor) => shiftedRelu(x, 0.5).sum())(a);
  assert.deepEqual(Array.from(gradient.dataSync()), [0, 1, 1, 0]);
  assert.throws(() => denseAutoencoder({ kSparse: 3, codeThreshold: 1 }), /kSparse or codeThreshold, not both/);
  assert.throws(() => shiftedRelu(a, -1), /θ must be a number ≥ 0/);
});

test('the VAE: ELBO terms, reparameterisation, sampling, the latent grid and interpolation', async () => {
  await useBackend('cpu');
  const vae = variationalAutoencoder({ hidden: [32], latent: 2, seed: 3 });
  const x = tf.randomUniform([6, 784], 0, 1, 'float32', 4);
  const terms = vae.lossTerms(x, x, { seed: 5, training: true });
  const { mean, logVar } = vae.encodeDistribution(x);
  const m = mean.arraySync();
  const lv = logVar.arraySync();
  let kl = 0;
  m.forEach((row, i) => row.forEach((mu, j) => (kl += -0.5 * (1 + lv[i][j] - mu * mu - Math.exp(lv[i][j])))));
  assert.ok(Math.abs(terms.kl.dataSync()[0] - kl / 6) < 1e-3, 'KL matches the closed form');
  const total = terms.reconstruction.dataSync()[0] + terms.kl.dataSync()[0];
  assert.ok(Math.abs(terms.total.dataSync()[0] - total) < 1e-3, 'β = 1: total is the ELBO');
  // The same seed gives the same ε, another seed another.
  const again = vae.lossTerms(x, x, { seed: 5, training: true }).total.dataSync()[0];
  const other = vae.lossTerms(x, x, { seed: 6, training: true }).total.dataSync()[0];
  assert.equal(again, terms.total.dataSync()[0]);
  assert.notEqual(other, again);
  // z = μ + σ·ε: with log σ² very negative, z is μ.
  const z = VariationalAutoencoder.reparameterise(mean, tf.fill(mean.shape, -40), 1);
  assert.ok(tf.tidy(() => z.sub(mean).abs().max().dataSync()[0]) < 1e-6);
  assert.deepEqual(vae.sample(7, 1).shape, [7, 784]);
  const grid = vae.decodeGrid(5);
  assert.deepEqual(grid.images.shape, [25, 784]);
  assert.equal(grid.points.length, 25);
  assert.ok(Math.abs(grid.points[12][0]) < 1e-9 && Math.abs(grid.points[12][1]) < 1e-9, 'the grid centre is the origin');
  const line = vae.interpolate(x.slice(0, 1), x.slice(1, 1), 4);
  assert.deepEqual(line.shape, [4, 784]);
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-5);
  assert.ok(Math.abs(normalQuantile(0.01) + 2.326348) < 1e-5);
  vae.dispose();
});

test('the VAE ELBO gradient matches finite differences', async () => {
  await useBackend('cpu');
  const { gradientCheck, someEntries } = await import('../helpers');
  const vae = variationalAutoencoder({ inputSize: 10, hidden: [6], latent: 2, seed: 8 });
  const x = tf.randomUniform([4, 10], 0, 1, 'float32', 2);
  const loss = () => vae.lossTerms(x, x, { seed: 3, training: true }).total;
  for (const stack of [vae.body, vae.logVarHead, vae.decoder]) {
    const kernel = stack.layers[0].weights.kernel;
    const error = gradientCheck(loss, kernel, someEntries(kernel.size), 1e-2);
    assert.ok(error < 2e-2, `${stack.name}: relative error ${error}`);
  }
  vae.dispose();
});

test('seeded models are reproducible; other seeds differ', async () => {
  await useBackend('cpu');
  const weights = (ae: Autoencoder) => Array.from(ae.encoder.layers[0].weights.kernel.dataSync().slice(0, 20));
  const a = denseAutoencoder({ seed: 7 });
  const b = denseAutoencoder({ seed: 7 });
  const c = denseAutoencoder({ seed: 8 });
  assert.deepEqual(weights(a), weights(b));
  assert.notDeepEqual(weights(a), weights(c));
  [a, b, c].forEach((m) => m.dispose());
});

test('bad model options are refused by name', () => {
  assert.throws(() => denseAutoencoder({ code: 0 }), /denseAutoencoder: code must be a whole number > 0, got 0/);
  assert.throws(() => denseAutoencoder({ hidden: [64, -1] }), /hidden\[1\] must be a whole number > 0/);
  assert.throws(() => denseAutoencoder({ activation: 'swish' as never }), /activation must be one of linear, relu, sigmoid, tanh, elu/);
  assert.throws(() => denseAutoencoder({ loss: 'bce', outputActivation: 'linear' }), /loss 'bce' needs outputActivation 'sigmoid'/);
  assert.throws(() => denseAutoencoder({ codeSize: 3 } as never), /unknown option 'codeSize'/);
  assert.throws(() => denseAutoencoder({ code: 8, kSparse: 9 }), /kSparse \(9\) cannot exceed code \(8\)/);
  assert.throws(() => overcompleteAutoencoder({ code: 100 }), /must be wider than inputSize/);
  assert.throws(() => convAutoencoder({ filters: [4, 4, 4] }), /imageSize 28 is not divisible by 8/);
  assert.throws(() => variationalAutoencoder({ beta: -1 }), /beta must be a number ≥ 0/);
  assert.throws(() => variationalAutoencoder({ likelihood: 'poisson' as never }), /likelihood must be one of bernoulli, gaussian/);
});

test('a batch of the wrong shape gets an error saying how to fix it', async () => {
  await useBackend('cpu');
  const dense = denseAutoencoder();
  assert.throws(() => dense.encode(tf.zeros([2, 28, 28, 1])), /samples have shape \(28, 28, 1\) but the model takes \(784\).*layout: 'flat'/);
  const conv = convAutoencoder();
  assert.throws(() => conv.reconstruct(tf.zeros([2, 784])), /layout: 'image'/);
  dense.dispose();
  conv.dispose();
});
