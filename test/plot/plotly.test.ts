import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { figureBundle, figureHtml, figureTitle, liveFigureBundle, plotlyLibraryBundle } from '../../src/plot/plotly';

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

test('figureTitle reads a title given as text or as { text }, else says chart', () => {
  assert.equal(figureTitle({ data: [], layout: { title: { text: 'Loss & <error>' } } }), 'Loss & <error>');
  assert.equal(figureTitle({ data: [], layout: { title: 'Plain' } }), 'Plain');
  assert.equal(figureTitle({ data: [], layout: {} }), 'chart');
});

test('the plotly JSON goes out as an object (VS Code and jupyterlab-plotly read it as one), valid for a JSON round trip', () => {
  const figure = { data: [{ type: 'scatter', x: [1, 2], y: [3, 4] }], layout: { title: { text: 'T' } } };
  const bundle = figureBundle(figure, 'd');
  const json = bundle['application/vnd.plotly.v1+json'];
  assert.equal(typeof json, 'object');
  assert.deepEqual(JSON.parse(JSON.stringify(bundle))['application/vnd.plotly.v1+json'], figure);
  assert.deepEqual(Object.keys(json as object).sort(), ['data', 'layout']);
});

test('where the chart script cannot run, the HTML says which chart, why, and what to do', () => {
  const html = figureHtml({ data: [], layout: { title: { text: 'Loss <per> epoch' } } }, 'plot-x');
  const fallback = /<div class="ae-plot-fallback"[^>]*>(.*?)<\/div>/.exec(html)?.[1] ?? '';
  assert.match(fallback, /The chart &quot;Loss &lt;per&gt; epoch&quot; is not drawn here/);
  assert.match(fallback, /not trusted/);
  assert.match(fallback, /jupyter trust NOTEBOOK\.ipynb/);
  assert.match(fallback, /Trust Notebook/);
  assert.ok(html.indexOf('ae-plot-fallback') < html.indexOf('<script>'), 'the message is in the page before any script runs');
  assert.match(html, /el\.innerHTML=''/, 'drawing replaces the message');
  assert.match(html, /Plotly is not loaded/, 'and a script that runs without Plotly says so');
});

test('a live chart\'s frames during training carry no plotly JSON; its last frame is a whole figure', () => {
  const figure = { data: [], layout: {} };
  assert.deepEqual(Object.keys(liveFigureBundle(figure, 'x')).sort(), ['text/html', 'text/plain']);
  assert.ok('application/vnd.plotly.v1+json' in figureBundle(figure, 'x'));
});
