import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { check, verify } from '../src/exercises';
import { useBackend } from './helpers';

// The checks print their verdict; keep the test output readable.
const quietly = <T>(run: () => T): T => {
  const log = console.log;
  console.log = () => {};
  try {
    return run();
  } finally {
    console.log = log;
  }
};

test('each check passes a right answer and fails plausible wrong ones (the seed ignored, σ for σ², a sum for a mean, ...), without leaking tensors', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const cases: [string, () => { passed: boolean }, () => { passed: boolean }][] = [
    ['parameterCount', () => verify.parameterCount(784 * 32 + 32 + 32 * 784 + 784, { hidden: [], code: 32 }), () => verify.parameterCount(784 * 32 * 2, { hidden: [], code: 32 })],
    ['meanSquaredError', () => verify.meanSquaredError((a, b) => a.sub(b).square().mean()), () => verify.meanSquaredError((a, b) => a.sub(b).abs().mean())],
    ['activityPenalty', () => verify.activityPenalty((h, l) => h.abs().sum(1).mean().mul(l)), () => verify.activityPenalty((h, l) => h.abs().mean().mul(l))],
    ['maskingNoise', () => verify.maskingNoise((x, p, s) => x.mul(tf.randomUniform(x.shape, 0, 1, 'float32', s).greaterEqual(p).toFloat())), () => verify.maskingNoise((x) => x.mul(0.7))],
    // Ignoring the seed: another mask every call.
    ['maskingNoise', () => ({ passed: true }), () => verify.maskingNoise((x, p) => x.mul(tf.randomUniform(x.shape).greaterEqual(p).toFloat()))],
    // A seed of its own: the same mask whatever the seed.
    ['maskingNoise', () => ({ passed: true }), () => verify.maskingNoise((x, p) => x.mul(tf.randomUniform(x.shape, 0, 1, 'float32', 42).greaterEqual(p).toFloat()))],
    ['klSparsity', () => verify.klSparsity((h, rho) => {
      const q = h.mean(0);
      return tf.scalar(rho).mul(tf.scalar(rho).div(q).log()).add(tf.scalar(1 - rho).mul(tf.scalar(1 - rho).div(tf.scalar(1).sub(q)).log())).sum();
    }), () => verify.klSparsity((h) => h.mean())],
    ['topK', () => verify.topK((h, k) => {
      const kth = tf.topk(h, k).values.slice([0, k - 1], [-1, 1]);
      return h.mul(h.greaterEqual(kth).toFloat());
    }), () => verify.topK((h) => h.relu())],
    ['reparameterise', () => verify.reparameterise((m, lv, s) => m.add(lv.mul(0.5).exp().mul(tf.randomNormal(m.shape, 0, 1, 'float32', s)))), () => verify.reparameterise((m, lv) => m.add(lv))],
    // σ² for σ, a σ averaged over the elements, a σ hard-coded, and no seed: each must fail.
    ['reparameterise', () => ({ passed: true }), () => verify.reparameterise((m, lv, s) => m.add(lv.exp().mul(tf.randomNormal(m.shape, 0, 1, 'float32', s))))],
    ['reparameterise', () => ({ passed: true }), () => verify.reparameterise((m, lv, s) => m.add(lv.mean().mul(0.5).exp().mul(tf.randomNormal(m.shape, 0, 1, 'float32', s))))],
    ['reparameterise', () => ({ passed: true }), () => verify.reparameterise((m, _lv, s) => m.add(tf.randomNormal(m.shape, 0, 1, 'float32', s)))],
    ['reparameterise', () => ({ passed: true }), () => verify.reparameterise((m, lv) => m.add(lv.mul(0.5).exp().mul(tf.randomNormal(m.shape))))],
    // Other plausible slips: a sum for a mean, λ forgotten, the mean over all elements for the KL's per-unit mean.
    ['meanSquaredError', () => ({ passed: true }), () => verify.meanSquaredError((a, b) => a.sub(b).square().sum())],
    ['activityPenalty', () => ({ passed: true }), () => verify.activityPenalty((h) => h.abs().sum(1).mean())],
    ['klSparsity', () => ({ passed: true }), () => verify.klSparsity((h, rho) => {
      const q = h.mean();
      return tf.scalar(rho).mul(tf.scalar(rho).div(q).log()).add(tf.scalar(1 - rho).mul(tf.scalar(1 - rho).div(tf.scalar(1).sub(q)).log())).mul(h.shape[1]);
    })],
    ['topK', () => ({ passed: true }), () => verify.topK((h, k) => {
      const kth = tf.topk(h.transpose(), k).values.slice([0, k - 1], [-1, 1]).transpose();
      return h.mul(h.greaterEqual(kth).toFloat());
    })],
  ];
  for (const [name, right, wrong] of cases) {
    assert.equal(quietly(right).passed, true, `${name}: right answer passes`);
    assert.equal(quietly(wrong).passed, false, `${name}: wrong answer fails`);
  }
  assert.equal(quietly(() => verify.meanSquaredError(() => { throw new Error('boom'); })).passed, false, 'a throwing answer fails');
  assert.equal(tf.memory().numTensors, before);
});

test('check shows the verdict and returns nothing, so a notebook prints no echo line', async () => {
  await useBackend('cpu');
  const shown: string[] = [];
  const log = console.log;
  console.log = (line: string) => shown.push(String(line));
  try {
    assert.equal(check.meanSquaredError((a, b) => a.sub(b).square().mean()), undefined);
  } finally {
    console.log = log;
  }
  assert.ok(shown.some((line) => line.startsWith('✔ ')), 'the verdict is shown');
});
