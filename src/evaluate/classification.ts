/**
 * How well a representation serves a classifier (lesson 08, "features with few labels"): a
 * linear classifier, softmax regression, is trained on frozen features (codes, PCA coefficients,
 * pixels) and scored on held-out samples by accuracy and a confusion matrix. The counting is done
 * in JavaScript on class indices; only those leave the backend.
 *
 *   const probe = await fitClassifier(trainCodes, trainLabels);
 *   const share = accuracy(probe, testCodes, testLabels);     // e.g. 0.83 on 10,000 raw images
 *   probe.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import { fitStandardiser } from '../data/tabular';
import { checkKnownOptions, checkPositiveInteger, checkSeed } from '../models/options';
import { checkLabels, oneHotLabels, SoftmaxRegression, softmaxRegression } from '../models/softmaxRegression';
import { deriveSeed } from '../random';
import { train } from '../train/train';

/** Anything that gives a class index per sample: a SoftmaxRegression, or `{ classify: (x) => ... }`. */
export interface Classifier {
  classify(x: tf.Tensor): Int32Array;
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>, what: string, names: [string, string]): void {
  if (a.length !== b.length) throw new Error(`${what}: ${a.length} ${names[0]} but ${b.length} ${names[1]}.`);
  if (a.length === 0) throw new Error(`${what}: there are no samples to score.`);
}

/** The share of samples whose predicted class equals the label, from 0 to 1. */
export function accuracyOf(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkSameLength(predicted, labels, 'accuracyOf', ['predictions', 'labels']);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** The share of the samples of `x` (N, ...) that `model` puts in their labelled class. */
export function accuracy(model: Classifier, x: tf.Tensor, labels: ArrayLike<number>): number {
  if (x.shape[0] !== labels.length) throw new Error(`accuracy: x has ${x.shape[0]} samples but there are ${labels.length} labels.`);
  if (labels.length === 0) throw new Error('accuracy: there are no samples to score.');
  return accuracyOf(model.classify(x), labels);
}

/**
 * counts[t][p]: how many samples of true class t were predicted as p (rows are the labels, as in
 * scikit-learn's confusion_matrix). The diagonal holds the correct ones.
 */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  checkPositiveInteger('confusionMatrix', 'classes', classes);
  checkSameLength(labels, predicted, 'confusionMatrix', ['labels', 'predictions']);
  checkLabels(labels, classes, 'confusionMatrix (labels)');
  checkLabels(predicted, classes, 'confusionMatrix (predictions)');
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) counts[labels[i]][predicted[i]]++;
  return counts;
}

export interface FitClassifierOptions {
  /** Number of classes; labels run from 0 to classes − 1. Default 10 (Fashion-MNIST, MNIST). */
  classes: number;
  /** Weight of the L2 penalty l2 · ‖W‖² (on standardised features when `standardise`). Default 1e-3. */
  l2: number;
  /**
   * Gradient steps, about: they are made as whole passes over the samples (fewer labels, more
   * passes), at least one per phase. Default 1,000.
   */
  steps: number;
  /** Samples per gradient step. Default 100. */
  batchSize: number;
  /** Adam's step size. Default 1e-2. */
  learningRate: number;
  /**
   * Share of the steps taken last, at a tenth of the learning rate (a fresh Adam): the weights
   * settle instead of jittering around the optimum with the last batches. Default 0.2; 0 for
   * one constant rate.
   */
  coolDown: number;
  /** Seed of the shuffling. Default 0. */
  seed: number;
  /**
   * Train on standardised features (each column to mean 0, standard deviation 1, with statistics of
   * these training samples only), then fold the scaling into the weights, so that the returned
   * model takes the raw features. Default false: the features are used as given, and should be on
   * a sensible scale (values of order 1). On raw pixels standardising cost 1–2 points of held-out
   * accuracy (nearly constant border pixels are blown up to unit spread).
   */
  standardise: boolean;
}

/**
 * Settings chosen on held-out training images, never the test set: the 10,000 shipped
 * Fashion-MNIST training images were split 8,000 / 2,000 three ways (seeds 1–3), and softmax
 * regressions on raw pixels trained on 100, 1,000 and 8,000 of the 8,000 were scored on the 2,000.
 * Over learning rates 1e-3 to 3e-2, l2 0 to 1e-3, 300 to 3,000 steps and batches of 100 or 500,
 * the better settings lay within about a point of each other (3e-2 with many steps lost up to 6);
 * the cool-down added about 1 point with 8,000 labels at no cost, l2 1e-3 about 1 point with 100,
 * and 3,000 steps instead of 1,000 added nothing. 1,000 steps take about a second on wasm
 * (784 features; 0.5 s for 32).
 */
export const DEFAULT_FIT_CLASSIFIER_OPTIONS: FitClassifierOptions = {
  classes: 10,
  l2: 1e-3,
  steps: 1000,
  batchSize: 100,
  learningRate: 1e-2,
  coolDown: 0.2,
  seed: 0,
  standardise: false,
};

/** The cool-down's learning rate, as a share of the main one. */
export const COOL_DOWN_RATE = 0.1;

const FIT = 'fitClassifier';

/** Passes over n samples in batches of batchSize that make about `steps` steps, at least one. */
export function epochsForSteps(n: number, batchSize: number, steps: number): number {
  return Math.max(1, Math.round(steps / Math.ceil(n / batchSize)));
}

/**
 * Trains a softmax regression on `features` (N, d) with class indices `labels` (N) using train(),
 * and returns it (the caller disposes it). The weights start at zero, so the seed only orders the
 * batches.
 *
 *   const probe = await fitClassifier(codes, labels);                   // the defaults above
 *   const quick = await fitClassifier(codes, labels, { steps: 300 });
 */
export async function fitClassifier(
  features: tf.Tensor2D,
  labels: Int32Array,
  options: Partial<FitClassifierOptions> = {},
): Promise<SoftmaxRegression> {
  checkKnownOptions(FIT, options, DEFAULT_FIT_CLASSIFIER_OPTIONS);
  const settings: FitClassifierOptions = { ...DEFAULT_FIT_CLASSIFIER_OPTIONS, ...options };
  checkPositiveInteger(FIT, 'classes', settings.classes);
  checkPositiveInteger(FIT, 'steps', settings.steps);
  checkPositiveInteger(FIT, 'batchSize', settings.batchSize);
  if (!(typeof settings.coolDown === 'number' && settings.coolDown >= 0 && settings.coolDown < 1)) {
    throw new Error(`${FIT}: coolDown must be a share from 0 up to (not including) 1, got ${String(settings.coolDown)}.`);
  }
  if (!(typeof settings.learningRate === 'number' && Number.isFinite(settings.learningRate) && settings.learningRate > 0)) {
    throw new Error(`${FIT}: learningRate must be a number > 0, got ${String(settings.learningRate)}.`);
  }
  checkSeed(FIT, settings.seed);
  if (typeof settings.standardise !== 'boolean') throw new Error(`${FIT}: standardise must be true or false, got ${String(settings.standardise)}.`);
  if (!(features instanceof tf.Tensor) || features.rank !== 2) {
    throw new Error(`${FIT}: features must be a (samples, features) tensor, got ${features instanceof tf.Tensor ? `(${features.shape.join(', ')})` : typeof features}.`);
  }
  if (features.shape[0] !== labels.length) throw new Error(`${FIT}: features have ${features.shape[0]} samples but there are ${labels.length} labels.`);
  checkLabels(labels, settings.classes, `${FIT} (labels)`);
  if (settings.standardise && labels.length < 2) throw new Error(`${FIT}: standardise needs at least 2 samples, got ${labels.length}.`);
  // l2 is checked by softmaxRegression(), naming the field.
  const model = softmaxRegression({ inputSize: features.shape[1], classes: settings.classes, l2: settings.l2 });
  const targets = oneHotLabels(labels, settings.classes);
  const standardiser = settings.standardise ? fitStandardiser(features) : undefined;
  const inputs = standardiser ? standardiser.apply(features) : features;
  try {
    const coolSteps = Math.round(settings.steps * settings.coolDown);
    const phases = [{ steps: settings.steps - coolSteps, learningRate: settings.learningRate }];
    if (coolSteps > 0) phases.push({ steps: coolSteps, learningRate: settings.learningRate * COOL_DOWN_RATE });
    for (const [i, phase] of phases.entries()) {
      await train(model, inputs, {
        target: targets,
        epochs: epochsForSteps(labels.length, settings.batchSize, phase.steps),
        batchSize: settings.batchSize,
        learningRate: phase.learningRate,
        seed: deriveSeed(settings.seed, i),
      });
    }
    if (standardiser) foldStandardisation(model, standardiser.mean, standardiser.std);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    targets.dispose();
    if (standardiser) {
      inputs.dispose();
      standardiser.dispose();
    }
  }
}

/**
 * Rewrites weights trained on z = (x − mean) / std so that they take x itself:
 * zW + b = x (W / std) + (b − (mean / std) W).
 */
function foldStandardisation(model: SoftmaxRegression, mean: tf.Tensor1D, std: tf.Tensor1D): void {
  tf.tidy(() => {
    const scale = std.reciprocal(); // (d)
    const kernel = model.kernel.mul(scale.reshape([-1, 1])); // (d, classes)
    const bias = model.bias.sub(tf.matMul(mean.mul(scale).reshape([1, -1]), model.kernel).reshape([-1])); // (classes)
    model.kernel.assign(kernel);
    model.bias.assign(bias);
  });
}

/**
 * A classifier's test accuracy as the labels grow (lesson 08): for each count n, a classifier is
 * fitted on the first n training samples only and scored on every test sample. Returns
 * { '100 labels': 0.69, ... }; nothing is left to dispose.
 */
export async function accuracyByLabelCount(
  train: { x: tf.Tensor2D; labels: Int32Array },
  test: { x: tf.Tensor2D; labels: ArrayLike<number> },
  counts: readonly number[],
  options: Partial<FitClassifierOptions> = {},
): Promise<Record<string, number>> {
  const row: Record<string, number> = {};
  for (const n of counts) {
    checkPositiveInteger('accuracyByLabelCount', 'a label count', n);
    if (n > train.x.shape[0]) throw new Error(`accuracyByLabelCount: ${n} labels asked for, but there are ${train.x.shape[0]} training samples.`);
    const subset = train.x.slice(0, n);
    const classifier = await fitClassifier(subset, train.labels.slice(0, n), options);
    row[`${n} labels`] = accuracy(classifier, test.x, test.labels);
    classifier.dispose();
    subset.dispose();
  }
  return row;
}
