/**
 * Our wasm kernels check sizes and bounds before they write: a bad slice, an empty product or sum,
 * or an output too large for the heap gives an error or the right (empty or zero) answer, never
 * values read from or written to memory outside the tensors.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { linkNative } from '../../src/backend/wasmNative';
import { useBackend } from '../helpers';

test('wasm: a slice past the end is an error, as on cpu, not values from past the end', async () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    assert.throws(() => x.slice([2, 0], [3, 2]), /slice|size|begin/i, `${backend}: rows 2..4 of a 3-row tensor`);
    assert.throws(() => x.slice([0, 1], [1, 2]), /slice|size|begin/i, `${backend}: columns 1..2 of a 2-column tensor`);
    assert.deepEqual(x.slice([1, 0], [2, 2]).arraySync(), [[3, 4], [5, 6]]);
    x.dispose();
  }
});

for (const variant of ['relaxed-simd', 'simd', 'off'] as const) {
  test(`wasm: products with an empty inner dimension are zeros (plus bias), native kernels ${variant}`, async () => {
    await useBackend('wasm');
    linkNative(tf.backend(), variant);
    try {
      // Fill the heap with non-zero garbage first, so a kernel that reads uninitialised memory shows it.
      tf.tidy(() => tf.fill([4096], 7).dataSync());
      const a = tf.zeros([5, 0]);
      const b = tf.zeros([0, 3]);
      assert.deepEqual(tf.matMul(a, b).arraySync(), Array.from({ length: 5 }, () => [0, 0, 0]));
      assert.deepEqual(tf.matMul(tf.zeros([0, 5]), b, true, false).shape, [5, 3]);
      assert.deepEqual(tf.matMul(tf.zeros([0, 5]), b, true, false).arraySync(), Array.from({ length: 5 }, () => [0, 0, 0]));
      const bias = tf.tensor1d([1, -2, 3]);
      const fused = tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation: 'relu' });
      assert.deepEqual(fused.arraySync(), Array.from({ length: 5 }, () => [1, 0, 3]));
      assert.deepEqual(tf.matMul(tf.zeros([0, 4]), tf.zeros([4, 3])).shape, [0, 3]);
      tf.dispose([a, b, bias, fused]);
    } finally {
      linkNative(tf.backend(), 'relaxed-simd');
    }
  });
}

test('wasm: a sum over an empty axis is zeros', async () => {
  await useBackend('wasm');
  tf.tidy(() => tf.fill([4096], 7).dataSync());
  assert.deepEqual(tf.zeros([5, 0]).sum(1).arraySync(), [0, 0, 0, 0, 0]);
  assert.deepEqual(tf.zeros([0, 3]).sum(0).arraySync(), [0, 0, 0]);
  assert.deepEqual(tf.zeros([0, 3]).sum(0, true).shape, [1, 3]);
  assert.deepEqual(tf.zeros([2, 0, 3]).sum(1).arraySync(), [[0, 0, 0], [0, 0, 0]]);
  assert.equal(tf.zeros([0]).sum().arraySync(), 0);
  assert.deepEqual(tf.zeros([4, 0], 'int32').sum(1).arraySync(), [0, 0, 0, 0]);
});

test('wasm: a product whose output is 4 GiB (past the 2 GiB per-tensor limit) fails before writing anything, on every build', async () => {
  await useBackend('wasm');
  const sentinel = tf.tensor1d(Array.from({ length: 256 }, (_, i) => i + 0.5));
  const a = tf.ones([65536, 1]);
  const b = tf.ones([1, 16384]); // 65,536 × 16,384 floats = 4 GiB
  for (const variant of ['relaxed-simd', 'simd', 'off'] as const) {
    linkNative(tf.backend(), variant);
    assert.throws(() => tf.matMul(a, b), /GiB.*smaller batches/);
  }
  linkNative(tf.backend(), 'relaxed-simd');
  assert.deepEqual(Array.from(sentinel.dataSync()), Array.from({ length: 256 }, (_, i) => i + 0.5));
  tf.dispose([a, b, sentinel]);
});
