import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { tableBundle } from '../../src/plot/table';

test('tables: HTML and aligned text, numbers rounded', () => {
  const bundle = tableBundle([{ method: 'PCA', error: 0.0123456 }, { method: 'AE', error: 0.00987654 }], { caption: 'Errors', digits: 3 });
  assert.match(bundle['text/html'] as string, /<th[^>]*>method<\/th>/);
  assert.match(bundle['text/html'] as string, /0\.0123</);
  assert.match(bundle['text/plain'], /Errors\nmethod +error\n +PCA +0\.0123\n +AE +0\.00988/);
});

test('a DataFrame with row names (describe()) keeps them as its first column', async () => {
  const { DataFrame } = await import('danfojs-node');
  const frame = new DataFrame({ radius: [1, 2, 3, 4] }).describe();
  const bundle = tableBundle(frame);
  assert.match(bundle['text/plain'], /^ *radius\n *count +4\n *mean +2\.5/);
  assert.match(bundle['text/html'] as string, /<td[^>]*>count<\/td><td[^>]*>4<\/td>/);
  const plain = tableBundle(new DataFrame({ a: [1, 2] }));
  assert.match(plain['text/plain'], /^a\n1\n2$/, 'a plain 0, 1, 2 index adds no column');
});
