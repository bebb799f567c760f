import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { fitPca } from '../../src/evaluate/pca';
import { symmetricEigen, topEigen } from '../../src/evaluate/symmetricEigen';
import { useBackend } from '../helpers';

/** A random symmetric positive semi-definite n × n matrix BᵀB (rank ≤ rows). */
function randomPsd(n: number, rows: number, seed: number): Float64Array {
  let state = seed;
  const random = () => ((state = (state * 16807) % 2147483647) / 2147483647) - 0.5;
  const b = Array.from({ length: rows * n }, random);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < rows; k++) a[i * n + j] += b[k * n + i] * b[k * n + j];
  return a;
}

function residual(a: Float64Array, n: number, value: number, vector: Float64Array): number {
  let sum = 0;
  for (let r = 0; r < n; r++) {
    let t = 0;
    for (let k = 0; k < n; k++) t += a[r * n + k] * vector[k];
    sum += (t - value * vector[r]) ** 2;
  }
  return Math.sqrt(sum);
}

test('symmetricEigen: eigenvalues of ml-matrix, orthonormal eigenvectors with tiny residuals, rank-deficient too', () => {
  for (const [n, rows] of [[1, 1], [3, 5], [40, 60], [60, 20]]) {
    const a = randomPsd(n, rows, n + rows);
    const { values, vectors } = symmetricEigen(a, n);
    const rowsOf = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
    const reference = [...new EigenvalueDecomposition(new Matrix(rowsOf), { assumeSymmetric: true }).realEigenvalues].sort((x, y) => y - x);
    reference.forEach((v, i) => assert.ok(Math.abs(v - values[i]) < 1e-9 * Math.max(1, Math.abs(v)), `n=${n}: value ${i}`));
    for (let i = 1; i < n; i++) assert.ok(values[i] <= values[i - 1], 'largest first');
    for (let i = 0; i < n; i++) {
      const vi = vectors.subarray(i * n, i * n + n);
      assert.ok(residual(a, n, values[i], vi) < 1e-9 * Math.max(1, values[0]), `n=${n}: residual of pair ${i}`);
      for (const j of [0, i]) {
        const dot = vi.reduce((s, x, r) => s + x * vectors[j * n + r], 0);
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-9, `n=${n}: v${i}·v${j} = ${dot}`);
      }
    }
  }
  assert.throws(() => symmetricEigen([1, 2, 3], 2), /expected 2 × 2 values/);
});

test('topEigen finds the leading pairs of the full decomposition', () => {
  const n = 80;
  const a = randomPsd(n, 120, 7);
  const multiply = (q: Float64Array, b: number) => {
    const out = new Float64Array(n * b);
    for (let c = 0; c < b; c++) for (let r = 0; r < n; r++) for (let k = 0; k < n; k++) out[c * n + r] += a[r * n + k] * q[c * n + k];
    return out;
  };
  const top = topEigen(multiply, n, 5, { tolerance: 1e-10 })!;
  const full = symmetricEigen(a, n);
  for (let i = 0; i < 5; i++) {
    assert.ok(Math.abs(top.values[i] - full.values[i]) < 1e-8 * full.values[0]);
    const dot = top.vectors.subarray(i * n, i * n + n).reduce((s, x, r) => s + x * full.vectors[i * n + r], 0);
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-8, `vector ${i} matches up to sign`);
  }
});

test('fitPca: a few components by subspace iteration give the reconstruction of the full decomposition', async () => {
  await useBackend('wasm');
  const x = tf.randomNormal([600, 300], 0, 1, 'float32', 3).mul(tf.linspace(2, 0.01, 300)) as tf.Tensor2D;
  const full = fitPca(x, 300);
  for (const k of [2, 10, 40]) {
    const fast = fitPca(x, k);
    const exact = full.truncate(k);
    const error = (p: typeof fast) => tf.tidy(() => p.reconstruct(x).sub(x).square().mean().dataSync()[0]);
    assert.ok(Math.abs(error(fast) - error(exact)) < 1e-5 * error(exact), `k=${k}`);
    assert.ok(Math.abs(fast.explainedVarianceRatio - exact.explainedVarianceRatio) < 1e-6);
    fast.dispose();
    exact.dispose();
  }
  full.dispose();
  x.dispose();
});
