import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as vm from 'vm';
import * as tf from '@tensorflow/tfjs';
import { convAutoencoder } from '../../src/models/conv';
import { denseAutoencoder } from '../../src/models/dense';
import { variationalAutoencoder } from '../../src/models/vae';
import { PAGE_NETWORK_JS, pageNetwork, pageNetworkSize, toHalf } from '../../src/plot/pageNetwork';
import { useBackend } from '../helpers';

type PageRunner = { load(n: unknown): unknown; run(l: unknown, x: ArrayLike<number>): Float64Array };

/** The page's script, run as the page runs it (atob and all), in a fresh context. */
function pageRunner(): PageRunner {
  const context = vm.createContext({ atob: (b: string) => Buffer.from(b, 'base64').toString('latin1'), Float64Array, Uint8Array, DataView, Math });
  vm.runInContext(PAGE_NETWORK_JS, context);
  return (context as unknown as { aeNetwork: PageRunner }).aeNetwork;
}

function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

test('toHalf rounds to the nearest half-precision value', () => {
  assert.equal(toHalf(1), 0x3c00);
  assert.equal(toHalf(-2), 0xc000);
  assert.equal(toHalf(0.1), 0x2e66);
  assert.equal(toHalf(65504), 0x7bff, 'the largest half');
  assert.equal(toHalf(1e6), 0x7c00, 'too large: infinity');
  assert.equal(toHalf(2 ** -24), 0x0001, 'the smallest subnormal');
  assert.equal(toHalf(1e-9), 0, 'too small: zero');
});

test('the page decodes and encodes as the library does: dense auto-encoder (tied and not) and VAE, to 1e-5', async () => {
  await useBackend('cpu');
  const page = pageRunner();
  const before = tf.memory().numTensors;
  for (const tiedWeights of [false, true]) {
    const model = denseAutoencoder({ hidden: [64, 16], code: 2, codeActivation: 'linear', tiedWeights, seed: 3 });
    const codes = tf.tensor2d([[0, 0], [1.5, -2], [-3, 0.25]]);
    const library = model.decode(codes);
    const decoder = page.load(pageNetwork([model.decoder]));
    const expected = library.arraySync() as number[][];
    codes.arraySync().forEach((code, i) => assert.ok(largestDifference(page.run(decoder, code), expected[i]) < 1e-5, `decoder, tied ${tiedWeights}`));
    const images = tf.randomUniform([2, 784], 0, 1, 'float32', 5);
    const encoded = tf.tidy(() => model.encode(images).arraySync() as number[][]);
    const encoder = page.load(pageNetwork([model.encoder]));
    (images.arraySync() as number[][]).forEach((image, i) => assert.ok(largestDifference(page.run(encoder, image), encoded[i]) < 1e-5, 'encoder'));
    tf.dispose([codes, library, images]);
    model.dispose();
  }
  const vae = variationalAutoencoder({ hidden: [400], latent: 2, seed: 4 });
  const images = tf.randomUniform([2, 784], 0, 1, 'float32', 6);
  const means = tf.tidy(() => vae.encode(images).arraySync() as number[][]);
  const encoder = page.load(pageNetwork([vae.body, vae.meanHead]));
  (images.arraySync() as number[][]).forEach((image, i) => assert.ok(largestDifference(page.run(encoder, image), means[i]) < 1e-5, 'VAE mean'));
  const decoded = tf.tidy(() => vae.decode(tf.tensor2d([means[0]])).arraySync() as number[][]);
  assert.ok(largestDifference(page.run(page.load(pageNetwork([vae.decoder])), means[0]), decoded[0]) < 1e-5, 'VAE decoder');
  images.dispose();
  vae.dispose();
  assert.equal(tf.memory().numTensors, before, 'nothing left: pageNetwork reads weights without keeping tensors');
});

test('float16 weights halve the bytes and stay close; conv stacks are refused by name', async () => {
  await useBackend('cpu');
  const page = pageRunner();
  const model = denseAutoencoder({ hidden: [256, 64], code: 2, codeActivation: 'linear', seed: 1 });
  const full = pageNetwork([model.decoder]);
  const half = pageNetwork([model.decoder], 'float16');
  assert.ok(Math.abs(pageNetworkSize(half) / pageNetworkSize(full) - 0.5) < 0.01);
  const a = page.run(page.load(full), [1, -1]);
  const b = page.run(page.load(half), [1, -1]);
  const error = largestDifference(a, b);
  assert.ok(error > 0 && error < 1e-2, `float16 changes the image a little: ${error}`);
  assert.throws(() => pageNetwork([model.decoder], 'float64' as never), /precision must be 'float32' or 'float16'/);
  model.dispose();
  const conv = convAutoencoder({ seed: 1 });
  assert.throws(() => pageNetwork([conv.decoder]), /has a conv2dTranspose layer|has a dense layer|page runs dense layers only/);
  conv.dispose();
});
