import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { shippedDatasetsDir } from '../../src/data/shippedDatasets';
import { BREAST_CANCER_FILE, loadBreastCancer, parseBreastCancerCsv } from '../../src/data/breastCancer';

const HEADER = 'radius_mean,texture_mean,area_mean,diagnosis';
const GOOD = `${HEADER}\n17.99,10.38,1001,M\n13.54,14.36,566.3,B\n`;

/** GOOD with the cell at (data row, column), both 0-based, replaced by `value`. */
function withCell(row: number, column: number, value: string): string {
  const lines = GOOD.split('\n');
  const cells = lines[row + 1].split(',');
  cells[column] = value;
  lines[row + 1] = cells.join(',');
  return lines.join('\n');
}

test('parseBreastCancerCsv reads numbers and M/B labels in file order', () => {
  const table = parseBreastCancerCsv(GOOD, 'good.csv');
  assert.deepEqual(table.columns, ['radius_mean', 'texture_mean', 'area_mean', 'diagnosis']);
  assert.deepEqual(table.featureNames, ['radius_mean', 'texture_mean', 'area_mean']);
  assert.deepEqual(table.features, [[17.99, 10.38, 1001], [13.54, 14.36, 566.3]]);
  assert.deepEqual(table.diagnosis, ['M', 'B']);
  assert.deepEqual(parseBreastCancerCsv(GOOD.replace(/\n/g, '\r\n'), 'crlf.csv'), table, 'CRLF line ends read the same');
  assert.deepEqual(parseBreastCancerCsv(`${HEADER}\n-1.5e-3,+2,.5,B`, 'forms.csv').features, [[-0.0015, 2, 0.5]]);
});

test('the shipped CSV parses strictly: 569 rows, 30 features, 212 M and 357 B', () => {
  const text = fs.readFileSync(path.join(shippedDatasetsDir(), BREAST_CANCER_FILE), 'utf8');
  const table = parseBreastCancerCsv(text, BREAST_CANCER_FILE);
  assert.equal(table.features.length, 569);
  assert.equal(table.featureNames.length, 30);
  assert.equal(table.columns[30], 'diagnosis');
  assert.equal(table.diagnosis.filter((d) => d === 'M').length, 212);
  assert.equal(table.diagnosis.filter((d) => d === 'B').length, 357);
});

test('an empty cell is an error naming the file, line and column, never a 0', () => {
  assert.throws(() => parseBreastCancerCsv(withCell(1, 1, ''), 'bad.csv'), /^Error: bad\.csv, line 3, column 2 \(texture_mean\): the cell is empty\.$/);
  assert.throws(() => parseBreastCancerCsv(withCell(0, 2, '  '), 'bad.csv'), /bad\.csv, line 2, column 3 \(area_mean\): the cell is empty/);
  assert.throws(() => parseBreastCancerCsv(withCell(0, 3, ''), 'bad.csv'), /bad\.csv, line 2, column 4 \(diagnosis\): the cell is empty/);
});

test('a value that is not a plain finite decimal number is an error naming line and column', () => {
  for (const value of ['abc', '0x10', 'NaN', 'Infinity', '1e999', '1,5', '17.99.1', ' 17.99', '"17.99"', '1e']) {
    const text = value === '1,5' ? GOOD.replace('17.99,10.38', '1,5,10.38') : withCell(0, 0, value);
    const expected = value === '1,5' ? /bad\.csv, line 2: 5 cells, the header has 4 columns/ : /bad\.csv, line 2, column 1 \(radius_mean\): .* is not a finite decimal number/;
    assert.throws(() => parseBreastCancerCsv(text, 'bad.csv'), expected, `value ${JSON.stringify(value)}`);
  }
});

test('a diagnosis other than M or B is an error naming line and column', () => {
  for (const label of ['X', 'm', 'malignant', '1']) {
    assert.throws(
      () => parseBreastCancerCsv(withCell(1, 3, label), 'bad.csv'),
      new RegExp(`bad\\.csv, line 3, column 4 \\(diagnosis\\): diagnosis "${label}", expected M \\(malignant\\) or B \\(benign\\)`),
    );
  }
});

test('a bad header, a short row or a blank line inside the file is an error', () => {
  assert.throws(() => parseBreastCancerCsv('', 'bad.csv'), /bad\.csv: the file is empty/);
  assert.throws(() => parseBreastCancerCsv(`${HEADER}\n`, 'bad.csv'), /bad\.csv: a header but no data rows/);
  assert.throws(() => parseBreastCancerCsv(GOOD.replace('diagnosis', 'label'), 'bad.csv'), /bad\.csv, line 1: the header has no diagnosis column/);
  assert.throws(() => parseBreastCancerCsv(GOOD.replace('area_mean', 'radius_mean'), 'bad.csv'), /line 1, column 3 \(radius_mean\): the header names radius_mean twice/);
  assert.throws(() => parseBreastCancerCsv(GOOD.replace('texture_mean', ''), 'bad.csv'), /line 1, column 2 \(unnamed\): the header has an empty column name/);
  assert.throws(() => parseBreastCancerCsv(GOOD.replace(',1001,', ','), 'bad.csv'), /bad\.csv, line 2: 3 cells, the header has 4 columns/);
  assert.throws(() => parseBreastCancerCsv(GOOD.replace('M\n', 'M\n\n'), 'bad.csv'), /bad\.csv, line 3: 1 cells, the header has 4 columns\. The line is empty/);
});

test('breast-cancer CSV reads into a danfojs DataFrame: 569 rows, 30 features, 212 malignant', async () => {
  const { frame, featureNames } = await loadBreastCancer();
  assert.deepEqual(frame.shape, [569, 31]);
  assert.deepEqual(frame.columns, [...featureNames, 'diagnosis'], 'the columns in file order');
  assert.deepEqual(frame.dtypes, [...new Array(30).fill('float32'), 'string']);
  assert.deepEqual((frame.values[0] as number[]).slice(0, 2), [17.99, 10.38]);
  assert.equal(featureNames.length, 30);
  assert.ok(featureNames.includes('radius_mean'));
  const diagnosis = frame['diagnosis'].values as string[];
  assert.equal(diagnosis.filter((d) => d === 'M').length, 212);
  assert.equal(diagnosis.filter((d) => d === 'B').length, 357);
});
