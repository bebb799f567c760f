import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { gaussianKl, gaussianKlMonteCarlo } from '../../src/evaluate/gaussianKl';
import { gaussianKlPerSample } from '../../src/models/losses';
import { useBackend } from '../helpers';

test('the closed form is 0 at the prior, matches the loss\'s KL, and the Monte Carlo estimate agrees', async () => {
  await useBackend('cpu');
  assert.equal(gaussianKl([0, 0, 0], [0, 0, 0]), 0);
  // One code number, μ = 1, σ² = 1: ½(1 + 1 − 1 − 0) = ½.
  assert.equal(gaussianKl([1], [0]), 0.5);
  const mean = [0.8, -1.5, 0.1];
  const logVar = [-2, 0.5, -0.3];
  const fromLoss = tf.tidy(() => gaussianKlPerSample(tf.tensor2d([mean]), tf.tensor2d([logVar])).dataSync()[0]);
  assert.ok(Math.abs(gaussianKl(mean, logVar) - fromLoss) < 1e-5);
  const before = tf.memory().numTensors;
  const mc = gaussianKlMonteCarlo(mean, logVar, 20000, 3);
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  assert.equal(mc.draws, 20000);
  assert.ok(mc.standardError > 0 && mc.standardError < 0.05, `standard error ${mc.standardError}`);
  assert.ok(Math.abs(mc.estimate - gaussianKl(mean, logVar)) < 4 * mc.standardError, `${mc.estimate} vs ${gaussianKl(mean, logVar)}`);
  // Seeded: the same seed gives the same estimate, another seed another.
  assert.equal(gaussianKlMonteCarlo(mean, logVar, 20000, 3).estimate, mc.estimate);
  assert.notEqual(gaussianKlMonteCarlo(mean, logVar, 20000, 4).estimate, mc.estimate);
  // At the prior every draw's log-ratio is 0.
  const atPrior = gaussianKlMonteCarlo([0, 0], [0, 0], 100, 1);
  assert.equal(atPrior.estimate, 0);
  assert.equal(atPrior.standardError, 0);
});

test('gaussianKl and gaussianKlMonteCarlo name what is wrong with their inputs', () => {
  assert.throws(() => gaussianKl([0, 1], [0]), /same length/);
  assert.throws(() => gaussianKl([], []), /at least one number/);
  assert.throws(() => gaussianKl([0, NaN], [0, 0]), /mean\[1\] must be a finite number/);
  assert.throws(() => gaussianKlMonteCarlo([0], [Infinity], 10, 1), /logVar\[0\] must be a finite number/);
  assert.throws(() => gaussianKlMonteCarlo([0], [0], 1, 1), /draws must be a whole number ≥ 2/);
});
