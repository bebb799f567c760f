import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { matmulOnHeap, nativeVariant, NativeVariant, linkNative } from '../../src/backend/wasmNative';
import { useBackend } from '../helpers';

/** op(a)·op(b) + bias, relu'd, in float64, with a bound on float32's rounding error per entry. */
function oracle(a: Float32Array, b: Float32Array, m: number, k: number, n: number, ta: boolean, tb: boolean, bias?: Float32Array, relu = false) {
  const value = new Float64Array(m * n);
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = bias ? bias[j] : 0;
      let size = Math.abs(sum);
      for (let p = 0; p < k; p++) {
        const x = ta ? a[p * m + i] : a[i * k + p];
        const y = tb ? b[j * k + p] : b[p * n + j];
        sum += x * y;
        size += Math.abs(x * y);
      }
      value[i * n + j] = relu ? Math.max(sum, 0) : sum;
      bound[i * n + j] = 1e-6 * (k + 2) * size + 1e-30;
    }
  }
  return { value, bound };
}

// Rows not a multiple of 4 and columns not of 8 exercise every edge of the blocking.
const SIZES: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [4, 8, 8], [5, 9, 17], [13, 31, 10], [64, 100, 24]];
const VARIANTS: NativeVariant[] = ['simd', 'relaxed-simd'];

for (const variant of VARIANTS) {
  test(`our ${variant} matmul equals a float64 oracle: every transpose, bias, relu, odd sizes`, async () => {
    await useBackend('wasm');
    linkNative(tf.backend(), variant);
    try {
      assert.equal(nativeVariant(), variant);
      const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number };
      let seed = 10;
      for (const [m, k, n] of SIZES) {
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            for (const withBias of [false, true]) {
              const relu = withBias; // relu always comes with a bias here, as in a layer
              tf.tidy(() => {
                const a = tf.randomNormal(ta ? [k, m] : [m, k], 0, 1, 'float32', seed++);
                const b = tf.randomNormal(tb ? [n, k] : [k, n], 0, 1, 'float32', seed++);
                const bias = withBias ? tf.randomNormal([n], 0, 1, 'float32', seed++) : undefined;
                const ids = backend.numDataIds();
                const info = matmulOnHeap({ a, b, transposeA: ta, transposeB: tb, bias, relu }, backend);
                assert.ok(info, `${m}×${k}×${n} taken`);
                assert.equal(backend.numDataIds(), ids + 1, 'only the result stays in the heap (the panel is freed)');
                const result = tf.engine().makeTensorFromTensorInfo(info);
                assert.deepEqual(result.shape, [m, n]);
                const { value, bound } = oracle(a.dataSync() as Float32Array, b.dataSync() as Float32Array, m, k, n, ta, tb, bias?.dataSync() as Float32Array, relu);
                const got = result.dataSync();
                for (let i = 0; i < got.length; i++) {
                  assert.ok(Math.abs(got[i] - value[i]) <= bound[i], `${m}×${k}×${n} tA ${ta} tB ${tb} bias ${withBias}: entry ${i} is ${got[i]}, not ${value[i]}`);
                }
              });
            }
          }
        }
      }
    } finally {
      linkNative(tf.backend(), 'relaxed-simd');
    }
  });
}

test('our matmul gives rank-3 results for batch-of-one operands and declines what it cannot do', async () => {
  await useBackend('wasm');
  const backend = tf.backend();
  tf.tidy(() => {
    const a = tf.ones([1, 3, 4]);
    const b = tf.ones([4, 2]);
    const info = matmulOnHeap({ a, b, transposeA: false, transposeB: false }, backend);
    assert.deepEqual(info?.shape, [1, 3, 2]);
    tf.engine().makeTensorFromTensorInfo(info!).dispose();
    assert.equal(matmulOnHeap({ a: tf.ones([2, 3, 4]), b: tf.ones([2, 4, 2]), transposeA: false, transposeB: false }, backend), undefined, 'batched');
    assert.equal(matmulOnHeap({ a: tf.ones([3, 4], 'int32'), b: tf.ones([4, 2], 'int32'), transposeA: false, transposeB: false }, backend), undefined, 'int32');
    assert.equal(matmulOnHeap({ a: tf.ones([3, 0]), b: tf.ones([0, 2]), transposeA: false, transposeB: false }, backend), undefined, 'empty');
    assert.equal(matmulOnHeap({ a, b, transposeA: false, transposeB: false, bias: tf.ones([3]) }, backend), undefined, 'a bias of the wrong length');
  });
  await useBackend('cpu');
  assert.equal(matmulOnHeap({ a: tf.ones([3, 4]), b: tf.ones([4, 2]), transposeA: false, transposeB: false }, tf.backend()), undefined, 'off wasm');
});

const hasFma = process.arch === 'x64' && fs.existsSync('/proc/cpuinfo') && /\bfma\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));

test('the relaxed build fuses its multiply-adds (on an x86 CPU with FMA), so it rounds differently from the plain one', { skip: hasFma ? false : 'no x86 FMA here' }, async () => {
  await useBackend('wasm');
  const product = (variant: NativeVariant) => {
    linkNative(tf.backend(), variant);
    return tf.tidy(() => tf.matMul(tf.randomNormal([32, 200], 0, 1, 'float32', 1), tf.randomNormal([200, 16], 0, 1, 'float32', 2)).dataSync());
  };
  try {
    const plain = product('simd');
    const fused = product('relaxed-simd');
    const differing = plain.filter((v, i) => v !== fused[i]).length;
    assert.ok(differing > plain.length / 10, `${differing} of ${plain.length} entries differ`);
    assert.deepEqual(product('relaxed-simd'), fused, 'and repeats exactly');
  } finally {
    linkNative(tf.backend(), 'relaxed-simd');
  }
});
