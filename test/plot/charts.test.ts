import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { barChart, histogram, latentScatter, lineChart, lossComparison, lossCurves, lossTerms, rocChart } from '../../src/plot/charts';
import { rocCurve } from '../../src/evaluate/roc';
import type { EpochRow } from '../../src/train/train';

const rows = [
  { epoch: 1, seconds: 1, total: 0.5, reconstruction: 0.4, kl: 0.1, val_total: 0.6, val_reconstruction: 0.5, val_kl: 0.1 },
  { epoch: 2, seconds: 1, total: 0.3, reconstruction: 0.25, kl: 0.05, val_total: 0.4, val_reconstruction: 0.3, val_kl: 0.1 },
];

/** A plain auto-encoder's history: total and reconstruction are the same number. */
const plain: EpochRow[] = [
  { epoch: 1, seconds: 1, total: 0.2, reconstruction: 0.2, val_total: 0.25, val_reconstruction: 0.25 },
  { epoch: 2, seconds: 1, total: 0.1, reconstruction: 0.1, val_total: 0.15, val_reconstruction: 0.15 },
];

test('loss curves: a line per term, the held-out (test) set dashed, epochs on x', () => {
  const figure = lossCurves(rows);
  assert.equal(figure.data.length, 6);
  assert.deepEqual(figure.data[0].x, [1, 2]);
  assert.deepEqual(figure.data[0].y, [0.5, 0.3]);
  assert.equal((figure.data[1].line as { dash: string }).dash, 'dash');
  assert.match(figure.data[1].name as string, /\(test\)/);
  assert.equal(lossCurves(rows, { terms: ['kl'] }).data.length, 2);
});

test('lossTerms leaves out a total identical to reconstruction, and only then', () => {
  assert.deepEqual(lossTerms(plain), ['reconstruction']);
  assert.deepEqual(lossTerms(rows), ['total', 'reconstruction', 'kl']);
  const differsInValidation = plain.map((r) => ({ ...r, val_total: r.val_total + 0.01 }));
  assert.deepEqual(lossTerms(differsInValidation), ['total', 'reconstruction'], 'a validation total that differs keeps total');
  const differsOnce = [plain[0], { ...plain[1], total: 0.11 }];
  assert.deepEqual(lossTerms(differsOnce), ['total', 'reconstruction'], 'one epoch where they differ keeps total');
  assert.deepEqual(lossTerms([]), []);
  const names = lossCurves(plain).data.map((d) => d.name);
  assert.deepEqual(names, ['reconstruction (train)', 'reconstruction (test)'], 'lossCurves draws no duplicate total');
  assert.deepEqual(lossCurves(plain, { terms: ['total'] }).data.map((d) => d.name), ['total (train)', 'total (test)'], 'unless asked');
  const deciding = lossCurves(plain, { terms: ['total'], heldOut: 'validation' }).data.map((d) => d.name);
  assert.deepEqual(deciding, ['total (train)', 'total (validation)'], 'validation only when the held-out set decides');
});

test('epoch axes have whole-number ticks; so has a line chart with integerX, unless on a log axis', () => {
  for (const figure of [lossCurves(rows), lossComparison([{ name: 'AE', rows }], { title: 'Compared' })]) {
    const xaxis = figure.layout.xaxis as Record<string, unknown>;
    assert.equal(xaxis.tickformat, 'd');
    assert.equal(xaxis.dtick, 1);
    assert.deepEqual(xaxis.title, { text: 'epoch' });
  }
  const series = [{ name: 'PCA', x: [2, 4, 8], y: [3, 2, 1] }];
  const integer = lineChart(series, { title: 't', xTitle: 'code size', yTitle: 'MSE', integerX: true });
  assert.deepEqual((integer.layout.xaxis as Record<string, unknown>).tickvals, [2, 4, 8], 'few values: each labelled');
  const logX = lineChart(series, { title: 't', xTitle: 'code size', yTitle: 'MSE', integerX: true, logX: true });
  assert.equal((logX.layout.xaxis as Record<string, unknown>).tickformat, undefined);
  assert.equal((logX.layout.xaxis as Record<string, unknown>).type, 'log');
});

test('latent scatter: one trace per class, hover names the sample and its label', () => {
  const figure = latentScatter([[0, 0], [1, 1], [2, 2]], [1, 0, 1], ['cat', 'dog']);
  assert.equal(figure.data.length, 2);
  assert.deepEqual(figure.data[1].x, [0, 2]);
  assert.deepEqual(figure.data[1].text, ['sample 0: dog', 'sample 2: dog']);
  assert.throws(() => latentScatter([[0, 0]], [0, 1], ['a']), /1 points but 2 labels/);
});

test('ROC and bar charts carry their numbers', () => {
  const roc = rocChart([{ name: 'AE', roc: rocCurve([0.9, 0.1], [1, 0]) }]);
  assert.match(roc.data[0].name as string, /AUC 1\.000/);
  const bars = barChart(['a', 'b'], [{ name: 'error', values: [1, 2] }], { title: 't', xTitle: 'model', yTitle: 'y' });
  assert.deepEqual(bars.data[0].y, [1, 2]);
  assert.equal(((bars.layout.xaxis as { title: { text: string } }).title).text, 'model', 'the categories are named');
});

test('histogram with logX: bins even in log10, a share per group, and values ≤ 0 refused', () => {
  const small = [0.001, 0.002, 0.003, 0.01];
  const large = [1, 2, 10, 100];
  const figure = histogram([{ name: 'normal', values: small }, { name: 'anomalous', values: large }], { title: 'Errors', xTitle: 'MSE', bins: 5, logX: true });
  assert.equal((figure.layout.xaxis as Record<string, unknown>).type, 'log');
  assert.deepEqual((figure.layout.yaxis as { title: { text: string } }).title.text, 'share of the group per bin');
  for (const trace of figure.data) {
    assert.equal(trace.type, 'bar');
    const shares = trace.y as number[];
    assert.equal(shares.length, 5);
    assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 1) < 1e-12, `${trace.name}: shares add up to 1`);
  }
  // log10 of the values spans −3 … 2 in five bins of width 1: centres at 10^−2.5 … 10^1.5.
  const centres = figure.data[0].x as number[];
  centres.forEach((c, i) => assert.ok(Math.abs(Math.log10(c) - (-2.5 + i)) < 1e-9, `centre ${i}: ${c}`));
  assert.deepEqual(figure.data[0].y, [0.75, 0.25, 0, 0, 0]);
  assert.deepEqual(figure.data[1].y, [0, 0, 0, 0.5, 0.5]);
  assert.throws(() => histogram([{ name: 'a', values: [1, 0] }], { title: 't', xTitle: 'x', logX: true }), /histogram: logX needs values > 0/);
  assert.throws(() => histogram([{ name: 'a', values: [1] }, { name: 'b', values: [-2] }], { title: 't', xTitle: 'x', logX: true }), /logX needs values > 0/);
  const linear = histogram([{ name: 'a', values: [0, -1, 2] }], { title: 't', xTitle: 'x' });
  assert.equal(linear.data[0].type, 'histogram', 'without logX, zero and negative values are fine');
  assert.equal(linear.data[0].histnorm, 'probability density');
});

test('line charts label few x values one by one: code sizes on a log axis, whole epochs', () => {
  const sizes = lineChart([{ name: 'AE', x: [2, 8, 32], y: [3, 2, 1] }], { title: 't', xTitle: 'code', yTitle: 'e', logX: true });
  assert.deepEqual((sizes.layout.xaxis as { tickvals: number[] }).tickvals, [2, 8, 32]);
  assert.deepEqual((sizes.layout.xaxis as { ticktext: string[] }).ticktext, ['2', '8', '32']);
  const epochs = lineChart([{ name: 'gap', x: [1, 2, 3], y: [1, 1, 1] }], { title: 't', xTitle: 'epoch', yTitle: 'g', integerX: true });
  assert.deepEqual((epochs.layout.xaxis as { tickvals: number[] }).tickvals, [1, 2, 3]);
  const many = Array.from({ length: 40 }, (_, i) => i + 1);
  const long = lineChart([{ name: 'gap', x: many, y: many }], { title: 't', xTitle: 'epoch', yTitle: 'g', integerX: true });
  assert.equal((long.layout.xaxis as { dtick: number }).dtick, 1, 'whole numbers only when there are many');
});
