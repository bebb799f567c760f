import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { convAutoencoder } from '../../src/models/conv';
import { denseAutoencoder } from '../../src/models/dense';
import { countParameters } from '../../src/models/layers';
import { modelSummary } from '../../src/models/summary';
import { variationalAutoencoder } from '../../src/models/vae';
import { useBackend } from '../helpers';

const total = (rows: { parameters: number }[]) => rows.reduce((n, r) => n + r.parameters, 0);

test('dense: a row per layer, described, with parameters that add up to the model\'s weights', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ hidden: [64], code: 16, seed: 1 });
  const rows = modelSummary({ encoder: ae.encoder, decoder: ae.decoder });
  assert.deepEqual(rows, [
    { part: 'encoder', layer: 'dense 784→64, relu', output: '(batch, 64)', parameters: 784 * 64 + 64 },
    { part: 'encoder', layer: 'dense 64→16, relu', output: '(batch, 16)', parameters: 64 * 16 + 16 },
    { part: 'decoder', layer: 'dense 16→64, relu', output: '(batch, 64)', parameters: 16 * 64 + 64 },
    { part: 'decoder', layer: 'dense 64→784, sigmoid', output: '(batch, 784)', parameters: 64 * 784 + 784 },
  ]);
  const weights = { ...ae.encoder.namedWeights(), ...ae.decoder.namedWeights() };
  assert.equal(total(rows), countParameters(weights));
  assert.equal(total(rows), ae.trainableVariables().reduce((n, v) => n + v.size, 0));
  ae.dispose();
});

test('tied weights: the decoder rows count only its biases, so the total is still the model\'s', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 20, hidden: [12], code: 4, tiedWeights: true, seed: 1 });
  const rows = modelSummary({ encoder: ae.encoder, decoder: ae.decoder });
  assert.deepEqual(rows.filter((r) => r.part === 'decoder').map((r) => r.parameters), [12, 20]);
  assert.equal(total(rows), countParameters({ ...ae.encoder.namedWeights(), ...ae.decoder.namedWeights() }));
  assert.equal(total(rows), 20 * 12 + 12 + 12 * 4 + 4 + 12 + 20);
  ae.dispose();
});

test('conv: conv, flatten, dense, reshape and conv-transpose rows', async () => {
  await useBackend('cpu');
  const ae = convAutoencoder({ filters: [8, 4], code: 16, seed: 1 });
  const rows = modelSummary({ encoder: ae.encoder, decoder: ae.decoder });
  assert.deepEqual(
    rows.map((r) => [r.part, r.layer, r.output, r.parameters]),
    [
      ['encoder', 'conv 3×3, stride 2, 8 filters, relu', '÷2 size, 8 channels', 3 * 3 * 1 * 8 + 8],
      ['encoder', 'conv 3×3, stride 2, 4 filters, relu', '÷2 size, 4 channels', 3 * 3 * 8 * 4 + 4],
      ['encoder', 'flatten', '(batch, features)', 0],
      ['encoder', 'dense 196→16, linear', '(batch, 16)', 196 * 16 + 16],
      ['decoder', 'dense 16→196, relu', '(batch, 196)', 16 * 196 + 196],
      ['decoder', 'reshape to 7×7×4', '(batch, 7, 7, 4)', 0],
      ['decoder', 'conv-transpose 3×3, stride 2, 8 filters, relu', '×2 size, 8 channels', 3 * 3 * 4 * 8 + 8],
      ['decoder', 'conv-transpose 3×3, stride 2, 1 filters, sigmoid', '×2 size, 1 channels', 3 * 3 * 8 * 1 + 1],
    ],
  );
  assert.equal(total(rows), countParameters({ ...ae.encoder.namedWeights(), ...ae.decoder.namedWeights() }));
  ae.dispose();
});

test('a VAE: one part per stack, in the order given', async () => {
  await useBackend('cpu');
  const vae = variationalAutoencoder({ inputSize: 30, hidden: [10], latent: 2, seed: 1 });
  const stacks = { body: vae.body, mean: vae.meanHead, logVar: vae.logVarHead, decoder: vae.decoder };
  const rows = modelSummary(stacks);
  assert.deepEqual(rows.map((r) => r.part), ['body', 'mean', 'logVar', 'decoder', 'decoder']);
  assert.deepEqual(rows.map((r) => r.layer), ['dense 30→10, relu', 'dense 10→2, linear', 'dense 10→2, linear', 'dense 2→10, relu', 'dense 10→30, sigmoid']);
  assert.equal(total(rows), countParameters(Object.fromEntries(vae.trainableVariables().map((v, i) => [String(i), v]))));
  vae.dispose();
});
