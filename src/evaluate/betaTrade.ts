/**
 * What the weight β of the VAE's KL term trades (lesson 05): a larger β should buy a smaller KL
 * term (codes closer to the prior) at the price of a larger reconstruction term. Judged on the
 * test loss terms of one model per β.
 */
import { above, allOf, below, judged, Judgement } from '../comparisons';

/** The test loss terms of the VAE trained with one β, in nats per image. */
export interface LossTermsAtBeta {
  beta: number;
  reconstruction: number;
  kl: number;
}

function checkRows(name: string, rows: LossTermsAtBeta[]): LossTermsAtBeta[] {
  if (!Array.isArray(rows) || rows.length < 2) {
    throw new Error(`${name}: give the loss terms of at least two βs, got ${Array.isArray(rows) ? rows.length : typeof rows}.`);
  }
  rows.forEach((row, i) => {
    for (const field of ['beta', 'reconstruction', 'kl'] as const) {
      if (!Number.isFinite(row?.[field])) throw new Error(`${name}: rows[${i}].${field} must be a finite number, got ${row?.[field]}.`);
    }
    if (i > 0 && !(row.beta > rows[i - 1].beta)) throw new Error(`${name}: rows must be in increasing β; rows[${i}].beta is ${row.beta} after ${rows[i - 1].beta}.`);
  });
  return rows;
}

/** Holds when, from the smallest β to the largest, the KL term falls and the reconstruction rises. */
export function betaTrade(rows: LossTermsAtBeta[]): Judgement {
  checkRows('betaTrade', rows);
  const [low, high] = [rows[0], rows[rows.length - 1]];
  return allOf(
    below({ [`KL at β = ${high.beta}, nats`]: high.kl }, { [`KL at β = ${low.beta}, nats`]: low.kl }),
    above(
      { [`reconstruction at β = ${high.beta}, nats`]: high.reconstruction },
      { [`reconstruction at β = ${low.beta}, nats`]: low.reconstruction },
    ),
  );
}

/** Holds when each larger β has a smaller KL term and a larger reconstruction term than the one before. */
export function betaTradeAtEveryStep(rows: LossTermsAtBeta[]): Judgement {
  checkRows('betaTradeAtEveryStep', rows);
  const holds = rows.every((row, i) => i === 0 || (row.kl < rows[i - 1].kl && row.reconstruction > rows[i - 1].reconstruction));
  const figures = Object.fromEntries(rows.flatMap((row) => [
    [`reconstruction at β = ${row.beta}, nats`, row.reconstruction],
    [`KL at β = ${row.beta}, nats`, row.kl],
  ]));
  return judged(holds, figures);
}
