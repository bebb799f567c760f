import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { anomalySplit } from '../../src/data/anomalySplit';
import { splitIndices } from '../../src/data/tabular';

const isNormal = Array.from({ length: 40 }, (_, i) => i % 4 !== 0); // 30 normal, 10 anomalous

test('anomalySplit: train, validation and test cover every normal row once; anomalies are test rows', () => {
  const split = anomalySplit(isNormal, { seed: 3 });
  assert.equal(split.train.length, 18);
  assert.equal(split.validation.length, 6);
  assert.equal(split.normalTest, 6);
  assert.equal(split.test.length, 16);
  const normalRows = [...split.train, ...split.validation, ...split.test.slice(0, split.normalTest)];
  assert.deepEqual(normalRows.sort((a, b) => a - b), isNormal.flatMap((n, i) => (n ? [i] : [])));
  assert.deepEqual(split.test.slice(split.normalTest), [0, 4, 8, 12, 16, 20, 24, 28, 32, 36]);
  assert.deepEqual(split.isAnomaly, split.test.map((i) => (isNormal[i] ? 0 : 1)));
});

test('anomalySplit: seeded, and the same rows as two splitIndices calls (seed, then seed + 1)', () => {
  const split = anomalySplit(isNormal, { seed: 7 });
  assert.deepEqual(anomalySplit(isNormal, { seed: 7 }), split);
  assert.notDeepEqual(anomalySplit(isNormal, { seed: 8 }).train, split.train);
  const normal = isNormal.flatMap((n, i) => (n ? [i] : []));
  const [trainPart, heldOutPart] = splitIndices(normal.length, 0.6, 7);
  const heldOut = Array.from(heldOutPart, (i) => normal[i]);
  const [validationPart] = splitIndices(heldOut.length, 0.5, 8);
  assert.deepEqual(split.train, Array.from(trainPart, (i) => normal[i]));
  assert.deepEqual(split.validation, Array.from(validationPart, (i) => heldOut[i]));
});

test('anomalySplit: other shares', () => {
  const split = anomalySplit(isNormal, { seed: 1, trainShare: 0.5, validationShare: 0.3 });
  assert.deepEqual([split.train.length, split.validation.length, split.normalTest], [15, 9, 6]);
});

test('anomalySplit refuses bad shares, a bad seed and data without anomalies', () => {
  assert.throws(() => anomalySplit(isNormal, { seed: NaN }), /seed must be a finite number, got NaN/);
  assert.throws(() => anomalySplit(isNormal, { seed: 1, trainShare: 1 }), /trainShare must be between 0 and 1, got 1/);
  assert.throws(
    () => anomalySplit(isNormal, { seed: 1, trainShare: 0.6, validationShare: 0.4 }),
    /validationShare must be > 0 and leave test rows/,
  );
  assert.throws(() => anomalySplit([true, true, true], { seed: 1 }), /no row is anomalous/);
});
