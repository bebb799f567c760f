import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fitStandardiser } from '../../src/data/tabular';
import { accuracy, accuracyByLabelCount, accuracyOf, confusionMatrix, epochsForSteps, fitClassifier } from '../../src/evaluate/classification';
import { seededRandom } from '../../src/random';
import { useBackend } from '../helpers';

/** Four classes at the corners of a square of side 6 in the first two of `dims` features, ±0.5 noise. */
function corners(perClass: number, dims: number, seed: number, scale = 1, offset = 0): { x: tf.Tensor2D; labels: Int32Array } {
  const random = seededRandom(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 4 * perClass; i++) {
    const c = i % 4;
    const centre = [c & 1 ? 3 : -3, c & 2 ? 3 : -3];
    rows.push(Array.from({ length: dims }, (_, j) => ((centre[j] ?? 0) + random() - 0.5) * scale + offset));
    labels.push(c);
  }
  return { x: tf.tensor2d(rows), labels: Int32Array.from(labels) };
}

test('accuracy and confusionMatrix count by hand', async () => {
  await useBackend('wasm');
  const labels = Int32Array.from([0, 0, 1, 1, 2, 2]);
  const predicted = Int32Array.from([0, 1, 1, 1, 2, 0]);
  // 4 of 6 right.
  assert.equal(accuracyOf(predicted, labels), 4 / 6);
  const stub = { classify: (x: tf.Tensor) => predicted.slice(0, x.shape[0]) };
  const x = tf.zeros([6, 3]);
  assert.equal(accuracy(stub, x, labels), 4 / 6);
  // Rows: true class; columns: predicted class.
  assert.deepEqual(confusionMatrix(labels, predicted, 3), [
    [1, 1, 0],
    [0, 2, 0],
    [1, 0, 1],
  ]);
  assert.throws(() => accuracy(stub, x, labels.slice(0, 5)), /accuracy: x has 6 samples but there are 5 labels/);
  const none = tf.zeros([0, 3]);
  assert.throws(() => accuracy(stub, none, new Int32Array(0)), /accuracy: there are no samples/);
  assert.throws(() => accuracyOf(predicted, labels.slice(1)), /accuracyOf: 6 predictions but 5 labels/);
  assert.throws(() => confusionMatrix(labels, predicted, 2), /confusionMatrix \(labels\): label 4 is 2/);
  assert.throws(() => confusionMatrix(labels, predicted, 0), /confusionMatrix: classes must be a whole number > 0/);
  tf.dispose([x, none]);
});

test('fitClassifier: separable classes are learnt exactly, on held-out points too; nothing leaks', async () => {
  await useBackend('wasm');
  const train = corners(15, 5, 1);
  const held = corners(10, 5, 2);
  const before = tf.memory().numTensors;
  const model = await fitClassifier(train.x, train.labels, { classes: 4, steps: 200 });
  assert.equal(model.name, 'softmax regression 5-4, l2 0.001');
  assert.equal(accuracy(model, train.x, train.labels), 1);
  assert.equal(accuracy(model, held.x, held.labels), 1);
  model.dispose();
  assert.equal(tf.memory().numTensors, before, 'fitClassifier keeps nothing but the model');
  tf.dispose([train.x, held.x]);
});

test('fitClassifier with standardise: the scaling is folded into the weights, so the model takes raw features', async () => {
  await useBackend('wasm');
  // Features of scale 1000 around 5000: far from the sensible scale standardisation restores.
  const raw = corners(15, 3, 3, 1000, 5000);
  const options = { classes: 4, steps: 100, seed: 2 };
  const folded = await fitClassifier(raw.x, raw.labels, { ...options, standardise: true });
  // The same training on features standardised by hand, with the same statistics.
  const standardiser = fitStandardiser(raw.x);
  const z = standardiser.apply(raw.x);
  const plain = await fitClassifier(z, raw.labels, options);
  const fromRaw = folded.predict(raw.x);
  const fromStandardised = plain.predict(z);
  const gap = tf.tidy(() => fromRaw.sub(fromStandardised).abs().max().dataSync()[0]);
  assert.ok(gap < 1e-4, `probabilities differ by ${gap}`);
  assert.equal(accuracy(folded, raw.x, raw.labels), 1);
  tf.dispose([fromRaw, fromStandardised, z, raw.x]);
  standardiser.dispose();
  folded.dispose();
  plain.dispose();
});

test('fitClassifier: bad options throw, naming the field; epochsForSteps', async () => {
  await useBackend('wasm');
  const { x, labels } = corners(3, 2, 4);
  const before = tf.memory().numTensors;
  const bad: [object, RegExp][] = [
    [{ steps: 0 }, /fitClassifier: steps must be a whole number > 0, got 0/],
    [{ batchSize: 2.5 }, /fitClassifier: batchSize must be a whole number > 0/],
    [{ coolDown: 1 }, /fitClassifier: coolDown must be a share from 0 up to \(not including\) 1, got 1/],
    [{ learningRate: 0 }, /fitClassifier: learningRate must be a number > 0, got 0/],
    [{ seed: 0.5 }, /fitClassifier: seed must be a whole number, got 0.5/],
    [{ standardise: 'yes' }, /fitClassifier: standardise must be true or false, got yes/],
    [{ l2: -1 }, /softmaxRegression: l2 must be a number ≥ 0, got -1/],
    [{ classes: 3 }, /fitClassifier \(labels\): label 3 is 3; labels must be whole numbers from 0 to 2/],
    [{ epochs: 5 }, /fitClassifier: unknown option 'epochs'/],
  ];
  for (const [options, message] of bad) await assert.rejects(fitClassifier(x, labels, options as object), message);
  await assert.rejects(fitClassifier(x, labels.slice(1)), /fitClassifier: features have 12 samples but there are 11 labels/);
  const flat = tf.zeros([12]);
  await assert.rejects(fitClassifier(flat as unknown as tf.Tensor2D, labels), /fitClassifier: features must be a \(samples, features\) tensor, got \(12\)/);
  flat.dispose();
  assert.equal(tf.memory().numTensors, before, 'a refused fit leaves nothing behind');
  tf.dispose(x);
  // 100 samples in batches of 100: one step a pass; 10,000: 100 steps a pass.
  assert.equal(epochsForSteps(100, 100, 800), 800);
  assert.equal(epochsForSteps(10_000, 100, 800), 8);
  assert.equal(epochsForSteps(10_000, 100, 20), 1, 'at least one pass');
});

test('accuracyByLabelCount fits on the first n training samples for each n, scores every test sample, and leaks nothing', async () => {
  await useBackend('wasm');
  const train = corners(15, 5, 1);
  const held = corners(10, 5, 2);
  const options = { classes: 4, steps: 50, seed: 3 };
  const before = tf.memory().numTensors;
  const row = await accuracyByLabelCount(train, { x: held.x, labels: held.labels }, [4, 60], options);
  assert.equal(tf.memory().numTensors, before, 'nothing left to dispose');
  assert.deepEqual(Object.keys(row), ['4 labels', '60 labels']);
  // The same as fitting by hand on the first 4 samples (one of each class), seeded alike.
  const first = train.x.slice(0, 4);
  const byHand = await fitClassifier(first, train.labels.slice(0, 4), options);
  assert.equal(row['4 labels'], accuracy(byHand, held.x, held.labels));
  byHand.dispose();
  first.dispose();
  assert.equal(row['60 labels'], 1);
  await assert.rejects(accuracyByLabelCount(train, held, [61], options), /61 labels asked for, but there are 60 training samples/);
  await assert.rejects(accuracyByLabelCount(train, held, [0], options), /a label count must be a whole number > 0, got 0/);
  tf.dispose([train.x, held.x]);
});
