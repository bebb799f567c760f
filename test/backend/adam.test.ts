import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { FusedAdam } from '../../src/backend/adam';
import { useBackend } from '../helpers';

/** Runs `steps` Adam steps on a small least-squares problem and returns the weights. */
function run(optimizer: tf.Optimizer, steps: number, seed: number): { w: Float32Array; b: Float32Array; tensors: number[] } {
  const w = tf.variable(tf.randomNormal([5, 3], 0, 1, 'float32', seed));
  const b = tf.variable(tf.zeros([3]));
  const x = tf.randomNormal([16, 5], 0, 1, 'float32', seed + 1);
  const y = tf.randomNormal([16, 3], 0, 1, 'float32', seed + 2);
  const tensors: number[] = [];
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      optimizer.minimize(() => tf.matMul(x, w).add(b).sub(y).square().mean() as tf.Scalar, false, [w, b]);
    });
    tensors.push(tf.memory().numTensors);
  }
  const out = { w: w.dataSync() as Float32Array, b: b.dataSync() as Float32Array, tensors };
  tf.dispose([w, b, x, y]);
  return out;
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`FusedAdam follows tf.train.adam step for step on ${backend}`, async () => {
    await useBackend(backend);
    for (const learningRate of [1e-3, 0.05]) {
      const reference = run(tf.train.adam(learningRate), 30, 3);
      const ours = run(new FusedAdam(learningRate), 30, 3);
      const start = run(new FusedAdam(learningRate), 0, 3);
      let moved = 0;
      reference.w.forEach((v, i) => {
        assert.ok(Math.abs(ours.w[i] - v) < 1e-5, `lr ${learningRate} w[${i}]: ${ours.w[i]} vs ${v}`);
        moved = Math.max(moved, Math.abs(v - start.w[i]));
      });
      reference.b.forEach((v, i) => assert.ok(Math.abs(ours.b[i] - v) < 1e-5, `lr ${learningRate} b[${i}]: ${ours.b[i]} vs ${v}`));
      // On wasm our module follows tfjs's float32 operations one for one: the same bits.
      if (backend === 'wasm') assert.deepEqual(Array.from(ours.w), Array.from(reference.w));
      assert.ok(moved > learningRate, `the weights moved (${moved})`);
      assert.ok(ours.tensors.every((n) => n === ours.tensors[0]), `tensor count flat: ${ours.tensors}`);
    }
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`FusedAdam never writes into the buffer a clone of the variable shares (${backend})`, async () => {
    await useBackend(backend);
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const saved = tf.clone(w);
    const optimizer = new FusedAdam(0.1);
    tf.tidy(() => {
      optimizer.minimize(() => w.square().sum() as tf.Scalar, false, [w]);
    });
    assert.deepEqual(Array.from(saved.dataSync()), [1, 2, 3]);
    assert.notDeepEqual(Array.from(w.dataSync()), [1, 2, 3]);
    optimizer.dispose();
    tf.dispose([w, saved]);
  });
}

test('on wasm the step runs in the heap: two moment tensors per variable, freed by dispose()', async () => {
  await useBackend('wasm');
  const w = tf.variable(tf.randomNormal([4, 3], 0, 1, 'float32', 9));
  const b = tf.variable(tf.zeros([3]));
  const before = tf.memory().numTensors;
  const optimizer = new FusedAdam(0.01);
  const step = () => tf.tidy(() => { optimizer.minimize(() => w.sum().add(b.square().sum()) as tf.Scalar, false, [w, b]); });
  step();
  assert.equal(tf.memory().numTensors, before + 4, 'm and v for each of the two variables');
  step();
  assert.equal(tf.memory().numTensors, before + 4, 'flat across steps');
  optimizer.dispose();
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([w, b]);
});

test('FusedAdam refuses bad hyper-parameters', async () => {
  await useBackend('cpu');
  assert.throws(() => new FusedAdam(Number.NaN), /learningRate must be a finite number/);
  assert.throws(() => new FusedAdam(0.01, -0.9), /beta1/);
});
