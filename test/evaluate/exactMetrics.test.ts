/**
 * Whole-test-set figures are exact up to float32 rounding of the values, on every backend: the
 * library's MSE, PSNR, means and activity figures against a float64 reference computed here from
 * the raw values, on shipped Fashion-MNIST test images reconstructed by PCA: all 10,000 on wasm, the
 * first 1,000 on cpu, whose JavaScript kernels took half a minute for the whole set. The PCA is fitted
 * on the first training images (its fit is not what this test checks).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadFashionMnist } from '../../src/data/fashionMnist';
import { disposeDataset } from '../../src/data/imageDataset';
import { codeActivity } from '../../src/evaluate/activity';
import { fitPca } from '../../src/evaluate/pca';
import { msePerPixel, psnr, reconstructionError, reconstructionPsnr, tensorMean } from '../../src/evaluate/reconstruction';
import { useBackend } from '../helpers';

const TOLERANCE = 1e-5;

function relative(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** Per-image MSE, their mean, the mean PSNR and the mean of x, in float64 from the raw values. */
function reference(x: Float32Array, y: Float32Array, pixels: number): { mse: number; psnr: number; mean: number } {
  const images = x.length / pixels;
  let mse = 0;
  let db = 0;
  let sum = 0;
  for (let i = 0; i < images; i++) {
    let e = 0;
    for (let p = i * pixels; p < (i + 1) * pixels; p++) {
      e += (x[p] - y[p]) ** 2;
      sum += x[p];
    }
    e /= pixels;
    mse += e;
    db += 10 * Math.log10(1 / e);
  }
  return { mse: mse / images, psnr: db / images, mean: sum / x.length };
}

const SIZES = { wasm: { fit: 5000, test: 10000 }, cpu: { fit: 500, test: 1000 } };

for (const backend of ['wasm', 'cpu'] as const) {
  const sizes = SIZES[backend];
  test(`MSE, PSNR and means of ${sizes.test} test images are exact to ${TOLERANCE} relative on ${backend}`, async (t) => {
    await useBackend(backend);
    const data = loadFashionMnist();
    assert.equal(data.test.count, 10000);
    const fitImages = data.train.x.slice(0, sizes.fit);
    const widest = fitPca(fitImages, 64);
    const x = data.test.x.slice(0, sizes.test);
    tf.dispose(fitImages);
    for (const k of [2, 64]) {
      const pca = widest.truncate(k);
      const rebuilt = pca.reconstruct(x);
      const expected = reference(x.dataSync() as Float32Array, rebuilt.dataSync() as Float32Array, 784);
      const figures = {
        msePerPixel: msePerPixel(x, rebuilt),
        reconstructionError: reconstructionError(pca, x),
      };
      for (const [name, value] of Object.entries(figures)) {
        assert.ok(relative(value, expected.mse) < TOLERANCE, `${backend}, PCA ${k}: ${name} ${value} against ${expected.mse}`);
      }
      assert.ok(relative(psnr(x, rebuilt), expected.psnr) < TOLERANCE, `${backend}, PCA ${k}: psnr`);
      assert.ok(relative(reconstructionPsnr(pca, x), expected.psnr) < TOLERANCE, `${backend}, PCA ${k}: reconstructionPsnr`);
      assert.ok(relative(tensorMean(x), expected.mean) < TOLERANCE, `${backend}: tensorMean`);
      // The float32 mean the library used to take: on wasm its error is what this test would catch.
      const float32 = tf.tidy(() => x.sub(rebuilt).square().mean().dataSync()[0]);
      t.diagnostic(`${backend}, PCA ${k}: MSE float64 ${expected.mse.toPrecision(6)}, library ${figures.msePerPixel.toPrecision(6)}, a float32 mean ${float32.toPrecision(6)}`);
      if (backend === 'wasm') {
        assert.ok(relative(float32, expected.mse) > 10 * TOLERANCE, `the float32 mean is off: ${float32} against ${expected.mse}`);
      }
      tf.dispose(rebuilt);
      pca.dispose();
    }
    // Mean activation and firing rate of codes, against float64 sums of the same values.
    const codes = widest.project(x);
    const values = codes.dataSync();
    const activity = codeActivity(codes, 0.5);
    for (const unit of [0, 10, 63]) {
      let sum = 0;
      let fired = 0;
      for (let i = unit; i < values.length; i += 64) {
        sum += values[i];
        if (Math.abs(values[i]) > 0.5) fired++;
      }
      assert.ok(Math.abs(activity.meanActivation[unit] - sum / sizes.test) < 1e-9, `unit ${unit} mean activation`);
      assert.equal(activity.firingRate[unit], fired / sizes.test);
    }
    tf.dispose(codes);
    widest.dispose();
    tf.dispose(x);
    disposeDataset(data);
  });
}
