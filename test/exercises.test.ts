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

/** precision@k with loops; `withSelf` counts each point among its own neighbours (a slip). */
const loopPrecision = (withSelf: boolean) => (points: number[][], labels: number[], k: number) => {
  let same = 0;
  points.forEach((p, q) => {
    const order = points.map((o, i) => ({ i, d: o.reduce((sum, v, j) => sum + (v - p[j]) ** 2, 0) }))
      .filter(({ i }) => withSelf || i !== q)
      .sort((a, b) => a.d - b.d);
    order.slice(0, k).forEach(({ i }) => (same += labels[i] === labels[q] ? 1 : 0));
  });
  return same / (points.length * k);
};

/** The AUC by counting (anomaly, normal) pairs, a tie counting `tie`. */
const pairsAuc = (tie: number) => (scores: number[], labels: number[]) => {
  let sum = 0;
  let pairs = 0;
  scores.forEach((a, i) => scores.forEach((n, j) => {
    if (labels[i] !== 1 || labels[j] !== 0) return;
    pairs++;
    sum += a > n ? 1 : a === n ? tie : 0;
  }));
  return sum / pairs;
};

test('each check passes a right answer and fails plausible wrong ones (the seed ignored, σ for σ², a sum for a mean, ...), without leaking tensors', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const cases: [string, () => { passed: boolean }, () => { passed: boolean }][] = [
    ['parameterCount', () => verify.parameterCount(784 * 32 + 32 + 32 * 784 + 784, { hidden: [], code: 32 }), () => verify.parameterCount(784 * 32 * 2, { hidden: [], code: 32 })],
    ['meanSquaredError', () => verify.meanSquaredError((a, b) => a.sub(b).square().mean()), () => verify.meanSquaredError((a, b) => a.sub(b).abs().mean())],
    // PSNR: per image, then the mean; the PSNR of the overall MSE, 20·log₁₀ and ln must fail.
    ['psnr', () => verify.psnr((a, b) => a.sub(b).square().mean(1).reciprocal().log().div(Math.LN10).mul(10).mean()),
      () => verify.psnr((a, b) => a.sub(b).square().mean().reciprocal().log().div(Math.LN10).mul(10))],
    ['psnr', () => ({ passed: true }), () => verify.psnr((a, b) => a.sub(b).square().mean(1).reciprocal().log().div(Math.LN10).mul(20).mean())],
    ['psnr', () => ({ passed: true }), () => verify.psnr((a, b) => a.sub(b).square().mean(1).reciprocal().log().mul(10).mean())],
    // Lesson 02's share of units off per image: right; a count; off on every image; no abs; exactly 0; 0.01.
    ['unitsOffShare', () => verify.unitsOffShare((h) => h.abs().lessEqual(0.001).toFloat().mean(1).mean()),
      () => verify.unitsOffShare((h) => h.abs().lessEqual(0.001).toFloat().sum(1).mean())],
    ['unitsOffShare', () => ({ passed: true }), () => verify.unitsOffShare((h) => h.abs().lessEqual(0.001).all(0).toFloat().mean())],
    ['unitsOffShare', () => ({ passed: true }), () => verify.unitsOffShare((h) => h.lessEqual(0.001).toFloat().mean(1).mean())],
    ['unitsOffShare', () => ({ passed: true }), () => verify.unitsOffShare((h) => h.equal(0).toFloat().mean(1).mean())],
    ['unitsOffShare', () => ({ passed: true }), () => verify.unitsOffShare((h) => h.abs().lessEqual(0.01).toFloat().mean(1).mean())],
    // Binary cross-entropy per pixel: clipped (as the library) or with an ε in the log passes; a
    // sum for the mean, the wrong sign, swapped arguments and no clipping fail.
    ['binaryCrossEntropy', () => verify.binaryCrossEntropy((x, r) => {
      const p = r.clipByValue(1e-7, 1 - 1e-7);
      return x.mul(p.log()).add(x.neg().add(1).mul(p.neg().add(1).log())).neg().mean();
    }), () => verify.binaryCrossEntropy((x, r) => {
      const p = r.clipByValue(1e-7, 1 - 1e-7);
      return x.mul(p.log()).add(x.neg().add(1).mul(p.neg().add(1).log())).neg().sum();
    })],
    ['binaryCrossEntropy', () => verify.binaryCrossEntropy((x, r) => tf.losses.logLoss(x, r)), () => verify.binaryCrossEntropy((x, r) => {
      const p = r.clipByValue(1e-7, 1 - 1e-7);
      return x.mul(p.log()).add(x.neg().add(1).mul(p.neg().add(1).log())).mean();
    })],
    ['binaryCrossEntropy', () => ({ passed: true }), () => verify.binaryCrossEntropy((x, r) => {
      const p = x.clipByValue(1e-7, 1 - 1e-7);
      return r.mul(p.log()).add(r.neg().add(1).mul(p.neg().add(1).log())).neg().mean();
    })],
    ['binaryCrossEntropy', () => ({ passed: true }), () => verify.binaryCrossEntropy((x, r) => {
      return x.mul(r.log()).add(x.neg().add(1).mul(r.neg().add(1).log())).neg().mean();
    })],
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
    ['klSparsity', () => ({ passed: true }), () => verify.klSparsity((h, rho) => {
      const q = h.mean();
      return tf.scalar(rho).mul(tf.scalar(rho).div(q).log()).add(tf.scalar(1 - rho).mul(tf.scalar(1 - rho).div(tf.scalar(1).sub(q)).log())).mul(h.shape[1]);
    })],
    ['topK', () => ({ passed: true }), () => verify.topK((h, k) => {
      const kth = tf.topk(h.transpose(), k).values.slice([0, k - 1], [-1, 1]).transpose();
      return h.mul(h.greaterEqual(kth).toFloat());
    })],
    // Lesson 07's AUC by pairs: right; ties ignored; ties counted whole; the pairs the wrong way round.
    ['aucByPairs', () => verify.aucByPairs(pairsAuc(0.5)), () => verify.aucByPairs(pairsAuc(0))],
    ['aucByPairs', () => ({ passed: true }), () => verify.aucByPairs(pairsAuc(1))],
    ['aucByPairs', () => ({ passed: true }), () => verify.aucByPairs((s, l) => 1 - pairsAuc(0.5)(s, l))],
    // Lesson 08's precision@k: right; the point counted as its own neighbour.
    ['precisionAtK', () => verify.precisionAtK(loopPrecision(false)), () => verify.precisionAtK(loopPrecision(true))],
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

test('lesson 04: the per-unit activity target and k-sparse by magnitude pass right answers and fail plausible wrong ones', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const target = (mean: (h: tf.Tensor2D) => tf.Tensor) => (h: tf.Tensor2D, rho: number, beta: number) => mean(h).sub(rho).square().sum().mul(beta);
  const keepMask = (h: tf.Tensor2D, indices: tf.Tensor) => {
    const [rows, units] = h.shape;
    const k = indices.shape[1]!;
    return tf.oneHot(indices.reshape([-1]) as tf.Tensor1D, units).reshape([rows, k, units]).sum(1);
  };
  const right: [string, () => { passed: boolean }][] = [
    ['unitActivityTarget', () => verify.unitActivityTarget(target((h) => h.abs().mean(0)))],
    ['topKByMagnitude', () => verify.topKByMagnitude((h, k) => h.mul(keepMask(h, tf.topk(h.abs(), k).indices)))],
  ];
  const wrong: [string, () => { passed: boolean }][] = [
    // h for |h|; a mean per image; one mean over everything; β forgotten; not squared; a mean over units.
    ['unitActivityTarget', () => verify.unitActivityTarget(target((h) => h.mean(0)))],
    ['unitActivityTarget', () => verify.unitActivityTarget(target((h) => h.abs().mean(1)))],
    ['unitActivityTarget', () => verify.unitActivityTarget((h, rho, beta) => h.abs().mean().sub(rho).square().mul(h.shape[1]).mul(beta))],
    ['unitActivityTarget', () => verify.unitActivityTarget((h, rho) => h.abs().mean(0).sub(rho).square().sum())],
    ['unitActivityTarget', () => verify.unitActivityTarget((h, rho, beta) => h.abs().mean(0).sub(rho).abs().sum().mul(beta))],
    ['unitActivityTarget', () => verify.unitActivityTarget((h, rho, beta) => h.abs().mean(0).sub(rho).square().mean().mul(beta))],
    // top-k of h, not |h|; every entry ≥ the k-th largest |h| (more than k on ties); |h| returned; along columns.
    ['topKByMagnitude', () => verify.topKByMagnitude((h, k) => h.mul(keepMask(h, tf.topk(h, k).indices)))],
    ['topKByMagnitude', () => verify.topKByMagnitude((h, k) => {
      const kth = tf.topk(h.abs(), k).values.slice([0, k - 1], [-1, 1]);
      return h.mul(h.abs().greaterEqual(kth).toFloat());
    })],
    ['topKByMagnitude', () => verify.topKByMagnitude((h, k) => h.abs().mul(keepMask(h, tf.topk(h.abs(), k).indices)))],
    ['topKByMagnitude', () => verify.topKByMagnitude((h, k) => {
      const kth = tf.topk(h.abs().transpose(), k).values.slice([0, k - 1], [-1, 1]).transpose();
      return h.mul(h.abs().greaterEqual(kth).toFloat());
    })],
    ['topKByMagnitude', () => verify.topKByMagnitude((h) => h)],
  ];
  for (const [name, run] of right) assert.equal(quietly(run).passed, true, `${name}: right answer passes`);
  wrong.forEach(([name, run], i) => assert.equal(quietly(run).passed, false, `${name}: wrong answer ${i} fails`));
  assert.equal(tf.memory().numTensors, before);
});

test('priorKl passes the KL against N(m, s²) and fails the standard prior\'s formula, σ for σ², s for s², a missing ½, a sum over the batch', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  type Kl = (mu: tf.Tensor2D, lv: tf.Tensor2D, m: number, s: number) => tf.Tensor;
  // per code number: log s − ½ log σ² + (σ² + (μ − m)²)/(2s²) − ½
  const klWith = (variance: (lv: tf.Tensor) => tf.Tensor, denominator: (s: number) => number, half = 0.5, reduce = 'mean'): Kl =>
    (mu, lv, m, s) => {
      const perUnit = tf.scalar(Math.log(s)).sub(lv.mul(half)).add(variance(lv).add(mu.sub(m).square()).div(denominator(s))).sub(half);
      const perSample = perUnit.sum(1);
      return reduce === 'mean' ? perSample.mean() : perSample.sum();
    };
  const right = klWith((lv) => lv.exp(), (s) => 2 * s * s);
  assert.equal(quietly(() => verify.priorKl(right)).passed, true, 'right answer passes');
  const wrong: [string, Kl][] = [
    ['the standard prior N(0, I)', (mu, lv) => lv.exp().add(mu.square()).sub(1).sub(lv).sum(1).mul(0.5).mean()],
    ['σ for σ²', klWith((lv) => lv.mul(0.5).exp(), (s) => 2 * s * s)],
    ['s for s²', klWith((lv) => lv.exp(), (s) => 2 * s)],
    ['a missing ½ on log σ² and on the constant', klWith((lv) => lv.exp(), (s) => 2 * s * s, 1)],
    ['a missing ½ on the quadratic part', klWith((lv) => lv.exp(), (s) => s * s)],
    ['a sum over the batch', klWith((lv) => lv.exp(), (s) => 2 * s * s, 0.5, 'sum')],
    ['m ignored', (mu, lv, _m, s) => right(mu, lv, 0, s)],
  ];
  for (const [slip, answer] of wrong) assert.equal(quietly(() => verify.priorKl(answer)).passed, false, `${slip} fails`);
  assert.equal(tf.memory().numTensors, before);
});

test('lesson 03: the speckle-noise check passes right answers and fails plausible wrong ones', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const normal = (x: tf.Tensor, seed: number) => tf.randomNormal(x.shape, 0, 1, 'float32', seed);
  const speckle = (x: tf.Tensor, s: number, seed: number) => x.mul(normal(x, seed).mul(s).add(1)).clipByValue(0, 1);
  // Another generator (uniform draws turned normal by Box–Muller) passes too: the check reads statistics.
  const boxMuller = (x: tf.Tensor, s: number, seed: number) => {
    const u1 = tf.randomUniform(x.shape, 1e-7, 1, 'float32', seed);
    const u2 = tf.randomUniform(x.shape, 0, 1, 'float32', seed + 1);
    const e = u1.log().mul(-2).sqrt().mul(u2.mul(2 * Math.PI).cos());
    return x.mul(e.mul(s).add(1)).clipByValue(0, 1);
  };
  for (const right of [speckle, boxMuller]) assert.equal(quietly(() => verify.speckleNoise(right)).passed, true);
  const wrong: [string, (x: tf.Tensor, s: number, seed: number) => tf.Tensor][] = [
    ['additive noise', (x, s, seed) => x.add(normal(x, seed).mul(s)).clipByValue(0, 1)],
    ['σ² for σ', (x, s, seed) => x.mul(normal(x, seed).mul(s * s).add(1)).clipByValue(0, 1)],
    ['no 1 +', (x, s, seed) => x.mul(normal(x, seed).mul(s)).clipByValue(0, 1)],
    ['uniform ε', (x, s, seed) => x.mul(tf.randomUniform(x.shape, -1, 1, 'float32', seed).mul(s).add(1)).clipByValue(0, 1)],
    ['no clipping', (x, s, seed) => x.mul(normal(x, seed).mul(s).add(1))],
    ['seed ignored', (x, s) => x.mul(tf.randomNormal(x.shape).mul(s).add(1)).clipByValue(0, 1)],
    ['a seed of its own', (x, s) => speckle(x, s, 42)],
  ];
  for (const [slip, fn] of wrong) assert.equal(quietly(() => verify.speckleNoise(fn)).passed, false, slip);
  assert.equal(quietly(() => verify.speckleNoise(() => { throw new Error('boom'); })).passed, false);
  assert.equal(tf.memory().numTensors, before);
});

test('lesson 09: gruStep passes the GRU step and fails z and 1 − z swapped, r applied before U, gates in another order; windowCount fails off-by-one answers', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  type Gru = (x: tf.Tensor2D, h: tf.Tensor2D, W: tf.Tensor2D, U: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor;
  const gru = (variant: 'right' | 'swapped' | 'resetFirst' | 'order'): Gru => (x, h, W, U, b) => {
    const [a1, a2, a3] = tf.split(x.matMul(W).add(b), 3, 1);
    const [u1, u2, u3] = tf.split(h.matMul(U), 3, 1);
    const [xz, xr, xn, hz, hr, hn] = variant === 'order' ? [a2, a1, a3, u2, u1, u3] : [a1, a2, a3, u1, u2, u3];
    const z = xz.add(hz).sigmoid();
    const r = xr.add(hr).sigmoid();
    const units = h.shape[1];
    const recurrent = variant === 'resetFirst' ? r.mul(h).matMul(U.slice([0, 2 * units], [units, units])) : r.mul(hn);
    const n = xn.add(recurrent).tanh();
    return variant === 'swapped' ? z.mul(n).add(tf.scalar(1).sub(z).mul(h)) : tf.scalar(1).sub(z).mul(n).add(z.mul(h));
  };
  assert.equal(quietly(() => verify.gruStep(gru('right'))).passed, true);
  for (const wrong of ['swapped', 'resetFirst', 'order'] as const) {
    assert.equal(quietly(() => verify.gruStep(gru(wrong))).passed, false, wrong);
  }
  assert.equal(quietly(() => verify.gruStep(() => { throw new Error('not yet'); })).passed, false);
  assert.equal(quietly(() => verify.windowCount((n, l, s) => Math.floor((n - l) / s) + 1)).passed, true);
  assert.equal(quietly(() => verify.windowCount((n, l, s) => Math.floor((n - l) / s))).passed, false);
  assert.equal(quietly(() => verify.windowCount((n, l, s) => Math.ceil((n - l) / s))).passed, false);
  assert.equal(quietly(() => verify.windowCount((n, _l, s) => Math.floor(n / s))).passed, false);
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
});
