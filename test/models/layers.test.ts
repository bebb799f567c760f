import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { denseAutoencoder } from '../../src/models/dense';
import { buildLayer, countParameters, LAYER_TYPES, LayerSpec, SEED_OFFSETS, Stack, weightShapes } from '../../src/models/layers';
import { variationalAutoencoder } from '../../src/models/vae';
import { useBackend } from '../helpers';

const maxDifference = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);
const disposeLayerWeights = (layers: { weights: Record<string, tf.Variable> }[]) => layers.forEach((l) => tf.dispose(Object.values(l.weights)));

test('buildLayer: output and weight shapes of each layer type', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const cases: { spec: LayerSpec; input: number[]; output: number[]; weights: Record<string, number[]> }[] = [
    { spec: { type: 'dense', inputs: 6, units: 4, activation: 'relu' }, input: [2, 6], output: [2, 4], weights: { kernel: [6, 4], bias: [4] } },
    { spec: { type: 'conv2d', inChannels: 3, filters: 5, kernelSize: 3, strides: 2, activation: 'relu' }, input: [2, 8, 8, 3], output: [2, 4, 4, 5], weights: { kernel: [3, 3, 3, 5], bias: [5] } },
    { spec: { type: 'conv2dTranspose', inChannels: 5, filters: 3, kernelSize: 3, strides: 2, activation: 'sigmoid' }, input: [2, 4, 4, 5], output: [2, 8, 8, 3], weights: { kernel: [3, 3, 3, 5], bias: [3] } },
    { spec: { type: 'flatten' }, input: [2, 4, 4, 5], output: [2, 80], weights: {} },
    { spec: { type: 'reshape', shape: [4, 4, 5] }, input: [2, 80], output: [2, 4, 4, 5], weights: {} },
  ];
  for (const c of cases) {
    const layer = buildLayer(c.spec, 1, 'test.0');
    const shapes = Object.fromEntries(Object.entries(layer.weights).map(([k, w]) => [k, w.shape]));
    assert.deepEqual(shapes, c.weights, `${c.spec.type}: weights`);
    const y = tf.tidy(() => layer.apply(tf.ones(c.input)));
    assert.deepEqual(y.shape, c.output, `${c.spec.type}: output`);
    y.dispose();
    disposeLayerWeights([layer]);
  }
  assert.equal(tf.memory().numTensors, before, 'nothing left once the weights are disposed');
});

test('buildLayer: activations, fused or not, and a readable error for input of the wrong shape', async () => {
  await useBackend('cpu');
  const x = tf.randomNormal([4, 6], 0, 3, 'float32', 1);
  for (const activation of ['linear', 'relu', 'sigmoid', 'tanh', 'elu'] as const) {
    const layer = buildLayer({ type: 'dense', inputs: 6, units: 3, activation }, 2, 'test.0');
    const expected = tf.tidy(() => {
      const z = x.matMul(layer.weights.kernel).add(layer.weights.bias);
      return { linear: z, relu: tf.relu(z), sigmoid: tf.sigmoid(z), tanh: tf.tanh(z), elu: tf.elu(z) }[activation];
    });
    const y = layer.apply(x);
    assert.ok(maxDifference(y, expected) < 1e-5, activation);
    const linear = layer.applyLinear!(x);
    assert.ok(maxDifference(linear, tf.tidy(() => x.matMul(layer.weights.kernel).add(layer.weights.bias))) < 1e-5, `${activation}: applyLinear`);
    tf.dispose([y, expected, linear]);
    disposeLayerWeights([layer]);
  }
  const dense = buildLayer({ type: 'dense', inputs: 6, units: 3, activation: 'relu' }, 2, 'encoder.1');
  assert.throws(() => dense.apply(tf.zeros([4, 5])), /dense layer encoder\.1 expects \(batch, 6\) input, got \(4, 5\)/);
  const conv = buildLayer({ type: 'conv2d', inChannels: 3, filters: 2, kernelSize: 3, strides: 1, activation: 'tanh' }, 2, 'encoder.0');
  assert.throws(() => conv.apply(tf.zeros([1, 8, 8, 1])), /conv2d layer encoder\.0 expects \(batch, height, width, 3\) input, got \(1, 8, 8, 1\)/);
  const y = conv.apply(tf.randomNormal([1, 8, 8, 3], 0, 5, 'float32', 3));
  const [low, high] = tf.tidy(() => [y.min().dataSync()[0], y.max().dataSync()[0]]);
  assert.ok(low >= -1 && high <= 1, 'tanh (not fusable) is applied after the convolution');
  tf.dispose([x, y]);
  disposeLayerWeights([dense, conv]);
});

test('buildLayer: saved weights are used as given, and a saved weight of the wrong shape is refused', async () => {
  await useBackend('cpu');
  const kernel = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
  const bias = tf.tensor1d([0.5, -0.5]);
  const layer = buildLayer({ type: 'dense', inputs: 3, units: 2, activation: 'linear' }, 1, 'decoder.0', { kernel, bias });
  assert.deepEqual(layer.weights.kernel.arraySync(), [[1, 2], [3, 4], [5, 6]]);
  assert.notEqual(layer.weights.kernel, kernel, 'a variable of its own, not the given tensor');
  assert.throws(
    () => buildLayer({ type: 'dense', inputs: 2, units: 3, activation: 'linear' }, 1, 'decoder.0', { kernel, bias }),
    /decoder\.0\.kernel: saved shape \(3, 2\) does not match the layer \(2, 3\)/,
  );
  tf.dispose([kernel, bias]);
  disposeLayerWeights([layer]);
});

test('tied kernels: a tied dense layer owns only its bias and uses the other kernel transposed', async () => {
  await useBackend('cpu');
  const encoder = new Stack([{ type: 'dense', inputs: 6, units: 3, activation: 'relu' }], 4, 'encoder');
  const shared = encoder.namedWeights();
  const tied = buildLayer({ type: 'dense', inputs: 3, units: 6, activation: 'linear', tiedTo: 'encoder.0.kernel' }, 5, 'decoder.0', undefined, shared);
  assert.deepEqual(Object.keys(tied.weights), ['bias']);
  assert.equal(tied.tiedKernel, shared['encoder.0.kernel'], 'the very variable, not a copy');
  const h = tf.randomUniform([2, 3], 0, 1, 'float32', 1);
  const y = tied.apply(h);
  const expected = tf.tidy(() => h.matMul(shared['encoder.0.kernel'].transpose()));
  assert.ok(maxDifference(y, expected) < 1e-5, 'y = h·Wᵀ + b (b starts at zero)');
  assert.throws(
    () => buildLayer({ type: 'dense', inputs: 3, units: 6, activation: 'linear', tiedTo: 'encoder.1.kernel' }, 5, 'decoder.0', undefined, shared),
    /dense layer decoder\.0 is tied to encoder\.1\.kernel, which was not given; build the encoder first/,
  );
  assert.throws(
    () => buildLayer({ type: 'dense', inputs: 6, units: 3, activation: 'linear', tiedTo: 'encoder.0.kernel' }, 5, 'decoder.0', undefined, shared),
    /tied kernel encoder\.0\.kernel has shape \(6, 3\), expected \(3, 6\)/,
  );
  // A stack of tied layers disposes only its own weights: the kernel belongs to the encoder.
  const decoder = new Stack([{ type: 'dense', inputs: 3, units: 6, activation: 'linear', tiedTo: 'encoder.0.kernel' }], 5, 'decoder', { tiedTo: shared });
  decoder.dispose();
  assert.equal(shared['encoder.0.kernel'].isDisposed, false);
  tf.dispose([h, y, expected]);
  disposeLayerWeights([tied]);
  encoder.dispose();
  assert.equal(shared['encoder.0.kernel'].isDisposed, true);
});

test('Stack: layers in order, weights named <stack>.<layer>.<weight>, logits before the final sigmoid', async () => {
  await useBackend('cpu');
  const stack = new Stack([
    { type: 'dense', inputs: 5, units: 4, activation: 'relu' },
    { type: 'dense', inputs: 4, units: 3, activation: 'sigmoid' },
  ], 2, 'decoder');
  assert.deepEqual(Object.keys(stack.namedWeights()), ['decoder.0.kernel', 'decoder.0.bias', 'decoder.1.kernel', 'decoder.1.bias']);
  assert.equal(countParameters(stack.namedWeights()), 5 * 4 + 4 + 4 * 3 + 3);
  const x = tf.randomUniform([2, 5], 0, 1, 'float32', 1);
  const y = stack.apply(x);
  const byHand = tf.tidy(() => stack.layers[1].apply(stack.layers[0].apply(x)));
  assert.equal(maxDifference(y, byHand), 0);
  assert.ok(stack.endsInSigmoid());
  const viaLogits = tf.tidy(() => tf.sigmoid(stack.applyLogits(x)));
  assert.ok(maxDifference(y, viaLogits) < 1e-6, 'σ(applyLogits(x)) = apply(x)');
  const relu = new Stack([{ type: 'dense', inputs: 5, units: 4, activation: 'relu' }], 2, 'encoder');
  assert.equal(relu.endsInSigmoid(), false);
  assert.throws(() => relu.applyLogits(x), /encoder: applyLogits needs a stack whose last layer is dense with a sigmoid/);
  tf.dispose([x, y, byHand, viaLogits]);
  stack.dispose();
  relu.dispose();
});

test('standalone copies own their weights: same outputs, and they outlive the original', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const ae = denseAutoencoder({ inputSize: 12, hidden: [8], code: 4, tiedWeights: true, seed: 3 });
  const code = tf.randomUniform([3, 4], 0, 1, 'float32', 2);
  const expected = tf.tidy(() => ae.decoder.apply(code));
  const copy = ae.decoder.standalone('copy');
  assert.equal(copy.name, 'copy');
  assert.ok(copy.layers.every((l) => l.tiedKernel === undefined && l.spec.type === 'dense' && l.spec.tiedTo === undefined), 'no layer is tied any more');
  assert.deepEqual(Object.keys(copy.namedWeights()), ['copy.0.kernel', 'copy.0.bias', 'copy.1.kernel', 'copy.1.bias']);
  const original = new Set([...Object.values(ae.encoder.namedWeights()), ...Object.values(ae.decoder.namedWeights())]);
  assert.ok(Object.values(copy.namedWeights()).every((w) => !original.has(w)), 'every weight is a new variable');
  assert.ok(ae.decoder.specs.every((s) => s.type === 'dense' && s.tiedTo !== undefined), 'the original specs are untouched');
  ae.dispose();
  const output = tf.tidy(() => copy.apply(code));
  assert.ok(maxDifference(output, expected) < 1e-6, 'the copy decodes as the original did');
  tf.dispose([code, expected, output]);
  copy.dispose();
  assert.equal(tf.memory().numTensors, before, 'original and copy each free what they own');
});

test('SEED_OFFSETS: every layer and every stack of a model starts from different weights', async () => {
  await useBackend('cpu');
  const values = (w: tf.Tensor) => Array.from(w.dataSync());
  const same = { type: 'dense', inputs: 6, units: 6, activation: 'relu' } as const;
  const stack = new Stack([same, same, same], 11, 'encoder');
  const kernels = stack.layers.map((l) => values(l.weights.kernel));
  assert.notDeepEqual(kernels[0], kernels[1]);
  assert.notDeepEqual(kernels[1], kernels[2]);
  assert.notDeepEqual(kernels[0], kernels[2]);
  // Layer i is drawn from seed + i·SEED_OFFSETS.layer.
  const second = buildLayer(same, 11 + SEED_OFFSETS.layer, 'other.0');
  assert.deepEqual(values(second.weights.kernel), kernels[1]);
  // Same-shaped encoder and decoder, and the VAE's two heads, differ.
  const ae = denseAutoencoder({ inputSize: 8, hidden: [], code: 8, seed: 11 });
  assert.notDeepEqual(values(ae.encoder.layers[0].weights.kernel), values(ae.decoder.layers[0].weights.kernel));
  const vae = variationalAutoencoder({ inputSize: 8, hidden: [6], latent: 6, seed: 11 });
  assert.notDeepEqual(values(vae.meanHead.layers[0].weights.kernel), values(vae.logVarHead.layers[0].weights.kernel));
  const offsets = Object.values(SEED_OFFSETS);
  assert.equal(new Set(offsets).size, offsets.length, 'the offsets are distinct');
  stack.dispose();
  disposeLayerWeights([second]);
  ae.dispose();
  vae.dispose();
});

test('weightShapes gives the names, shapes and order of the weights buildLayer makes, for every layer type', async () => {
  await useBackend('cpu');
  const specs: LayerSpec[] = [
    { type: 'dense', inputs: 6, units: 4, activation: 'relu' },
    { type: 'conv2d', inChannels: 3, filters: 5, kernelSize: 3, strides: 2, activation: 'relu' },
    { type: 'conv2dTranspose', inChannels: 5, filters: 3, kernelSize: 3, strides: 2, activation: 'sigmoid' },
    { type: 'flatten' },
    { type: 'reshape', shape: [4, 4, 5] },
    { type: 'lstm', inputs: 2, units: 3, returnSequences: false },
    { type: 'repeat', times: 4 },
    { type: 'timeDense', inputs: 3, units: 2, activation: 'linear' },
    { type: 'conv1d', inChannels: 2, filters: 4, kernelSize: 3, strides: 2, activation: 'relu' },
    { type: 'conv1dTranspose', inChannels: 4, filters: 2, kernelSize: 3, strides: 2, activation: 'linear' },
  ];
  assert.deepEqual([...new Set(specs.map((s) => s.type))].sort(), [...LAYER_TYPES].sort(), 'every layer type is covered');
  for (const spec of specs) {
    const layer = buildLayer(spec, 1, 'test.0');
    const made = Object.entries(layer.weights).map(([name, w]) => [name, w.shape]);
    assert.deepEqual(made, Object.entries(weightShapes(spec)), `${spec.type}: names, shapes and order`);
    disposeLayerWeights([layer]);
  }
  const tied = buildLayer({ type: 'dense', inputs: 4, units: 6, activation: 'linear', tiedTo: 'encoder.0.kernel' }, 1, 'decoder.0',
    undefined, { 'encoder.0.kernel': tf.variable(tf.zeros([6, 4])) });
  assert.deepEqual(Object.keys(weightShapes(tied.spec)), ['bias'], 'a tied layer owns only its bias');
  assert.deepEqual(Object.keys(tied.weights), ['bias']);
  tied.tiedKernel!.dispose();
  disposeLayerWeights([tied]);
});
