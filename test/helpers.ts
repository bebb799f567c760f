/** Shared by the tests: quiet backend set-up, a finite-difference gradient check, and the checks every model gets. */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { BackendName, setupBackend } from '../src/backend';
import { loadFashionMnist } from '../src/data/fashionMnist';
import { disposeDataset } from '../src/data/imageDataset';
import type { TrainableModel } from '../src/models/model';
import { train } from '../src/train/train';

export async function useBackend(backend: BackendName = 'cpu'): Promise<void> {
  await setupBackend({ force: backend, log: () => {} });
}

/**
 * Compares the autodiff gradient of `loss` with respect to `variable` against central finite
 * differences at a few entries. Returns the largest relative error.
 */
export function gradientCheck(loss: () => tf.Scalar, variable: tf.Variable, entries: number[], step = 1e-2): number {
  const { grads } = tf.variableGrads(loss, [variable]);
  const analytic = grads[variable.name].dataSync();
  tf.dispose(grads);
  const original = variable.dataSync().slice();
  let worst = 0;
  for (const i of entries) {
    const at = (delta: number) => {
      const values = original.slice();
      values[i] += delta;
      variable.assign(tf.tensor(values, variable.shape));
      return tf.tidy(() => loss().dataSync()[0]);
    };
    const numeric = (at(step) - at(-step)) / (2 * step);
    const error = Math.abs(numeric - analytic[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[i]));
    worst = Math.max(worst, error);
  }
  variable.assign(tf.tensor(original, variable.shape));
  return worst;
}

/** A few entries spread over a variable. */
export function someEntries(size: number, count = 6): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * size) / count));
}

/** A model for checkModelBasics: how to build it, the data layout it takes and its code width. */
export interface ModelCase {
  name: string;
  make: () => TrainableModel;
  layout: 'flat' | 'image';
  code: number;
  learningRate?: number;
}

/**
 * What STYLE.md ("Tests") asks of every model: output and code shapes,
 * finite non-negative loss terms, no tensors left behind, and a few steps on a tiny batch lower
 * the loss. On wasm, on 128 shipped Fashion-MNIST images.
 */
export async function checkModelBasics(c: ModelCase): Promise<void> {
  await useBackend('wasm');
  const atStart = tf.memory().numTensors;
  const data = loadFashionMnist({ limit: 128, layout: c.layout });
  const x = data.train.x;
  const model = c.make();
  const encoder = model as unknown as { encode(x: tf.Tensor): tf.Tensor };
  const five = x.slice(0, 5);
  const before = tf.memory().numTensors;
  const code = encoder.encode(five);
  assert.deepEqual(code.shape, [5, c.code]);
  const output = model.reconstruct(five);
  assert.deepEqual(output.shape, [5, ...x.shape.slice(1)]);
  tf.dispose([code, output]);
  const terms = model.lossTerms(x, x, { seed: 1, training: true });
  for (const [name, value] of Object.entries(terms)) {
    const v = value.dataSync()[0];
    assert.ok(Number.isFinite(v) && v >= 0, `${name} = ${v}`);
  }
  tf.dispose(Object.values(terms));
  assert.equal(tf.memory().numTensors, before, 'encode, reconstruct and lossTerms leave no tensors behind');
  five.dispose();
  const history = await train(model, x, { epochs: 6, batchSize: 32, learningRate: c.learningRate ?? 3e-3, seed: 2 });
  const first = history.rows[0].total;
  const last = history.rows[history.rows.length - 1].total;
  assert.ok(last < first, `loss fell from ${first} to ${last}`);
  model.dispose();
  disposeDataset(data);
  assert.equal(tf.memory().numTensors, atStart, 'dispose frees every weight');
}
