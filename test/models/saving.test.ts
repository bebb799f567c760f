import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { convAutoencoder } from '../../src/models/conv';
import { denseAutoencoder } from '../../src/models/dense';
import { Autoencoder } from '../../src/models/autoencoder';
import { Decoder, Encoder } from '../../src/models/parts';
import { loadDecoder, loadEncoder, loadModel, saveModel } from '../../src/models/saving';
import { variationalAutoencoder, VariationalAutoencoder } from '../../src/models/vae';
import { train } from '../../src/train/train';
import { useBackend } from '../helpers';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ae-save-'));

function same(a: tf.Tensor, b: tf.Tensor): boolean {
  return tf.tidy(() => a.shape.join() === b.shape.join() && a.sub(b).abs().max().dataSync()[0] === 0);
}

test('save → load → predict gives identical outputs (dense, k-sparse, conv, VAE)', async () => {
  await useBackend('cpu');
  const x = tf.randomUniform([4, 784], 0, 1, 'float32', 1);
  const images = x.reshape([4, 28, 28, 1]);
  const dir = tempDir();
  for (const [name, model, input] of [
    ['dense', denseAutoencoder({ code: 8, seed: 1 }), x],
    ['tied', denseAutoencoder({ code: 8, tiedWeights: true, seed: 6 }), x],
    ['ksparse', denseAutoencoder({ hidden: [], code: 64, codeActivation: 'linear', kSparse: 5, penalties: [{ type: 'activity', l1: 0.1 }], seed: 2 }), x],
    ['conv', convAutoencoder({ code: 8, seed: 3 }), images],
  ] as const) {
    await train(model, input, { epochs: 1, batchSize: 4 });
    await saveModel(model, path.join(dir, name));
    const loaded = (await loadModel(path.join(dir, name))) as Autoencoder;
    assert.ok(loaded instanceof Autoencoder);
    assert.deepEqual(loaded.config, JSON.parse(JSON.stringify(model.config)));
    const [a, b] = [model.reconstruct(input), loaded.reconstruct(input)];
    assert.ok(same(a, b), `${name}: identical reconstructions`);
    tf.dispose([a, b]);
    loaded.dispose();
    model.dispose();
  }
  const vae = variationalAutoencoder({ hidden: [16], latent: 3, seed: 4 });
  await saveModel(vae, path.join(dir, 'vae'));
  const loadedVae = (await loadModel(path.join(dir, 'vae'))) as VariationalAutoencoder;
  assert.ok(loadedVae instanceof VariationalAutoencoder);
  const [c, d] = [vae.encode(x), loadedVae.encode(x)];
  assert.ok(same(c, d));
  tf.dispose([c, d]);
  vae.dispose();
  loadedVae.dispose();
  tf.dispose([x, images]);
});

test('keep only the encoder: it encodes like the trained model, alone and after reloading', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ code: 8, seed: 5 });
  const x = tf.randomUniform([6, 784], 0, 1, 'float32', 2);
  await train(ae, x, { epochs: 2, batchSize: 3 });
  const expected = ae.encode(x);
  const encoder = ae.encoderPart();
  const decoder = ae.decoderPart();
  ae.dispose(); // the parts hold their own copies
  const dir = tempDir();
  await saveModel(encoder, path.join(dir, 'encoder'));
  await saveModel(decoder, path.join(dir, 'decoder'));
  const loaded = await loadEncoder(path.join(dir, 'encoder'));
  assert.ok(loaded instanceof Encoder);
  const codes = loaded.encode(x);
  assert.ok(same(codes, expected));
  const loadedDecoder = await loadDecoder(path.join(dir, 'decoder'));
  assert.ok(loadedDecoder instanceof Decoder);
  assert.deepEqual(loadedDecoder.decode(codes).shape, [6, 784]);
  await assert.rejects(loadDecoder(path.join(dir, 'encoder')), /holds a Encoder, not a decoder/);
  tf.dispose([x, expected, codes]);
  [encoder, decoder, loaded, loadedDecoder].forEach((m) => m.dispose());
});

test('a missing, corrupt or truncated model directory gets a clear error', async () => {
  await useBackend('cpu');
  const dir = tempDir();
  await assert.rejects(loadModel(path.join(dir, 'nothing')), /No saved model in .*nothing \(model\.json is missing\)/);
  const ae = denseAutoencoder({ code: 4, hidden: [], seed: 1 });
  const target = path.join(dir, 'ae');
  await saveModel(ae, target);
  const weights = path.join(target, 'weights.bin');
  const bytes = fs.readFileSync(weights);
  fs.writeFileSync(weights, bytes.subarray(0, 100));
  await assert.rejects(loadModel(target), /weights\.bin holds 100 bytes but model\.json lists \d+: the file is truncated/);
  fs.rmSync(weights);
  await assert.rejects(loadModel(target), /weights\.bin is missing/);
  fs.writeFileSync(path.join(target, 'model.json'), '{"modelTopology": {');
  await assert.rejects(loadModel(target), /model\.json is not valid JSON/);
  fs.writeFileSync(path.join(target, 'model.json'), '{"modelTopology": {"format": "keras"}}');
  await assert.rejects(loadModel(target), /not a model saved by autoencoder-lessons/);
  ae.dispose();
});

test('saving is atomic: a second save replaces the first, and no temporary files remain', async () => {
  await useBackend('cpu');
  const dir = tempDir();
  const target = path.join(dir, 'model');
  const first = denseAutoencoder({ code: 4, hidden: [], seed: 1 });
  const second = denseAutoencoder({ code: 4, hidden: [], seed: 2 });
  await saveModel(first, target);
  await saveModel(second, target);
  assert.deepEqual(fs.readdirSync(dir), ['model']);
  const loaded = (await loadModel(target)) as Autoencoder;
  const x = tf.ones([1, 784]);
  const [a, b] = [second.reconstruct(x), loaded.reconstruct(x)];
  assert.ok(same(a, b));
  tf.dispose([x, a, b]);
  [first, second, loaded].forEach((m) => m.dispose());
});
