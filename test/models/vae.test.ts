import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { denseAutoencoder } from '../../src/models/dense';
import { interpolateCodes, normalQuantile, variationalAutoencoder, VariationalAutoencoder } from '../../src/models/vae';
import { checkModelBasics, gradientCheck, someEntries, useBackend } from '../helpers';

test('VAE: shapes, finite non-negative loss, no leaks, and a few steps lower the loss', () =>
  checkModelBasics({ name: 'VAE', make: () => variationalAutoencoder({ hidden: [64], latent: 4, seed: 1 }), layout: 'flat', code: 4 }));

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

test('the VAE: latent and mean-code shapes, β in the total, and a code of the wrong width is refused', async () => {
  await useBackend('cpu');
  const vae = variationalAutoencoder({ inputSize: 12, hidden: [8], latent: 3, beta: 4, seed: 2 });
  assert.equal(vae.name, 'VAE 12-8-3, β=4');
  const x = tf.randomUniform([5, 12], 0, 1, 'float32', 1);
  const { mean, logVar } = vae.encodeDistribution(x);
  assert.deepEqual([mean.shape, logVar.shape], [[5, 3], [5, 3]]);
  const code = vae.encode(x);
  assert.equal(tf.tidy(() => code.sub(mean).abs().max().dataSync()[0]), 0, 'encode gives the mean code');
  assert.deepEqual(vae.decode(code).shape, [5, 12]);
  const terms = vae.lossTerms(x, x, { seed: 1, training: true });
  const [total, reconstruction, kl] = [terms.total, terms.reconstruction, terms.kl].map((t) => t.dataSync()[0]);
  assert.ok(Math.abs(total - (reconstruction + 4 * kl)) < 1e-3, 'total = reconstruction + β·kl');
  assert.throws(() => vae.decode(tf.zeros([2, 4])), /VAE 12-8-3, β=4: latent samples have shape \(4\) but the model takes \(3\)/);
  assert.throws(() => vae.decodeGrid(3), /decodeGrid draws a 2-d latent space; this VAE has latent 3/);
  assert.throws(() => vae.sample(0, 1), /VAE sample: n must be a whole number > 0/);
  assert.throws(() => vae.interpolate(x.slice(0, 1), x.slice(1, 1), 1), /steps must be at least 2/);
  tf.dispose([x, mean, logVar, code, ...Object.values(terms)]);
  vae.dispose();
});

test('interpolateCodes decodes a straight line between two codes, for any auto-encoder', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 6, hidden: [], code: 2, codeActivation: 'linear', seed: 4 });
  const x = tf.randomUniform([2, 6], 0, 1, 'float32', 3);
  const codes: tf.Tensor[] = [];
  const line = interpolateCodes((v) => ae.encode(v), (z) => (codes.push(tf.keep(z.clone())), ae.decode(z)), x.slice(0, 1), x.slice(1, 1), 3);
  assert.deepEqual(line.shape, [3, 6]);
  const [a, middle, b] = codes[0].arraySync() as number[][];
  assert.ok(middle.every((v, i) => Math.abs(v - (a[i] + b[i]) / 2) < 1e-6), 'the middle point is halfway');
  tf.dispose([x, line, ...codes]);
  ae.dispose();
});

test('bad VAE options are refused by name', () => {
  assert.throws(() => variationalAutoencoder({ beta: -1 }), /beta must be a number ≥ 0/);
  assert.throws(() => variationalAutoencoder({ likelihood: 'poisson' as never }), /likelihood must be one of bernoulli, gaussian/);
  // Added: the other checks of variationalAutoencoder, and of normalQuantile.
  assert.throws(() => variationalAutoencoder({ hidden: [] }), /vae: hidden must be a non-empty array of widths/);
  assert.throws(() => variationalAutoencoder({ latent: 0 }), /vae: latent must be a whole number > 0, got 0/);
  assert.throws(() => variationalAutoencoder({ seed: 0.5 }), /vae: seed must be a whole number, got 0.5/);
  assert.throws(() => variationalAutoencoder({ latentSize: 2 } as never), /vae: unknown option 'latentSize'/);
  assert.throws(() => normalQuantile(1), /normalQuantile: p must be in \(0, 1\), got 1/);
});
