/**
 * Principal component analysis, the linear baseline every auto-encoder lesson compares against:
 * a linear auto-encoder with a k-wide code can do no better than PCA with k components.
 * The mean is summed in float64; the covariance matrix is a float32 product on the backend for
 * each block of COVARIANCE_BLOCK rows, and the blocks are added in float64, so no float32 sum runs
 * over more than a block. Its eigenvectors come from ml-pca (well kept, MIT). Projection and
 * reconstruction are matrix products on the backend.
 */
import * as tf from '@tensorflow/tfjs';
import { PCA as MlPca } from 'ml-pca';

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

/** Rows per float32 product when the covariance is built (the blocks are added in float64). */
const COVARIANCE_BLOCK = 1000;

/** The mean of each column of (N, features), summed in float64. */
function columnMeans(flat: tf.Tensor): Float64Array {
  const [n, features] = flat.shape;
  const sums = new Float64Array(features);
  for (let start = 0; start < n; start += COVARIANCE_BLOCK) {
    const values = tf.tidy(() => flat.slice(start, Math.min(COVARIANCE_BLOCK, n - start)).dataSync());
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
    const block = tf.tidy(() => {
      const centred = flat.slice(start, count).sub(mean);
      return tf.matMul(centred, centred, true, false).dataSync();
    });
    for (let i = 0; i < block.length; i++) sums[i] += block[i];
  }
  flat.dispose();
  const covarianceRows = Array.from({ length: features }, (_, i) => Array.from(sums.subarray(i * features, (i + 1) * features), (v) => v / (n - 1)));
  const pca = new MlPca(covarianceRows, { isCovarianceMatrix: true, center: false });
  const eigenvalues = (pca.toJSON() as { S: number[] }).S;
  const components = tf.tensor2d(pca.getEigenvectors().subMatrix(0, features - 1, 0, k - 1).to2DArray());
  const total = eigenvalues.reduce((a, b) => a + Math.max(b, 0), 0);
  const model = pcaModel(mean, components, eigenvalues.slice(0, k), total, x.shape.slice(1));
  tf.dispose([mean, components]);
  return model;
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
