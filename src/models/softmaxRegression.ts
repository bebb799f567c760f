/**
 * Softmax (multinomial logistic) regression: the linear classifier of lesson 08, which asks what a
 * learned code is good for by training it on frozen features (codes, PCA coefficients, pixels).
 *
 *   features (B, inputSize) ─dense, linear→ logits z (B, classes) ─softmax→ p(class | x)
 *   loss = mean over the batch of −Σ_c t_c · log softmax(z)_c   (+ l2 · ‖W‖², bias excluded)
 *
 * The cross-entropy is taken from the logits through log-softmax (z − logΣexp z, with the
 * maximum subtracted inside), so it stays finite however confident the model is; it is in nats,
 * and a model that knows nothing (all logits equal) scores log(classes). The model is a
 * TrainableModel with one dense layer, so the library's one loop trains it:
 *
 *   const model = softmaxRegression({ inputSize: 32, classes: 10 });
 *   const targets = oneHotLabels(labels, 10);
 *   await train(model, codes, { target: targets, epochs: 20, learningRate: 1e-2 });
 *   const predicted = model.classify(testCodes);     // Int32Array of class indices
 *
 * See fitClassifier (../evaluate/classification.ts) for the same in one call.
 */
import * as tf from '@tensorflow/tfjs';
import { Stack } from './layers';
import { checkInputShape, LossContext, LossTerms, TrainableModel } from './model';
import { checkKnownOptions, checkOneOf, checkPositiveInteger, checkSeed } from './options';

/** How the weights start: all zero (the loss starts at exactly log(classes)) or Glorot-uniform from `seed`. */
export type SoftmaxInitialization = 'zeros' | 'glorot';

export interface SoftmaxRegressionOptions {
  /** Length of one feature vector (the code size, or 784 for pixels). Default 784. */
  inputSize: number;
  /** Number of classes; labels run from 0 to classes − 1. Default 10. */
  classes: number;
  /** Weight of the L2 penalty l2 · ‖W‖² on the kernel (not the bias), added to the mean cross-entropy. Default 0. */
  l2: number;
  /**
   * 'zeros' (default) or 'glorot'. The loss is convex in the weights, so zeros are a fine start
   * (there is no symmetry to break) and make a fit independent of the seed.
   */
  initialization: SoftmaxInitialization;
  /** Seed of the initial weights when initialization is 'glorot'. Default 0. */
  seed: number;
}

export const DEFAULT_SOFTMAX_REGRESSION_OPTIONS: SoftmaxRegressionOptions = {
  inputSize: 784,
  classes: 10,
  l2: 0,
  initialization: 'zeros',
  seed: 0,
};

/** Samples per batch when predicting or classifying a whole set. */
export const CLASSIFY_BATCH = 1000;

const MODEL = 'softmaxRegression';
const STACK_NAME = 'classifier';

export class SoftmaxRegression implements TrainableModel {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly classes: number;

  constructor(readonly options: SoftmaxRegressionOptions, readonly stack: Stack) {
    this.classes = options.classes;
    this.inputShape = [options.inputSize];
    this.name = `softmax regression ${options.inputSize}-${options.classes}${options.l2 > 0 ? `, l2 ${options.l2}` : ''}`;
  }

  /** The weight matrix W, (inputSize, classes). */
  get kernel(): tf.Variable {
    return this.stack.layers[0].weights.kernel;
  }

  /** The bias b, (classes). */
  get bias(): tf.Variable {
    return this.stack.layers[0].weights.bias;
  }

  /** x (B, inputSize) → logits xW + b (B, classes). The caller disposes them. */
  logits(x: tf.Tensor): tf.Tensor2D {
    checkInputShape(this, x);
    return tf.tidy(() => this.stack.apply(x) as tf.Tensor2D);
  }

  /** x (B, inputSize) → class probabilities softmax(xW + b) (B, classes). The caller disposes them. */
  predict(x: tf.Tensor): tf.Tensor2D {
    checkInputShape(this, x);
    return tf.tidy(() => tf.softmax(this.stack.apply(x)) as tf.Tensor2D);
  }

  /**
   * The most probable class of each sample, (N), computed CLASSIFY_BATCH samples at a time; only
   * the class indices come back from the backend.
   */
  classify(x: tf.Tensor): Int32Array {
    checkInputShape(this, x);
    const n = x.shape[0];
    const classes = new Int32Array(n);
    for (let start = 0; start < n; start += CLASSIFY_BATCH) {
      const count = Math.min(CLASSIFY_BATCH, n - start);
      const best = tf.tidy(() => this.stack.apply(x.slice(start, count)).argMax(1));
      try {
        classes.set(best.dataSync(), start);
      } finally {
        best.dispose();
      }
    }
    return classes;
  }

  /**
   * Required of every TrainableModel. A classifier does not rebuild its input: this returns what
   * it gives back for x, the class probabilities (B, classes), the same as predict().
   */
  reconstruct(x: tf.Tensor): tf.Tensor {
    return this.predict(x);
  }

  /**
   * `target` holds a row of class probabilities per sample (oneHotLabels). Terms: crossEntropy,
   * the mean over the batch in nats; l2 when the option is > 0; total, their sum.
   */
  lossTerms(input: tf.Tensor, target: tf.Tensor, _context: LossContext): LossTerms {
    if (target.rank !== 2 || target.shape[1] !== this.classes || target.shape[0] !== input.shape[0]) {
      throw new Error(
        `${this.name}: target must be (batch ${input.shape[0]}, classes ${this.classes}), one row of class ` +
          `probabilities per sample, got (${target.shape.join(', ')}). Make it with oneHotLabels(labels, ${this.classes}).`,
      );
    }
    return tf.tidy((): LossTerms => {
      const logits = this.stack.apply(input); // (B, classes)
      // −Σ_c t_c log softmax(z)_c per sample (B), then the batch mean.
      const crossEntropy = target.mul(tf.logSoftmax(logits)).sum(1).neg().mean() as tf.Scalar;
      if (this.options.l2 === 0) return { total: crossEntropy, crossEntropy };
      const l2 = this.kernel.square().sum().mul(this.options.l2) as tf.Scalar;
      return { total: crossEntropy.add(l2), crossEntropy, l2 };
    });
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.stack.namedWeights());
  }

  dispose(): void {
    this.stack.dispose();
  }
}

/**
 *   const probe = softmaxRegression({ inputSize: 32, classes: 10, l2: 1e-4 });
 */
export function softmaxRegression(options: Partial<SoftmaxRegressionOptions> = {}): SoftmaxRegression {
  checkKnownOptions(MODEL, options, DEFAULT_SOFTMAX_REGRESSION_OPTIONS);
  const settings: SoftmaxRegressionOptions = { ...DEFAULT_SOFTMAX_REGRESSION_OPTIONS, ...options };
  checkPositiveInteger(MODEL, 'inputSize', settings.inputSize);
  checkPositiveInteger(MODEL, 'classes', settings.classes);
  if (settings.classes < 2) throw new Error(`${MODEL}: classes must be at least 2, got ${settings.classes}.`);
  if (!(typeof settings.l2 === 'number' && Number.isFinite(settings.l2) && settings.l2 >= 0)) throw new Error(`${MODEL}: l2 must be a number ≥ 0, got ${String(settings.l2)}.`);
  checkOneOf(MODEL, 'initialization', settings.initialization, ['zeros', 'glorot'] as const);
  checkSeed(MODEL, settings.seed);

  const spec = { type: 'dense', inputs: settings.inputSize, units: settings.classes, activation: 'linear' } as const;
  if (settings.initialization === 'glorot') return new SoftmaxRegression(settings, new Stack([spec], settings.seed, STACK_NAME));
  const zeros = { [`${STACK_NAME}.0.kernel`]: tf.zeros([settings.inputSize, settings.classes]), [`${STACK_NAME}.0.bias`]: tf.zeros([settings.classes]) };
  try {
    return new SoftmaxRegression(settings, new Stack([spec], settings.seed, STACK_NAME, { weights: zeros }));
  } finally {
    tf.dispose(Object.values(zeros));
  }
}

/**
 * Throws, naming `what` and the first bad entry, unless every label is a whole number in
 * [0, classes) and there is at least one.
 */
export function checkLabels(labels: ArrayLike<number>, classes: number, what = 'labels'): void {
  if (labels.length === 0) throw new Error(`${what}: there are no labels.`);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) {
      throw new Error(`${what}: label ${i} is ${label}; labels must be whole numbers from 0 to ${classes - 1} (classes = ${classes}).`);
    }
  }
}

/** Class indices (N) → one-hot rows (N, classes) of 0s and a 1, the targets of softmax regression. */
export function oneHotLabels(labels: Int32Array, classes: number): tf.Tensor2D {
  checkPositiveInteger('oneHotLabels', 'classes', classes);
  checkLabels(labels, classes, 'oneHotLabels');
  return tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tf.Tensor2D);
}
