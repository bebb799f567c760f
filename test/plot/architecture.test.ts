import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { architectureBundle, modelStages } from '../../src/plot/architecture';
import { convAutoencoder } from '../../src/models/conv';
import { denseAutoencoder } from '../../src/models/dense';
import { variationalAutoencoder } from '../../src/models/vae';
import { useBackend } from '../helpers';

test('architecture: the stages come from the model, the code marked, for dense, conv and VAE models', async () => {
  await useBackend('cpu');
  const dense = denseAutoencoder({ hidden: [256], code: 32 });
  assert.deepEqual(modelStages(dense).map((s) => s.shape.reduce((a, b) => a * b)), [784, 256, 32, 256, 784]);
  assert.deepEqual(modelStages(dense).map((s) => Boolean(s.code)), [false, false, true, false, false]);
  const conv = convAutoencoder({ filters: [16, 8], code: 32 });
  assert.deepEqual(modelStages(conv).map((s) => s.shape), [[28, 28, 1], [14, 14, 16], [7, 7, 8], [32], [392], [14, 14, 16], [28, 28, 1]]);
  const vae = variationalAutoencoder({ hidden: [400], latent: 20 });
  const stages = modelStages(vae);
  assert.deepEqual(stages.map((s) => s.shape.reduce((a, b) => a * b)), [784, 400, 40, 20, 400, 784]);
  assert.equal(stages.find((s) => s.code)?.shape[0], 20);
  const bundle = architectureBundle(dense);
  assert.match(bundle['image/svg+xml'] as string, /^<svg[^>]*>.*fill="#d55e00"/);
  assert.equal(bundle['text/plain'], `${dense.name}: 784 → 256 → [32] → 256 → 784`);
  [dense, conv, vae].forEach((m) => m.dispose());
});
