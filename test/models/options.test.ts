import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkActivation, checkFilters, checkKnownOptions, checkOneOf, checkPositiveInteger, checkSeed } from '../../src/models/options';

test('checkPositiveInteger takes whole numbers > 0 only, numbers only', () => {
  for (const good of [1, 7, 784]) checkPositiveInteger('m', 'code', good);
  for (const [bad, shown] of [[0, '0'], [-3, '-3'], [2.5, '2.5'], [NaN, 'NaN'], [Infinity, 'Infinity'], ['3', "'3'"], [undefined, 'undefined']] as const) {
    assert.throws(() => checkPositiveInteger('m', 'code', bad), { message: `m: code must be a whole number > 0, got ${shown}.` });
  }
});

test('checkActivation and checkOneOf list what they accept', () => {
  checkActivation('m', 'activation', 'tanh');
  assert.throws(() => checkActivation('m', 'activation', 'gelu'), { message: 'm: activation must be one of linear, relu, sigmoid, tanh, elu, got \'gelu\'.' });
  checkOneOf('m', 'loss', 'mse', ['bce', 'mse']);
  assert.throws(() => checkOneOf('m', 'loss', 'MSE', ['bce', 'mse']), { message: 'm: loss must be one of bce, mse, got \'MSE\'.' });
});

test('checkKnownOptions refuses a name the defaults do not have, listing the known ones', () => {
  const defaults = { code: 32, seed: 0, kSparse: undefined };
  checkKnownOptions('m', { code: 8, kSparse: 3 }, defaults);
  checkKnownOptions('m', {}, defaults);
  assert.throws(() => checkKnownOptions('m', { code: 8, sead: 1 }, defaults), { message: "m: unknown option 'sead'. Known options: code, seed, kSparse." });
});

test('checkSeed: any whole number; a string is shown quoted, so "5" does not look right', () => {
  assert.doesNotThrow(() => checkSeed('m', -3));
  assert.throws(() => checkSeed('m', '5'), /m: seed must be a whole number, got '5'\./);
  assert.throws(() => checkSeed('m', 0.5), /got 0\.5\./);
  assert.throws(() => checkPositiveInteger('m', 'epochs', '5'), /epochs must be a whole number > 0, got '5'\./);
});

test('checkFilters: whole numbers > 0, a given count when asked, the value shown', () => {
  assert.doesNotThrow(() => checkFilters('m', [16, 8]));
  assert.throws(() => checkFilters('m', []), /m: filters must be a non-empty array, e\.g\. \[16, 8\], got an array of 0\./);
  assert.throws(() => checkFilters('m', [8], 2), /m: filters must be 2 numbers, e\.g\. \[16, 32\], got an array of 1\./);
  assert.throws(() => checkFilters('m', '16'), /got '16'/);
  assert.throws(() => checkFilters('m', [16, 0]), /filters\[1\] must be a whole number > 0, got 0/);
});
