import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Autoencoder } from '../../src/models/autoencoder';
import { denseAutoencoder, overcompleteAutoencoder } from '../../src/models/dense';
import { checkModelBasics, ModelCase, useBackend } from '../helpers';

const CASES: ModelCase[] = [
  { name: 'dense', make: () => denseAutoencoder({ hidden: [64], code: 16, seed: 1 }), layout: 'flat', code: 16 },
  { name: 'dense, tied weights', make: () => denseAutoencoder({ hidden: [64], code: 16, tiedWeights: true, seed: 1 }), layout: 'flat', code: 16 },
  { name: 'dense bce', make: () => denseAutoencoder({ hidden: [64], code: 16, loss: 'bce', seed: 1 }), layout: 'flat', code: 16 },
  { name: 'overcomplete', make: () => overcompleteAutoencoder({ code: 900, seed: 1 }), layout: 'flat', code: 900, learningRate: 1e-4 },
  { name: 'contractive', make: () => denseAutoencoder({ hidden: [], code: 32, codeActivation: 'sigmoid', penalties: [{ type: 'contractive', lambda: 1e-3 }], seed: 1 }), layout: 'flat', code: 32 },
  { name: 'L1 activity', make: () => denseAutoencoder({ hidden: [], code: 128, penalties: [{ type: 'activity', l1: 1e-4 }], seed: 1 }), layout: 'flat', code: 128 },
  { name: 'KL sparse', make: () => denseAutoencoder({ hidden: [], code: 128, codeActivation: 'sigmoid', penalties: [{ type: 'klSparsity', rho: 0.05, beta: 0.01 }], seed: 1 }), layout: 'flat', code: 128 },
  { name: 'k-sparse', make: () => denseAutoencoder({ hidden: [], code: 128, codeActivation: 'linear', kSparse: 10, seed: 1 }), layout: 'flat', code: 128 },
  { name: 'threshold code', make: () => denseAutoencoder({ hidden: [], code: 128, codeActivation: 'linear', codeThreshold: 0.5, seed: 1 }), layout: 'flat', code: 128 },
];

for (const c of CASES) {
  test(`${c.name}: shapes, finite non-negative loss, no leaks, and a few steps lower the loss`, () => checkModelBasics(c));
}

test('seeded models are reproducible; other seeds differ', async () => {
  await useBackend('cpu');
  const weights = (ae: Autoencoder) => Array.from(ae.encoder.layers[0].weights.kernel.dataSync().slice(0, 20));
  const a = denseAutoencoder({ seed: 7 });
  const b = denseAutoencoder({ seed: 7 });
  const c = denseAutoencoder({ seed: 8 });
  assert.deepEqual(weights(a), weights(b));
  assert.notDeepEqual(weights(a), weights(c));
  [a, b, c].forEach((m) => m.dispose());
});

test('the name gives the widths, mirrored, and what is special about the model', async () => {
  await useBackend('cpu');
  const models = [
    denseAutoencoder({ hidden: [64], code: 16 }),
    denseAutoencoder({ hidden: [], code: 8, tiedWeights: true, kSparse: 3 }),
    denseAutoencoder({ inputSize: 20, hidden: [12, 6], code: 4, codeThreshold: 0.5 }),
  ];
  assert.deepEqual(models.map((m) => m.name), ['dense 784-64-16-64-784', 'dense 784-8-784, tied, 3-sparse', 'dense 20-12-6-4-6-12-20, threshold 0.5']);
  assert.deepEqual(models.map((m) => [m.inputShape, m.codeSize]), [[[784], 16], [[784], 8], [[20], 4]]);
  models.forEach((m) => m.dispose());
});

test('bad dense options are refused by name', () => {
  assert.throws(() => denseAutoencoder({ code: 0 }), /denseAutoencoder: code must be a whole number > 0, got 0/);
  assert.throws(() => denseAutoencoder({ hidden: [64, -1] }), /hidden\[1\] must be a whole number > 0/);
  assert.throws(() => denseAutoencoder({ activation: 'swish' as never }), /activation must be one of linear, relu, sigmoid, tanh, elu/);
  assert.throws(() => denseAutoencoder({ loss: 'bce', outputActivation: 'linear' }), /loss 'bce' needs outputActivation 'sigmoid'/);
  assert.throws(() => denseAutoencoder({ codeSize: 3 } as never), /unknown option 'codeSize'/);
  assert.throws(() => denseAutoencoder({ code: 8, kSparse: 9 }), /kSparse \(9\) cannot exceed code \(8\)/);
  assert.throws(() => overcompleteAutoencoder({ code: 100 }), /must be wider than inputSize/);
  // Moved from the tied-weights and threshold-code tests (they are checks of this factory's options).
  assert.throws(() => denseAutoencoder({ tiedWeights: 'yes' as never }), /tiedWeights must be true or false/);
  assert.throws(() => denseAutoencoder({ kSparse: 3, codeThreshold: 1 }), /kSparse or codeThreshold, not both/);
  // Added: the other checks of denseAutoencoder.
  assert.throws(() => denseAutoencoder({ hidden: 64 as never }), /denseAutoencoder: hidden must be an array of widths, e.g. \[256\], got 64/);
  assert.throws(() => denseAutoencoder({ codeThreshold: -0.5 }), /codeThreshold must be a number ≥ 0, got -0.5/);
  assert.throws(() => denseAutoencoder({ seed: 1.5 }), /seed must be a whole number, got 1.5/);
  assert.throws(() => denseAutoencoder({ loss: 'l1' as never }), /loss must be one of bce, mse, got 'l1'/);
});
