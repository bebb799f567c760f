import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { CLASSIFY_BATCH, oneHotLabels, softmaxRegression } from '../../src/models/softmaxRegression';
import { train } from '../../src/train/train';
import { seededRandom } from '../../src/random';
import { useBackend } from '../helpers';

const CONTEXT = { seed: 0, training: true };

/**
 * Three blobs in the plane, class c around 4·(cos 2πc/3, sin 2πc/3), each point at most 0.5
 * from its centre in each coordinate: linearly separable (the centres are 6.9 apart).
 */
function blobs(perClass: number, seed: number): { x: tf.Tensor2D; labels: Int32Array } {
  const random = seededRandom(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 3 * perClass; i++) {
    const c = i % 3;
    const angle = (2 * Math.PI * c) / 3;
    rows.push([4 * Math.cos(angle) + random() - 0.5, 4 * Math.sin(angle) + random() - 0.5]);
    labels.push(c);
  }
  return { x: tf.tensor2d(rows), labels: Int32Array.from(labels) };
}

const valueOf = (t: tf.Scalar) => t.dataSync()[0];

test('softmax regression: zero weights give cross-entropy log(classes); a hand-computed case; stable for huge logits', async () => {
  await useBackend('wasm');
  const model = softmaxRegression({ inputSize: 2, classes: 3, l2: 0.1 });
  const x = tf.tensor2d([[1, 1], [3, -2]]);
  const target = oneHotLabels(Int32Array.from([1, 2]), 3);
  const before = tf.memory().numTensors;
  // All weights zero: every class gets probability 1/3, so −log(1/3) = log 3 per sample.
  let terms = model.lossTerms(x, target, CONTEXT);
  assert.deepEqual(Object.keys(terms).sort(), ['crossEntropy', 'l2', 'total']);
  assert.ok(Math.abs(valueOf(terms.crossEntropy) - Math.log(3)) < 1e-6);
  assert.equal(valueOf(terms.l2), 0);
  tf.dispose(Object.values(terms));

  // W = [[1, 0, 0], [0, 2, 0]], b = [0, 0, 0.5]:
  //   sample 1, x = (1, 1):  logits (1, 2, 0.5), class 1: CE = log(e¹ + e² + e^0.5) − 2
  //   sample 2, x = (3, −2): logits (3, −4, 0.5), class 2: CE = log(e³ + e⁻⁴ + e^0.5) − 0.5
  //   l2 term = 0.1 · (1² + 2²) = 0.5 (the bias is not penalised)
  tf.tidy(() => {
    model.kernel.assign(tf.tensor2d([[1, 0, 0], [0, 2, 0]]));
    model.bias.assign(tf.tensor1d([0, 0, 0.5]));
  });
  const expected = (Math.log(Math.E + Math.exp(2) + Math.exp(0.5)) - 2 + Math.log(Math.exp(3) + Math.exp(-4) + Math.exp(0.5)) - 0.5) / 2;
  terms = model.lossTerms(x, target, CONTEXT);
  assert.ok(Math.abs(valueOf(terms.crossEntropy) - expected) < 1e-5, `${valueOf(terms.crossEntropy)} against ${expected}`);
  assert.ok(Math.abs(valueOf(terms.l2) - 0.5) < 1e-6);
  assert.ok(Math.abs(valueOf(terms.total) - expected - 0.5) < 1e-5);
  tf.dispose(Object.values(terms));

  // Logits (1000, 0, 0) for class 1: softmax underflows to exactly 0, yet the CE is 1000 (log-sum-exp).
  tf.tidy(() => {
    model.kernel.assign(tf.tensor2d([[1000, 0, 0], [0, 0, 0]]));
    model.bias.assign(tf.zeros([3]));
  });
  const far = tf.tensor2d([[1, 0]]);
  const farTarget = oneHotLabels(Int32Array.from([1]), 3);
  terms = model.lossTerms(far, farTarget, CONTEXT);
  assert.ok(Math.abs(valueOf(terms.crossEntropy) - 1000) < 1e-3, `finite: ${valueOf(terms.crossEntropy)}`);
  tf.dispose([...Object.values(terms), far, farTarget]);
  assert.equal(tf.memory().numTensors, before, 'lossTerms leaves nothing behind');
  tf.dispose([x, target]);
  model.dispose();
});

test('softmax regression: shapes of predict, classify and reconstruct; classify in batches matches predict', async () => {
  await useBackend('wasm');
  const model = softmaxRegression({ inputSize: 5, classes: 4, initialization: 'glorot', seed: 3 });
  const n = 2 * CLASSIFY_BATCH + 17; // three batches, the last one short
  const x = tf.randomNormal([n, 5], 0, 1, 'float32', 1);
  const before = tf.memory().numTensors;
  const p = model.predict(x);
  assert.deepEqual(p.shape, [n, 4]);
  const rows = p.arraySync();
  for (const i of [0, 1000, n - 1]) assert.ok(Math.abs(rows[i].reduce((s, v) => s + v, 0) - 1) < 1e-5, 'probabilities sum to 1');
  const classes = model.classify(x);
  assert.ok(classes instanceof Int32Array);
  assert.equal(classes.length, n);
  rows.forEach((row, i) => assert.equal(classes[i], row.indexOf(Math.max(...row)), `sample ${i}`));
  const three = x.slice(0, 3);
  const r = model.reconstruct(three);
  assert.deepEqual(r.shape, [3, 4], 'reconstruct gives the probabilities');
  const l = model.logits(three);
  assert.deepEqual(l.shape, [3, 4]);
  tf.dispose([p, r, l, three]);
  assert.equal(tf.memory().numTensors, before, 'predict, classify, reconstruct and logits leave nothing behind once disposed');
  assert.equal(model.name, 'softmax regression 5-4');
  assert.deepEqual(model.inputShape, [5]);
  assert.equal(model.trainableVariables().length, 2);
  const wide = tf.zeros([2, 6]);
  assert.throws(() => model.classify(wide), /samples have shape \(6\) but the model takes \(5\)/);
  tf.dispose([x, wide]);
  model.dispose();
});

test('softmax regression: train() with one-hot targets separates separable classes; the loss falls; no leaks', async () => {
  await useBackend('wasm');
  const atStart = tf.memory().numTensors;
  const { x, labels } = blobs(20, 1);
  const validation = blobs(10, 2);
  const target = oneHotLabels(labels, 3);
  const validationTarget = oneHotLabels(validation.labels, 3);
  const model = softmaxRegression({ inputSize: 2, classes: 3, l2: 1e-4 });
  const counts: number[] = [];
  const history = await train(model, x, {
    target, validation: validation.x, validationTarget, epochs: 30, batchSize: 16, learningRate: 0.05, seed: 1,
    callbacks: { onEpochEnd: () => { counts.push(tf.memory().numTensors); } },
  });
  const first = history.rows[0];
  const last = history.rows[history.rows.length - 1];
  for (const key of ['total', 'crossEntropy', 'l2', 'val_total', 'val_crossEntropy', 'val_l2']) assert.ok(Number.isFinite(last[key]), key);
  assert.ok(last.crossEntropy < first.crossEntropy / 4, `cross-entropy fell from ${first.crossEntropy} to ${last.crossEntropy}`);
  assert.ok(first.crossEntropy < Math.log(3), 'the first epoch already improves on the zero-weight log 3');
  assert.equal(counts[counts.length - 1], counts[0], 'no tensors gained over the epochs');
  const predicted = model.classify(x);
  assert.deepEqual(Array.from(predicted), Array.from(labels), '100% training accuracy');
  assert.deepEqual(Array.from(model.classify(validation.x)), Array.from(validation.labels));
  model.dispose();
  tf.dispose([x, target, validation.x, validationTarget]);
  assert.equal(tf.memory().numTensors, atStart, 'training, classifying and dispose() leave nothing behind');
});

test('softmax regression: glorot weights are seeded; zeros do not depend on the seed', async () => {
  await useBackend('wasm');
  const weights = (options: Parameters<typeof softmaxRegression>[0]) => {
    const model = softmaxRegression({ inputSize: 6, classes: 3, ...options });
    const values = Array.from(model.kernel.dataSync());
    model.dispose();
    return values;
  };
  assert.deepEqual(weights({ initialization: 'glorot', seed: 4 }), weights({ initialization: 'glorot', seed: 4 }));
  assert.notDeepEqual(weights({ initialization: 'glorot', seed: 4 }), weights({ initialization: 'glorot', seed: 5 }));
  assert.ok(weights({ seed: 9 }).every((v) => v === 0));
});

test('softmax regression and oneHotLabels: bad options and targets throw, naming the field', async () => {
  await useBackend('wasm');
  const bad: [object, RegExp][] = [
    [{ inputSize: 0 }, /softmaxRegression: inputSize must be a whole number > 0, got 0/],
    [{ classes: 1 }, /softmaxRegression: classes must be at least 2/],
    [{ classes: 2.5 }, /softmaxRegression: classes must be a whole number/],
    [{ l2: -1 }, /softmaxRegression: l2 must be a number ≥ 0, got -1/],
    [{ l2: NaN }, /softmaxRegression: l2 must be a number ≥ 0/],
    [{ initialization: 'ones' }, /softmaxRegression: initialization must be one of zeros, glorot, got 'ones'/],
    [{ seed: 1.5 }, /softmaxRegression: seed must be a whole number, got 1.5/],
    [{ classSize: 3 }, /softmaxRegression: unknown option 'classSize'/],
  ];
  const before = tf.memory().numTensors;
  for (const [options, message] of bad) assert.throws(() => softmaxRegression(options), message);
  assert.equal(tf.memory().numTensors, before, 'a refused model makes no weights');

  const model = softmaxRegression({ inputSize: 2, classes: 3 });
  const x = tf.zeros([4, 2]);
  const labelsAsTensor = tf.tensor1d([0, 1, 2, 0]);
  assert.throws(() => model.lossTerms(x, labelsAsTensor, CONTEXT), /target must be \(batch 4, classes 3\).*oneHotLabels\(labels, 3\)/);
  const wrongClasses = oneHotLabels(Int32Array.from([0, 1, 2, 3]), 4);
  assert.throws(() => model.lossTerms(x, wrongClasses, CONTEXT), /target must be \(batch 4, classes 3\)/);
  tf.dispose([x, labelsAsTensor, wrongClasses]);
  model.dispose();

  assert.throws(() => oneHotLabels(Int32Array.from([0, 3]), 3), /oneHotLabels: label 1 is 3; labels must be whole numbers from 0 to 2/);
  assert.throws(() => oneHotLabels(Int32Array.from([-1]), 3), /label 0 is -1/);
  assert.throws(() => oneHotLabels(new Int32Array(0), 3), /oneHotLabels: there are no labels/);
  assert.throws(() => oneHotLabels(Int32Array.from([0]), 0), /oneHotLabels: classes must be a whole number > 0/);
  const oneHot = oneHotLabels(Int32Array.from([2, 0]), 3);
  assert.equal(oneHot.dtype, 'float32');
  assert.deepEqual(oneHot.arraySync(), [[0, 0, 1], [1, 0, 0]]);
  oneHot.dispose();
});
