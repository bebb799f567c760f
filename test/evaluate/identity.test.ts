import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { identityGap } from '../../src/evaluate/identity';
import { useBackend } from '../helpers';

test('identity gap: 0 for a copier, 1 for a constant map, √2-ish for a random linear map; only the given subspace counts', async () => {
  await useBackend('cpu');
  const x = tf.randomUniform([50, 6], 0, 1, 'float32', 1) as tf.Tensor2D;
  const basis = tf.eye(6).slice([0, 0], [6, 3]) as tf.Tensor2D; // the first three axes
  const copier = { reconstruct: (v: tf.Tensor) => v.clone() };
  const constant = { reconstruct: (v: tf.Tensor) => tf.zerosLike(v) };
  // Copies the first three features, zeros the rest: the identity on that subspace only.
  const half = { reconstruct: (v: tf.Tensor) => v.mul(tf.tensor1d([1, 1, 1, 0, 0, 0])) };
  assert.ok(identityGap(copier, x, basis) < 1e-3);
  assert.ok(Math.abs(identityGap(constant, x, basis) - 1) < 1e-3);
  assert.ok(identityGap(half, x, basis) < 1e-3, 'the identity on the subspace');
  const other = tf.eye(6).slice([0, 3], [6, 3]) as tf.Tensor2D;
  assert.ok(Math.abs(identityGap(half, x, other) - 1) < 1e-3, 'nothing passes off it');
  const w = tf.randomNormal([6, 6], 0, 1 / Math.sqrt(6), 'float32', 2);
  const random = { reconstruct: (v: tf.Tensor) => tf.matMul(v, w) };
  const gap = identityGap(random, x, tf.eye(6) as tf.Tensor2D, { seed: 3 });
  assert.ok(gap > 0.8 && gap < 2, `a random map: ${gap}`);
  assert.equal(identityGap(half, x, basis, { seed: 4 }), identityGap(half, x, basis, { seed: 4 }), 'seeded');
  assert.throws(() => identityGap(copier, x, tf.eye(5) as tf.Tensor2D), /basis \(features, k\)/);
  tf.dispose([x, basis, other, w]);
});
