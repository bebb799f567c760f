import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setupBackend } from '../../src/backend';
import { conv2dBackpropFilterFromOps } from '../../src/backend/conv2dBackpropFilter';
import { disposeDataset } from '../../src/data/imageDataset';
import { loadFashionMnist } from '../../src/data/fashionMnist';

const quiet = () => {};

type Shape4 = [number, number, number, number];
type Case = { name: string; x: Shape4; filter: Shape4; strides: number; pad: 'same' | 'valid'; transpose?: boolean };

const CASES: Case[] = [
  { name: '3×3 stride 1 same', x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: '3×3 stride 2 same', x: [2, 28, 28, 1], filter: [3, 3, 1, 8], strides: 2, pad: 'same' },
  { name: '5×5 stride 2 valid', x: [3, 13, 11, 2], filter: [5, 5, 2, 3], strides: 2, pad: 'valid' },
  { name: '2×2 stride 2 valid (even)', x: [1, 8, 8, 4], filter: [2, 2, 4, 2], strides: 2, pad: 'valid' },
  { name: 'conv2dTranspose 3×3 stride 2 same', x: [2, 7, 7, 8], filter: [3, 3, 4, 8], strides: 2, pad: 'same', transpose: true },
];

/** Gradients of a random projection of the layer output, with respect to input and filter. */
function gradients(c: Case, seed: number): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed) as tf.Tensor4D;
    const w = tf.randomNormal(c.filter, 0, 1, 'float32', seed + 1) as tf.Tensor4D;
    const forward = (a: tf.Tensor4D, b: tf.Tensor4D) =>
      c.transpose
        ? tf.conv2dTranspose(a, b, [c.x[0], c.x[1] * c.strides, c.x[2] * c.strides, c.filter[2]], c.strides, c.pad)
        : tf.conv2d(a, b, c.strides, c.pad);
    const outShape = forward(x, w).shape;
    const r = tf.randomNormal(outShape, 0, 1, 'float32', seed + 2);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => forward(a as tf.Tensor4D, b as tf.Tensor4D).mul(r).sum())([x, w]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  }
  assert.ok(worst < 1e-4, `${what}: largest relative difference ${worst}`);
}

for (const c of CASES) {
  test(`wasm Conv2DBackpropFilter matches cpu: ${c.name}`, async () => {
    await setupBackend({ force: 'cpu', log: quiet });
    const reference = gradients(c, 7);
    await setupBackend({ force: 'wasm', log: quiet });
    const before = tf.memory().numTensors;
    const onWasm = gradients(c, 7);
    assert.equal(tf.memory().numTensors, before, 'no tensors leak from the kernel');
    assertClose(onWasm.dw, reference.dw, 'filter gradient');
    assertClose(onWasm.dx, reference.dx, 'input gradient');
  });
}

test('the op-built kernel equals the cpu kernel when called directly on cpu', async () => {
  await setupBackend({ force: 'cpu', log: quiet });
  const x = tf.randomUniform([2, 9, 9, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
  const dy = tf.randomUniform([2, 5, 5, 6], -1, 1, 'float32', 4) as tf.Tensor4D;
  const attrs = { strides: 2, pad: 'same' as const, dataFormat: 'NHWC' as const, filterShape: [3, 3, 3, 6] as [number, number, number, number] };
  const ours = conv2dBackpropFilterFromOps(x, dy, attrs);
  const theirs = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never) as tf.Tensor;
  assertClose(ours.dataSync() as Float32Array, theirs.dataSync() as Float32Array, 'direct call');
  tf.dispose([x, dy, ours, theirs]);
});

test('a small conv auto-encoder trains on wasm and its loss falls', async () => {
  await setupBackend({ force: 'wasm', log: quiet });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.upSampling2d({ size: [2, 2] }),
      tf.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const data = loadFashionMnist({ limit: 64, layout: 'image' });
  const x = data.train.x;
  const history = await model.fit(x, x, { epochs: 10, batchSize: 32, verbose: 0, shuffle: false });
  const losses = history.history.loss as number[];
  assert.ok(losses.every(Number.isFinite));
  assert.ok(losses[losses.length - 1] < losses[0] * 0.9, `loss fell from ${losses[0]} to ${losses[losses.length - 1]}`);
  model.dispose();
  disposeDataset(data);
});
