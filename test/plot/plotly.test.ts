import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { figureBundle, figureHtml, figureTitle, plotlyLibraryBundle } from '../../src/plot/plotly';

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
