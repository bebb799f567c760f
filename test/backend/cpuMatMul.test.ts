import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerFastCpuMatMul } from '../../src/backend/cpuMatMul';
import { stockKernel } from '../../src/backend/replaceKernel';
import { useBackend } from '../helpers';

type Product = { name: string; a: number[]; b: number[]; transposeA: boolean; transposeB: boolean };

const PRODUCTS: Product[] = [];
for (const transposeA of [false, true]) {
  for (const transposeB of [false, true]) {
    // 7 rows: one block of four and three left over.
    PRODUCTS.push({ name: `A${transposeA ? 'ᵀ' : ''}·B${transposeB ? 'ᵀ' : ''}`, a: transposeA ? [5, 7] : [7, 5], b: transposeB ? [3, 5] : [5, 3], transposeA, transposeB });
  }
}
PRODUCTS.push({ name: 'batched Aᵀ·B', a: [4, 5, 9], b: [4, 5, 3], transposeA: true, transposeB: false });
PRODUCTS.push({ name: 'batch of one against a batch of four', a: [1, 6, 5], b: [4, 5, 2], transposeA: false, transposeB: false });
PRODUCTS.push({ name: 'broadcast (2,1) against (1,3): stock fallback', a: [2, 1, 3, 4], b: [1, 3, 4, 2], transposeA: false, transposeB: false });

/** The same product through the stock cpu kernel, which setupBackend replaced. */
function stockProduct(a: tf.Tensor, b: tf.Tensor, p: Product): tf.Tensor {
  const kernel = stockKernel(tf.BatchMatMul, 'cpu');
  assert.ok(kernel, 'setupBackend kept the stock kernel');
  const info = kernel.kernelFunc({ inputs: { a, b }, attrs: { transposeA: p.transposeA, transposeB: p.transposeB }, backend: tf.backend() }) as tf.TensorInfo;
  return tf.engine().makeTensorFromTensorInfo(info);
}

for (const p of PRODUCTS) {
  test(`cpu matMul ${p.name} matches the stock kernel`, async () => {
    await useBackend('cpu');
    const a = tf.randomNormal(p.a, 0, 1, 'float32', 1);
    const b = tf.randomNormal(p.b, 0, 1, 'float32', 2);
    const before = tf.memory().numTensors;
    const ours = tf.matMul(a, b, p.transposeA, p.transposeB);
    assert.equal(tf.memory().numTensors, before + 1, 'only the result is left');
    const stock = stockProduct(a, b, p);
    assert.deepEqual(ours.shape, stock.shape);
    const [x, y] = [ours.dataSync(), stock.dataSync()];
    x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) < 1e-4, `entry ${i}: ${v} vs ${y[i]}`));
    tf.dispose([a, b, ours, stock]);
  });
}

test('cpu fused matMul (bias + activation) matches the stock kernel for every activation', async () => {
  await useBackend('cpu');
  const a = tf.randomNormal([6, 5], 0, 1, 'float32', 7);
  const b = tf.randomNormal([3, 5], 0, 1, 'float32', 8);
  const bias = tf.randomNormal([3], 0, 1, 'float32', 9);
  const alpha = tf.randomUniform([3], 0, 0.5, 'float32', 10);
  const stock = stockKernel(tf._FusedMatMul, 'cpu');
  assert.ok(stock, 'setupBackend kept the stock kernel');
  for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const) {
    const before = tf.memory().numTensors;
    const ours = tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeB: true, bias, activation, preluActivationWeights: alpha, leakyreluAlpha: 0.1 });
    assert.equal(tf.memory().numTensors, before + 1, `${activation}: only the result is left`);
    const inputs = { a, b, bias, preluActivationWeights: alpha };
    const attrs = { transposeA: false, transposeB: true, activation, leakyreluAlpha: 0.1 };
    const reference = tf.engine().makeTensorFromTensorInfo(stock.kernelFunc({ inputs, attrs, backend: tf.backend() }) as tf.TensorInfo);
    const [x, y] = [ours.dataSync(), reference.dataSync()];
    x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) < 1e-5, `${activation} entry ${i}: ${v} vs ${y[i]}`));
    tf.dispose([ours, reference]);
  }
  tf.dispose([a, b, bias, alpha]);
});

test('cpu matMul: gradients of a dense layer match the stock kernel, int32 goes to the stock kernel, registering twice is a no-op', async () => {
  await useBackend('cpu');
  const w = tf.variable(tf.randomNormal([6, 4], 0, 1, 'float32', 4));
  const x = tf.randomNormal([9, 6], 0, 1, 'float32', 5);
  const { grads } = tf.variableGrads(() => tf.matMul(x, w).square().sum() as tf.Scalar, [w]);
  // d/dW Σ(xW)² = 2·xᵀ(xW), computed with the stock kernel.
  const xw = stockProduct(x, w, { name: '', a: [], b: [], transposeA: false, transposeB: false });
  const expected = stockProduct(x, xw.mul(2), { name: '', a: [], b: [], transposeA: true, transposeB: false });
  const [g, e] = [grads[w.name].dataSync(), expected.dataSync()];
  g.forEach((v, i) => assert.ok(Math.abs(v - e[i]) < 1e-3, `entry ${i}: ${v} vs ${e[i]}`));
  const ints = tf.matMul(tf.tensor2d([[1, 2]], [1, 2], 'int32'), tf.tensor2d([[3], [4]], [2, 1], 'int32'));
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(ints.arraySync(), [[11]]);
  assert.equal(registerFastCpuMatMul(), false, 'setupBackend already registered it');
  tf.dispose([w, x, xw, expected, ints, ...Object.values(grads)]);
});
