import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { lstmAutoencoder } from '../../src/models/lstmAutoencoder';
import { lstmStep } from '../../src/models/layers';
import { useBackend } from '../helpers';
import { checkSequenceModel, checkSequenceSaveLoad } from './sequence.shared';

for (const backend of ['wasm', 'cpu'] as const) {
  test(`lstm (${backend}): shapes, finite non-negative loss, no leaks, and a few steps lower the loss`, () =>
    checkSequenceModel(backend, () => lstmAutoencoder({ steps: 16, code: 4, hidden: 8, seed: 1 }), 16, 4));
}

test('lstm: the code is the encoder\'s state after the last step, from lstmStep written out', async () => {
  await useBackend('cpu');
  const ae = lstmAutoencoder({ steps: 5, channels: 2, code: 3, hidden: 4, seed: 3 });
  assert.equal(ae.name, 'LSTM 5 steps, code 3');
  const x = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 4);
  const w = ae.encoder.layers[0].weights;
  const byHand = tf.tidy(() => {
    let h: tf.Tensor = tf.zeros([2, 3]);
    let c: tf.Tensor = tf.zeros([2, 3]);
    for (let t = 0; t < 5; t++) {
      ({ h, c } = lstmStep(x.slice([0, t, 0], [2, 1, 2]).reshape([2, 2]), h, c,
        { kernel: w.kernel, recurrentKernel: w.recurrentKernel, bias: w.bias }));
    }
    return h;
  });
  // The same step written with plain arithmetic: z = xW + hU + b, gates i, f, g, o.
  const code = ae.encode(x);
  assert.ok(tf.tidy(() => code.sub(byHand).abs().max().dataSync()[0]) < 1e-6);
  const bias = w.bias.dataSync();
  assert.deepEqual(Array.from(bias), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0], 'forget-gate bias starts at 1');
  const out = ae.reconstruct(x);
  assert.deepEqual(out.shape, [2, 5, 2]);
  const shapes = tf.tidy(() => {
    const seen: number[][] = [];
    ae.decoder.layers.reduce((v, layer) => { const y = layer.apply(v); seen.push(y.shape); return y; }, code as tf.Tensor);
    return seen;
  });
  assert.deepEqual(shapes, [[2, 5, 3], [2, 5, 4], [2, 5, 2]]);
  tf.dispose([x, byHand, code, out]);
  ae.dispose();
});

test('lstmStep matches the LSTM equations computed by hand for one unit', async () => {
  await useBackend('cpu');
  const s = (v: number) => 1 / (1 + Math.exp(-v));
  const [kernel, recurrentKernel, bias] = [tf.tensor2d([[0.1, 0.2, 0.3, 0.4]]), tf.tensor2d([[0.5, -0.5, 0.25, -0.25]]), tf.tensor1d([0, 1, 0, 0])];
  const { h, c } = lstmStep(tf.tensor2d([[2]]), tf.tensor2d([[0.5]]), tf.tensor2d([[-1]]), { kernel, recurrentKernel, bias });
  const z = [0.2 + 0.25, 0.4 - 0.25 + 1, 0.6 + 0.125, 0.8 - 0.125];
  const cWant = s(z[1]) * -1 + s(z[0]) * Math.tanh(z[2]);
  assert.ok(Math.abs(c.dataSync()[0] - cWant) < 1e-6);
  assert.ok(Math.abs(h.dataSync()[0] - s(z[3]) * Math.tanh(cWant)) < 1e-6);
  tf.dispose([kernel, recurrentKernel, bias, h, c]);
});

test('bad lstm options are refused by name', () => {
  assert.throws(() => lstmAutoencoder({ steps: 0 }), /lstmAutoencoder: steps must be a whole number > 0, got 0/);
  assert.throws(() => lstmAutoencoder({ code: 2.5 }), /lstmAutoencoder: code must be a whole number > 0, got 2.5/);
  assert.throws(() => lstmAutoencoder({ hidden: -1 }), /hidden must be a whole number > 0/);
  assert.throws(() => lstmAutoencoder({ seed: 0.5 }), /seed must be a whole number/);
  assert.throws(() => lstmAutoencoder({ units: 4 } as never), /lstmAutoencoder: unknown option 'units'/);
});

test('an LSTM auto-encoder is saved and loaded like every model', () =>
  checkSequenceSaveLoad(() => lstmAutoencoder({ steps: 16, code: 4, hidden: 8, seed: 2 }), 16));

// On wasm the encoder runs our module's whole-sequence kernel (../../src/models/lstm.ts); on cpu, lstmStep at each step.
for (const backend of ['cpu', 'wasm'] as const) {
  test(`the LSTM encoder gives the codes of TensorFlow.js's own LSTM layer with the same weights (an independent implementation), ${backend}`, async () => {
    await useBackend(backend);
    const ae = lstmAutoencoder({ steps: 7, channels: 2, code: 5, hidden: 4, seed: 11 });
    const w = ae.encoder.layers[0].weights;
    // tf.layers.lstm keeps the gates in the same order (input, forget, candidate, output); its
    // default recurrent activation is hardSigmoid, so ask for the sigmoid.
    const reference = tf.layers.lstm({ units: 5, recurrentActivation: 'sigmoid', returnSequences: false, inputShape: [7, 2] });
    const x = tf.randomNormal([3, 7, 2], 0, 1, 'float32', 12);
    reference.apply(x); // builds its weights
    reference.setWeights([w.kernel, w.recurrentKernel, w.bias]);
    const gap = tf.tidy(() => ae.encode(x).sub(reference.apply(x) as tf.Tensor).abs().max().dataSync()[0]);
    assert.ok(gap < 1e-6, `largest difference ${gap}`);
    // A wrong gate order would not pass: swap the forget and output blocks of the bias.
    const [i, f, g, o] = tf.split(w.bias, 4);
    reference.setWeights([w.kernel, w.recurrentKernel, tf.concat([i, o, g, f])]);
    const swapped = tf.tidy(() => ae.encode(x).sub(reference.apply(x) as tf.Tensor).abs().max().dataSync()[0]);
    assert.ok(swapped > 1e-3, `a swapped gate order differs by ${swapped}`);
    reference.dispose();
    tf.dispose([x, i, f, g, o]);
    ae.dispose();
  });
}
