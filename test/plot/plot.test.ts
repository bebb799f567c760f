import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { latentScatter, lossCurves, rocChart, barChart } from '../../src/plot/charts';
import { DisplaySink, MimeBundle } from '../../src/plot/display';
import { imageGridPng, imageRowsBundle } from '../../src/plot/images';
import { liveTraining } from '../../src/plot/live';
import { figureBundle, figureHtml, plotlyLibraryBundle } from '../../src/plot/plotly';
import { tableBundle } from '../../src/plot/table';
import { rocCurve } from '../../src/evaluate/roc';
import { showChart } from '../../src/plot/show';
import { useBackend } from '../helpers';

const rows = [
  { epoch: 1, seconds: 1, total: 0.5, reconstruction: 0.4, kl: 0.1, val_total: 0.6, val_reconstruction: 0.5, val_kl: 0.1 },
  { epoch: 2, seconds: 1, total: 0.3, reconstruction: 0.25, kl: 0.05, val_total: 0.4, val_reconstruction: 0.3, val_kl: 0.1 },
];

test('loss curves: a line per term, validation dashed, epochs on x', () => {
  const figure = lossCurves(rows);
  assert.equal(figure.data.length, 6);
  assert.deepEqual(figure.data[0].x, [1, 2]);
  assert.deepEqual(figure.data[0].y, [0.5, 0.3]);
  assert.equal((figure.data[1].line as { dash: string }).dash, 'dash');
  assert.match(figure.data[1].name as string, /validation/);
  assert.equal(lossCurves(rows, { terms: ['kl'] }).data.length, 2);
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
  const bars = barChart(['a', 'b'], [{ name: 'error', values: [1, 2] }], { title: 't', yTitle: 'y' });
  assert.deepEqual(bars.data[0].y, [1, 2]);
});

test('figure HTML: draws with Plotly when present and cannot be broken out of by data', () => {
  const html = figureHtml({ data: [{ type: 'scatter', name: '</script><b>x</b>' }], layout: {} }, 'plot-test');
  assert.ok(html.includes('id="plot-test"'));
  assert.ok(!html.includes('</script><b>'), 'a "<" in the data is escaped');
  assert.ok(html.includes('Plotly.newPlot'));
  const bundle = figureBundle({ data: [], layout: {} }, 'empty');
  assert.deepEqual(Object.keys(bundle).sort(), ['application/vnd.plotly.v1+json', 'text/html', 'text/plain']);
  const library = plotlyLibraryBundle()['text/html'] as string;
  assert.ok(library.length > 1_000_000 && library.includes('var define;'), 'the whole library, shielded from AMD loaders');
});

test('image grid PNG: size, borders and pixels as drawn', async () => {
  await useBackend('cpu');
  const images = tf.tensor2d([new Array(4).fill(0), new Array(4).fill(1), [0, 1, 1, 0]]); // three 2×2 images
  const png = PNG.sync.read(imageGridPng(images, { columns: 2, scale: 3, border: 1 }));
  assert.equal(png.width, 2 * 6 + 3);
  assert.equal(png.height, 2 * 6 + 3);
  const grey = (x: number, y: number) => png.data[(y * png.width + x) * 4];
  assert.equal(grey(0, 0), 255, 'border is white');
  assert.equal(grey(1, 1), 0, 'first image black');
  assert.equal(grey(8, 1), 255, 'second image white');
  assert.equal(grey(1, 8), 0, 'third image: top-left pixel 0');
  assert.equal(grey(4, 8), 255, 'third image: top-right pixel 1');
  const normalised = PNG.sync.read(imageGridPng(tf.tensor2d([[-2, -2, 2, 2]]), { normalise: true, border: 0, scale: 1 }));
  assert.deepEqual([normalised.data[0], normalised.data[8]], [0, 255]);
  assert.throws(() => imageGridPng(tf.zeros([2, 5])), /square grey images/);
  const bundle = imageRowsBundle([{ label: 'originals', images }, { label: 'noisy <x>', images }]);
  assert.equal(((bundle['text/html'] as string).match(/<img /g) ?? []).length, 2);
  assert.ok((bundle['text/html'] as string).includes('noisy &lt;x&gt;'));
  images.dispose();
});

test('tables: HTML and aligned text, numbers rounded', () => {
  const bundle = tableBundle([{ method: 'PCA', error: 0.0123456 }, { method: 'AE', error: 0.00987654 }], { caption: 'Errors', digits: 3 });
  assert.match(bundle['text/html'] as string, /<th[^>]*>method<\/th>/);
  assert.match(bundle['text/html'] as string, /0\.0123</);
  assert.match(bundle['text/plain'], /Errors\nmethod +error\n +PCA +0\.0123\n +AE +0\.00988/);
});

test('live training output updates the same two outputs in place', () => {
  const calls: { bundle: MimeBundle; id?: string; update: boolean }[] = [];
  const sink: DisplaySink = (bundle, id, update) => calls.push({ bundle, id, update });
  const hooks = liveTraining({ epochs: 2, sink });
  hooks.onEpochEnd(rows[0], rows.slice(0, 1));
  hooks.onEpochEnd(rows[1], rows);
  const ids = new Set(calls.map((c) => c.id));
  assert.equal(ids.size, 2, 'one progress line and one chart');
  assert.deepEqual(calls.map((c) => c.update), [false, false, true, true]);
  assert.match(calls[2].bundle['text/plain'], /epoch 2\/2: total 0\.3000/);
  const chart = calls[3].bundle['application/vnd.plotly.v1+json'] as { data: { x: number[] }[] };
  assert.deepEqual(chart.data[0].x, [1, 2]);
});

test('outside a notebook, charts print their text', () => {
  const printed: string[] = [];
  showChart(lossCurves(rows, { title: 'My loss' }), (bundle) => printed.push(bundle['text/plain']));
  assert.deepEqual(printed, ['[chart: My loss]']);
});

test('a chart title with & and < is plain text in text/plain, and cannot break out of the HTML', () => {
  const printed: { text: string; html: string }[] = [];
  showChart(lossCurves(rows, { title: 'Loss & error </script><b>' }), (bundle) => printed.push({ text: bundle['text/plain'], html: String(bundle['text/html']) }));
  assert.deepEqual(printed.map((p) => p.text), ['[chart: Loss & error </script><b>]']);
  assert.ok(!printed[0].html.includes('</script><b>'), 'the title is escaped inside the HTML');
});
