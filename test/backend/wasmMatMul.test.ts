import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerFastWasmMatMul } from '../../src/backend/wasmMatMul';
import { linkNative } from '../../src/backend/wasmNative';
import { useBackend } from '../helpers';

type Product = { name: string; run: (a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor) => tf.Tensor; a: number[]; b: number[] };

const PRODUCTS: Product[] = [];
for (const transposeA of [false, true]) {
  for (const transposeB of [false, true]) {
    const a = transposeA ? [5, 7] : [7, 5];
    const b = transposeB ? [3, 5] : [5, 3];
    PRODUCTS.push({ name: `matMul A${transposeA ? 'ᵀ' : ''}·B${transposeB ? 'ᵀ' : ''}`, a, b, run: (x, y) => tf.matMul(x, y, transposeA, transposeB) });
    PRODUCTS.push({
      name: `fused matMul + bias + relu, A${transposeA ? 'ᵀ' : ''}·B${transposeB ? 'ᵀ' : ''}`, a, b,
      run: (x, y, bias) => tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, transposeA, transposeB, bias, activation: 'relu' }),
    });
  }
}
PRODUCTS.push({ name: 'matMul A·Bᵀ with a wide B', a: [4, 6], b: [20, 6], run: (x, y) => tf.matMul(x, y, false, true) });
PRODUCTS.push({ name: 'rank-3 matMul A·Bᵀ with a batch of one and a wide B (as in a fused layer\'s gradient)', a: [1, 4, 6], b: [1, 20, 6], run: (x, y) => tf.matMul(x, y, false, true) });
PRODUCTS.push({ name: 'batched matMul A·Bᵀ (batch of 2)', a: [2, 4, 6], b: [2, 20, 6], run: (x, y) => tf.matMul(x, y, false, true) });
PRODUCTS.push({ name: 'batched matMul Aᵀ·B', a: [4, 5, 7], b: [4, 5, 3], run: (x, y) => tf.matMul(x, y, true, false) });

// Our native product with and without relaxed SIMD, and ('off') tfjs's kernels with explicit transposes.
for (const variant of ['relaxed-simd', 'simd', 'off'] as const) for (const product of PRODUCTS) {
  test(`wasm ${product.name} matches cpu (native kernels: ${variant})`, async () => {
    const inputs = () => [tf.randomNormal(product.a, 0, 1, 'float32', 1), tf.randomNormal(product.b, 0, 1, 'float32', 2), tf.randomNormal([3], 0, 1, 'float32', 3)];
    await useBackend('cpu');
    const expected = tf.tidy(() => { const [a, b, bias] = inputs(); return product.run(a, b, bias).arraySync(); });
    const expectedShape = tf.tidy(() => { const [a, b, bias] = inputs(); return product.run(a, b, bias).shape; });
    await useBackend('wasm');
    linkNative(tf.backend(), variant);
    const before = tf.memory().numTensors;
    const actual = tf.tidy(() => { const [a, b, bias] = inputs(); return product.run(a, b, bias).arraySync(); });
    const actualShape = tf.tidy(() => { const [a, b, bias] = inputs(); return product.run(a, b, bias).shape; });
    assert.equal(tf.memory().numTensors, before, 'the explicit transposes are freed');
    assert.deepEqual(actualShape, expectedShape);
    const flat = (v: unknown) => (v as number[]).flat(3) as number[];
    linkNative(tf.backend(), 'relaxed-simd');
    flat(actual).forEach((v, i) => assert.ok(Math.abs(v - flat(expected)[i]) < 1e-4, `entry ${i}: ${v} vs ${flat(expected)[i]}`));
  });
}

for (const activation of ['sigmoid', 'relu', 'linear'] as const) {
  test(`gradients through the wrapped kernels match cpu (fused matMul + bias + ${activation}), and wrapping twice is a no-op`, async () => {
    const gradients = () => tf.tidy(() => {
      const w = tf.randomNormal([6, 4], 0, 1, 'float32', 4);
      const x = tf.randomNormal([8, 6], 0, 1, 'float32', 5);
      const bias = tf.randomNormal([4], 0, 1, 'float32', 6);
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation }).square().sum();
      const [dx, dw, dbias] = tf.grads(f)([x, w, bias]);
      return [...dx.dataSync(), ...dw.dataSync(), ...dbias.dataSync()];
    });
    await useBackend('cpu');
    const expected = gradients();
    await useBackend('wasm');
    assert.equal(registerFastWasmMatMul(), false, 'setupBackend already wrapped them');
    const actual = gradients();
    assert.equal(actual.length, expected.length);
    actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-4, `entry ${i}: ${v} vs ${expected[i]}`));
  });
}
