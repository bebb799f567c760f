import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { nearestNeighbours, precisionAtK } from '../../src/evaluate/neighbours';
import { useBackend } from '../helpers';

test('nearest neighbours and precision@k match a brute-force count', async () => {
  await useBackend('wasm');
  const points = tf.tensor2d([[0, 0], [0, 1], [5, 5], [5, 6], [0, 2], [6, 6]]);
  const labels = [0, 0, 1, 1, 0, 1];
  const { indices, distances } = nearestNeighbours(points, points, 2, { sameSet: true });
  assert.deepEqual(Array.from(indices[0]), [1, 4]);
  assert.deepEqual(Array.from(distances[0]), [1, 4]);
  assert.deepEqual(Array.from(indices[2]), [3, 5]);
  assert.equal(precisionAtK(points, labels, 2), 1);
  // Larger than one query block, against a plain loop.
  const many = tf.randomNormal([1200, 3], 0, 1, 'float32', 1);
  const values = many.arraySync() as number[][];
  const near = nearestNeighbours(many.slice(0, 3), many, 1);
  for (let q = 0; q < 3; q++) assert.equal(near.indices[q][0], q, 'without sameSet a point is its own nearest');
  const far = nearestNeighbours(many, many, 1, { sameSet: true });
  for (const q of [0, 600, 1199]) {
    let best = -1;
    let bestD = Infinity;
    values.forEach((v, i) => {
      if (i === q) return;
      const d = v.reduce((s, x, j) => s + (x - values[q][j]) ** 2, 0);
      if (d < bestD) [best, bestD] = [i, d];
    });
    assert.equal(far.indices[q][0], best);
  }
  // precision@3 against a plain count over the same random points
  const randomLabels = values.map((_, i) => (i * 7) % 4);
  let same = 0;
  values.forEach((v, q) => {
    const order = values.map((w, i) => ({ i, d: i === q ? Infinity : w.reduce((s, x, j) => s + (x - v[j]) ** 2, 0) })).sort((a, b) => a.d - b.d);
    for (const { i } of order.slice(0, 3)) same += randomLabels[i] === randomLabels[q] ? 1 : 0;
  });
  assert.ok(Math.abs(precisionAtK(many, randomLabels, 3) - same / (3 * values.length)) < 1e-12);
  assert.throws(() => nearestNeighbours(points, points, 6, { sameSet: true }), /k must be a whole number from 1 to 5/);
  tf.dispose([points, many]);
});
