/**
 * Checks for the lessons' exercises. Each takes the learner's answer (a number or a function),
 * compares it with what the library computes, shows pass or fail with a hint, and returns the
 * result. Nothing is hard-coded: the expected values are computed here, on random inputs.
 *
 *   check.unitsOffShare((code) => ...);
 */
import * as tf from '@tensorflow/tfjs';
import { corrupt } from './data/corruption';
import { keepTopK } from './models/codeTransforms';
import { denseAutoencoder, DenseAutoencoderOptions } from './models/dense';
import { countParameters } from './models/layers';
import { klSparsity } from './models/penalties';
import { VariationalAutoencoder } from './models/vae';
import { bcePerPixel, msePerPixel, psnr } from './evaluate/reconstruction';
import { boxHtml } from './plot/box';
import { escapeHtml, show } from './plot/display';
import { rocCurve } from './evaluate/roc';
import { precisionAtK } from './evaluate/neighbours';
import { DEFAULT_ACTIVE_THRESHOLD as ACTIVE_THRESHOLD } from './evaluate/activity';
import { seededRandom } from './random';
import { cutWindows } from './data/windows';

export interface CheckResult {
  passed: boolean;
  message: string;
}

function result(passed: boolean, message: string): CheckResult {
  return { passed, message };
}

function report(exercise: string, passed: boolean, message: string, hint: string): CheckResult {
  const text = passed ? `✔ ${exercise}: ${message}` : `✘ ${exercise}: ${message}\nHint: ${hint}`;
  const colour = passed ? '#1a7f37' : '#cf222e';
  show({
    'text/plain': text,
    'text/html': boxHtml({
      colour, head: passed ? 'Pass' : 'Not yet', body: `${escapeHtml(exercise)}: ${escapeHtml(message)}`,
      // The hint waits behind a click: a check on the untouched stub should not print the answer.
      detail: passed ? undefined : `<details><summary>Hint</summary>${escapeHtml(hint)}</details>`,
    }),
  });
  return result(passed, message);
}

/** Runs a learner's function, turning a thrown error into a failed check. */
function attempt<T>(exercise: string, hint: string, run: () => T): T | CheckResult {
  try {
    return run();
  } catch (error) {
    return report(exercise, false, `your function threw: ${(error as Error).message}`, hint);
  }
}

function isResult(value: unknown): value is CheckResult {
  return typeof value === 'object' && value !== null && 'passed' in value && 'message' in value;
}

/** Like tf.tidy, for functions that return plain values: frees every tensor made inside. */
function tidyValue<T>(run: () => T): T {
  tf.engine().startScope();
  try {
    return run();
  } finally {
    tf.engine().endScope();
  }
}

function scalarOf(value: tf.Tensor | number): number {
  return typeof value === 'number' ? value : value.dataSync()[0];
}

/** The checks with their results (for tests); lessons call `check`. */
export const verify = {
  /** Lesson 01: the number of trainable numbers in denseAutoencoder(options). */
  parameterCount(answer: number, options: Partial<DenseAutoencoderOptions>): CheckResult {
    const model = denseAutoencoder(options);
    const expected = countParameters({ ...model.encoder.namedWeights(), ...model.decoder.namedWeights() });
    model.dispose();
    return report(
      `parameters of ${model.name}`,
      answer === expected,
      answer === expected ? `${expected} is right.` : `${answer} is not the count.`,
      'each dense layer n→m learns an n×m kernel and m biases; count the encoder and the decoder.',
    );
  },

  /**
   * Lesson 06: a function (original, reconstruction) → PSNR in dB, pixels in [0, 1]: each image's
   * 10·log₁₀(1 / its MSE per pixel), averaged over the images. Checked on images whose errors
   * differ tenfold and more from one image to the next, so that the PSNR of the overall MSE,
   * 20·log₁₀ or a natural logarithm fail.
   */
  psnr(fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor | number): CheckResult {
    const exercise = 'PSNR averaged over images';
    const hint = "each image's MSE is a.sub(b).square().mean(1); take 10·log₁₀(1 / MSE) of each (log₁₀ x = ln x / ln 10), then the mean over the images.";
    return tidyValue(() => {
      const a = tf.randomUniform([6, 784], 0, 1, 'float32', 3);
      const scales = tf.tensor2d([0.01, 0.03, 0.1, 0.2, 0.05, 0.3], [6, 1]);
      const b = a.add(tf.randomNormal([6, 784], 0, 1, 'float32', 4).mul(scales));
      const value = attempt(exercise, hint, () => scalarOf(fn(a, b)));
      if (isResult(value)) return value;
      const expected = psnr(a, b);
      const ok = Math.abs(value - expected) < 1e-3;
      return report(exercise, ok, ok ? `matches (${expected.toFixed(3)} dB).` : `gave ${value}, expected ${expected.toFixed(3)} dB.`, hint);
    });
  },

  /** Lesson 01: a function (original, reconstruction) → mean squared error per pixel. */
  meanSquaredError(fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor | number): CheckResult {
    const exercise = 'mean squared error per pixel';
    const hint = 'subtract, square, then average over every pixel of every image: a.sub(b).square().mean().';
    return tidyValue(() => {
      const a = tf.randomUniform([7, 784], 0, 1, 'float32', 1);
      const b = tf.randomUniform([7, 784], 0, 1, 'float32', 2);
      const value = attempt(exercise, hint, () => scalarOf(fn(a, b)));
      if (isResult(value)) return value;
      const expected = msePerPixel(a, b);
      const ok = Math.abs(value - expected) < 1e-5;
      return report(exercise, ok, ok ? `matches (${expected.toFixed(5)}).` : `gave ${value}, expected ${expected.toFixed(5)}.`, hint);
    });
  },

  /**
   * Lesson 01: a function (original, reconstruction) → binary cross-entropy per pixel,
   * −[x·log x̂ + (1−x)·log(1−x̂)] averaged over every pixel of every image. Checked on grey
   * (non-binary) originals, so that swapped arguments, a sum for the mean or the wrong sign fail,
   * and then on reconstructions of exactly 0 and 1 that miss, where only a clipped x̂ (or an ε in
   * the logarithm) stays finite.
   */
  binaryCrossEntropy(fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor | number): CheckResult {
    const exercise = 'binary cross-entropy per pixel';
    const hint = 'clip x̂ to [ε, 1−ε] (ε = 1e-7) so that log never sees 0; then '
      + '−(x·log x̂ + (1−x)·log(1−x̂)), averaged over every pixel of every image.';
    return tidyValue(() => {
      const a = tf.randomUniform([7, 784], 0, 1, 'float32', 3);
      const b = tf.randomUniform([7, 784], 0.02, 0.98, 'float32', 4);
      const value = attempt(exercise, hint, () => scalarOf(fn(a, b)));
      if (isResult(value)) return value;
      const expected = bcePerPixel(a, b);
      if (!(Math.abs(value - expected) < 1e-4 * expected)) {
        return report(exercise, false, `gave ${value}, expected ${expected.toFixed(5)}.`, hint);
      }
      // Pixels the reconstruction misses completely: x = 1 where x̂ = 0, and x = 0 where x̂ = 1.
      const missed = tf.tensor2d([[1, 0, 1, 0.5], [0, 1, 0.5, 1]]);
      const extreme = tf.tensor2d([[0, 1, 1, 0.5], [1, 1, 0.5, 0]]);
      const edge = attempt(exercise, hint, () => scalarOf(fn(missed, extreme)));
      if (isResult(edge)) return edge;
      if (!(Number.isFinite(edge) && edge > 1)) {
        return report(exercise, false, `gave ${edge} where some reconstructed pixels are exactly 0 or 1: log(0) is −∞.`, hint);
      }
      return report(exercise, true, `matches (${expected.toFixed(5)}), and stays finite where x̂ is 0 or 1.`, hint);
    });
  },

  /**
   * Lesson 02: the table's share of code units off per image. A unit is off when |h| ≤ 0.001;
   * the share is taken per image (row) and averaged over the images.
   */
  unitsOffShare(fn: (code: tf.Tensor2D) => tf.Tensor | number): CheckResult {
    const exercise = 'share of units off per image';
    const hint = 'off means |h| ≤ 0.001 (abs, then lessEqual, then cast to float); average over the units of each image (axis 1), then over the images.';
    return tidyValue(() => {
      // Rows with 2, 2 and 4 of 4 units off: a count, "off on every image", a forgotten abs,
      // "exactly 0" and a threshold of 0.01 each give another answer than 2/3.
      const code = tf.tensor2d([[0, 0.0005, 2, -0.5], [0, 0.3, 0.002, 0], [0, -0.0009, 0, 0]]);
      const value = attempt(exercise, hint, () => scalarOf(fn(code)));
      if (isResult(value)) return value;
      const expected = code.abs().lessEqual(ACTIVE_THRESHOLD).toFloat().mean(1).mean().dataSync()[0];
      const ok = Math.abs(value - expected) < 1e-6;
      return report(exercise, ok, ok ? `matches (${expected.toFixed(4)}).` : `gave ${value}, expected ${expected.toFixed(4)}.`, hint);
    });
  },

  maskingNoise(fn: (x: tf.Tensor, fraction: number, seed: number) => tf.Tensor): CheckResult {
    const exercise = 'masking noise';
    const hint = 'draw tf.randomUniform(x.shape, 0, 1, "float32", seed), keep values where it is ≥ fraction, multiply x by that 0/1 mask.';
    return tidyValue(() => {
      const x = tf.fill([100, 400], 0.5);
      const run = (seed: number) => attempt(exercise, hint, () => fn(x, 0.3, seed));
      const out = run(4);
      if (isResult(out)) return out;
      if (out.shape.join() !== x.shape.join()) return report(exercise, false, `returned shape (${out.shape.join(', ')}), expected (${x.shape.join(', ')}).`, hint);
      const zeroed = out.equal(0).toFloat().mean().dataSync()[0];
      const kept = out.equal(0.5).toFloat().mean().dataSync()[0];
      if (!(Math.abs(zeroed - 0.3) < 0.01 && Math.abs(zeroed + kept - 1) < 1e-5)) {
        return report(exercise, false, `zeroed ${(100 * zeroed).toFixed(1)}% (expected 30%) and left ${(100 * kept).toFixed(1)}% unchanged.`, hint);
      }
      const again = run(4);
      const other = run(5);
      if (isResult(again)) return again;
      if (isResult(other)) return other;
      const differs = (a: tf.Tensor, b: tf.Tensor) => a.notEqual(b).any().dataSync()[0] === 1;
      if (differs(out, again)) return report(exercise, false, 'the same seed gave two different masks: draw the noise from the seed.', hint);
      if (!differs(out, other)) return report(exercise, false, 'another seed gave the same mask: the seed must choose the mask.', hint);
      return report(exercise, true, `zeroed ${(100 * zeroed).toFixed(1)}%, left the rest alone, and the seed decides the mask.`, hint);
    });
  },

  /**
   * Lesson 03: (x, sigma, seed) → speckle noise, clip(x·(1 + σ·ε), 0, 1) with ε ~ N(0, 1) drawn
   * from the seed: noise that grows with the pixel's brightness. Checked by its statistics on
   * columns of known brightness (any generator passes), so that additive noise (black pixels
   * change), σ² for σ, uniform ε, no clipping and an ignored seed all fail.
   */
  speckleNoise(fn: (x: tf.Tensor, sigma: number, seed: number) => tf.Tensor): CheckResult {
    const exercise = 'speckle noise';
    const hint = 'draw ε from a standard normal with the seed (seededNormal(x.shape, 0, 1, seed), from ../src), '
      + 'multiply x by 1 + σ·ε, and clip the result to [0, 1].';
    const sigma = 0.3;
    const levels = [0, 0.2, 0.5, 0.95];
    return tidyValue(() => {
      const x = tf.tile(tf.tensor2d([levels]), [200, 100]); // (200, 400): column j has levels[j % 4]
      const run = (seed: number) => attempt(exercise, hint, () => fn(x, sigma, seed));
      const out = run(4);
      if (isResult(out)) return out;
      if (out.shape.join() !== x.shape.join()) return report(exercise, false, `returned shape (${out.shape.join(', ')}), expected (${x.shape.join(', ')}).`, hint);
      const atLevel = (i: number) => out.reshape([200, 100, 4]).slice([0, 0, i], [200, 100, 1]).flatten();
      const black = atLevel(0).abs().max().dataSync()[0];
      if (black !== 0) return report(exercise, false, `a black pixel (0) came out as up to ${black.toFixed(3)}: speckle multiplies, so 0 stays 0.`, hint);
      for (const i of [1, 2]) {
        const { mean, variance } = tf.moments(atLevel(i));
        const [m, sd, want] = [mean.dataSync()[0], Math.sqrt(variance.dataSync()[0]), sigma * levels[i]];
        if (!(Math.abs(m - levels[i]) < 0.01 && Math.abs(sd - want) < 0.05 * want)) {
          return report(exercise, false, `pixels of ${levels[i]} came out with mean ${m.toFixed(3)} and spread ${sd.toFixed(4)}; expected ${levels[i]} and σ·x = ${want.toFixed(4)}.`, hint);
        }
      }
      const [low, high] = [out.min().dataSync()[0], out.max().dataSync()[0]];
      if (!(low >= 0 && high <= 1)) return report(exercise, false, `values run from ${low.toFixed(3)} to ${high.toFixed(3)}: clip them to [0, 1].`, hint);
      const again = run(4);
      const other = run(5);
      if (isResult(again)) return again;
      if (isResult(other)) return other;
      const differs = (a: tf.Tensor, b: tf.Tensor) => a.notEqual(b).any().dataSync()[0] === 1;
      if (differs(out, again)) return report(exercise, false, 'the same seed gave two different draws: draw ε from the seed.', hint);
      if (!differs(out, other)) return report(exercise, false, 'another seed gave the same draw: the seed must choose ε.', hint);
      return report(exercise, true, 'black stays black, the spread grows as σ·x, values stay in [0, 1], and the seed decides the draw.', hint);
    });
  },

  /** Lesson 04: (code, rho) → Σ_j KL(ρ ‖ ρ̂_j), ρ̂_j the mean activation of unit j over the batch. */
  klSparsity(fn: (code: tf.Tensor2D, rho: number) => tf.Tensor | number): CheckResult {
    const exercise = 'KL sparsity penalty';
    const hint = 'ρ̂ = code.mean(0); KL = ρ·log(ρ/ρ̂) + (1−ρ)·log((1−ρ)/(1−ρ̂)); sum over units.';
    return tidyValue(() => {
      const code = tf.randomUniform([20, 12], 0.01, 0.99, 'float32', 5) as tf.Tensor2D;
      const value = attempt(exercise, hint, () => scalarOf(fn(code, 0.05)));
      if (isResult(value)) return value;
      const expected = klSparsity(code, 0.05).dataSync()[0];
      const ok = Math.abs(value - expected) < 1e-4 * Math.max(1, expected);
      return report(exercise, ok, ok ? `matches (${expected.toFixed(4)}).` : `gave ${value}, expected ${expected.toFixed(4)}.`, hint);
    });
  },

  /** Lesson 04: (code, k) → code with all but the k largest entries of each row set to 0. */
  topK(fn: (code: tf.Tensor2D, k: number) => tf.Tensor): CheckResult {
    const exercise = 'k-sparse code';
    const hint = 'tf.topk(code, k) gives the k largest values per row; keep the entries ≥ the k-th largest, zero the rest.';
    return tidyValue(() => {
      const code = tf.randomNormal([10, 30], 0, 1, 'float32', 6) as tf.Tensor2D;
      const out = attempt(exercise, hint, () => fn(code, 4));
      if (isResult(out)) return out;
      const expected = keepTopK(code, 4);
      const ok = out.shape.join() === code.shape.join() && out.sub(expected).abs().max().dataSync()[0] < 1e-6;
      return report(exercise, ok, ok ? 'keeps exactly the 4 largest units of every sample.' : 'differs from keeping the 4 largest units per sample.', hint);
    });
  },

  /**
   * Lesson 04: (code, rho, beta) → β · Σ_j (a_j − ρ)², a_j = the mean over the batch of |h_j|:
   * a per-unit target for any code (the KL penalty needs codes in (0, 1)). Checked on codes with
   * both signs and β ≠ 1, so that h for |h|, a mean over units or over everything, β forgotten
   * or (a_j − ρ) not squared fail.
   */
  unitActivityTarget(fn: (code: tf.Tensor2D, rho: number, beta: number) => tf.Tensor | number): CheckResult {
    const exercise = 'per-unit activity target';
    const hint = 'a = code.abs().mean(0) (one number per unit); then a.sub(ρ).square().sum().mul(β).';
    return tidyValue(() => {
      const code = tf.randomNormal([12, 10], 0.1, 0.5, 'float32', 8) as tf.Tensor2D;
      const value = attempt(exercise, hint, () => scalarOf(fn(code, 0.2, 0.7)));
      if (isResult(value)) return value;
      const expected = code.abs().mean(0).sub(0.2).square().sum().mul(0.7).dataSync()[0];
      const ok = Math.abs(value - expected) < 1e-5 * Math.max(1, expected);
      return report(exercise, ok, ok ? `matches (${expected.toFixed(5)}).` : `gave ${value}, expected ${expected.toFixed(5)}.`, hint);
    });
  },

  /**
   * Lesson 04: (code, k) → code with all but the k entries of largest |h| in each row set to 0,
   * exactly k per row even where |h| ties, the kept entries unchanged (sign included). Checked on
   * codes whose magnitudes tie often and take both signs, so that top-k of h rather than |h|,
   * keeping every entry ≥ the k-th largest (more than k on ties), returning |h|, or working
   * along the columns fail.
   */
  topKByMagnitude(fn: (code: tf.Tensor2D, k: number) => tf.Tensor): CheckResult {
    const exercise = 'k-sparse by magnitude';
    const hint = 'tf.topk(code.abs(), k).indices gives k distinct units per row, ties included; '
      + 'turn them into a 0/1 mask (tf.oneHot(...) summed over the k) and multiply the code by it.';
    const [rows, units, k] = [8, 12, 3];
    return tidyValue(() => {
      // Magnitudes 0.25, 0.5, ..., 1.5 (never 0) with random signs: many ties in |h|.
      const magnitude = tf.randomUniform([rows, units], 0, 6, 'int32', 9).add(1).toFloat().div(4);
      const sign = tf.randomUniform([rows, units], 0, 1, 'float32', 10).less(0.5).toFloat().mul(2).sub(1);
      const code = magnitude.mul(sign) as tf.Tensor2D;
      const out = attempt(exercise, hint, () => fn(code, k));
      if (isResult(out)) return out;
      if (out.shape.join() !== code.shape.join()) {
        return report(exercise, false, `returned shape (${out.shape.join(', ')}), expected (${code.shape.join(', ')}).`, hint);
      }
      const kept = out.notEqual(0);
      const counts = Array.from(kept.toFloat().sum(1).dataSync());
      if (counts.some((c) => c !== k)) {
        return report(exercise, false, `kept ${counts.join(', ')} units in the ${rows} rows; expected exactly ${k} in each, ties or not.`, hint);
      }
      if (out.sub(code.mul(kept.toFloat())).abs().max().dataSync()[0] > 1e-6) {
        return report(exercise, false, 'changed the values it kept: keep each entry as it is, sign included.', hint);
      }
      const smallestKept = tf.where(kept, code.abs(), tf.fill(code.shape, Infinity)).min(1);
      const largestDropped = tf.where(kept, tf.fill(code.shape, -Infinity), code.abs()).max(1);
      const ok = smallestKept.greaterEqual(largestDropped).all().dataSync()[0] === 1;
      return report(exercise, ok, ok ? `keeps exactly the ${k} largest |h| of every row, signs and ties handled.` : `dropped an entry larger in |h| than one it kept.`, hint);
    });
  },

  /**
   * Lesson 05: (mean, logVar, seed) → z = μ + exp(½ log σ²)·ε, checked by its statistics in four
   * columns with different μ and σ (so that a σ fixed, averaged over elements, or taken as σ²
   * fails), and by its seed (same seed, same draw; another seed, another draw).
   */
  reparameterise(fn: (mean: tf.Tensor, logVar: tf.Tensor, seed: number) => tf.Tensor): CheckResult {
    const exercise = 'reparameterisation';
    const hint = 'ε = seededNormal(mean.shape, 0, 1, seed); z = mean + exp(0.5·logVar)·ε, element by element.';
    const means = [3, -1, 0, 2];
    const sds = [0.5, 2, 1, 0.1];
    const rows = 20000;
    return tidyValue(() => {
      const mean = tf.tile(tf.tensor2d([means]), [rows, 1]);
      const logVar = tf.tile(tf.tensor2d([sds.map((sd) => Math.log(sd * sd))]), [rows, 1]);
      const z = attempt(exercise, hint, () => fn(mean, logVar, 7));
      if (isResult(z)) return z;
      if (z.shape.join() !== mean.shape.join()) return report(exercise, false, `returned shape (${z.shape.join(', ')}), expected (${mean.shape.join(', ')}).`, hint);
      const moments = tf.moments(z, 0);
      const m = Array.from(moments.mean.dataSync());
      const s = Array.from(moments.variance.sqrt().dataSync());
      const wrong = means.findIndex((mu, j) => Math.abs(m[j] - mu) > 0.05 * sds[j] + 1e-3 || Math.abs(s[j] - sds[j]) > 0.03 * sds[j]);
      if (wrong >= 0) {
        return report(exercise, false, `column ${wrong + 1} has mean ${m[wrong].toFixed(3)} and standard deviation ${s[wrong].toFixed(3)}; expected ${means[wrong]} and ${sds[wrong]}.`, hint);
      }
      const again = attempt(exercise, hint, () => fn(mean, logVar, 7));
      const other = attempt(exercise, hint, () => fn(mean, logVar, 8));
      if (isResult(again)) return again;
      if (isResult(other)) return other;
      if (z.notEqual(again).any().dataSync()[0]) return report(exercise, false, 'the same seed gave two different draws: draw ε from the seed.', hint);
      if (!z.notEqual(other).any().dataSync()[0]) return report(exercise, false, 'another seed gave the same draw: the seed must choose ε.', hint);
      const reference = VariationalAutoencoder.reparameterise(mean, logVar, 7);
      const sameDraw = reference.sub(z).abs().max().dataSync()[0] < 1e-5;
      return report(exercise, true, `every column has the right mean and spread, and the seed decides the draw${sameDraw ? ' (the same draw as the library)' : ''}.`, hint);
    });
  },

  /**
   * Lesson 05: (mean, logVar, m, s) → KL(N(μ, σ²) ‖ N(m, s²)) summed over code numbers, averaged
   * over the batch, in nats. Checked with m ≠ 0 and s ≠ 1 on a batch of 9, so that the standard
   * prior's formula, σ for σ², s for s², a missing ½ and a sum over the batch all fail.
   */
  priorKl(fn: (mean: tf.Tensor2D, logVar: tf.Tensor2D, priorMean: number, priorSd: number) => tf.Tensor | number): CheckResult {
    const exercise = 'KL term against the prior N(m, s²)';
    const hint = 'per code number: log(s/σ) + (σ² + (μ − m)²)/(2s²) − ½, with σ² = exp(logVar) and log σ = ½·logVar; sum over code numbers (axis 1), then average over the batch.';
    const [m, s] = [0.7, 1.8];
    return tidyValue(() => {
      const mean = tf.randomNormal([9, 4], 0, 1.5, 'float32', 11) as tf.Tensor2D;
      const logVar = tf.randomUniform([9, 4], -2, 1, 'float32', 12) as tf.Tensor2D;
      const value = attempt(exercise, hint, () => scalarOf(fn(mean, logVar, m, s)));
      if (isResult(value)) return value;
      const [mu, lv] = [mean.arraySync(), logVar.arraySync()];
      const perSample = mu.map((row, i) => row.reduce((sum, mj, j) =>
        sum + Math.log(s) - 0.5 * lv[i][j] + (Math.exp(lv[i][j]) + (mj - m) ** 2) / (2 * s * s) - 0.5, 0));
      const expected = perSample.reduce((a, b) => a + b, 0) / perSample.length;
      const ok = Math.abs(value - expected) < 1e-4 * Math.max(1, Math.abs(expected));
      return report(exercise, ok, ok ? `matches (${expected.toFixed(4)} nats).` : `gave ${value}, expected ${expected.toFixed(4)} nats.`, hint);
    });
  },

  /**
   * Lesson 07: (scores, labels) → the share of (anomaly, normal) pairs in which the anomaly scores
   * higher, a tie counting half: the AUC. Checked on scores with many ties (so that ignoring them,
   * or counting them whole, fails) and against rocCurve.
   */
  aucByPairs(fn: (scores: number[], labels: number[]) => number): CheckResult {
    const exercise = 'AUC by counting pairs';
    const hint = 'For every anomaly a and normal n: add 1 when scores[a] > scores[n], ½ when they are equal; divide by (anomalies × normals).';
    const random = seededRandom(7);
    const cases = [40, 25].map((n, c) => {
      const labels = Array.from({ length: n }, (_, i) => (i % 3 === c ? 1 : 0));
      const scores = labels.map((l) => Math.round((random() + 0.4 * l) * (c === 0 ? 5 : 20)) / 10);
      return { scores, labels, expected: rocCurve(scores, labels).auc };
    });
    for (const { scores, labels, expected } of cases) {
      const value = attempt(exercise, hint, () => fn([...scores], [...labels]));
      if (isResult(value)) return value;
      if (!(typeof value === 'number' && Math.abs(value - expected) < 1e-9)) {
        return report(exercise, false, `gave ${value} on ${scores.length} scores with ties, expected ${expected.toFixed(4)}.`, hint);
      }
    }
    return report(exercise, true, `matches the area under the ROC curve, ties included (${cases[0].expected.toFixed(4)}).`, hint);
  },

  /**
   * Lesson 08: (points, labels, k) → precision@k: for each point, the share of its k nearest other
   * points (Euclidean) that have its class, averaged over the points. Checked against
   * precisionAtK on two random sets, so that counting a point as its own neighbour fails.
   */
  precisionAtK(fn: (points: number[][], labels: number[], k: number) => number): CheckResult {
    const exercise = 'precision@k';
    const hint = 'For each point: sort the other points by distance, take the first k, count those of its class; divide the total by (points × k).';
    const random = seededRandom(11);
    return tidyValue(() => {
      for (const [n, k] of [[30, 5], [24, 3]]) {
        const labels = Array.from({ length: n }, (_, i) => i % 3);
        const points = labels.map((l) => [0, 1, 2, 3].map((d) => random() + (d === l ? 0.6 : 0)));
        const expected = precisionAtK(tf.tensor2d(points), labels, k);
        const value = attempt(exercise, hint, () => fn(points.map((p) => [...p]), [...labels], k));
        if (isResult(value)) return value;
        if (!(typeof value === 'number' && Math.abs(value - expected) < 1e-9)) {
          return report(exercise, false, `gave ${value} for ${n} points and k = ${k}, expected ${expected.toFixed(4)}.`, hint);
        }
      }
      return report(exercise, true, 'matches precisionAtK: each point\'s k nearest others, the share of its class.', hint);
    });
  },

  /**
   * Lesson 09: one GRU step (Cho et al. 2014), (x, h, W, U, b) → the next state, with the columns of
   * W (inputs, 3·units), U (units, 3·units) and b (3·units) in the order update z, reset r, new n:
   *   z = σ(xW_z + hU_z + b_z);  r = σ(xW_r + hU_r + b_r);  n = tanh(xW_n + b_n + r ⊙ (hU_n));
   *   h' = (1 − z) ⊙ n + z ⊙ h.
   * Checked on random weights, so that swapping z and 1 − z, applying r to h before U, or reading
   * the gates in another order fails.
   */
  gruStep(fn: (x: tf.Tensor2D, h: tf.Tensor2D, W: tf.Tensor2D, U: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor): CheckResult {
    const exercise = 'a GRU step';
    const hint = "Split x·W + b and h·U into three column blocks each (tf.split(..., 3, 1)): z, r, n in that order; n = tanh(xW_n + b_n + r ⊙ hU_n); h' = (1 − z) ⊙ n + z ⊙ h.";
    return tidyValue(() => {
      const [batch, inputs, units] = [3, 2, 4];
      const x = tf.randomNormal([batch, inputs], 0, 1, 'float32', 21) as tf.Tensor2D;
      const h = tf.randomNormal([batch, units], 0, 1, 'float32', 22) as tf.Tensor2D;
      const W = tf.randomNormal([inputs, 3 * units], 0, 1, 'float32', 23) as tf.Tensor2D;
      const U = tf.randomNormal([units, 3 * units], 0, 1, 'float32', 24) as tf.Tensor2D;
      const b = tf.randomNormal([3 * units], 0, 1, 'float32', 25) as tf.Tensor1D;
      const [xz, xr, xn] = tf.split(x.matMul(W).add(b), 3, 1);
      const [hz, hr, hn] = tf.split(h.matMul(U), 3, 1);
      const z = xz.add(hz).sigmoid();
      const r = xr.add(hr).sigmoid();
      const n = xn.add(r.mul(hn)).tanh();
      const expected = tf.scalar(1).sub(z).mul(n).add(z.mul(h));
      const value = attempt(exercise, hint, () => fn(x.clone(), h.clone(), W.clone(), U.clone(), b.clone()));
      if (isResult(value)) return value;
      if (!(value instanceof tf.Tensor) || value.shape.join() !== expected.shape.join()) {
        const got = value instanceof tf.Tensor ? `shape (${value.shape.join(', ')})` : String(value);
        return report(exercise, false, `returned ${got}, expected a tensor of shape (${batch}, ${units}).`, hint);
      }
      const gap = value.sub(expected).abs().max().dataSync()[0];
      if (!(gap < 1e-5)) return report(exercise, false, `differs from the GRU step by up to ${gap.toFixed(4)} on random weights.`, hint);
      return report(exercise, true, `matches the GRU step on random weights (largest difference ${gap.toExponential(1)}).`, hint);
    });
  },

  /**
   * Lesson 09: (points, length, stride) → how many windows of `length` points, one every `stride`
   * points from the first, fit in a part of `points` points. Checked against cutWindows, on parts
   * where the last window ends exactly at the end (so that off-by-one answers fail).
   */
  windowCount(fn: (points: number, length: number, stride: number) => number): CheckResult {
    const exercise = 'counting windows';
    const hint = 'Windows start at 0, stride, 2·stride, ... while start + length ≤ points: that is ⌊(points − length) / stride⌋ + 1.';
    for (const [points, length, stride] of [[400, 32, 2], [100, 10, 9], [97, 16, 3], [48, 48, 5], [200, 64, 8]]) {
      const { x, starts } = cutWindows(new Float64Array(points), { length, stride });
      x.dispose();
      const value = attempt(exercise, hint, () => fn(points, length, stride));
      if (isResult(value)) return value;
      if (value !== starts.length) {
        return report(exercise, false, `gave ${value} for ${points} points, windows of ${length} every ${stride}; cutWindows cuts ${starts.length}.`, hint);
      }
    }
    return report(exercise, true, 'matches cutWindows, including a window that ends exactly at the last point.', hint);
  },
};

type Quiet<T> = { [K in keyof T]: T[K] extends (...args: infer A) => unknown ? (...args: A) => void : never };

/**
 * The checks a lesson's exercise cells call: each shows its verdict as a box and returns nothing,
 * so that the notebook prints no echo of a return value under the box.
 */
export const check = Object.fromEntries(
  Object.entries(verify).map(([name, run]) => [name, (...args: unknown[]) => {
    (run as (...a: unknown[]) => unknown)(...args);
  }]),
) as Quiet<typeof verify>;
