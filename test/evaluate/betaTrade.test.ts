import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { betaTrade, betaTradeAtEveryStep } from '../../src/evaluate/betaTrade';

const rows = [
  { beta: 0.5, reconstruction: 140, kl: 7 },
  { beta: 1, reconstruction: 139, kl: 6 },
  { beta: 4, reconstruction: 160, kl: 3 },
];

test('betaTrade compares the smallest and the largest β; betaTradeAtEveryStep every neighbouring pair', () => {
  const ends = betaTrade(rows);
  assert.equal(ends.holds, true);
  assert.deepEqual(ends.figures, {
    'KL at β = 4, nats': 3,
    'KL at β = 0.5, nats': 7,
    'reconstruction at β = 4, nats': 160,
    'reconstruction at β = 0.5, nats': 140,
  });
  // 0.5 → 1: the reconstruction falls, so the step-by-step trade does not hold.
  const steps = betaTradeAtEveryStep(rows);
  assert.equal(steps.holds, false);
  assert.equal(steps.figures['reconstruction at β = 1, nats'], 139);
  assert.equal(betaTradeAtEveryStep([rows[0], rows[2]]).holds, true);
  // KL larger at the largest β: no trade.
  assert.equal(betaTrade([rows[0], { beta: 4, reconstruction: 160, kl: 8 }]).holds, false);
  // Reconstruction smaller at the largest β: no trade.
  assert.equal(betaTrade([rows[0], { beta: 4, reconstruction: 130, kl: 3 }]).holds, false);
});

test('betaTrade names what is wrong with its rows', () => {
  assert.throws(() => betaTrade([rows[0]]), /at least two βs, got 1/);
  assert.throws(() => betaTrade([rows[2], rows[0]]), /increasing β; rows\[1\]\.beta is 0.5 after 4/);
  assert.throws(() => betaTradeAtEveryStep([rows[0], { beta: 2, reconstruction: NaN, kl: 1 }]), /rows\[1\]\.reconstruction must be a finite number/);
});
