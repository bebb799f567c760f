/**
 * Do the classes form clusters in a representation? (lesson 08, "clusters"). k-means groups the
 * points without looking at the labels; two scores then compare the groups with the classes:
 *
 * - the adjusted Rand index (Hubert & Arabie 1985, "Comparing partitions"): the share of pairs of
 *   samples on which the two partitions agree (same group in both, or different in both),
 *   corrected for chance: 1 for identical partitions, about 0 for independent ones, negative
 *   when they agree less than chance would. It matches scikit-learn's adjusted_rand_score.
 * - normalised mutual information: how many nats knowing one partition tells about the other,
 *   divided by the arithmetic mean of their entropies: 1 for identical partitions, 0 for
 *   independent ones. It matches scikit-learn's normalized_mutual_info_score (its default,
 *   average_method='arithmetic').
 *
 * Both are symmetric, ignore what the groups are called (a permutation of the names changes
 * nothing) and are computed from the contingency table in float64 (the ARI's last products as
 * exact integers, as scikit-learn does with Python integers).
 *
 * k-means is Lloyd's algorithm with the distances on the backend. The ml-kmeans package does the
 * same in plain JavaScript arrays, and on the 10,000 Fashion-MNIST test images (784 pixels) it took
 * 14–29 s a call on wasm (about 10 s of it for its k-means++ start), against about 1 s here; the
 * tests check that both end at the same clusters from the same start.
 *
 *   const clusters = kMeansClusters(codes, 10, { seed: 0 });
 *   const ari = adjustedRandIndex(testLabels, clusters);
 *   const nmi = normalizedMutualInformation(testLabels, clusters);
 */
import * as tf from '@tensorflow/tfjs';
import { checkKnownOptions, checkPositiveInteger, checkSeed } from '../models/options';
import { deriveSeed, seededRandom, shuffledIndices } from '../random';
import { valuesOf, valuesOfAll } from './values';

/** How k-means picks its first centres: drawn from `seed`, or given (k rows of d numbers). */
export type KMeansInitialization = 'kmeans++' | 'random' | number[][];

export interface KMeansOptions {
  /** Seed of the initial centres: the same seed gives the same clusters. Default 0. */
  seed: number;
  /** Most assignment rounds (Lloyd iterations). Default 300, as in scikit-learn. */
  maxIterations: number;
  /**
   * 'kmeans++' (default): greedy k-means++ as in scikit-learn and ml-kmeans (Arthur &
   * Vassilvitskii 2007; each new centre is the best of 2 + ⌊ln k⌋ candidates drawn with
   * probability proportional to the squared distance from the nearest centre so far);
   * 'random': k distinct points; or the k initial centres themselves.
   */
  initialization: KMeansInitialization;
}

export const DEFAULT_KMEANS_OPTIONS: KMeansOptions = {
  seed: 0,
  maxIterations: 300,
  initialization: 'kmeans++',
};

export interface KMeansResult {
  /** Cluster index of each point, from 0 to k − 1 (N). A cluster may end up empty. */
  clusters: Int32Array;
  /** Assignment rounds run, the last one included. */
  iterations: number;
  /** True when the last round moved no point (the clusters are a fixed point of Lloyd's algorithm). */
  converged: boolean;
  /**
   * k-means' objective: the sum over points of the squared distance to the centre they were
   * assigned to in the last round (float32 distances, summed in float64).
   */
  inertia: number;
}

const KMEANS = 'kMeans';

function checkKMeans(points: tf.Tensor2D, k: number, settings: KMeansOptions): void {
  if (!(points instanceof tf.Tensor) || points.rank !== 2 || points.shape[0] === 0 || points.shape[1] === 0) {
    const shape = points instanceof tf.Tensor ? `(${points.shape.join(', ')})` : typeof points;
    throw new Error(`${KMEANS}: points must be (samples, features) with at least one of each, got ${shape}.`);
  }
  checkPositiveInteger(KMEANS, 'k', k);
  const [n, d] = points.shape;
  if (k > n) throw new Error(`${KMEANS}: k (${k}) cannot exceed the number of points (${n}).`);
  checkSeed(KMEANS, settings.seed);
  checkPositiveInteger(KMEANS, 'maxIterations', settings.maxIterations);
  const init = settings.initialization;
  if (Array.isArray(init)) {
    if (init.length !== k || init.some((row) => !Array.isArray(row) || row.length !== d || !row.every(Number.isFinite))) {
      throw new Error(`${KMEANS}: initialization given as centres must be ${k} rows of ${d} finite numbers.`);
    }
  } else if (init !== 'kmeans++' && init !== 'random') {
    throw new Error(`${KMEANS}: initialization must be 'kmeans++', 'random' or ${k} centres, got ${String(init)}.`);
  }
  const bad = tf.tidy(() => tf.logicalNot(tf.isFinite(points)).any().dataSync()[0]);
  if (bad) throw new Error(`${KMEANS}: the points contain NaN or infinite values.`);
}

/** Squared distances (N, m) of every point to every centre: ‖x‖² − 2 x·c + ‖c‖², at least 0. */
function squaredDistances(points: tf.Tensor2D, pointNorms: tf.Tensor2D, centres: tf.Tensor2D): tf.Tensor2D {
  return pointNorms.sub(tf.matMul(points, centres, false, true).mul(2)).add(centres.square().sum(1)).relu() as tf.Tensor2D;
}

/** Index i drawn with probability weights[i] / Σ weights, from the cumulative sums. */
function drawWeighted(cumulative: Float64Array, random: () => number): number {
  const total = cumulative[cumulative.length - 1];
  const target = random() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Greedy k-means++: the indices of k points to start from. */
function kMeansPlusPlus(points: tf.Tensor2D, pointNorms: tf.Tensor2D, k: number, seed: number): number[] {
  const n = points.shape[0];
  const random = seededRandom(seed);
  const trials = 2 + Math.floor(Math.log(k));
  const chosen = [Math.floor(random() * n)];
  const distancesTo = (indices: number[]) =>
    valuesOf(() => squaredDistances(points, pointNorms, tf.gather(points, tf.tensor1d(indices, 'int32')) as tf.Tensor2D));
  const closest = Float64Array.from(distancesTo(chosen)); // (N): squared distance to the nearest centre so far
  const cumulative = new Float64Array(n);
  while (chosen.length < k) {
    let sum = 0;
    for (let i = 0; i < n; i++) cumulative[i] = sum += closest[i];
    if (sum === 0) {
      // Every point sits on a centre already (fewer distinct points than k): any unused point will do.
      chosen.push(shuffledIndices(n, deriveSeed(seed, chosen.length)).find((i) => !chosen.includes(i))!);
      continue;
    }
    const candidates = Array.from({ length: trials }, () => drawWeighted(cumulative, random));
    const distances = distancesTo(candidates); // (N, trials)
    let best = 0;
    let bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      let potential = 0;
      for (let i = 0; i < n; i++) potential += Math.min(closest[i], distances[i * trials + t]);
      if (potential < bestPotential) [best, bestPotential] = [t, potential];
    }
    chosen.push(candidates[best]);
    for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i], distances[i * trials + best]);
  }
  return chosen;
}

/**
 * k-means (Lloyd's algorithm) on the rows of `points` (N, d): assign every point to its nearest
 * centre, move each centre to the mean of its points, repeat until no point changes cluster or
 * maxIterations rounds have run. The distances and means are computed on the backend (one
 * (N, d)·(d, k) product per round); only the N cluster indices come back each round. A centre
 * that loses all its points stays where it was. Seeded: the same seed, data and backend give
 * the same clusters.
 */
export function kMeans(points: tf.Tensor2D, k: number, options: Partial<KMeansOptions> = {}): KMeansResult {
  checkKnownOptions(KMEANS, options, DEFAULT_KMEANS_OPTIONS);
  const settings: KMeansOptions = { ...DEFAULT_KMEANS_OPTIONS, ...options };
  checkKMeans(points, k, settings);
  const n = points.shape[0];
  const pointNorms = tf.tidy(() => points.square().sum(1, true) as tf.Tensor2D); // (N, 1)
  let centres: tf.Tensor2D | undefined;
  try {
    const init = settings.initialization;
    if (Array.isArray(init)) {
      centres = tf.tensor2d(init);
    } else {
      const start = init === 'random' ? Array.from(shuffledIndices(n, settings.seed).subarray(0, k)) : kMeansPlusPlus(points, pointNorms, k, settings.seed);
      centres = tf.tidy(() => tf.gather(points, tf.tensor1d(start, 'int32')) as tf.Tensor2D);
    }
    let clusters = new Int32Array(n).fill(-1);
    let nearest = new Float32Array(n);
    let iterations = 0;
    let converged = false;
    while (iterations < settings.maxIterations) {
      iterations++;
      const [assigned, distances] = valuesOfAll(() => {
        const d = squaredDistances(points, pointNorms, centres!); // (N, k)
        return [d.argMin(1), d.min(1)];
      }) as [Int32Array, Float32Array];
      converged = assigned.every((c, i) => c === clusters[i]);
      clusters = assigned;
      nearest = distances;
      if (converged) break;
      const counts = new Float32Array(k);
      for (const c of clusters) counts[c]++;
      const previous: tf.Tensor2D = centres;
      centres = tf.tidy(() => {
        // (k, N)·(N, d): the sum of each cluster's points; divided by its size, or the old centre if empty.
        const sums = tf.matMul(tf.oneHot(tf.tensor1d(clusters, 'int32'), k).toFloat(), points, true, false);
        const size = tf.tensor2d(counts, [k, 1]);
        return tf.where(size.greater(0), sums.div(size.maximum(1)), previous) as tf.Tensor2D;
      });
      previous.dispose();
    }
    let inertia = 0;
    for (let i = 0; i < n; i++) inertia += nearest[i];
    return { clusters, iterations, converged, inertia };
  } finally {
    pointNorms.dispose();
    centres?.dispose();
  }
}

/** The cluster index (0 to k − 1) of each row of `points` (N, d) by seeded k-means; see kMeans. */
export function kMeansClusters(points: tf.Tensor2D, k: number, options: Partial<KMeansOptions> = {}): Int32Array {
  return kMeans(points, k, options).clusters;
}

/** A contingency table in sparse form: counts of each (a-group, b-group) pair that occurs. */
interface Contingency {
  n: number;
  /** Samples in each group of a, and of b. */
  aSizes: number[];
  bSizes: number[];
  /** The non-zero cells: n_ij samples in group i of a and group j of b. */
  cells: { i: number; j: number; count: number }[];
}

/** Maps each distinct value to 0, 1, ... in order of first appearance. */
function groupIndices(values: ArrayLike<number>, what: string): { indices: Int32Array; groups: number[] } {
  const index = new Map<number, number>();
  const indices = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) throw new Error(`${what}: entry ${i} is ${v}; group labels must be whole numbers.`);
    let g = index.get(v);
    if (g === undefined) {
      g = index.size;
      index.set(v, g);
    }
    indices[i] = g;
  }
  return { indices, groups: [...index.keys()] };
}

function checkPartitions(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) throw new Error(`${what}: the two labelings differ in length, ${a.length} against ${b.length}.`);
  if (a.length === 0) throw new Error(`${what}: the labelings are empty.`);
}

function contingency(a: ArrayLike<number>, b: ArrayLike<number>, what: string): Contingency {
  checkPartitions(a, b, what);
  const ga = groupIndices(a, `${what} (first labeling)`);
  const gb = groupIndices(b, `${what} (second labeling)`);
  const columns = gb.groups.length;
  const aSizes = new Array<number>(ga.groups.length).fill(0);
  const bSizes = new Array<number>(columns).fill(0);
  const cells = new Map<number, number>();
  for (let s = 0; s < a.length; s++) {
    const i = ga.indices[s];
    const j = gb.indices[s];
    aSizes[i]++;
    bSizes[j]++;
    const key = i * columns + j;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  const list = [...cells].map(([key, count]) => ({ i: Math.floor(key / columns), j: key % columns, count }));
  return { n: a.length, aSizes, bSizes, cells: list };
}

/**
 * counts[i][j]: how many samples are in group rows[i] of `a` and group columns[j] of `b`, the
 * groups sorted by label (e.g. classes against clusters).
 */
export function contingencyTable(a: ArrayLike<number>, b: ArrayLike<number>): { rows: number[]; columns: number[]; counts: number[][] } {
  checkPartitions(a, b, 'contingencyTable');
  const rows = groupIndices(a, 'contingencyTable (first labeling)').groups.sort((x, y) => x - y);
  const columns = groupIndices(b, 'contingencyTable (second labeling)').groups.sort((x, y) => x - y);
  const rowOf = new Map(rows.map((v, i) => [v, i]));
  const columnOf = new Map(columns.map((v, j) => [v, j]));
  const counts = rows.map(() => new Array<number>(columns.length).fill(0));
  for (let s = 0; s < a.length; s++) counts[rowOf.get(a[s])!][columnOf.get(b[s])!]++;
  return { rows, columns, counts };
}

const sumOfSquares = (values: number[]) => values.reduce((sum, v) => sum + v * v, 0);

/**
 * The adjusted Rand index of two labelings of the same samples (Hubert & Arabie 1985), as
 * scikit-learn computes it from the pair confusion matrix: over ordered pairs of distinct
 * samples, tp are together in both, tn apart in both, fp and fn together in only one, and
 * ARI = 2(tp·tn − fn·fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn)); 1 when no pair disagrees.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const table = contingency(a, b, 'adjustedRandIndex');
  const n = table.n;
  const cellSquares = sumOfSquares(table.cells.map((cell) => cell.count)); // Σ n_ij², exact below 2^53
  const tp = cellSquares - n;
  const fp = sumOfSquares(table.bSizes) - cellSquares; // together in b only
  const fn = sumOfSquares(table.aSizes) - cellSquares; // together in a only
  const tn = n * n - fp - fn - cellSquares;
  if (fp === 0 && fn === 0) return 1;
  // tp·tn can pass 2^53 from about 14,000 samples ((N²/2)² > 2^53): multiply exact integers, divide once.
  const [TP, TN, FP, FN] = [tp, tn, fp, fn].map(BigInt);
  const numerator = 2n * (TP * TN - FN * FP);
  const denominator = (TP + FN) * (FN + TN) + (TP + FP) * (FP + TN);
  return Number(numerator) / Number(denominator);
}

/** Entropy in nats of a partition with these group sizes out of n. */
function entropy(sizes: number[], n: number): number {
  let h = 0;
  for (const size of sizes) if (size > 0) h -= (size / n) * Math.log(size / n);
  return h;
}

/**
 * Normalised mutual information of two labelings of the same samples: I(a; b) / ((H(a) + H(b)) / 2),
 * in [0, 1]. As in scikit-learn, two labelings that both put every sample in one group score 1,
 * and any pair with no mutual information scores 0.
 */
export function normalizedMutualInformation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const table = contingency(a, b, 'normalizedMutualInformation');
  if (table.aSizes.length === 1 && table.bSizes.length === 1) return 1;
  const n = table.n;
  // I(a; b) = Σ_ij (n_ij / n) log(n · n_ij / (a_i b_j)) over the non-zero cells.
  let mi = 0;
  for (const { i, j, count } of table.cells) mi += (count / n) * Math.log((n * count) / (table.aSizes[i] * table.bSizes[j]));
  mi = Math.max(mi, 0); // rounding can leave −1e-17 for independent labelings
  if (mi === 0) return 0;
  return mi / ((entropy(table.aSizes, n) + entropy(table.bSizes, n)) / 2);
}
