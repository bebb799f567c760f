import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DisplaySink, MimeBundle } from '../../src/plot/display';
import { liveComparison, liveTraining, trainingProgress } from '../../src/plot/live';

const rows = [
  { epoch: 1, seconds: 1, total: 0.5, reconstruction: 0.4, kl: 0.1, val_total: 0.6, val_reconstruction: 0.5, val_kl: 0.1 },
  { epoch: 2, seconds: 1, total: 0.3, reconstruction: 0.25, kl: 0.05, val_total: 0.4, val_reconstruction: 0.3, val_kl: 0.1 },
];

type Call = { bundle: MimeBundle; id?: string; update: boolean };
type Chart = { data: { name: string; x: number[]; y: number[]; line: { color: string; dash?: string } }[]; layout: { title: { text: string } } };

function recordingSink(): { sink: DisplaySink; calls: Call[] } {
  const calls: Call[] = [];
  return { calls, sink: (bundle, id, update) => calls.push({ bundle, id, update }) };
}

/** The figure of a chart output: its plotly JSON, or for a frame drawn while training, the one in its HTML. */
const chartOf = (call: Call) => (call.bundle['application/vnd.plotly.v1+json']
  ?? JSON.parse(/var figure=(.*?);var start=/.exec(call.bundle['text/html'] as string)![1])) as Chart;
const isChart = (call: Call) => String(call.bundle['text/html'] ?? '').includes('class="ae-plot"');

test('live training output updates the same two outputs in place', () => {
  const calls: { bundle: MimeBundle; id?: string; update: boolean }[] = [];
  const sink: DisplaySink = (bundle, id, update) => calls.push({ bundle, id, update });
  const hooks = liveTraining({ epochs: 2, sink, redrawEveryMs: 0 });
  hooks.onEpochEnd(rows[0], rows.slice(0, 1));
  hooks.onEpochEnd(rows[1], rows);
  const ids = new Set(calls.map((c) => c.id));
  assert.equal(ids.size, 2, 'one progress line and one chart');
  assert.deepEqual(calls.map((c) => c.update), [false, false, true, true]);
  // A loss with parts (here a KL term) lists them; the total is called loss.
  assert.equal(calls[2].bundle['text/plain'],
    'epoch 2/2: loss 0.3000, reconstruction 0.2500, kl 0.05000, test loss 0.4000, test reconstruction 0.3000, test kl 0.1000 (1.0 s)');
  assert.deepEqual(chartOf(calls[3]).data[0].x, [1, 2]);
  assert.equal(calls[3].bundle['application/vnd.plotly.v1+json'], undefined, 'frames while training carry no plotly JSON');
  hooks.onTrainEnd();
  const last = calls[calls.length - 1];
  assert.equal(last.id, calls[3].id);
  assert.deepEqual((last.bundle['application/vnd.plotly.v1+json'] as Chart).data[0].x, [1, 2], 'the last frame is the whole figure, plotly JSON too');
});

test('live charts redraw at most every redrawEveryMs, and once more when training ends', () => {
  const { sink, calls } = recordingSink();
  const hooks = liveTraining({ epochs: 3, sink });
  const charts = () => calls.filter(isChart);
  hooks.onEpochEnd(rows[0], rows.slice(0, 1));
  hooks.onEpochEnd(rows[1], rows);
  assert.equal(charts().length, 1, 'the second epoch came within 250 ms of the first: held back');
  assert.equal(calls.filter((c) => !isChart(c)).length, 2, 'the progress line still says epoch 2');
  hooks.onTrainEnd();
  assert.equal(charts().length, 2, 'the end of training draws what was held back');
  assert.deepEqual(chartOf(charts()[1]).data[0].x, [1, 2]);
  assert.ok(charts()[1].bundle['application/vnd.plotly.v1+json'], 'as a whole figure');
  hooks.onTrainEnd();
  assert.equal(charts().length, 2, 'already drawn whole: nothing drawn');

  const comparison = recordingSink();
  const curves = liveComparison({ title: 'T', sink: comparison.sink });
  const track = curves.track('dense', 2);
  track.onEpochEnd(rows[0], rows.slice(0, 1));
  track.onEpochEnd(rows[1], rows);
  track.onTrainEnd();
  const drawn = comparison.calls.filter(isChart);
  assert.equal(drawn.length, 2);
  assert.deepEqual(chartOf(drawn[1]).data[0].y, [0.5, 0.3]);
});

test('liveComparison.add: a model trained earlier goes on the chart at once, beside the ones tracked after', () => {
  const { sink, calls } = recordingSink();
  const curves = liveComparison({ title: 'Test loss', sink });
  curves.add('dense VAE', rows);
  assert.equal(calls.length, 1, 'drawn at once');
  assert.equal(calls[0].bundle['text/plain'], 'Test loss (1 model)');
  assert.deepEqual(chartOf(calls[0]).data.map((d) => d.name), ['dense VAE (train)', 'dense VAE (test)']);
  const conv = curves.track('conv VAE', 1);
  conv.onEpochEnd({ ...rows[0], total: 0.2, val_total: 0.25 }, []);
  conv.onTrainEnd(); // as train() calls it: the redraw held back by the 250 ms limit
  const last = calls[calls.length - 1];
  assert.equal(last.bundle['text/plain'], 'Test loss (2 models)');
  assert.deepEqual(chartOf(last).data.map((d) => d.name), ['dense VAE (train)', 'dense VAE (test)', 'conv VAE (train)', 'conv VAE (test)']);
  assert.throws(() => curves.add('dense VAE', rows), /dense VAE is already on this chart/);
  assert.throws(() => curves.add('empty', []), /empty has no epochs to draw/);
});

test('liveComparison: one chart with every tracked model\'s curves, updated through the sink', () => {
  const { sink, calls } = recordingSink();
  const curves = liveComparison({ title: 'Test error per epoch', yTitle: 'MSE per pixel', sink, redrawEveryMs: 0 });
  const first = curves.track('dense', 2);
  first.onBatchEnd({ epoch: 1, batch: 3, batches: 4 });
  first.onEpochEnd(rows[0], rows.slice(0, 1));
  first.onEpochEnd(rows[1], rows);
  const second = curves.track('conv', 1);
  second.onEpochEnd({ ...rows[0], total: 0.45, val_total: 0.55 }, []);

  assert.equal(new Set(calls.map((c) => c.id)).size, 2, 'one progress line and one chart for all the models');
  const [progressId, chartId] = [calls[0].id, calls[2].id];
  assert.deepEqual(calls.map((c) => [c.id === progressId ? 'progress' : 'chart', c.update]), [
    ['progress', false], // dense, batch 4 of 4
    ['progress', true], ['chart', false], // dense, epoch 1
    ['progress', true], ['chart', true], // dense, epoch 2
    ['progress', true], ['chart', true], // conv, epoch 1
  ]);
  assert.equal(chartId, calls[calls.length - 1].id);
  assert.equal(calls[0].bundle['text/plain'], 'training dense: epoch 1/2, batch 4/4');
  assert.match(calls[5].bundle['text/plain'], /^conv: epoch 1\/1: loss 0\.4500/);

  const chart = chartOf(calls[calls.length - 1]);
  assert.deepEqual(chart.data.map((d) => d.name), ['dense (train)', 'dense (test)', 'conv (train)', 'conv (test)']);
  assert.deepEqual(chart.data[0].y, [0.5, 0.3], 'the total by default');
  assert.deepEqual(chart.data[1].y, [0.6, 0.4]);
  assert.deepEqual(chart.data[2].y, [0.45]);
  assert.equal(chart.data[1].line.dash, 'dash');
  assert.notEqual(chart.data[0].line.color, chart.data[2].line.color, 'a colour per model');
  assert.equal(chart.layout.title.text, 'Test error per epoch');
  assert.equal(calls[calls.length - 1].bundle['text/plain'], 'Test error per epoch (2 models)');
  assert.deepEqual(curves.histories.map((h) => [h.name, h.rows.length]), [['dense', 2], ['conv', 1]]);
  // The chart after dense's first epoch held dense alone.
  assert.deepEqual(chartOf(calls[2]).data.map((d) => d.name), ['dense (train)', 'dense (test)']);
});

test('liveComparison: a term other than total, and a second track of the same name throws', () => {
  const { sink, calls } = recordingSink();
  const curves = liveComparison({ title: 'KL', term: 'kl', sink });
  curves.track('VAE', 2).onEpochEnd(rows[0], []);
  assert.deepEqual(chartOf(calls[calls.length - 1]).data[0].y, [0.1]);
  assert.throws(() => curves.track('VAE', 2), /liveComparison: VAE is already on this chart; give each model its own name/);
  assert.equal(curves.histories.length, 1, 'the refused track adds nothing');
});

test('a loss with no parts is printed once, as loss', () => {
  const { sink, calls } = recordingSink();
  const hooks = liveTraining({ epochs: 1, sink, redrawEveryMs: 0 });
  const plain = { epoch: 1, seconds: 2, total: 0.5, reconstruction: 0.5, val_total: 0.6, val_reconstruction: 0.6 };
  hooks.onEpochEnd(plain, [plain]);
  assert.equal(calls[0].bundle['text/plain'], 'epoch 1/1: loss 0.5000, test loss 0.6000 (2.0 s)');
});

test('trainingProgress keeps one line, updated in place: batches, then each epoch\'s losses, under its label', () => {
  const { sink, calls } = recordingSink();
  const hooks = trainingProgress({ epochs: 2, label: 'VAE <2>', sink });
  hooks.onBatchEnd!({ epoch: 1, batch: 3, batches: 4, seconds: 0 } as never);
  hooks.onEpochEnd!(rows[0], rows.slice(0, 1));
  hooks.onEpochEnd!(rows[1], rows);
  assert.equal(new Set(calls.map((c) => c.id)).size, 1, 'one output');
  assert.deepEqual(calls.map((c) => c.update), [false, true, true]);
  assert.equal(calls[0].bundle['text/plain'], 'training VAE <2>: epoch 1/2, batch 4/4');
  assert.match(calls[2].bundle['text/plain'], /^VAE <2>: epoch 2\/2: loss 0\.3000, reconstruction 0\.2500/);
  assert.match(String(calls[2].bundle['text/html']), /^<code>VAE &lt;2&gt;: epoch 2\/2/);
  assert.equal(calls.some(isChart), false, 'no chart');
});
