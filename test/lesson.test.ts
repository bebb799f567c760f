import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CPU_QUICK_IMAGE_SHARE, lessonImages } from '../src/lesson';

test('lesson.images: full mode takes the full value on every backend; quick mode shrinks only on cpu', () => {
  for (const backend of ['tensorflow', 'wasm', 'cpu']) assert.equal(lessonImages('full', backend, 2000, 10000), 10000);
  assert.equal(lessonImages('quick', 'wasm', 2000, 10000), 2000);
  assert.equal(lessonImages('quick', 'tensorflow', 2000, 10000), 2000);
  assert.equal(lessonImages('quick', 'cpu', 2000, 10000), Math.round(2000 * CPU_QUICK_IMAGE_SHARE));
  assert.ok(CPU_QUICK_IMAGE_SHARE > 0 && CPU_QUICK_IMAGE_SHARE < 1);
  assert.equal(lessonImages('quick', 'cpu', 1, 10), 1, 'never zero images');
});
