import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { linkNative, NativeVariant } from '../../src/backend/wasmNative';
import { lstmFused, lstmSequence, lstmSequenceOfRepeated, lstmSequenceStepByStep, LstmWeights, repeatSteps } from '../../src/models/lstm';
import { useBackend } from '../helpers';

/** Seeded weights for an LSTM of `units` on `inputs`, large enough that every gate saturates somewhere. */
function weights(inputs: number, units: number, seed: number): LstmWeights {
  return {
    kernel: tf.randomNormal([inputs, 4 * units], 0, 0.8, 'float32', seed),
    recurrentKernel: tf.randomNormal([units, 4 * units], 0, 0.8, 'float32', seed + 1),
    bias: tf.randomNormal([4 * units], 0, 0.5, 'float32', seed + 2),
  };
}

function largestGap(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);
}

/** The largest entry of |a|, the scale gaps are measured against. */
function size(a: tf.Tensor): number {
  return tf.tidy(() => a.abs().max().dataSync()[0]);
}

// Units not a multiple of 4 or 8, a batch not of 4, and one step, exercise every edge of the kernel's blocks.
const SHAPES: { batch: number; steps: number; inputs: number; units: number }[] = [
  { batch: 5, steps: 7, inputs: 3, units: 3 },
  { batch: 1, steps: 1, inputs: 1, units: 1 },
  { batch: 9, steps: 12, inputs: 1, units: 8 },
  { batch: 16, steps: 20, inputs: 8, units: 32 },
  { batch: 6, steps: 5, inputs: 2, units: 13 },
];
const VARIANTS: NativeVariant[] = ['simd', 'relaxed-simd'];

for (const variant of VARIANTS) {
  test(`lstmSequence on wasm (${variant}): our module's states and gradients are the steps written out, within float32 rounding`, async () => {
    await useBackend('wasm');
    linkNative(tf.backend(), variant);
    try {
      for (const [n, { batch, steps, inputs, units }] of SHAPES.entries()) {
        const where = `batch ${batch}, ${steps} steps, ${inputs} inputs, ${units} units`;
        const before = tf.memory().numTensors;
        const x = tf.randomNormal([batch, steps, inputs], 0, 1.5, 'float32', 100 + n) as tf.Tensor3D;
        const w = weights(inputs, units, 10 * n);
        const weightsOf = [w.kernel, w.recurrentKernel, w.bias].map((t) => tf.variable(t));
        const [kernel, recurrentKernel, bias] = weightsOf;
        // A loss that weighs every state differently, so that every step's gradient matters.
        const scale = tf.randomNormal([batch, steps, units], 0, 1, 'float32', 200 + n);
        const run = (sequence: typeof lstmSequence) => {
          const states = tf.tidy(() => sequence(x, { kernel, recurrentKernel, bias }));
          const { value, grads } = tf.variableGrads(() => sequence(x, { kernel, recurrentKernel, bias }).mul(scale).sum() as tf.Scalar, weightsOf);
          // (tfjs cannot take the gradient through unstack into a single step, so one step skips the input's.)
          const dx = steps > 1 ? [tf.grad((input: tf.Tensor) => sequence(input as tf.Tensor3D, { kernel, recurrentKernel, bias }).mul(scale).sum())(x)] : [];
          return { states, value, grads: [...weightsOf.map((v) => grads[v.name]), ...dx] };
        };
        assert.equal(lstmFused(x), true);
        const fused = run(lstmSequence);
        const steps_ = run(lstmSequenceStepByStep);
        assert.deepEqual(fused.states.shape, [batch, steps, units]);
        assert.ok(largestGap(fused.states, steps_.states) <= 5e-6, `${where}: states differ by ${largestGap(fused.states, steps_.states)}`);
        const names = ['kernel', 'recurrentKernel', 'bias', 'input'];
        fused.grads.forEach((g, k) => {
          const gap = largestGap(g, steps_.grads[k]);
          assert.ok(gap <= 2e-5 * Math.max(1, size(steps_.grads[k])), `${where}: the ${names[k]} gradient differs by ${gap} (largest ${size(steps_.grads[k])})`);
        });
        tf.dispose([x, scale, w.kernel, w.recurrentKernel, w.bias, weightsOf, fused.states, fused.value, fused.grads, steps_.states, steps_.value, steps_.grads]);
        assert.equal(tf.memory().numTensors, before, `${where}: tensors leaked`);
      }
    } finally {
      linkNative(tf.backend(), 'relaxed-simd');
    }
  });
}

test('lstmSequence: a plausible slip in the kernel would fail the comparison (gates swapped)', async () => {
  // The comparison above must reject a wrong LSTM: the steps written out with the forget and
  // input gates' columns swapped give states far outside its tolerance.
  await useBackend('wasm');
  const x = tf.randomNormal([4, 6, 2], 0, 1.5, 'float32', 7) as tf.Tensor3D;
  const w = weights(2, 4, 3);
  const swap = (t: tf.Tensor) => tf.concat([t.slice([0, 4], [-1, 4]), t.slice([0, 0], [-1, 4]), t.slice([0, 8], [-1, 8])], 1);
  const swapped = { kernel: swap(w.kernel), recurrentKernel: swap(w.recurrentKernel), bias: swap(w.bias.reshape([1, 16])).reshape([16]) };
  const gap = largestGap(lstmSequence(x, w), lstmSequenceStepByStep(x, swapped));
  assert.ok(gap > 1e-2, `swapping two gates changed the states by only ${gap}`);
});

test('lstmSequence on cpu and with our module switched off: the steps written out', async () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    if (backend === 'wasm') linkNative(tf.backend(), 'off');
    try {
      const x = tf.randomNormal([3, 4, 2], 0, 1, 'float32', 5) as tf.Tensor3D;
      const w = weights(2, 5, 1);
      assert.equal(lstmFused(x), false);
      assert.equal(largestGap(lstmSequence(x, w), lstmSequenceStepByStep(x, w)), 0);
    } finally {
      if (backend === 'wasm') linkNative(tf.backend(), 'relaxed-simd');
    }
  }
});

for (const variant of VARIANTS) {
  test(`lstmSequenceOfRepeated on wasm (${variant}): the input taken once gives lstmSequence of the repeated input, states and gradients`, async () => {
    await useBackend('wasm');
    linkNative(tf.backend(), variant);
    try {
      for (const [batch, steps, inputs, units] of [[5, 7, 3, 3], [9, 12, 8, 32], [2, 1, 2, 5]]) {
        const before = tf.memory().numTensors;
        const x = tf.randomNormal([batch, inputs], 0, 1.5, 'float32', batch) as tf.Tensor2D;
        const w = weights(inputs, units, steps);
        const weightsOf = [w.kernel, w.recurrentKernel, w.bias].map((t) => tf.variable(t));
        const [kernel, recurrentKernel, bias] = weightsOf;
        const scale = tf.randomNormal([batch, steps, units], 0, 1, 'float32', 9);
        const run = (sequence: (input: tf.Tensor2D) => tf.Tensor3D) => {
          const states = tf.tidy(() => sequence(x));
          const { value, grads } = tf.variableGrads(() => sequence(x).mul(scale).sum() as tf.Scalar, weightsOf);
          const dx = tf.grad((input: tf.Tensor) => sequence(input as tf.Tensor2D).mul(scale).sum())(x);
          return { states, value, grads: [...weightsOf.map((v) => grads[v.name]), dx] };
        };
        const once = run((input) => lstmSequenceOfRepeated(input, steps, { kernel, recurrentKernel, bias }));
        const repeated = run((input) => lstmSequence(repeatSteps(input, steps), { kernel, recurrentKernel, bias }));
        const where = `batch ${batch}, ${steps} steps, ${inputs} inputs, ${units} units`;
        assert.ok(largestGap(once.states, repeated.states) <= 1e-6, `${where}: states differ by ${largestGap(once.states, repeated.states)}`);
        ['kernel', 'recurrentKernel', 'bias', 'input'].forEach((name, k) => {
          const gap = largestGap(once.grads[k], repeated.grads[k]);
          assert.ok(gap <= 1e-5 * Math.max(1, size(repeated.grads[k])), `${where}: the ${name} gradient differs by ${gap}`);
        });
        tf.dispose([x, scale, w.kernel, w.recurrentKernel, w.bias, weightsOf, once.states, once.value, once.grads, repeated.states, repeated.value, repeated.grads]);
        assert.equal(tf.memory().numTensors, before, `${where}: tensors leaked`);
      }
    } finally {
      linkNative(tf.backend(), 'relaxed-simd');
    }
  });
}

test('lstmSequence leaves no tensors behind outside a tidy, on either path', async () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const x = tf.randomNormal([3, 4, 2], 0, 1, 'float32', 5) as tf.Tensor3D;
    const w = weights(2, 5, 1);
    const before = tf.memory().numTensors;
    const states = [lstmSequence(x, w), lstmSequenceOfRepeated(x.slice([0, 0, 0], [3, 1, 2]).reshape([3, 2]) as tf.Tensor2D, 4, w)];
    // The two results, and the slice and reshape made for the second's input: nothing else.
    assert.equal(tf.memory().numTensors, before + 4, backend);
    tf.dispose([x, states, w.kernel, w.recurrentKernel, w.bias]);
  }
});
