import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { linkNative } from '../../src/backend/wasmNative';
import { ProductHelper, productHelper, productThreads, setProductThreads, stopProductHelper } from '../../src/backend/wasmThreads';
import { useBackend } from '../helpers';

const ROOT = path.resolve(__dirname, '..', '..');

/** Products the helper takes a share of: each split, every transpose, bias and relu, odd sizes. */
const SHAPES: { m: number; k: number; n: number; transA: boolean; transB: boolean; fused: boolean; by: 'rows' | 'columns' }[] = [
  { m: 128, k: 784, n: 1024, transA: false, transB: false, fused: true, by: 'columns' }, // a dense layer's forward pass
  { m: 128, k: 1024, n: 784, transA: false, transB: true, fused: false, by: 'columns' }, // its input gradient
  { m: 784, k: 128, n: 1024, transA: true, transB: false, fused: false, by: 'rows' }, // its weight gradient
  { m: 6272, k: 144, n: 16, transA: false, transB: false, fused: true, by: 'rows' }, // a convolution's im2col product
  { m: 301, k: 203, n: 299, transA: true, transB: true, fused: true, by: 'rows' }, // no size a multiple of a block
  { m: 333, k: 257, n: 131, transA: false, transB: true, fused: false, by: 'rows' },
  { m: 64, k: 700, n: 1001, transA: false, transB: false, fused: true, by: 'columns' },
];

function product(s: (typeof SHAPES)[number]): Float32Array {
  return tf.tidy(() => {
    const a = tf.randomNormal(s.transA ? [s.k, s.m] : [s.m, s.k], 0, 1, 'float32', 1) as tf.Tensor2D;
    const b = tf.randomNormal(s.transB ? [s.n, s.k] : [s.k, s.n], 0, 1, 'float32', 2) as tf.Tensor2D;
    const bias = tf.randomNormal([s.n], 0, 1, 'float32', 3);
    const c = s.fused
      ? tf.fused.matMul({ a, b, transposeA: s.transA, transposeB: s.transB, bias, activation: 'relu' })
      : tf.matMul(a, b, s.transA, s.transB);
    return c.dataSync() as Float32Array;
  });
}

for (const variant of ['relaxed-simd', 'simd'] as const) {
  test(`wasm products on 2 threads equal those on 1 thread bit for bit (${variant})`, async () => {
    await useBackend('wasm');
    linkNative(tf.backend(), variant);
    for (const s of SHAPES) {
      assert.deepEqual(ProductHelper.splitFor(s), { by: s.by, size: s.by === 'rows' ? Math.floor(s.m / 8) * 4 : Math.floor(s.n / 16) * 8 }, `${s.m}×${s.k}×${s.n} is split by ${s.by}`);
      setProductThreads(1);
      const one = product(s);
      setProductThreads(2);
      const before = tf.memory().numTensors;
      const helpedBefore = productThreads().helped;
      const two = product(s);
      assert.equal(tf.memory().numTensors, before);
      assert.equal(productThreads().threads, 2);
      assert.equal(productThreads().helped, helpedBefore + 1, 'the helper took its share');
      assert.equal(two.length, one.length);
      const differing = one.findIndex((v, i) => !Object.is(v, two[i]));
      assert.equal(differing, -1, `${s.m}×${s.k}×${s.n} (${s.transA ? 'Aᵀ' : 'A'}·${s.transB ? 'Bᵀ' : 'B'}): value ${differing} differs: ${one[differing]} against ${two[differing]}`);
    }
    stopProductHelper();
  });
}

test('small products, and those whose copies would cost more than they save, stay on one thread', () => {
  assert.equal(ProductHelper.splitFor({ m: 64, k: 64, n: 64, transA: false, transB: false }), undefined, 'too small');
  // A convolution's filter gradient: K runs of 72 values to copy for little work each.
  assert.equal(ProductHelper.splitFor({ m: 144, k: 25088, n: 16, transA: true, transB: false }), undefined, 'copies cost too much');
  assert.equal(ProductHelper.splitFor({ m: 2, k: 100_000, n: 4, transA: false, transB: false }), undefined, 'no share of whole blocks');
});

test('a helper that cannot start leaves products on one thread, and the report says why', async () => {
  await useBackend('wasm');
  setProductThreads(2);
  stopProductHelper();
  assert.equal(productHelper('broken', () => new Uint8Array([0, 97, 115, 109])), undefined);
  assert.deepEqual(productThreads(), { threads: 1, note: 'the helper thread could not instantiate our module', helped: 0 });
  // Products still come out right: on this thread, as the helper for another build is started.
  stopProductHelper();
  const s = SHAPES[0];
  setProductThreads(1);
  const one = product(s);
  setProductThreads(2);
  assert.deepEqual(product(s), one);
  assert.throws(() => setProductThreads(3), /threads must be 1 or 2, got 3/);
  stopProductHelper();
});

test('a process whose products used the helper thread exits by itself', () => {
  const script = [
    "const tf = require('@tensorflow/tfjs');",
    "const { setupBackend } = require('./src/backend');",
    "setupBackend({ force: 'wasm', threads: 2, log: () => {} }).then(() => {",
    '  const c = tf.matMul(tf.ones([256, 512]), tf.ones([512, 512]));',
    "  console.log('sum', c.sum().dataSync()[0]);",
    '});',
  ].join('\n');
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /sum 67108864/);
  assert.ok(Date.now() - started < 30_000, 'it did not hang');
});

test('thread settings belong to a backend: another backend object keeps its own', () => {
  const first = {};
  const second = {};
  assert.equal(setProductThreads(2, first), 2);
  assert.deepEqual(productThreads(second), { threads: 1, helped: 0 }, 'a new backend starts on one thread');
  assert.equal(productThreads(first).threads, 2);
  setProductThreads(1, first);
  assert.equal(productThreads(first).threads, 1);
  stopProductHelper(first);
});
