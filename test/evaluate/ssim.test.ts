import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { gaussianWeights, ssim, ssimOfImage, ssimPerImage, SSIM_K1, SSIM_K2, SSIM_SIGMA, SSIM_WINDOW } from '../../src/evaluate/ssim';
import { loadFashionMnist } from '../../src/data/fashionMnist';
import { disposeDataset } from '../../src/data/imageDataset';
import { seededRandom } from '../../src/random';
import { useBackend } from '../helpers';

const C1 = SSIM_K1 ** 2;
const C2 = SSIM_K2 ** 2;

/** A textured test image made with integer arithmetic only, so Python makes the same doubles. */
function pattern(height: number, width: number, a: number, b: number, c: number, m: number): Float64Array {
  const out = new Float64Array(height * width);
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) out[i * width + j] = ((i * a + j * b + ((i * j) % c)) % m) / (m - 1);
  }
  return out;
}

/**
 * Window-weighted mean and variance of every valid 11×11 window of x, with the 2-D Gaussian
 * weights written out in full (as MATLAB's fspecial does), not the separable filter ssim.ts uses.
 */
function bruteForceMoments(x: Float64Array, height: number, width: number): { mean: number; variance: number }[] {
  const r = (SSIM_WINDOW - 1) / 2;
  const weights: number[] = [];
  for (let i = -r; i <= r; i++) for (let j = -r; j <= r; j++) weights.push(Math.exp(-(i * i + j * j) / (2 * SSIM_SIGMA ** 2)));
  const total = weights.reduce((a, b) => a + b, 0);
  const out = [];
  for (let top = 0; top + SSIM_WINDOW <= height; top++) {
    for (let left = 0; left + SSIM_WINDOW <= width; left++) {
      let mean = 0;
      let square = 0;
      for (let i = 0; i < SSIM_WINDOW; i++) {
        for (let j = 0; j < SSIM_WINDOW; j++) {
          const w = weights[i * SSIM_WINDOW + j] / total;
          const v = x[(top + i) * width + left + j];
          mean += w * v;
          square += w * v * v;
        }
      }
      out.push({ mean, variance: square - mean * mean });
    }
  }
  return out;
}

test('SSIM window: 11 Gaussian weights with σ = 1.5 summing to 1, symmetric', () => {
  const g = gaussianWeights();
  assert.equal(g.length, 11);
  assert.ok(Math.abs(g.reduce((a, b) => a + b, 0) - 1) < 1e-15);
  for (let i = 0; i < 11; i++) assert.equal(g[i], g[10 - i]);
  assert.ok(Math.abs(g[6] / g[5] - Math.exp(-1 / (2 * 1.5 * 1.5))) < 1e-15);
});

test('SSIM of identical images is exactly 1', async () => {
  await useBackend('cpu');
  const data = loadFashionMnist({ limit: 20 });
  const before = tf.memory().numTensors;
  assert.equal(ssim(data.test.x, data.test.x), 1);
  assert.ok(ssimPerImage(data.test.x, data.test.x).every((s) => s === 1));
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
  disposeDataset(data);
});

test('SSIM of two uniform images is (2ab + C1) / (a² + b² + C1): the variance terms vanish', async () => {
  await useBackend('cpu');
  // Levels a float32 tensor holds exactly, so the formula sees the same numbers.
  for (const [a, b] of [[0.2, 0.7], [0, 1], [0.5, 0.5], [0.9, 0.1]].map((pair) => pair.map(Math.fround))) {
    const x = tf.fill([2, 28, 28, 1], a);
    const y = tf.fill([2, 28, 28, 1], b);
    const expected = (2 * a * b + C1) / (a * a + b * b + C1);
    assert.ok(Math.abs(ssim(x, y) - expected) < 1e-12, `${a} against ${b}: ${ssim(x, y)} vs ${expected}`);
    tf.dispose([x, y]);
  }
});

test('SSIM of x against a·x: structure term 1, the luminance and contrast terms from x alone', () => {
  const x = pattern(28, 28, 7, 13, 5, 29);
  for (const a of [0.3, 0.6, 1.5]) {
    const y = x.map((v) => a * v);
    // y = a·x: μy = a μx, σy² = a² σx², σxy = a σx², so σxy / (σx σy) = 1 in every window and
    // SSIM = (2a μ² + C1) / ((1 + a²) μ² + C1) · (2a σ² + C2) / ((1 + a²) σ² + C2).
    const windows = bruteForceMoments(x, 28, 28);
    const expected = windows.reduce((sum, { mean: m, variance: v }) => sum
      + ((2 * a * m * m + C1) / ((1 + a * a) * m * m + C1)) * ((2 * a * v + C2) / ((1 + a * a) * v + C2)), 0) / windows.length;
    assert.equal(windows.length, 18 * 18, 'valid windows only');
    const got = ssimOfImage(x, y, 28, 28); // C1 and C2 stay those of range 1 even where a·x > 1
    assert.ok(Math.abs(got - expected) < 1e-12, `a = ${a}: ${got} vs ${expected}`);
  }
});

test('SSIM matches scikit-image 0.19.3 (Gaussian weights, σ 1.5, population covariance) on fixed images', async () => {
  await useBackend('cpu');
  // Values printed by Debian's python3-skimage 0.19.3:
  //   structural_similarity(x, y, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1.0)
  // for the same integer-made images (pattern() above, as numpy float64 arrays).
  const x = pattern(28, 28, 7, 13, 5, 29);
  const y = pattern(28, 28, 5, 3, 7, 31);
  const shifted = x.map((v) => Math.min(1, Math.max(0, v * 0.8 + 0.1)));
  assert.ok(Math.abs(ssimOfImage(x, y, 28, 28) - -0.03570564614163728) < 1e-12);
  assert.ok(Math.abs(ssimOfImage(x, shifted, 28, 28) - 0.9757047417184128) < 1e-12);
  // A non-square image, through the tensor API: (1, 16, 20, 1).
  const a = tf.tensor4d(Float32Array.from(pattern(16, 20, 3, 11, 4, 17)), [1, 16, 20, 1]);
  const b = tf.tensor4d(Float32Array.from(pattern(16, 20, 9, 2, 6, 13)), [1, 16, 20, 1]);
  // float32 tensors round the pattern values, hence the looser tolerance here.
  assert.ok(Math.abs(ssim(a, b) - -0.1871455731015984) < 1e-6);
  tf.dispose([a, b]);
});

test('SSIM is symmetric, the same for flat and 4-D images and any batch size', async () => {
  await useBackend('cpu');
  const data = loadFashionMnist({ limit: 20 });
  const x = data.test.x;
  const y = tf.tidy(() => x.add(tf.randomNormal(x.shape, 0, 0.1, 'float32', 5)).clipByValue(0, 1));
  const forward = ssim(x, y);
  assert.equal(ssim(y, x), forward);
  const x4 = x.reshape([-1, 28, 28, 1]);
  const y4 = y.reshape([-1, 28, 28, 1]);
  assert.equal(ssim(x4, y4), forward);
  assert.deepEqual(ssimPerImage(x, y, { batchSize: 3 }), ssimPerImage(x, y));
  tf.dispose([y, x4, y4]);
  disposeDataset(data);
});

test('SSIM falls as more noise is added', async () => {
  await useBackend('cpu');
  const data = loadFashionMnist({ limit: 20 });
  const x = data.test.x;
  const scores = [0.02, 0.05, 0.1, 0.2].map((sigma) => {
    const noisy = tf.tidy(() => x.add(tf.randomNormal(x.shape, 0, sigma, 'float32', 9)).clipByValue(0, 1));
    const s = ssim(x, noisy);
    noisy.dispose();
    return s;
  });
  for (let i = 1; i < scores.length; i++) assert.ok(scores[i] < scores[i - 1], `noise ${i}: ${scores.join(', ')}`);
  assert.ok(scores[0] < 1 && scores[scores.length - 1] > -1);
  disposeDataset(data);
});

test('SSIM of two independent noise images is near 0', () => {
  const random = seededRandom(3);
  const x = Float64Array.from({ length: 784 }, () => random());
  const y = Float64Array.from({ length: 784 }, () => random());
  const s = ssimOfImage(x, y, 28, 28);
  assert.ok(s > -1 && s < 0.2, `independent noise: ${s}`);
});

test('SSIM rejects shapes it cannot measure, naming the problem', async () => {
  await useBackend('cpu');
  const a = tf.zeros([2, 784]);
  const b = tf.zeros([2, 28, 28, 1]);
  const small = tf.zeros([2, 8, 8, 1]);
  const flat = tf.zeros([2, 50]);
  const rgb = tf.zeros([2, 28, 28, 3]);
  assert.throws(() => ssim(a, b), /shapes differ/);
  assert.throws(() => ssim(small, small), /at least 11×11/);
  assert.throws(() => ssim(flat, flat), /not square/);
  assert.throws(() => ssim(rgb, rgb), /expected grey images/);
  assert.throws(() => ssim(a, a, { dataRange: 0 }), /dataRange must be a positive number/);
  assert.throws(() => ssimOfImage(new Float64Array(10), new Float64Array(10), 28, 28), /expected two images of 28×28/);
  tf.dispose([a, b, small, flat, rgb]);
});
