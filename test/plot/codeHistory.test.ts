import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { variationalAutoencoder } from '../../src/models/vae';
import { codeHistoryBundle, recordCodes, robustRange } from '../../src/plot/codeHistory';
import { train } from '../../src/train/train';
import { useBackend } from '../helpers';
import { openWidget, skipWithoutChromium } from './widgetPage';

test('recordCodes keeps a bounded set of codes per epoch, passes the other hooks on, and leaks nothing', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const vae = variationalAutoencoder({ hidden: [16], latent: 2, seed: 1 });
  const x = tf.randomUniform([64, 784], 0, 1, 'float32', 2);
  const codes = recordCodes(vae, x, { maxPoints: 20 });
  let epochsSeen = 0;
  await train(vae, x, { epochs: 3, batchSize: 32, seed: 1, callbacks: [codes, { onEpochEnd: () => { epochsSeen++; } }] });
  assert.deepEqual(codes.frames.map((f) => f.epoch), [0, 1, 2, 3]);
  assert.ok(codes.frames.every((f) => f.codes.length === 20 && f.codes.every((c) => c.length === 2)));
  assert.notDeepEqual(codes.frames[0].codes, codes.frames[3].codes, 'training moves the codes');
  assert.equal(epochsSeen, 3, 'the other hooks still run');
  const bundle = codeHistoryBundle(codes.frames, Array.from({ length: 64 }, (_, i) => i % 10));
  assert.match(bundle['text/html'] as string, /after epochs 0, 1, 3/);
  assert.throws(() => codeHistoryBundle([], [0]), /no epochs recorded/);
  codes.dispose();
  x.dispose();
  vae.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('in Chromium the slider steps through the epochs', { skip: skipWithoutChromium, timeout: 60_000 }, async () => {
  const frames = [0, 1, 2].map((epoch) => ({ epoch, codes: [[epoch, 0], [0, epoch], [1, 1]] }));
  const widget = await openWidget(codeHistoryBundle(frames, [0, 1, 2])['text/html'] as string, { screenshot: 'code-history.png' });
  try {
    const label = widget.page.locator('.ae-code-history span[data-epoch]');
    assert.equal(await label.innerText(), 'epoch 2', 'starts at the last epoch');
    await widget.page.locator('.ae-code-history input[type=range]').focus();
    await widget.page.keyboard.press('Home');
    assert.equal(await label.innerText(), 'epoch 0');
    await widget.page.keyboard.press('ArrowRight');
    assert.equal(await label.innerText(), 'epoch 1');
    assert.deepEqual(widget.errors, []);
  } finally {
    await widget.close();
  }
});

test('the plane holds the central codes of every epoch; one far code does not squeeze the rest', async () => {
  const points = Array.from({ length: 200 }, (_, i) => [Math.sin(i), Math.cos(i)]);
  const [x0, x1, y0, y1] = robustRange([...points, [500, -500]]);
  assert.ok(x0 > -1.5 && x1 < 1.5 && y0 > -1.5 && y1 < 1.5, `range ${[x0, x1, y0, y1]}`);
});
