import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { widerCodesLoseLess } from '../../src/evaluate/codeSizes';

test('widerCodesLoseLess: holds only when both errors fall at every step; names every figure', () => {
  const falling = [
    { code: 2, autoencoder: 0.05, pca: 0.06 },
    { code: 8, autoencoder: 0.03, pca: 0.035 },
    { code: 32, autoencoder: 0.015, pca: 0.012 },
  ];
  const judgement = widerCodesLoseLess(falling);
  assert.equal(judgement.holds, true);
  assert.equal(judgement.figures['auto-encoder, code 2 (MSE per pixel)'], 0.05);
  assert.equal(judgement.figures['PCA, code 32'], 0.012);
  assert.equal(Object.keys(judgement.figures).length, 6);
  const aeRises = falling.map((r, i) => (i === 2 ? { ...r, autoencoder: 0.031 } : r));
  assert.equal(widerCodesLoseLess(aeRises).holds, false, 'the auto-encoder\'s error rises at 32');
  const pcaFlat = falling.map((r, i) => (i === 1 ? { ...r, pca: 0.06 } : r));
  assert.equal(widerCodesLoseLess(pcaFlat).holds, false, 'a flat step is no fall');
});

test('widerCodesLoseLess: too few or unsorted sizes throw', () => {
  assert.throws(() => widerCodesLoseLess([{ code: 2, autoencoder: 1, pca: 1 }]), /at least two code sizes/);
  assert.throws(() => widerCodesLoseLess([
    { code: 8, autoencoder: 1, pca: 1 }, { code: 2, autoencoder: 0.5, pca: 0.5 },
  ]), /sorted by code/);
});
