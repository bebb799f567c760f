/**
 * Principal component analysis, the linear baseline every auto-encoder lesson compares against:
 * a linear auto-encoder with a k-wide code can do no better than PCA with k components.
 * The mean is summed in float64; the covariance matrix is a float32 product on the backend for
 * each block of COVARIANCE_BLOCK rows, and the blocks are added in float64, so no float32 sum runs
 * over more than a block. Its eigenvectors come from ./symmetricEigen.ts (all of them, or the
 * leading ones by subspace iteration). Projection and reconstruction are matrix products on the
 * backend.
 */
import * as tf from '@tensorflow/tfjs';
import { SymmetricEigen, symmetricEigen, topEigen } from './symmetricEigen';
import { valuesOf } from './values';

export interface PcaModel {
  /** Number of components kept. */
  k: number;
  /** Mean of the training data, (features). */
  mean: tf.Tensor1D;
  /** The k principal directions as columns, (features, k). */
  components: tf.Tensor2D;
  /** Variance of the training data along each kept direction (eigenvalues), largest first. */
  variances: number[];
  /** Fraction of the total variance that the k components explain. */
  explainedVarianceRatio: number;
  /** (N, features) → (N, k). */
  project(x: tf.Tensor): tf.Tensor2D;
  /** (N, k) → (N, features). */
  unproject(codes: tf.Tensor): tf.Tensor2D;
  /** x → unproject(project(x)), in x's shape. */
  reconstruct(x: tf.Tensor): tf.Tensor;
  /** The same fit keeping only the first k' ≤ k components (no new eigendecomposition). */
  truncate(k: number): PcaModel;
  dispose(): void;
}

/** Subspace iteration is used when k ≤ features / SUBSPACE_SHARE (and features ≥ SUBSPACE_MIN_FEATURES). */
const SUBSPACE_SHARE = 4;
const SUBSPACE_MIN_FEATURES = 64;
/** Relative residual at which the float32 products of subspace iteration count as converged. */
const SUBSPACE_TOLERANCE = 2e-6;

/** Rows per float32 product when the covariance is built (the blocks are added in float64). */
const COVARIANCE_BLOCK = 1000;

/** The mean of each column of (N, features), summed in float64. */
function columnMeans(flat: tf.Tensor): Float64Array {
  const [n, features] = flat.shape;
  const sums = new Float64Array(features);
  for (let start = 0; start < n; start += COVARIANCE_BLOCK) {
    const values = valuesOf(() => flat.slice(start, Math.min(COVARIANCE_BLOCK, n - start)));
    for (let i = 0; i < values.length; i++) sums[i % features] += values[i];
  }
  return sums.map((sum) => sum / n);
}

/** Fits PCA with k components to x (N, features) or images (N, h, w, c), flattened. */
export function fitPca(x: tf.Tensor, k: number): PcaModel {
  const features = x.size / x.shape[0];
  if (!Number.isInteger(k) || k < 1 || k > features) {
    throw new Error(`fitPca: k must be a whole number from 1 to the number of features (${features}), got ${k}.`);
  }
  if (x.shape[0] < 2) throw new Error('fitPca needs at least 2 samples.');
  const n = x.shape[0];
  const flat = x.reshape([n, features]);
  const meanValues = columnMeans(flat);
  const mean = tf.tensor1d(Array.from(meanValues));
  // (features, features) = centredᵀ · centred / (n − 1), block by block.
  const sums = new Float64Array(features * features);
  for (let start = 0; start < n; start += COVARIANCE_BLOCK) {
    const count = Math.min(COVARIANCE_BLOCK, n - start);
    const block = valuesOf(() => {
      const centred = flat.slice(start, count).sub(mean);
      return tf.matMul(centred, centred, true, false);
    });
    for (let i = 0; i < block.length; i++) sums[i] += block[i];
  }
  flat.dispose();
  const covariance = sums.map((v) => v / (n - 1));
  let total = 0;
  for (let i = 0; i < features; i++) total += Math.max(covariance[i * features + i], 0); // the trace
  const { values, vectors } = topComponents(covariance, features, k);
  // (features, k): component j is column j.
  const columns = new Float32Array(features * k);
  for (let j = 0; j < k; j++) for (let r = 0; r < features; r++) columns[r * k + j] = vectors[j * features + r];
  const components = tf.tensor2d(columns, [features, k]);
  const model = pcaModel(mean, components, Array.from(values.subarray(0, k)), total, x.shape.slice(1));
  tf.dispose([mean, components]);
  return model;
}

/**
 * The k leading eigenpairs of the covariance: by subspace iteration with the products on the
 * backend when k is small next to the number of features (a fraction of a second for 64 of 784),
 * else, or if that does not converge, by the full decomposition (about two seconds for 784).
 */
function topComponents(covariance: Float64Array, features: number, k: number): SymmetricEigen {
  if (k <= features / SUBSPACE_SHARE && features >= SUBSPACE_MIN_FEATURES) {
    const matrix = tf.tensor2d(Float32Array.from(covariance), [features, features]);
    try {
      // q holds b column vectors one after the other: as a (b, features) tensor, q·C is (C·q)ᵀ.
      const multiply = (q: Float64Array, b: number) => {
        const product = valuesOf(() => tf.matMul(tf.tensor2d(Float32Array.from(q), [b, features]), matrix));
        return Float64Array.from(product);
      };
      const found = topEigen(multiply, features, k, { tolerance: SUBSPACE_TOLERANCE });
      if (found) return found;
    } finally {
      matrix.dispose();
    }
  }
  return symmetricEigen(covariance, features);
}

/** A PCA model from its parts (it keeps its own copies of mean and components). */
function pcaModel(mean: tf.Tensor1D, components: tf.Tensor2D, variances: number[], totalVariance: number, inputShape: number[]): PcaModel {
  const ownMean = mean.clone();
  const ownComponents = components.clone();
  const [features, k] = components.shape;
  const model: PcaModel = {
    k,
    mean: ownMean,
    components: ownComponents,
    variances,
    explainedVarianceRatio: variances.reduce((a, b) => a + Math.max(b, 0), 0) / totalVariance,
    project: (data) => tf.tidy(() => tf.matMul(data.reshape([data.shape[0], features]).sub(ownMean), ownComponents) as tf.Tensor2D),
    unproject: (codes) => tf.tidy(() => tf.matMul(codes as tf.Tensor2D, ownComponents, false, true).add(ownMean) as tf.Tensor2D),
    reconstruct: (data) => tf.tidy(() => model.unproject(model.project(data)).reshape([data.shape[0], ...inputShape])),
    truncate: (fewer) => {
      if (!Number.isInteger(fewer) || fewer < 1 || fewer > k) throw new Error(`PCA truncate: k must be a whole number from 1 to ${k}, got ${fewer}.`);
      const kept = ownComponents.slice([0, 0], [features, fewer]);
      const truncated = pcaModel(ownMean, kept, variances.slice(0, fewer), totalVariance, inputShape);
      kept.dispose();
      return truncated;
    },
    dispose: () => tf.dispose([ownMean, ownComponents]),
  };
  return model;
}
