/**
 * Nearest neighbours in a representation (codes, PCA coefficients, raw pixels): what "similar
 * images land near each other" means as a number. For each query, the k nearest items by
 * Euclidean distance (itself excluded when the queries are the items); precision@k is the share
 * of those neighbours that have the query's class (lessons 01 and 08).
 *
 * Distances are computed on the backend a block of queries at a time, so 10,000 × 10,000 pairs
 * never need to be in memory at once.
 */
import * as tf from '@tensorflow/tfjs';
import { valuesOfAll } from './values';

/** Added to a query's distance to itself so that it is never its own neighbour (finite in float32). */
const EXCLUDED_DISTANCE = 1e30;

/** Queries per block. */
const QUERY_BLOCK = 500;

export interface Neighbours {
  /** (queries, k): indices into the items, nearest first. */
  indices: Int32Array[];
  /** (queries, k): the squared distances. */
  distances: Float32Array[];
}

function checkPoints(x: tf.Tensor, what: string): void {
  if (x.rank !== 2 || x.shape[0] === 0) throw new Error(`nearestNeighbours: ${what} must be (samples, features) with at least one sample, got (${x.shape.join(', ')}).`);
}

/**
 * The k nearest `items` (N, d) of each query (Q, d). With `sameSet` the queries are the items and
 * each one is left out of its own neighbours.
 */
export function nearestNeighbours(queries: tf.Tensor, items: tf.Tensor, k: number, options: { sameSet?: boolean } = {}): Neighbours {
  checkPoints(queries, 'queries');
  checkPoints(items, 'items');
  if (queries.shape[1] !== items.shape[1]) throw new Error(`nearestNeighbours: queries have ${queries.shape[1]} features but items ${items.shape[1]}.`);
  const available = items.shape[0] - (options.sameSet ? 1 : 0);
  if (!(Number.isInteger(k) && k >= 1 && k <= available)) throw new Error(`nearestNeighbours: k must be a whole number from 1 to ${available}, got ${k}.`);
  const result: Neighbours = { indices: [], distances: [] };
  const itemNorms = tf.tidy(() => items.square().sum(1));
  try {
    for (let start = 0; start < queries.shape[0]; start += QUERY_BLOCK) {
      const count = Math.min(QUERY_BLOCK, queries.shape[0] - start);
      const [values, indices] = valuesOfAll(() => {
        const block = queries.slice(start, count);
        // ‖q − i‖² = ‖q‖² − 2 q·i + ‖i‖²: (count, N)
        let squared = block.square().sum(1, true).sub(tf.matMul(block, items, false, true).mul(2)).add(itemNorms).relu();
        if (options.sameSet) {
          const self = tf.oneHot(tf.range(start, start + count, 1, 'int32'), items.shape[0]).toFloat();
          squared = squared.add(self.mul(EXCLUDED_DISTANCE));
        }
        const top = tf.topk(squared.neg(), k);
        return [top.values.neg(), top.indices];
      }) as [Float32Array, Int32Array];
      for (let q = 0; q < count; q++) {
        result.indices.push(indices.slice(q * k, (q + 1) * k));
        result.distances.push(values.slice(q * k, (q + 1) * k));
      }
    }
  } finally {
    itemNorms.dispose();
  }
  return result;
}

/**
 * Precision@k: over every point of `points` (N, d), the share of its k nearest other points that
 * have its label. Chance is about the share of the commonest class.
 */
export function precisionAtK(points: tf.Tensor, labels: ArrayLike<number>, k: number): number {
  if (labels.length !== points.shape[0]) throw new Error(`precisionAtK: ${points.shape[0]} points but ${labels.length} labels.`);
  const { indices } = nearestNeighbours(points, points, k, { sameSet: true });
  let same = 0;
  indices.forEach((row, q) => row.forEach((i) => (same += labels[i] === labels[q] ? 1 : 0)));
  return same / (indices.length * k);
}
