import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { col2im, convGeometry, im2col } from '../../src/backend/im2col';
import { SOURCE_SHA256 } from '../../src/backend/native/kernelsWasm';
import { stockKernel } from '../../src/backend/replaceKernel';
import { col2imOnHeap, im2colTransposedOnHeap, inspectModule, nativeKernelsAvailable, relaxedSimdSupported } from '../../src/backend/wasmNative';
import { useBackend } from '../helpers';

test('both embedded wasm builds come from the committed C source, import only memory and own no data', () => {
  const source = fs.readFileSync(path.join(__dirname, '../../src/backend/native/kernels.c'));
  assert.equal(createHash('sha256').update(source).digest('hex'), SOURCE_SHA256, 'kernels.c changed: run scripts/build-wasm-kernels.sh');
  assert.ok(relaxedSimdSupported(), 'Node 20 and later compile relaxed SIMD (Node 20 after our flag)');
  for (const variant of ['simd', 'relaxed-simd'] as const) {
    const shape = inspectModule(variant);
    assert.deepEqual(shape.imports, ['env.memory:memory'], variant);
    assert.deepEqual([...shape.exports].sort(), ['adam:function', 'add_rows:function', 'col2im:function', 'conv_filter_grad:function', 'im2col_t:function', 'lstm_backward:function', 'lstm_forward:function', 'matmul:function', 'sum_rows:function'], variant);
    assert.equal(shape.dataSections, 0, `${variant}: a data section would overwrite part of tfjs heap`);
  }
});

test('the module links to the wasm backend only', async () => {
  await useBackend('cpu');
  assert.equal(nativeKernelsAvailable(), false);
  await useBackend('wasm');
  assert.equal(nativeKernelsAvailable(), true);
});

// Geometries with padding on every side, odd strides and a batch, against the JavaScript loops.
const GEOMETRIES: { x: [number, number, number, number]; filter: [number, number, number, number]; strides: number; pad: 'same' | 'valid' }[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [3, 9, 8, 1], filter: [3, 3, 1, 2], strides: 2, pad: 'same' },
  { x: [2, 10, 9, 5], filter: [4, 4, 5, 2], strides: 3, pad: 'same' },
  { x: [1, 6, 6, 16], filter: [2, 2, 16, 2], strides: 2, pad: 'valid' },
];

for (const g of GEOMETRIES) {
  test(`wasm im2colᵀ and col2im in the heap equal the JavaScript loops: x (${g.x.join(', ')}), k ${g.filter[0]}, stride ${g.strides}, ${g.pad}`, async () => {
    await useBackend('wasm');
    const info = convGeometry(g.x, g.filter, { strides: g.strides, pad: g.pad, dataFormat: 'NHWC' });
    const positions = info.batchSize * info.outHeight * info.outWidth;
    const taps = info.filterHeight * info.filterWidth * info.inChannels;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.randomNormal(g.x, 0, 1, 'float32', 41);
      // The heap holds other data around these tensors: a wrong offset or size would show.
      const columnsT = im2colTransposedOnHeap(x, info, tf.backend())!;
      const expected = tf.tensor2d(im2col(x.dataSync(), info), [positions, taps]).transpose();
      assert.deepEqual(columnsT.shape, [taps, positions]);
      assert.deepEqual(Array.from(columnsT.dataSync()), Array.from(expected.dataSync()));

      const columns = tf.randomNormal([positions, taps], 0, 1, 'float32', 42);
      const image = col2imOnHeap(columns, info, tf.backend())!;
      assert.deepEqual(image.shape, g.x);
      const reference = col2im(columns.dataSync(), info);
      const values = image.dataSync();
      reference.forEach((v, i) => assert.ok(Math.abs(values[i] - v) <= 1e-6 * (1 + Math.abs(v)), `col2im entry ${i}: ${values[i]} vs ${v}`));
    });
    assert.equal(tf.memory().numTensors, before, 'nothing leaks');
  });
}

const SUMS: { name: string; run: () => tf.Tensor }[] = [
  { name: 'bias gradient of a conv layer (B, H, W, C) → (C)', run: () => tf.sum(tf.randomNormal([5, 7, 3, 6], 0, 1, 'float32', 51), [0, 1, 2]) },
  { name: 'the same, keepDims', run: () => tf.sum(tf.randomNormal([5, 7, 3, 6], 0, 1, 'float32', 52), [0, 1, 2], true) },
  { name: 'bias gradient of a dense layer (B, units) → (units), many rows', run: () => tf.sum(tf.randomNormal([3000, 40], 0, 1, 'float32', 53), 0) },
  { name: 'axes given out of order and negative', run: () => tf.sum(tf.randomNormal([4, 6, 8], 0, 1, 'float32', 54), [1, -3]) },
  { name: 'down to fewer than 4 values (stock kernel)', run: () => tf.sum(tf.randomNormal([64, 5, 5, 1], 0, 1, 'float32', 55), [0, 1, 2]) },
  { name: 'innermost axis (stock kernel)', run: () => tf.sum(tf.randomNormal([9, 12], 0, 1, 'float32', 56), 1) },
  { name: 'middle axis (stock kernel)', run: () => tf.sum(tf.randomNormal([3, 8, 5], 0, 1, 'float32', 57), 1) },
  { name: 'all axes (stock kernel)', run: () => tf.sum(tf.randomNormal([6, 7], 0, 1, 'float32', 58)) },
  { name: 'int32 over leading axes (stock kernel)', run: () => tf.sum(tf.randomUniform([10, 8], 0, 50, 'int32', 59), 0) },
];

for (const c of SUMS) {
  test(`wasm sum, ${c.name}, matches cpu`, async () => {
    await useBackend('cpu');
    const expected = tf.tidy(() => { const t = c.run(); return { shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }; });
    await useBackend('wasm');
    assert.ok(stockKernel(tf.Sum, 'wasm'), 'our Sum replaced the stock one');
    const before = tf.memory().numTensors;
    const actual = tf.tidy(() => { const t = c.run(); return { shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }; });
    assert.equal(tf.memory().numTensors, before, 'nothing leaks');
    assert.deepEqual(actual.shape, expected.shape);
    assert.equal(actual.dtype, expected.dtype);
    actual.values.forEach((v, i) => assert.ok(Math.abs(v - expected.values[i]) <= 1e-4 * (1 + Math.abs(expected.values[i])), `entry ${i}: ${v} vs ${expected.values[i]}`));
  });
}
