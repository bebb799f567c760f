import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { rateDistortionChart } from '../../src/plot/rateDistortion';
import type { RatePoint } from '../../src/evaluate/ratePoint';

const at = (method: string, setting: string, bytes: number, psnr: number): RatePoint => ({ method, setting, bytes, psnr, ssim: 0.5 });

test('rate–distortion chart: a line per method in order, sorted by bytes, log x, dashed extras', () => {
  const points = [at('webp', 'quality 90', 380, 43), at('webp', 'quality 10', 150, 27), at('auto-encoder', 'k = 8', 8, 15)];
  const figure = rateDistortionChart('clothes', points, [at('auto-encoder + decoder', 'k = 8', 90, 15)]);
  assert.deepEqual(figure.data.map((d) => d.name), ['webp', 'auto-encoder', 'auto-encoder + decoder']);
  assert.deepEqual(figure.data[0].x, [150, 380]);
  assert.deepEqual(figure.data[0].text, ['quality 10', 'quality 90']);
  assert.deepEqual(figure.data.map((d) => (d.line as { dash: string }).dash), ['solid', 'solid', 'dash']);
  const layout = figure.layout as { title: { text: string }; xaxis: { type: string } };
  assert.equal(layout.title.text, 'Rate–distortion, clothes');
  assert.equal(layout.xaxis.type, 'log');
  assert.throws(() => rateDistortionChart('x', []), /at least one point/);
  assert.throws(() => rateDistortionChart('x', [at('pca', 'k = 1', 0, 1)]), /log axis needs positive bytes/);
});
