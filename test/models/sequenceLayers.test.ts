/** The sequence layers (lstm, repeat, timeDense, conv1d, conv1dTranspose) in the layer table and the architecture picture. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { conv1dAutoencoder } from '../../src/models/conv1dAutoencoder';
import { lstmAutoencoder } from '../../src/models/lstmAutoencoder';
import { modelSummary } from '../../src/models/summary';
import { modelStages } from '../../src/plot/architecture';
import { useBackend } from '../helpers';

test('modelSummary and modelStages describe the LSTM and conv1d auto-encoders layer by layer', async () => {
  await useBackend('cpu');
  const lstm = lstmAutoencoder({ steps: 10, code: 3, hidden: 5, seed: 1 });
  const rows = modelSummary({ encoder: lstm.encoder, decoder: lstm.decoder });
  assert.deepEqual(rows.map((r) => r.layer), ['LSTM 1→3, last state', 'repeat 10 times', 'LSTM 3→5, every step', 'dense 5→1 at each step, linear']);
  // LSTM: 4 gates × (inputs + units + 1) × units.
  assert.deepEqual(rows.map((r) => r.parameters), [4 * (1 + 3 + 1) * 3, 0, 4 * (3 + 5 + 1) * 5, 5 + 1]);
  assert.deepEqual(modelStages(lstm).map((s) => s.shape), [[10, 1], [3], [10, 3], [10, 5], [10, 1]]);
  const conv = conv1dAutoencoder({ steps: 16, filters: [4, 2], kernelSize: 3, code: 5, seed: 1 });
  assert.deepEqual(modelStages(conv).map((s) => s.shape), [[16, 1], [8, 4], [4, 2], [5], [8], [8, 4], [16, 1]]);
  assert.equal(modelSummary({ decoder: conv.decoder })[2].layer, 'conv1d-transpose 3, stride 2, 4 filters, relu');
  lstm.dispose();
  conv.dispose();
});
