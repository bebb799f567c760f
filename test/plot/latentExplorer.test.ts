import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { denseAutoencoder } from '../../src/models/dense';
import { variationalAutoencoder } from '../../src/models/vae';
import { explorerStacks, latentExplorerBundle } from '../../src/plot/latentExplorer';
import { pageNetwork, runAsPage } from '../../src/plot/pageNetwork';
import { useBackend } from '../helpers';
import { openWidget, skipWithoutChromium } from './widgetPage';

const MB = 2 ** 20;

function testCodes(count: number): number[][] {
  return Array.from({ length: count }, (_, i) => [Math.sin(i) * 2, Math.cos(3 * i) * 1.5]);
}

test('the explorer bundle: a static picture and a note, weights within the size budget, bad input refused', async () => {
  await useBackend('cpu');
  const vae = variationalAutoencoder({ hidden: [400], latent: 2, seed: 1 });
  const codes = testCodes(300);
  const labels = codes.map((_, i) => i % 10);
  const bundle = latentExplorerBundle(vae, codes, labels, { draw: true });
  const html = bundle['text/html'] as string;
  assert.ok(html.length < 4 * MB, `encoder and decoder in float32: ${(html.length / MB).toFixed(2)} MB`);
  const half = latentExplorerBundle(vae, codes, labels, { draw: true, precision: 'float16' })['text/html'] as string;
  assert.ok(half.length < 0.6 * html.length, 'float16 roughly halves it');
  assert.match(html, /class="ae-static"/);
  assert.match(bundle['text/plain'], /interactive where the notebook runs its scripts/);
  assert.ok(typeof bundle['image/png'] === 'string' && (bundle['image/png'] as string).length > 100);
  assert.throws(() => latentExplorerBundle(vae, [[1, 2, 3]], [0]), /pairs of numbers/);
  assert.throws(() => latentExplorerBundle(vae, codes, [1]), /300 codes but 1 labels/);
  vae.dispose();
});

test('float16 weights: the output states how far the page is from the library, and the page keeps to it', async () => {
  await useBackend('cpu');
  const model = denseAutoencoder({ hidden: [256, 64], code: 2, codeActivation: 'linear', seed: 2 });
  const probes = [[0, 0], [0.5, -0.25], [-1.2, 0.8]];
  const decoded = tf.tidy(() => model.decode(tf.tensor2d(probes)).arraySync() as number[][]);
  const worstOver = (network: ReturnType<typeof pageNetwork>) => Math.max(...runAsPage(network, probes)
    .flatMap((row, i) => Array.from(row, (v, j) => Math.abs(v - decoded[i][j]))));
  const stacks = explorerStacks(model);
  assert.ok(worstOver(pageNetwork(stacks.decoder, 'float32')) < 1e-5, 'the page code run here matches the library in float32');
  const bundle = latentExplorerBundle(model, testCodes(200), testCodes(200).map((_, i) => i % 10), { draw: true, precision: 'float16' });
  const stated = Number(/differs from the library by at most ([0-9.e-]+)/.exec(bundle['text/plain'] as string)?.[1]);
  assert.ok(stated > 0 && stated < 0.05, `a small, non-zero error is stated: ${stated}`);
  assert.match(bundle['text/html'] as string, /float16 weights: within [0-9.e-]+ of the library/, 'the interactive figure says it too');
  const half = worstOver(pageNetwork(stacks.decoder, 'float16'));
  assert.ok(half > 1e-6 && half <= 2 * stated, `the page's float16 error (${half}) is of the stated size (${stated})`);
  assert.doesNotMatch(latentExplorerBundle(model, testCodes(20), testCodes(20).map(() => 0))['text/plain'] as string, /float16/);
  model.dispose();
});

test('in Chromium the page decodes and encodes as the library does (1e-5), follows the pointer and the keys, offline', { skip: skipWithoutChromium, timeout: 120_000 }, async () => {
  await useBackend('cpu');
  const model = denseAutoencoder({ hidden: [256, 64], code: 2, codeActivation: 'linear', seed: 2 });
  const images = tf.randomUniform([3, 784], 0, 1, 'float32', 9);
  const codes = tf.tidy(() => model.encode(images).arraySync() as number[][]);
  const probes = [[0, 0], [0.5, -0.25], codes[0]];
  const decoded = tf.tidy(() => model.decode(tf.tensor2d(probes)).arraySync() as number[][]);
  const pixels = images.arraySync() as number[][];
  const bundle = latentExplorerBundle(model, [...codes, ...testCodes(200)], [0, 1, 2, ...testCodes(200).map((_, i) => i % 10)], { draw: true, classNames: ['a', 'b'] });
  const widget = await openWidget(bundle['text/html'] as string, { screenshot: 'latent-explorer.png' });
  try {
    const { page } = widget;
    const id = await page.evaluate(() => Object.keys((window as unknown as { aeExplorers: object }).aeExplorers)[0]);
    const fromPage = await page.evaluate(({ id, probes }) => {
      const x = (window as unknown as { aeExplorers: Record<string, { decodeAt(a: number, b: number): Float64Array }> }).aeExplorers[id];
      return probes.map(([a, b]) => Array.from(x.decodeAt(a, b)));
    }, { id, probes });
    fromPage.forEach((image, i) => {
      const worst = Math.max(...image.map((v, j) => Math.abs(v - decoded[i][j])));
      assert.ok(worst < 1e-5, `decoded image ${i} differs by ${worst}`);
    });
    const encoded = await page.evaluate(({ id, pixels }) => {
      const x = (window as unknown as { aeExplorers: Record<string, { setInk(p: number[]): Float64Array }> }).aeExplorers[id];
      return pixels.map((p) => Array.from(x.setInk(p)));
    }, { id, pixels });
    encoded.forEach((code, i) => assert.ok(Math.abs(code[0] - codes[i][0]) < 1e-5 && Math.abs(code[1] - codes[i][1]) < 1e-5, `code ${i}`));
    const picture = () => page.evaluate((id) => {
      const x = (window as unknown as { aeExplorers: Record<string, { imageCanvas: HTMLCanvasElement }> }).aeExplorers[id];
      return x.imageCanvas.toDataURL();
    }, id);
    const canvas = page.locator('.ae-latent-explorer canvas').first();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + 20);
    const first = await picture();
    await page.mouse.move(box.x + box.width - 20, box.y + box.height - 20);
    assert.notEqual(await picture(), first, 'moving the pointer changes the decoded image');
    const cursor = () => page.evaluate((id) => (window as unknown as { aeExplorers: Record<string, { cursor(): number[] }> }).aeExplorers[id].cursor(), id);
    const before = await cursor();
    await canvas.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    const after = await cursor();
    assert.ok(after[0] < before[0] && after[1] > before[1], 'the arrow keys move the cursor');
    assert.equal(await page.locator('.ae-static').isVisible(), false, 'the static picture is hidden once the script runs');
    assert.deepEqual(widget.errors, []);
    assert.deepEqual(widget.requests, [], 'no network requests');
  } finally {
    await widget.close();
    images.dispose();
    model.dispose();
  }
});

test('without scripts the explorer shows its static picture and says how to get the interactive one', { skip: skipWithoutChromium, timeout: 60_000 }, async () => {
  await useBackend('cpu');
  const model = denseAutoencoder({ hidden: [32], code: 2, codeActivation: 'linear', seed: 2 });
  const bundle = latentExplorerBundle(model, testCodes(50), testCodes(50).map(() => 0));
  const widget = await openWidget(bundle['text/html'] as string, { scripts: false, screenshot: 'latent-explorer-static.png' });
  try {
    assert.equal(await widget.page.locator('.ae-static img').isVisible(), true);
    assert.match(await widget.page.locator('.ae-static').innerText(), /Trust Notebook/);
    assert.equal(await widget.page.locator('canvas').count(), 0);
  } finally {
    await widget.close();
    model.dispose();
  }
});
