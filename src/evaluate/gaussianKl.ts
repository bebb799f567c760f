/**
 * The KL divergence of one diagonal Gaussian code distribution N(μ, σ²) from the prior N(0, I)
 * (lesson 05), two ways, in float64: the closed form the VAE's loss uses, and a Monte Carlo
 * estimate from its definition, KL(q ‖ p) = E_{z~q}[log q(z) − log p(z)], that checks it.
 */
import * as tf from '@tensorflow/tfjs';
import { seededNormal } from '../random';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

function checkGaussian(name: string, mean: ArrayLike<number>, logVar: ArrayLike<number>): void {
  if (mean.length === 0 || mean.length !== logVar.length) {
    throw new Error(`${name}: mean and logVar must have the same length (the code size) and at least one number, got ${mean.length} and ${logVar.length}.`);
  }
  for (let j = 0; j < mean.length; j++) {
    if (!Number.isFinite(mean[j])) throw new Error(`${name}: mean[${j}] must be a finite number, got ${mean[j]}.`);
    if (!Number.isFinite(logVar[j])) throw new Error(`${name}: logVar[${j}] must be a finite number, got ${logVar[j]}.`);
  }
}

/** KL(N(μ, σ²) ‖ N(0, I)) in nats, closed form: ½ Σ_j (σ_j² + μ_j² − 1 − log σ_j²). */
export function gaussianKl(mean: ArrayLike<number>, logVar: ArrayLike<number>): number {
  checkGaussian('gaussianKl', mean, logVar);
  let sum = 0;
  for (let j = 0; j < mean.length; j++) sum = sum + Math.exp(logVar[j]) + mean[j] * mean[j] - 1 - logVar[j];
  return 0.5 * sum;
}

export interface MonteCarloEstimate {
  /** The mean of log q(z) − log p(z) over the draws, in nats. */
  estimate: number;
  /** Its standard error: the standard deviation of the draws' values ÷ √draws. */
  standardError: number;
  draws: number;
}

/**
 * KL(N(μ, σ²) ‖ N(0, I)) estimated from `draws` codes z = μ + σ·ε, ε ~ N(0, I) drawn from `seed`
 * (a (draws, code size) array, read row by row): the mean of log q(z) − log p(z), and its
 * standard error.
 */
export function gaussianKlMonteCarlo(
  mean: ArrayLike<number>,
  logVar: ArrayLike<number>,
  draws: number,
  seed: number,
): MonteCarloEstimate {
  checkGaussian('gaussianKlMonteCarlo', mean, logVar);
  if (!(Number.isInteger(draws) && draws >= 2)) throw new Error(`gaussianKlMonteCarlo: draws must be a whole number ≥ 2, got ${draws}.`);
  const size = mean.length;
  const epsilon = tf.tidy(() => seededNormal([draws, size], 0, 1, seed).dataSync());
  const logRatios = Array.from({ length: draws }, (_, n) => {
    let sum = 0;
    for (let j = 0; j < size; j++) {
      const sigma = Math.exp(logVar[j] / 2);
      const z = mean[j] + sigma * epsilon[n * size + j];
      const logQ = -HALF_LOG_TWO_PI - Math.log(sigma) - 0.5 * ((z - mean[j]) / sigma) ** 2;
      const logP = -HALF_LOG_TWO_PI - 0.5 * z * z;
      sum = sum + logQ - logP;
    }
    return sum;
  });
  const estimate = logRatios.reduce((a, b) => a + b, 0) / draws;
  const variance = logRatios.reduce((a, b) => a + (b - estimate) ** 2, 0) / (draws - 1);
  return { estimate, standardError: Math.sqrt(variance) / Math.sqrt(draws), draws };
}
