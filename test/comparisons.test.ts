import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { above, allOf, below, judged } from '../src/comparisons';

test('below and above compare two named figures, with an optional factor on the second', () => {
  assert.deepEqual(below({ 'test error': 1 }, { baseline: 3 }), { holds: true, figures: { 'test error': 1, baseline: 3 } });
  assert.equal(below({ a: 3 }, { b: 3 }).holds, false, 'strictly below');
  const half = below({ a: 2 }, { b: 3 }, 0.5);
  assert.equal(half.holds, false, '2 is not below 1.5');
  assert.deepEqual(half.figures, { a: 2, b: 3, '0.5 × b': 1.5 });
  assert.equal(above({ a: 7 }, { b: 3 }, 2).holds, true);
  assert.equal(above({ a: 6 }, { b: 3 }, 2).holds, false, 'strictly above');
});

test('comparisons refuse figures that are not one named number', () => {
  assert.throws(() => below({ a: 1, b: 2 }, { c: 1 }), /first figure must be one named figure/);
  assert.throws(() => below({ a: 1 }, {}), /second figure must be one named figure/);
  assert.throws(() => below({ a: NaN }, { b: 1 }), /'a' must be a number/);
  assert.throws(() => below({ a: 1 }, { a: 2 }), /same name, 'a'/);
  assert.throws(() => above({ a: 1 }, { b: 2 }, 0), /times must be a number > 0/);
});

test('allOf holds when every part holds and keeps every figure once', () => {
  const both = allOf(below({ a: 1 }, { b: 2 }), above({ c: 5 }, { b: 2 }));
  assert.deepEqual(both, { holds: true, figures: { a: 1, b: 2, c: 5 } });
  assert.equal(allOf(below({ a: 1 }, { b: 2 }), above({ c: 1 }, { b: 2 })).holds, false);
  assert.throws(() => allOf(below({ a: 1 }, { b: 2 }), below({ a: 5 }, { b: 9 })), /'a' has two values/);
  assert.throws(() => allOf(), /at least one/);
  assert.deepEqual(judged(true, { 'codes equal': 'yes' }), { holds: true, figures: { 'codes equal': 'yes' } });
});
