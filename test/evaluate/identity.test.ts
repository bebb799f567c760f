import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  copierCopiesAnything, copierNearsIdentity, CopyingMeasures, copyingMeasures, dataDirections,
  describesDigitsAsClothes, HALF_GREY_ERROR, identityGap,
} from '../../src/evaluate/identity';
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

test('dataDirections: the leading and trailing principal directions, and the trailing ones\' share of the variance', async () => {
  await useBackend('cpu');
  // Six features with spreads 5, 4, 3, 2, 1, 0.1 along the axes: the leading directions are the first axes.
  const spreads = tf.tensor1d([5, 4, 3, 2, 1, 0.1]);
  const x = tf.randomNormal([400, 6], 0, 1, 'float32', 1).mul(spreads) as tf.Tensor2D;
  const before = tf.memory().numTensors;
  const { onData, offData, offShare } = dataDirections(x, { on: 2, off: 1 });
  assert.deepEqual(onData.shape, [6, 2]);
  assert.deepEqual(offData.shape, [6, 1]);
  // Entry (axis, column) of a (6, k) matrix of directions.
  const entry = (m: tf.Tensor2D, axis: number, column: number) => Math.abs(m.arraySync()[axis][column]);
  assert.ok(entry(onData, 0, 0) > 0.95, 'the first direction is the widest axis');
  assert.ok(entry(offData, 5, 0) > 0.95, 'the last direction is the narrowest axis');
  assert.ok(offShare > 0 && offShare < 0.001, `offShare ${offShare}: 0.01 of 55.01`);
  tf.dispose([onData, offData]);
  assert.equal(tf.memory().numTensors, before, 'nothing left behind but the two directions');
  assert.throws(() => dataDirections(x, { on: 4, off: 3 }), /cannot exceed the 6 features/);
  assert.throws(() => dataDirections(x, { on: 0, off: 3 }), /on must be a whole number/);
  assert.throws(() => dataDirections(tf.zeros([3]), { on: 1, off: 1 }), /\(samples, features\)/);
  tf.dispose([x, spreads]);
});

test('copyingMeasures: a copier has gaps 0 and errors 0; a constant map gaps 1', async () => {
  await useBackend('cpu');
  const x = tf.randomUniform([40, 6], 0, 1, 'float32', 2) as tf.Tensor2D;
  const directions = { onData: tf.eye(6).slice([0, 0], [6, 3]) as tf.Tensor2D, offData: tf.eye(6).slice([0, 3], [6, 3]) as tf.Tensor2D, offShare: 0.5 };
  const probe = { probe: x, inputs: { clothes: x, noise: tf.randomUniform([10, 6], 0, 1, 'float32', 3) }, seed: 1 };
  const copier = copyingMeasures({ reconstruct: (v: tf.Tensor) => v.clone() }, directions, probe);
  assert.ok(copier.gaps['on the data'] < 1e-3 && copier.gaps['off the data'] < 1e-3);
  assert.deepEqual(Object.keys(copier.errors), ['clothes', 'noise']);
  assert.ok(copier.errors.clothes < 1e-12 && copier.errors.noise < 1e-12);
  const constant = copyingMeasures({ reconstruct: (v: tf.Tensor) => tf.zerosLike(v) }, directions, probe);
  assert.ok(Math.abs(constant.gaps['on the data'] - 1) < 1e-3);
  assert.throws(() => copyingMeasures({ reconstruct: (v: tf.Tensor) => v }, directions, {} as never), /give \{ probe, inputs, seed \}/);
  assert.throws(() => copyingMeasures({ reconstruct: (v: tf.Tensor) => v }, {} as never, probe), /dataDirections/);
  tf.dispose([x, directions.onData, directions.offData, probe.inputs.noise]);
});

const gaps = (on: number, off: number) => ({ 'on the data': on, 'off the data': off });
const measures = (clothes: number, digits: number, noise: number): CopyingMeasures => ({ gaps: gaps(1, 1), errors: { clothes, digits, noise } });

test('copierNearsIdentity: the gap on the data falls, ends below half the gap off it and below the bottleneck\'s', () => {
  const track = [{ epoch: 1, gaps: gaps(0.8, 1.0) }, { epoch: 2, gaps: gaps(0.5, 1.0) }, { epoch: 3, gaps: gaps(0.4, 0.95) }];
  const judgement = copierNearsIdentity(track, gaps(0.9, 1));
  assert.equal(judgement.holds, true);
  assert.equal(judgement.figures["copier's gap on the data, epoch 3"], 0.4);
  assert.equal(judgement.figures["copier's gap on the data, epoch 1"], 0.8);
  assert.equal(judgement.figures["bottleneck model's gap on the data"], 0.9);
  assert.equal(copierNearsIdentity(track, gaps(0.3, 1)).holds, false, 'the bottleneck closer to the identity');
  assert.equal(copierNearsIdentity([track[0], { epoch: 2, gaps: gaps(0.5, 0.9) }], gaps(0.9, 1)).holds, false, 'not below half the gap off the data');
  assert.equal(copierNearsIdentity([track[2], track[0]], gaps(0.9, 1)).holds, false, 'a gap that rises');
  assert.throws(() => copierNearsIdentity([track[0]], gaps(1, 1)), /at least two epochs/);
});

test('describesDigitsAsClothes and copierCopiesAnything judge the errors on clothes, digits and noise', () => {
  const bottleneck = measures(0.01, 0.05, 0.2);
  const copier = measures(0.008, 0.01, 0.03);
  assert.equal(describesDigitsAsClothes(bottleneck, copier).holds, true);
  assert.equal(describesDigitsAsClothes(measures(0.01, 0.015, 0.2), copier).holds, false, 'digits not twice as bad as clothes');
  assert.equal(describesDigitsAsClothes(bottleneck, measures(0.008, 0.06, 0.03)).holds, false, 'the copier worse on digits');
  assert.equal(copierCopiesAnything(copier, bottleneck).holds, true);
  assert.equal(copierCopiesAnything(measures(0.008, 0.02, 0.03), bottleneck).holds, false, 'digits over 1.5× clothes');
  assert.equal(copierCopiesAnything(measures(0.008, 0.01, 0.1), bottleneck).holds, false, 'noise above grey');
  assert.equal(copierCopiesAnything(copier, measures(0.01, 0.05, 0.05)).holds, false, 'the bottleneck passes noise too');
  assert.equal(copierCopiesAnything(copier, bottleneck).figures['always grey (0.5), noise'], HALF_GREY_ERROR);
  assert.throws(() => describesDigitsAsClothes({ gaps: gaps(1, 1), errors: { clothes: 1 } }, copier), /no error on 'digits'/);
});
