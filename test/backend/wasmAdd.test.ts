import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { stockKernel } from '../../src/backend/replaceKernel';
import { useBackend } from '../helpers';

type Pair = { name: string; a: number[]; b: number[] };
const PAIRS: Pair[] = [
  { name: 'conv output + bias (B, H, W, C) + (C)', a: [3, 5, 4, 16], b: [16] },
  { name: 'dense output + bias (B, units) + (units), odd width', a: [7, 13], b: [13] },
  { name: 'bias first: (units) + (B, units)', a: [13], b: [7, 13] },
  { name: 'one channel (B, H, W, 1) + (1)', a: [2, 6, 6, 1], b: [1] },
  { name: 'a row with leading ones (1, 1, C)', a: [4, 3, 8], b: [1, 1, 8] },
  // Not a row along the last axis: these go to tfjs's own kernel.
  { name: 'broadcast along another axis (B, units) + (B, 1)', a: [7, 13], b: [7, 1] },
  { name: 'same shapes', a: [7, 13], b: [7, 13] },
  { name: 'scalar', a: [7, 13], b: [] },
];

for (const pair of PAIRS) {
  test(`wasm Add equals tfjs's own wasm Add bit for bit and cpu: ${pair.name}`, async () => {
    const inputs = () => [tf.randomNormal(pair.a, 0, 1, 'float32', 1), tf.randomNormal(pair.b, 0, 1, 'float32', 2)];
    await useBackend('cpu');
    const onCpu = tf.tidy(() => { const [a, b] = inputs(); return { shape: tf.add(a, b).shape, values: Array.from(tf.add(a, b).dataSync()) }; });
    await useBackend('wasm');
    const stock = stockKernel(tf.Add, 'wasm');
    assert.ok(stock, 'our Add replaced the stock one');
    const before = tf.memory().numTensors;
    const ours = tf.tidy(() => { const [a, b] = inputs(); const y = tf.add(a, b); return { shape: y.shape, values: Array.from(y.dataSync()) }; });
    const theirs = tf.tidy(() => {
      const [a, b] = inputs();
      const info = stock!.kernelFunc({ inputs: { a, b }, backend: tf.backend(), attrs: {} }) as tf.TensorInfo;
      return Array.from(tf.engine().makeTensorFromTensorInfo(info).dataSync());
    });
    assert.equal(tf.memory().numTensors, before, 'nothing leaks');
    assert.deepEqual(ours.shape, onCpu.shape);
    assert.deepEqual(ours.values, theirs, 'the same float32 sums as tfjs');
    assert.deepEqual(ours.values, onCpu.values);
  });
}

test('wasm Add of int32 tensors still adds (stock kernel)', async () => {
  await useBackend('wasm');
  const y = tf.tidy(() => Array.from(tf.add(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), tf.tensor1d([10, 20], 'int32')).dataSync()));
  assert.deepEqual(y, [11, 22, 13, 24]);
});
