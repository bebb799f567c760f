import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { highestFirst, scoresByClass, typicalNotExtreme } from '../../src/evaluate/scoresByClass';

const NAMES = ['a', 'b', 'c'];

test('highestFirst: highest score first, ties in row order', () => {
  assert.deepEqual(highestFirst([0.1, 0.5, 0.3, 0.5]), [1, 3, 2, 0]);
  assert.deepEqual(highestFirst([]), []);
  assert.throws(() => highestFirst([1, NaN]), /score 1 is NaN/);
});

test('scoresByClass: counts, medians and the classes of the highest scores, highest median first', () => {
  // a: 1, 2, 9 (median 2); b: 5, 6 (median 5.5); c: none.
  const rows = scoresByClass([1, 5, 2, 6, 9], [0, 1, 0, 1, 0], NAMES, 2);
  assert.deepEqual(rows, [
    { class: 'b', count: 2, median: 5.5, amongHighest: 1 },
    { class: 'a', count: 3, median: 2, amongHighest: 1 },
    { class: 'c', count: 0, median: NaN, amongHighest: 0 },
  ]);
});

test('scoresByClass refuses mismatched lengths, a bad top and unknown labels', () => {
  assert.throws(() => scoresByClass([1, 2], [0], NAMES, 1), /2 scores but 1 labels/);
  assert.throws(() => scoresByClass([1, 2], [0, 1], NAMES, 3), /top must be a whole number from 1 to 2/);
  assert.throws(() => scoresByClass([1, 2], [0, 1], NAMES, 0), /top must be a whole number/);
  assert.throws(() => scoresByClass([1, 2], [0, 3], NAMES, 1), /label 1 is 3; expected a class number from 0 to 2/);
});

test('typicalNotExtreme: the median anomaly above the median normal sample, and under twice their share of the top', () => {
  // Anomalies score 5 (typical-high); the two highest scores are normal samples' tail.
  const scores = [5, 5, 5, 1, 1, 1, 9, 8];
  const isAnomaly = [1, 1, 1, 0, 0, 0, 0, 0];
  const yes = typicalNotExtreme(scores, isAnomaly, 2, { anomaly: 'a', unit: 'MSE' });
  assert.equal(yes.holds, true);
  assert.deepEqual(yes.figures, {
    'median error, a, MSE': 5, 'median error, normal images, MSE': 1,
    'a among the 2 highest errors': 0, 'twice their share of all samples, out of 2': 1.5,
  });
  // One anomaly in ten (share 0.1) is one of the 5 highest: that is twice its share, not under it,
  // though it is well under half of the 5 (a yardstick of half the top would wrongly pass it).
  const one = typicalNotExtreme([5, 9, 8, 7, 6, 1, 1, 1, 1, 1], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 5, { anomaly: 'a', unit: 'MSE' });
  assert.equal(one.holds, false);
  assert.equal(one.figures['twice their share of all samples, out of 5'], 1);
  assert.equal(typicalNotExtreme([5, 5, 1, 1, 1], [1, 1, 0, 0, 0], 2, { anomaly: 'a', unit: 'MSE' }).holds, false, 'a holds both of the 2 highest');
  assert.equal(typicalNotExtreme(scores, scores.map((s) => (s === 1 ? 1 : 0)), 2, { anomaly: 'b', unit: 'MSE' }).holds, false, 'b is typical-low');
  assert.throws(() => typicalNotExtreme([1, 2], [1, 1], 1, { anomaly: 'a', unit: 'MSE' }), /needs both anomalies and normal samples/);
  assert.throws(() => typicalNotExtreme([1, 2], [1], 1, { anomaly: 'a', unit: 'MSE' }), /2 scores but 1 labels/);
  assert.throws(() => typicalNotExtreme([1, 2], [1, 0], 3, { anomaly: 'a', unit: 'MSE' }), /top must be a whole number from 1 to 2/);
});
