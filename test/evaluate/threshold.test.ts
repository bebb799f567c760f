import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { binomialRange, decisionsAt, quantileOf } from '../../src/evaluate/threshold';

test('quantiles, decisions at a threshold, and the binomial range of a false-alarm count', () => {
  assert.equal(quantileOf([3, 1, 2, 4, 5], 0.5), 3);
  assert.equal(quantileOf([1, 2], 0.25), 1.25);
  assert.equal(quantileOf([7], 0.9), 7);
  assert.throws(() => quantileOf([], 0.5), /no scores/);
  const d = decisionsAt([0.1, 0.9, 0.8, 0.3, 0.7], [0, 1, 0, 1, 1], 0.5);
  assert.deepEqual([d.truePositives, d.falsePositives, d.trueNegatives, d.falseNegatives], [2, 1, 1, 1]);
  assert.equal(d.precision, 2 / 3);
  assert.equal(d.recall, 2 / 3);
  assert.equal(d.falseAlarmRate, 0.5);
  // Binomial(10, 0.5): P(X ≤ 1) = 11/1024 ≤ 0.025 < P(X ≤ 2) = 56/1024, so the 95% range is [2, 8].
  assert.deepEqual(binomialRange(10, 0.5), [2, 8]);
  // Binomial(72, 0.05): P(0) = 0.95^72 ≈ 0.0249 ≤ 0.025, so 0 is outside; the top is 8 (P(X ≥ 8) ≈ 0.023 < P(X ≥ 7)).
  const [low, high] = binomialRange(72, 0.05);
  assert.equal(low, 1);
  assert.ok(high === 7 || high === 8, `high ${high}`);
  let above = 0;
  for (let k = high + 1; k <= 72; k++) {
    let c = 1;
    for (let i = 1; i <= k; i++) c *= (72 - k + i) / i;
    above += c * 0.05 ** k * 0.95 ** (72 - k);
  }
  assert.ok(above <= 0.025, 'the upper tail outside the range holds at most 2.5%');
  assert.deepEqual(binomialRange(5, 0), [0, 0]);
  assert.deepEqual(binomialRange(2000, 0.05).map((v) => v > 70 && v < 130), [true, true], 'large n does not underflow');
});
