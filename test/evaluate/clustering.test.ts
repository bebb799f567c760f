import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { kmeans as referenceKMeans } from 'ml-kmeans';
import { adjustedRandIndex, contingencyTable, kMeans, kMeansClusters, normalizedMutualInformation } from '../../src/evaluate/clustering';
import { seededRandom } from '../../src/random';
import { useBackend } from '../helpers';

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} against ${expected}`);

/** n choose 2. */
const pairs = (n: number) => (n * (n - 1)) / 2;

/** Hubert & Arabie's formula, (index − expected) / (max − expected), straight from the contingency table. */
function hubertArabie(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { counts } = contingencyTable(a, b);
  const index = counts.flat().reduce((s, n) => s + pairs(n), 0);
  const rows = counts.map((row) => row.reduce((s, n) => s + n, 0)).reduce((s, n) => s + pairs(n), 0);
  const columns = counts[0].map((_, j) => counts.reduce((s, row) => s + row[j], 0)).reduce((s, n) => s + pairs(n), 0);
  const expected = (rows * columns) / pairs(a.length);
  return (index - expected) / ((rows + columns) / 2 - expected);
}

test("adjusted Rand index: scikit-learn's documented values, a hand-computed case, permutations", () => {
  // scikit-learn's adjusted_rand_score documentation.
  close(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 1]), 1);
  close(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]), 1);
  close(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]), 0.5714285714285714);
  close(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]), 4 / 7);
  close(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3]), 0);
  close(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]), -0.5);
  // By hand: a = [0,0,0,1,1,1], b = [0,0,1,1,2,2]. Cells n_ij: 2, 1 | 1, 2, so Σ C(n_ij, 2) = 2;
  // rows 3, 3: Σ C = 6; columns 2, 2, 2: Σ C = 3; C(6, 2) = 15. Expected index 6·3/15 = 1.2,
  // maximum (6 + 3)/2 = 4.5: ARI = (2 − 1.2)/(4.5 − 1.2) = 8/33.
  close(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 8 / 33);
  // Both labelings a single group: no pair disagrees (scikit-learn: 1.0).
  close(adjustedRandIndex([3, 3, 3], [7, 7, 7]), 1);
  // Renaming the groups changes nothing, and the index is symmetric.
  const random = seededRandom(1);
  const a = Array.from({ length: 500 }, () => Math.floor(random() * 10));
  const b = a.map((v, i) => (i % 3 === 0 ? Math.floor(random() * 10) : v));
  const renamed = b.map((v) => [5, 9, 1, 0, 7, 2, 8, 3, 6, 4][v] * 11);
  const ari = adjustedRandIndex(a, b);
  close(adjustedRandIndex(a, renamed), ari);
  close(adjustedRandIndex(b, a), ari);
  close(ari, hubertArabie(a, b), 1e-12);
  close(adjustedRandIndex(Int32Array.from(a), Int32Array.from(a.map((v) => (v + 3) % 10))), 1);
});

test('adjusted Rand index on 30,000 samples in 2 groups (pair products beyond 2^53) agrees with Hubert–Arabie', () => {
  const random = seededRandom(2);
  const n = 30_000;
  const truth = Int32Array.from({ length: n }, () => Math.floor(random() * 2));
  const noisy = truth.map((v) => (random() < 0.6 ? v : Math.floor(random() * 2)));
  const independent = Int32Array.from({ length: n }, () => Math.floor(random() * 2));
  close(adjustedRandIndex(truth, noisy), hubertArabie(truth, noisy), 1e-12);
  close(adjustedRandIndex(truth, independent), hubertArabie(truth, independent), 1e-12);
  assert.ok(Math.abs(adjustedRandIndex(truth, independent)) < 0.01, 'independent labelings score about 0');
});

test('normalised mutual information: documented values, a hand-computed case, limits', () => {
  // scikit-learn's normalized_mutual_info_score documentation.
  close(normalizedMutualInformation([0, 0, 1, 1], [0, 0, 1, 1]), 1);
  close(normalizedMutualInformation([0, 0, 1, 1], [1, 1, 0, 0]), 1);
  // Independent labelings: every cell n_ij = 1 = a_i b_j / n, so each log term is log 1 = 0.
  assert.equal(normalizedMutualInformation([0, 0, 1, 1], [0, 1, 0, 1]), 0);
  // By hand, a = [0,0,0,1,1,1], b = [0,0,1,1,2,2] (n = 6): H(a) = log 2, H(b) = log 3;
  // I = (2/6) log(6·2/(3·2)) + (1/6) log(6·1/(3·2)) · 2 + (2/6) log(6·2/(3·2)) = (2/3) log 2;
  // NMI = (2/3) log 2 / ((log 2 + log 3)/2) = 4 log 2 / (3 log 6) ≈ 0.5158.
  close(normalizedMutualInformation([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), (4 * Math.log(2)) / (3 * Math.log(6)));
  // Both one group: scikit-learn's perfect-match limit 1; one group against several: 0.
  assert.equal(normalizedMutualInformation([2, 2, 2], [5, 5, 5]), 1);
  assert.equal(normalizedMutualInformation([2, 2, 2], [0, 1, 2]), 0);
  // Symmetric and blind to names.
  const random = seededRandom(3);
  const a = Array.from({ length: 300 }, () => Math.floor(random() * 4));
  const b = a.map((v, i) => (i % 2 ? v : Math.floor(random() * 6)));
  const nmi = normalizedMutualInformation(a, b);
  assert.ok(nmi > 0 && nmi < 1);
  close(normalizedMutualInformation(b, a), nmi);
  close(normalizedMutualInformation(a.map((v) => 10 - v), b.map((v) => v * 7)), nmi);
});

test('contingency table, and the scores refuse mismatched, empty and fractional labelings', () => {
  assert.deepEqual(contingencyTable([1, 1, 0, 2], [5, 3, 3, 3]), { rows: [0, 1, 2], columns: [3, 5], counts: [[1, 0], [1, 1], [1, 0]] });
  for (const score of [adjustedRandIndex, normalizedMutualInformation]) {
    assert.throws(() => score([0, 1, 1], [0, 1]), /the two labelings differ in length, 3 against 2/);
    assert.throws(() => score([], []), /the labelings are empty/);
    assert.throws(() => score([0, 0.5], [0, 1]), /entry 1 is 0.5; group labels must be whole numbers/);
  }
});

/** `perBlob` points around each of `centres`, each coordinate within ±0.5 of it. */
function blobs(centres: number[][], perBlob: number, seed: number): { x: tf.Tensor2D; labels: Int32Array } {
  const random = seededRandom(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < centres.length * perBlob; i++) {
    const c = i % centres.length;
    rows.push(centres[c].map((v) => v + random() - 0.5));
    labels.push(c);
  }
  return { x: tf.tensor2d(rows), labels: Int32Array.from(labels) };
}

const CENTRES = [[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10], [10, 10, 10]];

test('k-means recovers well-separated blobs exactly (ARI 1), repeats for a seed, and leaks nothing', async () => {
  await useBackend('wasm');
  const { x, labels } = blobs(CENTRES, 40, 1);
  const before = tf.memory().numTensors;
  for (const seed of [0, 1, 2, 3]) {
    const result = kMeans(x, 5, { seed });
    assert.ok(result.converged, `seed ${seed} converged`);
    assert.equal(adjustedRandIndex(labels, result.clusters), 1, `seed ${seed}`);
    assert.equal(normalizedMutualInformation(labels, result.clusters), 1);
    assert.deepEqual(kMeansClusters(x, 5, { seed }), result.clusters, 'the same seed gives the same clusters');
  }
  assert.equal(tf.memory().numTensors, before, 'k-means leaves no tensors behind');
  // The inertia is the sum of squared distances to the cluster means (float64 here).
  const result = kMeans(x, 5, { seed: 0 });
  const rows = x.arraySync();
  let inertia = 0;
  for (let c = 0; c < 5; c++) {
    const members = rows.filter((_, i) => result.clusters[i] === c);
    const centre = members[0].map((_, j) => members.reduce((s, row) => s + row[j], 0) / members.length);
    for (const row of members) inertia += row.reduce((s, v, j) => s + (v - centre[j]) ** 2, 0);
  }
  close(result.inertia, inertia, 1e-4 * inertia);
  tf.dispose(x);
});

test('k-means: seeded runs repeat on overlapping data, with either initialisation', async () => {
  await useBackend('wasm');
  const x = tf.randomNormal([400, 6], 0, 1, 'float32', 5) as tf.Tensor2D;
  for (const initialization of ['kmeans++', 'random'] as const) {
    const first = kMeans(x, 8, { seed: 7, initialization });
    const again = kMeans(x, 8, { seed: 7, initialization });
    assert.deepEqual(again, first);
    assert.ok(new Set(first.clusters).size === 8, 'every cluster is used');
  }
  const short = kMeans(x, 8, { seed: 7, maxIterations: 1 });
  assert.equal(short.iterations, 1);
  assert.equal(short.converged, false, 'one round from fresh centres has not settled');
  tf.dispose(x);
});

test('k-means from given centres ends where ml-kmeans (Lloyd in float64) ends', async () => {
  await useBackend('wasm');
  const x = tf.randomNormal([300, 4], 0, 1, 'float32', 9) as tf.Tensor2D;
  const rows = x.arraySync();
  const start = rows.slice(0, 6);
  const ours = kMeans(x, 6, { initialization: start });
  const reference = referenceKMeans(rows, 6, { initialization: start, maxIterations: 300 });
  assert.ok(ours.converged && reference.converged);
  assert.deepEqual(Array.from(ours.clusters), reference.clusters);
  tf.dispose(x);
});

test('k-means refuses bad points, k and options, naming the field', async () => {
  await useBackend('wasm');
  const x = tf.tensor2d([[0, 0], [1, 1], [2, 2]]);
  const flat = tf.tensor1d([0, 1, 2]);
  const empty = tf.zeros([0, 2]);
  const withNaN = tf.tensor2d([[0, NaN], [1, 1]]);
  assert.throws(() => kMeans(x, 4), /kMeans: k \(4\) cannot exceed the number of points \(3\)/);
  assert.throws(() => kMeans(x, 0), /kMeans: k must be a whole number > 0, got 0/);
  assert.throws(() => kMeans(flat as unknown as tf.Tensor2D, 2), /kMeans: points must be \(samples, features\) with at least one of each, got \(3\)/);
  assert.throws(() => kMeans(empty as tf.Tensor2D, 1), /got \(0, 2\)/);
  assert.throws(() => kMeans(withNaN, 1), /kMeans: the points contain NaN or infinite values/);
  assert.throws(() => kMeans(x, 2, { maxIterations: 0 }), /kMeans: maxIterations must be a whole number > 0/);
  assert.throws(() => kMeans(x, 2, { seed: 0.5 }), /kMeans: seed must be a whole number, got 0.5/);
  assert.throws(() => kMeans(x, 2, { initialization: 'mostDistant' as 'random' }), /kMeans: initialization must be 'kmeans\+\+', 'random' or 2 centres, got mostDistant/);
  assert.throws(() => kMeans(x, 2, { initialization: [[0, 0]] }), /kMeans: initialization given as centres must be 2 rows of 2 finite numbers/);
  assert.throws(() => kMeans(x, 2, { tolerance: 1e-6 } as object), /kMeans: unknown option 'tolerance'/);
  // k = N: every point its own cluster.
  assert.equal(new Set(kMeansClusters(x, 3)).size, 3);
  tf.dispose([x, flat, empty, withNaN]);
});
