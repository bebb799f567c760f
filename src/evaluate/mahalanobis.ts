/**
 * The Mahalanobis distance to a set of normal samples: the anomaly score a data scientist tries
 * first on a table (lesson 07), √((x − μ)ᵀ Σ⁻¹ (x − μ)) with μ and Σ the normal samples' mean and
 * covariance. It scores how unusual x is given the spread and correlations of normal data.
 *
 * When some directions have (almost) no variance — the border pixels of Fashion-MNIST are always
 * black — Σ cannot be inverted, and the distance along those directions explodes. The usual cure
 * is shrinkage: Σ_α = (1 − α)·Σ + α·(tr Σ / p)·I, with α chosen by the Ledoit & Wolf (2004)
 * formula from the samples themselves (`shrinkage: 'ledoit-wolf'`, as in scikit-learn's LedoitWolf).
 *
 * The covariance's blocks are added in float64; the inverse comes from its eigendecomposition
 * (./symmetricEigen.ts), as a whitening matrix the scores are computed with on the backend.
 */
import * as tf from '@tensorflow/tfjs';
import { symmetricEigen } from './symmetricEigen';
import { valuesOf } from './values';

export interface MahalanobisOptions {
  /** 'ledoit-wolf', a fixed α in [0, 1], or 0 for none. Default 'ledoit-wolf'. */
  shrinkage: 'ledoit-wolf' | number;
}

export const DEFAULT_MAHALANOBIS_OPTIONS: MahalanobisOptions = { shrinkage: 'ledoit-wolf' };

export interface MahalanobisScorer {
  /** The shrinkage α used. */
  shrinkage: number;
  /** The distance of each sample of x (N, features) to the normal data. */
  score(x: tf.Tensor): Float64Array;
  dispose(): void;
}

/** Rows per float32 product; the blocks are added in float64 (as in ./pca.ts). */
const BLOCK = 1000;

/** Fits the distance to the normal samples `x` (N, features). */
export function fitMahalanobis(x: tf.Tensor, options: Partial<MahalanobisOptions> = {}): MahalanobisScorer {
  const settings = { ...DEFAULT_MAHALANOBIS_OPTIONS, ...options };
  const n = x.shape[0];
  if (!(n >= 2)) throw new Error(`fitMahalanobis needs at least 2 samples, got ${n}.`);
  if (settings.shrinkage !== 'ledoit-wolf' && !(settings.shrinkage >= 0 && settings.shrinkage <= 1)) {
    throw new Error(`fitMahalanobis: shrinkage must be 'ledoit-wolf' or a number from 0 to 1, got ${String(settings.shrinkage)}.`);
  }
  const p = x.size / n;
  const flat = x.reshape([n, p]);
  const mean = new Float64Array(p);
  for (let start = 0; start < n; start += BLOCK) {
    const values = valuesOf(() => flat.slice(start, Math.min(BLOCK, n - start)));
    values.forEach((v, i) => (mean[i % p] += v));
  }
  mean.forEach((v, i) => (mean[i] = v / n));
  const meanTensor = tf.tensor1d(Array.from(mean));
  // S = Σ (x − μ)(x − μ)ᵀ / n, the maximum-likelihood covariance Ledoit–Wolf starts from; and Σ ‖x − μ‖⁴.
  const s = new Float64Array(p * p);
  let fourth = 0;
  for (let start = 0; start < n; start += BLOCK) {
    const count = Math.min(BLOCK, n - start);
    const centred = tf.tidy(() => flat.slice(start, count).sub(meanTensor));
    const block = valuesOf(() => tf.matMul(centred, centred, true, false));
    block.forEach((v, i) => (s[i] += v / n));
    valuesOf(() => centred.square().sum(1)).forEach((squared) => (fourth += squared * squared));
    centred.dispose();
  }
  flat.dispose();
  let trace = 0;
  for (let i = 0; i < p; i++) trace += s[i * p + i];
  const target = trace / p; // the scaled identity's diagonal
  let alpha = settings.shrinkage === 'ledoit-wolf' ? 0 : settings.shrinkage;
  if (settings.shrinkage === 'ledoit-wolf') {
    // δ² = ‖S − target·I‖²_F; β̄² = (1/n²) Σ_i ‖cᵢcᵢᵀ − S‖²_F capped at δ² (cᵢ = xᵢ − μ); α = β̄²/δ².
    // ‖cᵢcᵢᵀ − S‖² = ‖cᵢ‖⁴ − 2cᵢᵀScᵢ + ‖S‖², and Σ_i cᵢᵀScᵢ = n‖S‖², so the sum is Σ‖cᵢ‖⁴ − n‖S‖².
    let sSquared = 0;
    for (let i = 0; i < p * p; i++) sSquared += s[i] * s[i];
    const delta = sSquared - 2 * target * trace + target * target * p;
    const beta = Math.min(delta, (fourth - n * sSquared) / (n * n));
    alpha = delta > 0 ? Math.max(0, beta / delta) : 1;
  }
  const shrunk = Float64Array.from(s, (v, i) => (1 - alpha) * v + (i % (p + 1) === 0 ? alpha * target : 0));
  const { values, vectors } = symmetricEigen(shrunk, p);
  const floor = Math.max(...values) * 1e-12; // directions with no variance at all (only without shrinkage)
  // Whitening: the columns of V scaled by 1/√λ, (p, p); a sample's distance is ‖(x − μ)·W‖.
  const whitening = new Float32Array(p * p);
  for (let c = 0; c < p; c++) {
    const scale = values[c] > floor ? 1 / Math.sqrt(values[c]) : 0;
    for (let r = 0; r < p; r++) whitening[r * p + c] = vectors[c * p + r] * scale;
  }
  const whiten = tf.tensor2d(whitening, [p, p]);
  return {
    shrinkage: alpha,
    score(data: tf.Tensor): Float64Array {
      const m = data.shape[0];
      if (data.size / m !== p) throw new Error(`Mahalanobis score: samples have ${data.size / m} features, the fit had ${p}.`);
      const scores = new Float64Array(m);
      for (let start = 0; start < m; start += BLOCK) {
        const count = Math.min(BLOCK, m - start);
        const squared = valuesOf(() => tf.matMul(data.slice(start, count).reshape([count, p]).sub(meanTensor), whiten).square().sum(1));
        squared.forEach((v, i) => (scores[start + i] = Math.sqrt(v)));
      }
      return scores;
    },
    dispose(): void {
      tf.dispose([meanTensor, whiten]);
    },
  };
}
