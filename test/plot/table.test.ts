import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { tableBundle } from '../../src/plot/table';

test('tables: HTML and aligned text, numbers rounded', () => {
  const bundle = tableBundle([{ method: 'PCA', error: 0.0123456 }, { method: 'AE', error: 0.00987654 }], { caption: 'Errors', digits: 3 });
  assert.match(bundle['text/html'] as string, /<th[^>]*>method<\/th>/);
  assert.match(bundle['text/html'] as string, /0\.0123</);
  assert.match(bundle['text/plain'], /Errors\nmethod +error\n +PCA +0\.0123\n +AE +0\.00988/);
});
