import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { imageGridPng, imageRowsBundle } from '../../src/plot/images';
import { useBackend } from '../helpers';

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
  const fallback = PNG.sync.read(Buffer.from(bundle['image/png'] as string, 'base64'));
  const oneRow = PNG.sync.read(imageGridPng(images, { columns: 3 }));
  assert.equal(fallback.height, 2 * oneRow.height, 'the PNG fallback holds every row, not the first');
  assert.equal(fallback.width, oneRow.width);
  images.dispose();
});
