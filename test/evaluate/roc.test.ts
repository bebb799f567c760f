import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { rocCurve } from '../../src/evaluate/roc';

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
