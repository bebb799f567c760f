/** Checks shared by the sequence models' tests (lstmAutoencoder, conv1dAutoencoder): STYLE.md's model checks on windows of a sine. */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { BackendName } from '../../src/backend';
import type { Autoencoder } from '../../src/models/autoencoder';
import { loadModel, saveModel } from '../../src/models/saving';
import { train } from '../../src/train/train';
import { useBackend } from '../helpers';

/** 48 noisy sine windows (N, steps, 1) with random phases. */
export function sineWindows(steps: number, seed = 1): tf.Tensor3D {
  return tf.tidy(() => {
    const phase = tf.randomUniform([48, 1], 0, 2 * Math.PI, 'float32', seed);
    const t = tf.range(0, steps).reshape([1, steps]).mul(0.3);
    const noise = tf.randomNormal([48, steps], 0, 0.05, 'float32', seed + 1);
    return tf.sin(t.add(phase)).add(noise).reshape([48, steps, 1]) as tf.Tensor3D;
  });
}

/** Output and code shapes, finite non-negative loss, no leaks, a few Adam steps lower the loss. */
export async function checkSequenceModel(backend: BackendName, make: () => Autoencoder, steps: number, code: number): Promise<void> {
  await useBackend(backend);
  const atStart = tf.memory().numTensors;
  const x = sineWindows(steps);
  const model = make();
  const five = x.slice(0, 5);
  const before = tf.memory().numTensors;
  const h = model.encode(five);
  assert.deepEqual(h.shape, [5, code]);
  const out = model.reconstruct(five);
  assert.deepEqual(out.shape, [5, steps, 1]);
  tf.dispose([h, out]);
  const terms = model.lossTerms(x, x, { seed: 1, training: true });
  for (const [name, value] of Object.entries(terms)) {
    const v = value.dataSync()[0];
    assert.ok(Number.isFinite(v) && v >= 0, `${name} = ${v}`);
  }
  tf.dispose(Object.values(terms));
  assert.equal(tf.memory().numTensors, before, 'encode, reconstruct and lossTerms leave no tensors behind');
  five.dispose();
  const history = await train(model, x, { epochs: 6, batchSize: 16, learningRate: 1e-2, seed: 2 });
  const first = history.rows[0].total;
  const last = history.rows[history.rows.length - 1].total;
  assert.ok(last < first, `${backend}: loss fell from ${first} to ${last}`);
  model.dispose();
  x.dispose();
  assert.equal(tf.memory().numTensors, atStart, 'dispose frees every weight');
}

/** Saved and loaded like every model: the loaded one rebuilds windows exactly as the saved one. */
export async function checkSequenceSaveLoad(make: () => Autoencoder, steps: number): Promise<void> {
  await useBackend('cpu');
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ae-seq-')), 'model');
  const model = make();
  await saveModel(model, dir);
  const loaded = (await loadModel(dir)) as Autoencoder;
  const x = sineWindows(steps);
  const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(model.reconstruct(x), loaded.reconstruct(x)))).dataSync()[0]);
  assert.equal(difference, 0, 'the loaded model rebuilds exactly as the saved one');
  assert.equal(loaded.name, model.name);
  tf.dispose(x);
  model.dispose();
  loaded.dispose();
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
}
