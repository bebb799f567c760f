import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { setupBackend } from '../../src/backend';
import { conv2dBackpropFilterFromOps } from '../../src/backend/conv2dBackpropFilter';
import { conv2dBackpropInputFromOps } from '../../src/backend/conv2dBackpropInput';
import { stockKernel } from '../../src/backend/replaceKernel';
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
  { name: '4×4 stride 3 same (odd padding)', x: [2, 10, 9, 3], filter: [4, 4, 3, 2], strides: 3, pad: 'same' },
  { name: 'conv2dTranspose 3×3 stride 2 same', x: [2, 7, 7, 8], filter: [3, 3, 4, 8], strides: 2, pad: 'same', transpose: true },
  // Ci a multiple of 4 and Co of 8: on wasm the filter gradient skips im2col (conv_filter_grad).
  { name: '3×3 stride 2 same, 16 → 8 channels', x: [3, 9, 9, 16], filter: [3, 3, 16, 8], strides: 2, pad: 'same' },
  { name: '3×3 stride 1 same, 16 → 8 channels, 5 images (taken 2 at a time)', x: [5, 12, 12, 16], filter: [3, 3, 16, 8], strides: 1, pad: 'same' },
  { name: '5×5 stride 1 valid, 4 → 16 channels', x: [2, 8, 7, 4], filter: [5, 5, 4, 16], strides: 1, pad: 'valid' },
  { name: '4×4 stride 3 same (odd padding), 12 → 8 channels', x: [2, 10, 9, 12], filter: [4, 4, 12, 8], strides: 3, pad: 'same' },
  { name: 'conv2dTranspose 3×3 stride 2 same, 16 → 8 channels', x: [2, 7, 7, 16], filter: [3, 3, 8, 16], strides: 2, pad: 'same', transpose: true },
];

/**
 * The oracle: both gradients of Σ r·conv2d(x, w) by the definition of a convolution, in plain
 * loops over the padded input (TensorFlow's 'same' rule: pad total = max((out−1)·s + k − in, 0),
 * the smaller half on top/left). Shares no code with the kernels under test.
 */
function directGradients(x: Float32Array, xs: Shape4, w: Float32Array, ws: Shape4, r: Float32Array, s: number, pad: 'same' | 'valid') {
  const [B, H, W, C] = xs;
  const [KH, KW, , O] = ws;
  const out = (n: number, k: number) => (pad === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
  const OH = out(H, KH);
  const OW = out(W, KW);
  const top = pad === 'same' ? Math.floor(Math.max((OH - 1) * s + KH - H, 0) / 2) : 0;
  const left = pad === 'same' ? Math.floor(Math.max((OW - 1) * s + KW - W, 0) / 2) : 0;
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  for (let b = 0; b < B; b++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) for (let i = 0; i < KH; i++) for (let j = 0; j < KW; j++) {
    const ih = oh * s + i - top;
    const iw = ow * s + j - left;
    if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
    for (let c = 0; c < C; c++) for (let o = 0; o < O; o++) {
      const g = r[((b * OH + oh) * OW + ow) * O + o];
      dx[((b * H + ih) * W + iw) * C + c] += g * w[((i * KW + j) * C + c) * O + o];
      dw[((i * KW + j) * C + c) * O + o] += g * x[((b * H + ih) * W + iw) * C + c];
    }
  }
  return { dx: Float32Array.from(dx), dw: Float32Array.from(dw) };
}

/** Gradients of a random projection of the layer output, with respect to input and filter. */
function gradients(c: Case, seed: number) {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed) as tf.Tensor4D;
    const w = tf.randomNormal(c.filter, 0, 1, 'float32', seed + 1) as tf.Tensor4D;
    const forward = (a: tf.Tensor4D, b: tf.Tensor4D) =>
      c.transpose
        ? tf.conv2dTranspose(a, b, [c.x[0], c.x[1] * c.strides, c.x[2] * c.strides, c.filter[2]], c.strides, c.pad)
        : tf.conv2d(a, b, c.strides, c.pad);
    const y = forward(x, w);
    const r = tf.randomNormal(y.shape, 0, 1, 'float32', seed + 2);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => forward(a as tf.Tensor4D, b as tf.Tensor4D).mul(r).sum())([x, w]);
    const data = (t: tf.Tensor) => t.dataSync() as Float32Array;
    return { dx: data(dx), dw: data(dw), x: data(x), w: data(w), r: data(r), y: data(y) };
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

for (const backend of ['wasm', 'cpu'] as const) {
  for (const c of CASES) {
    test(`${backend} conv gradients (our Conv2DBackpropFilter and Conv2DBackpropInput) match direct loops: ${c.name}`, async () => {
      await setupBackend({ force: backend, log: quiet });
      const before = tf.memory().numTensors;
      const g = gradients(c, 7);
      assert.equal(tf.memory().numTensors, before, 'no tensors leak from the kernels');
      if (c.transpose) {
        // conv2dTranspose(a, w) is the input gradient of conv2d(·, w) applied to a: its own input
        // gradient is conv2d(r, w), and its filter gradient is that of conv2d(r, ·) with output gradient a.
        const oracle = directGradients(g.r, [c.x[0], c.x[1] * c.strides, c.x[2] * c.strides, c.filter[2]], g.w, c.filter, g.x, c.strides, c.pad);
        assertClose(g.dw, oracle.dw, 'filter gradient');
      } else {
        const oracle = directGradients(g.x, c.x, g.w, c.filter, g.r, c.strides, c.pad);
        assertClose(g.dw, oracle.dw, 'filter gradient');
        assertClose(g.dx, oracle.dx, 'input gradient');
      }
    });
  }
}

test('on cpu, our kernels agree with the stock ones they replace', async () => {
  await setupBackend({ force: 'cpu', log: quiet });
  const x = tf.randomUniform([2, 9, 9, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
  const dy = tf.randomUniform([2, 5, 5, 6], -1, 1, 'float32', 4) as tf.Tensor4D;
  const w = tf.randomUniform([3, 3, 3, 6], -1, 1, 'float32', 5) as tf.Tensor4D;
  const filterAttrs = { strides: 2, pad: 'same' as const, dataFormat: 'NHWC' as const, filterShape: [3, 3, 3, 6] as Shape4 };
  const inputAttrs = { strides: 2, pad: 'same' as const, dataFormat: 'NHWC' as const, inputShape: [2, 9, 9, 3] as Shape4 };
  const ours = [conv2dBackpropFilterFromOps(x, dy, filterAttrs), conv2dBackpropInputFromOps(dy, w, inputAttrs)];
  const cpu = tf.backend();
  const run = (name: string, inputs: tf.NamedTensorMap, attrs: object) => {
    const kernel = stockKernel(name, 'cpu');
    assert.ok(kernel, `setupBackend replaced the cpu ${name} and kept the stock one`);
    return tf.engine().makeTensorFromTensorInfo(kernel.kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend: cpu }) as tf.TensorInfo);
  };
  const stock = [run('Conv2DBackpropFilter', { x, dy }, filterAttrs), run('Conv2DBackpropInput', { dy, filter: w }, inputAttrs)];
  assertClose(ours[0].dataSync() as Float32Array, stock[0].dataSync() as Float32Array, 'filter gradient');
  assertClose(ours[1].dataSync() as Float32Array, stock[1].dataSync() as Float32Array, 'input gradient');
  tf.dispose([x, dy, w, ...ours, ...stock]);
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
