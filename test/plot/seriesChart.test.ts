import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { seriesChart } from '../../src/plot/seriesChart';

test('seriesChart: a score on the second axis, NaN drawn as gaps, events shaded, a threshold line', () => {
  const figure = seriesChart(
    [{ name: 'signal', y: [1, 2, 3] }, { name: 'error', y: [NaN, 0.5, 0.1], x: [10, 11, 12], secondAxis: true }],
    { title: 'T', xTitle: 'time', yTitle: 'v', y2Title: 'e', logY2: true, marked: [[11, 12]], threshold: { value: 0.3, name: 'threshold' } },
  );
  assert.deepEqual(figure.data[0].x, [0, 1, 2]);
  assert.deepEqual(figure.data[1].y, [null, 0.5, 0.1]);
  assert.equal(figure.data[1].yaxis, 'y2');
  const shapes = figure.layout.shapes as { x0: number; x1: number }[];
  assert.deepEqual([shapes[0].x0, shapes[0].x1], [11, 12]);
  assert.equal(figure.data[2].name, 'labelled anomaly');
  const line = figure.data[3];
  assert.deepEqual([line.x, line.y, line.yaxis], [[0, 12], [0.3, 0.3], 'y2']);
  assert.equal((figure.layout.yaxis2 as { type: string }).type, 'log');
  const plain = seriesChart([{ name: 's', y: [1] }], { title: 'T', xTitle: 'x', yTitle: 'y' });
  assert.equal(plain.layout.yaxis2, undefined);
});
