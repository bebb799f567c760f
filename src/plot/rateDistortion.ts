/**
 * The rate–distortion chart of lesson 06: PSNR against bytes per image (log scale), one line per
 * method (codecs over their qualities, codes over their sizes), up and to the left is better.
 *
 *   showChart(rateDistortionChart('clothes', [...codecPoints, ...codedPoints], withDecoder));
 */
import type { RatePoint } from '../evaluate/ratePoint';
import { lineChart, Series } from './charts';
import type { Figure } from './plotly';

function seriesOf(points: readonly RatePoint[], dash: boolean): Series[] {
  const methods = [...new Set(points.map((p) => p.method))];
  return methods.map((method) => {
    const mine = points.filter((p) => p.method === method).sort((a, b) => a.bytes - b.bytes);
    return { name: method, x: mine.map((p) => p.bytes), y: mine.map((p) => p.psnr), text: mine.map((p) => p.setting), dash };
  });
}

/**
 * 'Rate–distortion, <dataset>': a solid line per method of `points` (in order of first
 * appearance), then a dashed line per method of `dashed` (e.g. codes with their decoder's share).
 */
export function rateDistortionChart(dataset: string, points: readonly RatePoint[], dashed: readonly RatePoint[] = []): Figure {
  if (points.length === 0) throw new Error('rateDistortionChart: give at least one point.');
  const bad = [...points, ...dashed].find((p) => !(p.bytes > 0));
  if (bad) throw new Error(`rateDistortionChart: ${bad.method} (${bad.setting}) has ${bad.bytes} bytes; a log axis needs positive bytes.`);
  return lineChart([...seriesOf(points, false), ...seriesOf(dashed, true)], {
    title: `Rate–distortion, ${dataset}`,
    xTitle: 'bytes per image (log scale)',
    yTitle: 'PSNR (dB)',
    logX: true,
  });
}
