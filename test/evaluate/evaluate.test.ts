import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fitPca } from '../../src/evaluate/pca';
import { rocCurve } from '../../src/evaluate/roc';
import { bcePerPixel, encodeAll, msePerPixel, perSampleError, psnr, psnrFromMse, reconstructAll } from '../../src/evaluate/reconstruction';
import { codeActivity } from '../../src/evaluate/activity';
import { project2d } from '../../src/evaluate/projection';
import { denseAutoencoder } from '../../src/models/dense';
import { loadFashionMnist } from '../../src/data/fashionMnist';
import { disposeDataset } from '../../src/data/imageDataset';
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

test('ROC and AUC match hand-computed values, ties included', () => {
  const perfect = rocCurve([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0]);
  assert.equal(perfect.auc, 1);
  assert.equal(rocCurve([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0]).auc, 0);
  // Scores 0.9(+) 0.7(−) 0.6(+) 0.3(−): pairs (+,−): (0.9,0.7) ✓ (0.9,0.3) ✓ (0.6,0.7) ✗ (0.6,0.3) ✓ → 3/4.
  const mixed = rocCurve([0.9, 0.7, 0.6, 0.3], [1, 0, 1, 0]);
  assert.equal(mixed.auc, 0.75);
  assert.deepEqual(mixed.fpr, [0, 0, 0.5, 0.5, 1]);
  assert.deepEqual(mixed.tpr, [0, 0.5, 0.5, 1, 1]);
  assert.equal(rocCurve([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0]).auc, 0.5, 'all ties: chance');
  assert.throws(() => rocCurve([1, 2], [1, 1]), /needs both classes/);
  assert.throws(() => rocCurve([1, NaN], [1, 0]), /score 1 is NaN/);
  assert.throws(() => rocCurve([1], [1, 0]), /1 scores but 2 labels/);
});

test('MSE, BCE and PSNR on known values', async () => {
  await useBackend('cpu');
  const a = tf.tensor2d([[0, 1], [1, 1]]);
  const b = tf.tensor2d([[0.1, 1], [1, 0.8]]);
  assert.ok(Math.abs(msePerPixel(a, b) - (0.01 + 0.04) / 4) < 1e-7);
  const perSample = perSampleError(a, b);
  assert.ok(Math.abs(perSample[0] - 0.005) < 1e-7 && Math.abs(perSample[1] - 0.02) < 1e-7);
  assert.ok(Math.abs(psnrFromMse(0.01) - 20) < 1e-9);
  assert.ok(Math.abs(psnr(a, b) - (psnrFromMse(0.005) + psnrFromMse(0.02)) / 2) < 1e-4);
  const bce = (-Math.log(0.9) - Math.log(0.8)) / 4;
  assert.ok(Math.abs(bcePerPixel(a, b) - bce) < 1e-4);
  assert.throws(() => msePerPixel(a, tf.zeros([3, 2])), /shapes differ/);
  tf.dispose([a, b]);
});

test('encodeAll and reconstructAll work in batches and match one big call', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ code: 6, seed: 1 });
  const x = tf.randomUniform([23, 784], 0, 1, 'float32', 1);
  const whole = ae.encode(x);
  const batched = encodeAll(ae, x, 5);
  assert.ok(tf.tidy(() => whole.sub(batched).abs().max().dataSync()[0]) < 1e-5);
  assert.deepEqual(reconstructAll(ae, x, 7).shape, [23, 784]);
  ae.dispose();
});

test('code activity: dormant, dead and firing rates', async () => {
  await useBackend('cpu');
  const codes = tf.tensor2d([[0, 2, 0, 0], [0, 1, 3, 0]]);
  const activity = codeActivity(codes);
  assert.deepEqual(Array.from(activity.firingRate), [0, 1, 0.5, 0]);
  assert.equal(activity.deadFraction, 0.5);
  assert.equal(activity.activePerSample, 1.5);
  assert.equal(activity.dormantFraction, 1 - 1.5 / 4);
  assert.deepEqual(Array.from(activity.meanActivation), [0, 1.5, 1.5, 0]);
  codes.dispose();
});

test('2-D projections: PCA and seeded UMAP', async () => {
  await useBackend('cpu');
  const codes = tf.randomNormal([60, 8], 0, 1, 'float32', 1) as tf.Tensor2D;
  const pcaPoints = project2d(codes, { method: 'pca' });
  assert.equal(pcaPoints.length, 60);
  assert.equal(pcaPoints[0].length, 2);
  const u1 = project2d(codes, { method: 'umap', seed: 3, neighbors: 10 });
  const u2 = project2d(codes, { method: 'umap', seed: 3, neighbors: 10 });
  assert.deepEqual(u1, u2, 'a seeded UMAP is reproducible');
  assert.throws(() => project2d(codes, { method: 'tsne' as never }), /method must be 'pca' or 'umap'/);
  codes.dispose();
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

test('codes to bytes and back: one byte per dimension, error at most half a level', async () => {
  await useBackend('cpu');
  const { quantiseToBytes, dequantiseBytes } = await import('../../src/evaluate/entropyCoding');
  const codes = tf.randomUniform([50, 4], -2, 6, 'float32', 3) as tf.Tensor2D;
  const stored = quantiseToBytes(codes);
  assert.equal(stored.bytes.length, 200);
  const back = dequantiseBytes(stored);
  const worst = tf.tidy(() => back.sub(codes).abs().max().dataSync()[0]);
  assert.ok(worst <= 8 / 255 / 2 + 1e-5, `worst ${worst}`);
  assert.throws(() => dequantiseBytes({ ...stored, bytes: stored.bytes.subarray(0, 7) }), /do not hold whole codes/);
  tf.dispose([codes, back]);
});
