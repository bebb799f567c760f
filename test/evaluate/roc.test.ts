import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { aucStandardError, rocCurve } from '../../src/evaluate/roc';

test('ROC and AUC match hand-computed values, ties included', () => {
  const perfect = rocCurve([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0]);
  assert.equal(perfect.auc, 1);
  assert.equal(rocCurve([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0]).auc, 0);
  // Scores 0.9(+) 0.7(−) 0.6(+) 0.3(−): pairs (+,−): (0.9,0.7) ✓ (0.9,0.3) ✓ (0.6,0.7) ✗ (0.6,0.3) ✓ → 3/4.
  const mixed = rocCurve([0.9, 0.7, 0.6, 0.3], [1, 0, 1, 0]);
  assert.equal(mixed.auc, 0.75);
  assert.deepEqual(mixed.fpr, [0, 0, 0.5, 0.5, 1]);
  assert.deepEqual(mixed.tpr, [0, 0.5, 0.5, 1, 1]);
  assert.equal(rocCurve([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0]).auc, 0.5, 'all ties: chance');
  assert.throws(() => rocCurve([1, 2], [1, 1]), /needs both classes/);
  assert.throws(() => rocCurve([1, NaN], [1, 0]), /score 1 is NaN/);
  assert.throws(() => rocCurve([1], [1, 0]), /1 scores but 2 labels/);
});

test('the AUC\'s standard error is Hanley and McNeil\'s, and shrinks with more samples', () => {
  // AUC 0.75 from 2 anomalies and 2 normal samples: Q1 = 0.75/1.25 = 0.6, Q2 = 2·0.5625/1.75;
  // SE² = (0.75·0.25 + 1·(0.6 − 0.5625) + 1·(Q2 − 0.5625)) / 4.
  const q2 = (2 * 0.5625) / 1.75;
  const expected = Math.sqrt((0.1875 + 0.0375 + (q2 - 0.5625)) / 4);
  assert.ok(Math.abs(rocCurve([0.9, 0.7, 0.6, 0.3], [1, 0, 1, 0]).standardError - expected) < 1e-12);
  assert.ok(Math.abs(aucStandardError(0.75, 2, 2) - 0.276296) < 1e-6);
  // Not the binomial sqrt(A(1 − A)/n) of one group: 71 anomalies and 71 normal samples at 0.9.
  assert.ok(Math.abs(aucStandardError(0.9, 71, 71) - 0.026897) < 1e-6);
  assert.ok(aucStandardError(0.9, 710, 710) < aucStandardError(0.9, 71, 71) / 3);
  assert.equal(aucStandardError(1, 5, 5), 0, 'a perfect ranking has no spread under this model');
});
