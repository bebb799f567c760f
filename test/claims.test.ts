import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { boxKind, CLAIM_MIME, claimBundle, claimRecord, formatFigure } from '../src/claims';

const quick = { lesson: 'L', mode: 'quick' as const, seed: 1, backend: 'wasm' };
const full = { ...quick, mode: 'full' as const };

test('a claim is key in the modes it is marked for', () => {
  const spec = { id: 'a-claim', statement: 'It held.', holds: true, figures: { x: 1 } };
  assert.equal(claimRecord(spec, quick).key, true);
  assert.equal(claimRecord({ ...spec, key: 'full' }, quick).key, false);
  assert.equal(claimRecord({ ...spec, key: 'full' }, full).key, true);
  assert.equal(claimRecord({ ...spec, key: false }, full).key, false);
  assert.equal(claimRecord({ ...spec, key: 'full' }, quick).keyIn, 'full');
});

test('a claim needs an id, a sentence, a verdict and the figures it was judged on', () => {
  const good = { id: 'ok', statement: 'S.', holds: true, figures: { x: 1 } };
  assert.throws(() => claimRecord({ ...good, id: 'Not An Id' }, quick), /id must be lower-case words joined by hyphens/);
  assert.throws(() => claimRecord({ ...good, statement: ' ' }, quick), /statement must be a sentence/);
  assert.throws(() => claimRecord({ ...good, holds: 1 as never }, quick), /holds must be true or false/);
  assert.throws(() => claimRecord({ ...good, figures: {} }, quick), /give the figures it was judged on/);
  assert.throws(() => claimRecord({ ...good, figures: { x: [1] as never } }, quick), /figure 'x' must be a number, text or true\/false/);
  assert.throws(() => claimRecord({ ...good, key: 'quick' as never }, quick), /key must be true, false or 'full'/);
});

test('the shown claim carries its machine-readable record and says held or not held', () => {
  const held = claimBundle(claimRecord({ id: 'x', statement: 'Held <b>.', holds: true, figures: { 'test MSE': 0.012345 } }, quick));
  assert.deepEqual((held[CLAIM_MIME] as { id: string }).id, 'x');
  assert.match(held['text/html'] as string, /✔ Held<\/b> — Held &lt;b&gt;\./);
  assert.match(held['text/plain'], /test MSE = 0\.01235/);
  const notHeld = claimBundle(claimRecord({ id: 'y', statement: 'S.', holds: false, figures: { a: 1 } }, quick));
  assert.match(notHeld['text/plain'], /^✘ Not held in this run: S\./);
  assert.equal(formatFigure(0.0001234), '1.234e-4');
  assert.equal(formatFigure(12), '12');
  assert.equal(formatFigure('none'), 'none');
});

test('boxes: a verdict for key claims, a neutral box for full-mode claims in quick mode and for outcomes', () => {
  const spec = { id: 'z', statement: 'The wide code wins.', holds: false, figures: { 'error, MSE': 0.5 } };
  const fullInQuick = claimRecord({ ...spec, key: 'full' }, quick);
  assert.equal(boxKind(fullInQuick), 'full-mode-only');
  const shown = claimBundle(fullInQuick);
  assert.match(shown['text/plain'], /^◇ Full mode checks this: The wide code wins\. This quick run trains too little/);
  assert.doesNotMatch(shown['text/plain'], /[✔✘]/, 'no verdict mark on a claim quick mode does not judge');
  assert.match(claimBundle(claimRecord({ ...spec, holds: true, key: 'full' }, quick))['text/plain'], /already shows it/);
  assert.equal(boxKind(claimRecord({ ...spec, key: 'full' }, full)), 'verdict', 'full mode judges it');
  const outcome = claimBundle(claimRecord({ ...spec, key: false }, full));
  assert.match(outcome['text/plain'], /^◆ On this run: no: The wide code wins\./);
  assert.match(outcome['text/html'] as string, /data-kind="outcome"/);
  assert.doesNotMatch(outcome['text/plain'], /[✔✘]/);
  assert.match(claimBundle(claimRecord({ ...spec, holds: true, key: false }, quick))['text/plain'], /On this run: yes/);
});
