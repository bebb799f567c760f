import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { project2d } from '../../src/evaluate/projection';
import { useBackend } from '../helpers';

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
