import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { lossCurves } from '../../src/plot/charts';
import { MimeBundle } from '../../src/plot/display';
import { showChart, showImages, showTable } from '../../src/plot/show';
import { useBackend } from '../helpers';

const rows = [
  { epoch: 1, seconds: 1, total: 0.5, reconstruction: 0.4, kl: 0.1, val_total: 0.6, val_reconstruction: 0.5, val_kl: 0.1 },
  { epoch: 2, seconds: 1, total: 0.3, reconstruction: 0.25, kl: 0.05, val_total: 0.4, val_reconstruction: 0.3, val_kl: 0.1 },
];

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

test('tables and images go to the sink as new outputs', async () => {
  await useBackend('cpu');
  const calls: { bundle: MimeBundle; id?: string; update: boolean }[] = [];
  const sink = (bundle: MimeBundle, id: string | undefined, update: boolean) => calls.push({ bundle, id, update });
  showTable([{ model: 'AE', error: 0.5 }], { caption: 'Errors' }, sink);
  const images = tf.zeros([2, 4]);
  showImages([{ label: 'originals', images }], {}, sink);
  images.dispose();
  assert.deepEqual(calls.map((c) => [c.id, c.update]), [[undefined, false], [undefined, false]]);
  assert.match(calls[0].bundle['text/plain'], /^Errors\nmodel +error\n +AE +0\.5000$/);
  assert.equal(calls[1].bundle['text/plain'], 'originals: 2 images');
  assert.ok(typeof calls[1].bundle['image/png'] === 'string');
});
