/**
 * Checks for the lessons' exercises. Each takes the learner's answer (a number or a function),
 * compares it with what the library computes, shows pass or fail with a hint, and returns the
 * result. Nothing is hard-coded: the expected values are computed here, on random inputs.
 *
 *   check.activityPenalty((code, lambda) => ...);
 */
import * as tf from '@tensorflow/tfjs';
import { corrupt } from './data/corruption';
import { keepTopK } from './models/codeTransforms';
import { denseAutoencoder, DenseAutoencoderOptions } from './models/dense';
import { countParameters } from './models/layers';
import { klSparsity } from './models/penalties';
import { VariationalAutoencoder } from './models/vae';
import { msePerPixel } from './evaluate/reconstruction';
import { escapeHtml, show } from './plot/display';

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
    'text/html': `<div style="border-left:4px solid ${colour};padding:4px 8px;font-family:sans-serif"><b style="color:${colour}">${passed ? 'Pass' : 'Not yet'}</b> — ${escapeHtml(exercise)}: ${escapeHtml(message)}${passed ? '' : `<br/><i>Hint:</i> ${escapeHtml(hint)}`}</div>`,
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

  /** Lesson 02: (code, lambda) → λ · mean over samples of Σ_units |h|. */
  activityPenalty(fn: (code: tf.Tensor2D, lambda: number) => tf.Tensor | number): CheckResult {
    const exercise = 'L1 activity penalty';
    const hint = 'sum |h| over the units of each sample (axis 1), average over the batch, multiply by λ.';
    return tidyValue(() => {
      const code = tf.randomNormal([9, 16], 0, 1, 'float32', 3) as tf.Tensor2D;
      const value = attempt(exercise, hint, () => scalarOf(fn(code, 0.01)));
      if (isResult(value)) return value;
      const expected = code.abs().sum(1).mean().mul(0.01).dataSync()[0];
      const ok = Math.abs(value - expected) < 1e-5 * Math.max(1, expected);
      return report(exercise, ok, ok ? `matches (${expected.toFixed(5)}).` : `gave ${value}, expected ${expected.toFixed(5)}.`, hint);
    });
  },

  /**
   * Lesson 03: (x, fraction, seed) → x with that fraction of values set to 0, the rest unchanged,
   * the same mask for the same seed and another mask for another seed.
   */
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
