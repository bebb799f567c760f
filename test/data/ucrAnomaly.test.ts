import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { labelledEvents, loadInternalBleeding, parseLabelledSeriesCsv } from '../../src/data/ucrAnomaly';

test('the shipped InternalBleeding16 series: 7,501 points, one event at 4187–4198, a normal training part', () => {
  const s = loadInternalBleeding();
  assert.equal(s.values.length, 7501);
  assert.deepEqual(s.events, [[4187, 4199]]);
  assert.equal(s.trainLength, 1200);
  assert.ok(s.isAnomaly.subarray(0, s.trainLength).every((l) => l === 0), 'the training part is normal');
  assert.ok(s.values.every(Number.isFinite));
  assert.equal(s.values[0], 63.73215);
});

test('labelledEvents finds each run of 1s, at the ends too', () => {
  assert.deepEqual(labelledEvents([0, 1, 1, 0, 0, 1, 0, 1]), [[1, 3], [5, 6], [7, 8]]);
  assert.deepEqual(labelledEvents([1, 1, 0]), [[0, 2]]);
  assert.deepEqual(labelledEvents([0, 0]), []);
});

test('parseLabelledSeriesCsv refuses a bad header, a skipped timestamp, a bad value or label, naming the line', () => {
  const header = 'timestamp,value,is_anomaly\n';
  assert.deepEqual(Array.from(parseLabelledSeriesCsv(`${header}0,1.5,0\r\n1,-2,1\n`, 'f.csv').isAnomaly), [0, 1]);
  assert.throws(() => parseLabelledSeriesCsv('t,v,a\n0,1,0\n', 'f.csv'), /f\.csv, line 1: expected the header/);
  assert.throws(() => parseLabelledSeriesCsv(`${header}0,1,0\n2,1,0\n`, 'f.csv'), /f\.csv, line 3: timestamp "2", expected 1/);
  assert.throws(() => parseLabelledSeriesCsv(`${header}0,NaN,0\n`, 'f.csv'), /line 2: value "NaN" is not a finite decimal/);
  assert.throws(() => parseLabelledSeriesCsv(`${header}0,1,2\n`, 'f.csv'), /line 2: is_anomaly "2", expected 0 or 1/);
  assert.throws(() => parseLabelledSeriesCsv(`${header}0,1\n`, 'f.csv'), /line 2: 2 cells, expected 3/);
  assert.throws(() => parseLabelledSeriesCsv(header, 'f.csv'), /a header but no data rows/);
});
