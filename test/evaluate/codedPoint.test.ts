import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { codedPoint, CodedPoint, entropyCodingSaves } from '../../src/evaluate/codedPoint';
import { dequantiseCodes, entropyCodedRate, quantiseCodes } from '../../src/evaluate/entropyCoding';
import { fitPca } from '../../src/evaluate/pca';
import { encodeAll, psnr } from '../../src/evaluate/reconstruction';
import { denseAutoencoder } from '../../src/models/dense';
import { loadFashionMnist } from '../../src/data/fashionMnist';
import { disposeDataset } from '../../src/data/imageDataset';
import { useBackend } from '../helpers';

test('codedPoint of an auto-encoder: the steps written out give the same rate and PSNR', async () => {
  await useBackend('cpu');
  const data = loadFashionMnist({ limit: 60 });
  const ae = denseAutoencoder({ hidden: [16], code: 4, codeActivation: 'linear', seed: 3 });
  const before = tf.memory().numTensors;
  const point = codedPoint('auto-encoder', ae, { reference: data.train.x, test: data.test.x }, 8);
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
  const [codes, reference] = [encodeAll(ae, data.test.x), encodeAll(ae, data.train.x)];
  const stored = quantiseCodes(codes, { reference, bits: 8 });
  const rebuilt = ae.decode(dequantiseCodes(stored));
  assert.equal(point.bytes, entropyCodedRate(stored, 'brotli').bytesPerImage);
  assert.equal(point.psnr, psnr(data.test.x, rebuilt));
  assert.deepEqual([point.method, point.setting, point.k, point['raw bytes']], ['auto-encoder', 'k = 4', 4, 4]);
  assert.ok(point['entropy bytes'] > 0 && point['entropy bytes'] <= 4 && point.ssim <= 1);
  tf.dispose([codes, reference, rebuilt]);
  ae.dispose();
  disposeDataset(data);
});

test('codedPoint of PCA uses project / unproject; fewer bits, fewer bytes and a lower PSNR', async () => {
  await useBackend('cpu');
  const data = loadFashionMnist({ limit: 100 });
  const pca = fitPca(data.train.x, 8);
  const sets = { reference: data.train.x, test: data.test.x };
  const [eight, two] = [codedPoint('PCA', pca, sets, 8), codedPoint('PCA', pca, sets, 2)];
  assert.equal(eight.k, 8);
  assert.ok(two.bytes < eight.bytes && two.psnr < eight.psnr, `${two.bytes} ${two.psnr} ${eight.bytes} ${eight.psnr}`);
  assert.throws(() => codedPoint('PCA', pca, { reference: data.train.x } as never, 8), /reference, test/);
  pca.dispose();
  disposeDataset(data);
});

test('entropyCodingSaves holds only when brotli beats one byte per number at every size', () => {
  const point = (k: number, bytes: number): CodedPoint =>
    ({ method: 'PCA', setting: `k = ${k}`, k, bytes, 'raw bytes': k, 'entropy bytes': k / 2, psnr: 20, ssim: 0.5 });
  const saves = entropyCodingSaves([point(8, 7), point(32, 30)], 'PCA');
  assert.equal(saves.holds, true);
  assert.deepEqual(saves.figures, { 'k = 8: brotli ÷ fixed-width bytes': 7 / 8, 'k = 32: brotli ÷ fixed-width bytes': 30 / 32 });
  assert.equal(entropyCodingSaves([point(8, 7), point(32, 33)], 'PCA').holds, false);
  assert.throws(() => entropyCodingSaves([point(8, 7)], 'auto-encoder'), /no points of method 'auto-encoder'/);
});
