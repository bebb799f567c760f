import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { denseAutoencoder } from '../../src/models/dense';
import { penaltyWeightFor, sizePenalty } from '../../src/models/penaltyWeight';
import { PenaltySpec } from '../../src/models/penalties';
import { useBackend } from '../helpers';

test('penaltyWeightFor makes the weighted penalty the asked share of the reconstruction term', async () => {
  await useBackend('cpu');
  const x = tf.randomUniform([32, 20], 0, 1, 'float32', 1);
  const probes: [PenaltySpec, (w: number) => PenaltySpec, 'relu' | 'sigmoid'][] = [
    [{ type: 'activity', l1: 1 }, (w) => ({ type: 'activity', l1: w }), 'relu'],
    [{ type: 'contractive', lambda: 1 }, (w) => ({ type: 'contractive', lambda: w }), 'sigmoid'],
    [{ type: 'klSparsity', rho: 0.05, beta: 1 }, (w) => ({ type: 'klSparsity', rho: 0.05, beta: w }), 'sigmoid'],
  ];
  for (const [probe, weighted, codeActivation] of probes) {
    const model = denseAutoencoder({ inputSize: 20, hidden: [], code: 30, codeActivation, penalties: [probe], seed: 2 });
    const weight = penaltyWeightFor(model, x, 0.25);
    const sized = denseAutoencoder({ inputSize: 20, hidden: [], code: 30, codeActivation, penalties: [weighted(weight)], seed: 2 });
    const terms = sized.lossTerms(x, x, { seed: 0, training: false });
    const name = Object.keys(terms).find((k) => k !== 'total' && k !== 'reconstruction')!;
    const ratio = terms[name].dataSync()[0] / terms.reconstruction.dataSync()[0];
    assert.ok(Math.abs(ratio - 0.25) < 1e-4, `${probe.type}: penalty / reconstruction = ${ratio}`);
    tf.dispose(Object.values(terms));
    model.dispose();
    sized.dispose();
  }
  const twice = denseAutoencoder({ inputSize: 20, hidden: [], code: 30, penalties: [{ type: 'activity', l1: 2 }] });
  assert.throws(() => penaltyWeightFor(twice, x, 0.1), /weight set to 1/);
  const none = denseAutoencoder({ inputSize: 20, hidden: [], code: 30 });
  assert.throws(() => penaltyWeightFor(none, x, 0.1), /exactly one penalty/);
  tf.dispose(x);
});

test('sizePenalty measures both terms of the untrained probe, gives penaltyWeightFor at share 1, and frees the probe', async () => {
  await useBackend('cpu');
  const x = tf.randomUniform([32, 20], 0, 1, 'float32', 1);
  const options = { inputSize: 20, hidden: [], code: 30, codeActivation: 'sigmoid' as const, seed: 2 };
  const penalties: PenaltySpec[] = [{ type: 'klSparsity', rho: 0.05, beta: 1 }];
  const before = tf.memory().numTensors;
  const size = sizePenalty({ ...options, penalties }, x);
  assert.equal(tf.memory().numTensors, before, 'the probe is disposed');
  const probe = denseAutoencoder({ ...options, penalties });
  const terms = probe.lossTerms(x, x, { seed: 0, training: false });
  assert.equal(size.reconstruction, terms.reconstruction.dataSync()[0]);
  assert.equal(size.penalty, terms.kl.dataSync()[0]);
  assert.equal(size.weightPerShare, penaltyWeightFor(probe, x, 1));
  assert.ok(Math.abs(size.weightPerShare * size.penalty - size.reconstruction) < 1e-6 * size.reconstruction);
  tf.dispose(Object.values(terms));
  probe.dispose();
  assert.throws(() => sizePenalty({ ...options, penalties: [{ type: 'activity', l1: 3 }] }, x), /weight set to 1/);
  assert.equal(tf.memory().numTensors, before, 'a failed probe is disposed too');
  tf.dispose(x);
});
