import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { inverse, Matrix } from 'ml-matrix';
import { fitMahalanobis } from '../../src/evaluate/mahalanobis';
import { useBackend } from '../helpers';

/** Direct definitions: the ML covariance, Ledoit–Wolf's α by its formula, distances with an explicit inverse. */
function reference(rows: number[][], alpha: number | 'lw', queries: number[][]): { alpha: number; distances: number[] } {
  const n = rows.length;
  const p = rows[0].length;
  const mean = Array.from({ length: p }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / n);
  const c = rows.map((r) => r.map((v, j) => v - mean[j]));
  const s = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => c.reduce((t, r) => t + r[i] * r[j], 0) / n));
  const mu = s.reduce((t, r, i) => t + r[i], 0) / p;
  let a = alpha as number;
  if (alpha === 'lw') {
    let delta = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) delta += (s[i][j] - (i === j ? mu : 0)) ** 2;
    let beta = 0;
    for (const r of c) for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) beta += (r[i] * r[j] - s[i][j]) ** 2;
    beta = Math.min(delta, beta / (n * n));
    a = beta / delta;
  }
  const shrunk = s.map((r, i) => r.map((v, j) => (1 - a) * v + (i === j ? a * mu : 0)));
  const inv = inverse(new Matrix(shrunk)).to2DArray();
  const distances = queries.map((q) => {
    const d = q.map((v, j) => v - mean[j]);
    return Math.sqrt(d.reduce((t, di, i) => t + di * d.reduce((u, dj, j) => u + inv[i][j] * dj, 0), 0));
  });
  return { alpha: a, distances };
}

test('Mahalanobis distance and Ledoit–Wolf shrinkage match their direct definitions', async () => {
  await useBackend('wasm');
  const x = tf.randomNormal([40, 5], 0, 1, 'float32', 1).mul(tf.tensor1d([3, 1, 0.5, 2, 1])) as tf.Tensor2D;
  const queries = tf.randomNormal([6, 5], 0, 2, 'float32', 2) as tf.Tensor2D;
  const rows = x.arraySync();
  const q = queries.arraySync();
  for (const shrinkage of ['ledoit-wolf', 0, 0.3] as const) {
    const scorer = fitMahalanobis(x, { shrinkage });
    const expected = reference(rows, shrinkage === 'ledoit-wolf' ? 'lw' : shrinkage, q);
    assert.ok(Math.abs(scorer.shrinkage - expected.alpha) < 1e-6, `α ${scorer.shrinkage} against ${expected.alpha}`);
    Array.from(scorer.score(queries)).forEach((d, i) => assert.ok(Math.abs(d - expected.distances[i]) < 1e-3 * expected.distances[i], `${shrinkage}: ${d} against ${expected.distances[i]}`));
    scorer.dispose();
  }
  // Constant columns (border pixels) make the plain covariance singular; shrinkage keeps distances finite.
  const withConstant = tf.concat([x, tf.zeros([40, 3])], 1);
  const lw = fitMahalanobis(withConstant);
  assert.ok(lw.shrinkage > 0);
  assert.ok(Array.from(lw.score(tf.concat([queries, tf.ones([6, 3])], 1))).every(Number.isFinite));
  lw.dispose();
  assert.throws(() => fitMahalanobis(x, { shrinkage: 2 }), /shrinkage must be 'ledoit-wolf' or a number from 0 to 1/);
  tf.dispose([x, queries, withConstant]);
});
