import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fitPca } from '../../src/evaluate/pca';
import { useBackend } from '../helpers';

test('PCA matches a known answer', async () => {
  await useBackend('cpu');
  // Points (t, 2t) + small noise along (−2, 1)/√5: the first component is (1, 2)/√5.
  const points: number[][] = [];
  // The noise pattern +,−,−,+ sums to zero against t over every block of four, so it is
  // uncorrelated with t and the principal axis is exactly (1, 2)/√5.
  const N = 48;
  for (let i = 0; i < N; i++) {
    const t = i - (N - 1) / 2;
    const e = ([1, -1, -1, 1][i % 4]) * 0.5;
    points.push([t - 2 * e / Math.sqrt(5), 2 * t + e / Math.sqrt(5)]);
  }
  const x = tf.tensor2d(points);
  const pca = fitPca(x, 1);
  const [c0, c1] = pca.components.dataSync();
  assert.ok(Math.abs(Math.abs(c0) - 1 / Math.sqrt(5)) < 1e-4 && Math.abs(Math.abs(c1) - 2 / Math.sqrt(5)) < 1e-4, `${c0}, ${c1}`);
  // Variance along the line: Σ (t√5)² / (n − 1); across it: 0.25 · n / (n − 1).
  const along = points.reduce((s, _, i) => s + 5 * (i - (N - 1) / 2) ** 2, 0) / (N - 1);
  assert.ok(Math.abs(pca.variances[0] - along) / along < 1e-4);
  const across = (0.25 * N) / (N - 1);
  assert.ok(Math.abs(pca.explainedVarianceRatio - along / (along + across)) < 1e-5);
  // Reconstruction error of 1 component = the variance left out.
  const error = tf.tidy(() => pca.reconstruct(x).sub(x).square().sum(1).mean().dataSync()[0]);
  assert.ok(Math.abs(error - (across * (N - 1)) / N) < 1e-3, `error ${error}`);
  pca.dispose();
  const full = fitPca(x, 2);
  const exact = tf.tidy(() => full.reconstruct(x).sub(x).abs().max().dataSync()[0]);
  assert.ok(exact < 1e-3, 'all components reconstruct exactly');
  full.dispose();
  assert.throws(() => fitPca(x, 3), /k must be a whole number from 1 to the number of features \(2\)/);
  x.dispose();
});

test('a truncated PCA equals a PCA fitted with fewer components', async () => {
  await useBackend('cpu');
  const x = tf.randomNormal([200, 12], 0, 1, 'float32', 4).mul(tf.linspace(1, 3, 12));
  const wide = fitPca(x, 6);
  const truncated = wide.truncate(3);
  const direct = fitPca(x, 3);
  const difference = tf.tidy(() => truncated.reconstruct(x).sub(direct.reconstruct(x)).abs().max().dataSync()[0]);
  assert.ok(difference < 1e-3, `difference ${difference}`);
  assert.ok(Math.abs(truncated.explainedVarianceRatio - direct.explainedVarianceRatio) < 1e-5);
  assert.throws(() => wide.truncate(7), /k must be a whole number from 1 to 6/);
  [wide, truncated, direct].forEach((p) => p.dispose());
  x.dispose();
});
