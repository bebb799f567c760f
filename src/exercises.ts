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

/** A notebook prints a cell's last value; a check's verdict is already shown, so print it short. */
function result(passed: boolean, message: string): CheckResult {
  return {
    passed,
    message,
    [Symbol.for('nodejs.util.inspect.custom')]: () => (passed ? '[check: passed]' : '[check: not yet]'),
  } as CheckResult;
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

export const check = {
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

  /** Lesson 03: (x, fraction, seed) → x with that fraction of values set to 0, the rest unchanged. */
  maskingNoise(fn: (x: tf.Tensor, fraction: number, seed: number) => tf.Tensor): CheckResult {
    const exercise = 'masking noise';
    const hint = 'draw tf.randomUniform(x.shape, 0, 1, "float32", seed), keep values where it is ≥ fraction, multiply x by that 0/1 mask.';
    return tidyValue(() => {
      const x = tf.fill([100, 400], 0.5);
      const out = attempt(exercise, hint, () => fn(x, 0.3, 4));
      if (isResult(out)) return out;
      if (out.shape.join() !== x.shape.join()) return report(exercise, false, `returned shape (${out.shape.join(', ')}), expected (${x.shape.join(', ')}).`, hint);
      const zeroed = out.equal(0).toFloat().mean().dataSync()[0];
      const kept = out.equal(0.5).toFloat().mean().dataSync()[0];
      const ok = Math.abs(zeroed - 0.3) < 0.01 && Math.abs(zeroed + kept - 1) < 1e-5;
      return report(exercise, ok, ok ? `zeroed ${(100 * zeroed).toFixed(1)}% and left the rest alone.` : `zeroed ${(100 * zeroed).toFixed(1)}% (expected 30%) and left ${(100 * kept).toFixed(1)}% unchanged.`, hint);
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

  /** Lesson 05: (mean, logVar, seed) → z = μ + exp(½ log σ²)·ε. Checked by its statistics. */
  reparameterise(fn: (mean: tf.Tensor, logVar: tf.Tensor, seed: number) => tf.Tensor): CheckResult {
    const exercise = 'reparameterisation';
    const hint = 'ε = tf.randomNormal(mean.shape, 0, 1, "float32", seed); z = mean + exp(0.5·logVar)·ε.';
    return tidyValue(() => {
      const mean = tf.fill([20000, 2], 3);
      const logVar = tf.fill([20000, 2], Math.log(0.25));
      const z = attempt(exercise, hint, () => fn(mean, logVar, 7));
      if (isResult(z)) return z;
      const m = z.mean().dataSync()[0];
      const s = z.sub(m).square().mean().sqrt().dataSync()[0];
      const reference = VariationalAutoencoder.reparameterise(mean, logVar, 7);
      const sameDraw = reference.sub(z).abs().max().dataSync()[0] < 1e-5;
      const ok = Math.abs(m - 3) < 0.02 && Math.abs(s - 0.5) < 0.02;
      return report(exercise, ok, ok ? `samples have mean ${m.toFixed(3)} and standard deviation ${s.toFixed(3)} (expected 3 and 0.5)${sameDraw ? ', the same draw as the library' : ''}.` : `samples have mean ${m.toFixed(3)} and standard deviation ${s.toFixed(3)}; expected 3 and 0.5.`, hint);
    });
  },
};
