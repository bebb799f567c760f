import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CLAIM_MIME, claimRecord, FIGURES_MIME } from '../../src/claims';
import { brokenKeyClaims, collectRecords, recordsPath, RunRecords, summariseFigures, tallyClaims } from '../../scripts/notebook/records';
import { Notebook } from '../../scripts/notebook/runNotebook';
import { claimTable, parseSeeds } from '../../scripts/notebook/seeds';
import { summaryHtml } from '../../scripts/notebook/summaryPage';

const run = (seed: number) => ({ lesson: '01 Test', mode: 'quick' as const, seed, backend: 'wasm' });

function records(seed: number, holds: boolean[], value: number): RunRecords {
  const claims = holds.map((h, i) => claimRecord({ id: `claim-${i}`, statement: `Claim ${i}.`, holds: h, figures: { v: value }, key: i === 0 ? true : false }, run(seed)));
  return { notebook: '01-test.ipynb', ok: true, claims, figures: { ...run(seed), rows: [{ figure: 'error', value }, { figure: 'winner', value: value > 1 ? 'AE' : 'PCA' }] } };
}

test('the runner collects claims and figures from the outputs, the latest of each claim', () => {
  const first = claimRecord({ id: 'a', statement: 'A.', holds: false, figures: { x: 1 } }, run(1));
  const again = { ...first, holds: true };
  const notebook: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [
      { cell_type: 'code', source: '', metadata: {}, outputs: [{ output_type: 'display_data', data: { [CLAIM_MIME]: first, 'text/plain': 'x' } }] },
      { cell_type: 'code', source: '', metadata: {}, outputs: [{ output_type: 'display_data', data: { [FIGURES_MIME]: { ...run(1), rows: [{ figure: 'f', value: 2 }] }, 'text/plain': 'x' } }] },
      { cell_type: 'code', source: '', metadata: {}, outputs: [{ output_type: 'display_data', data: { [CLAIM_MIME]: again, 'text/plain': 'x' } }] },
    ],
  };
  const collected = collectRecords(notebook, '01-test.ipynb', true);
  assert.deepEqual(collected.claims.map((c) => [c.id, c.holds]), [['a', true]]);
  assert.deepEqual(collected.figures?.rows, [{ figure: 'f', value: 2 }]);
  assert.equal(recordsPath('/b/runs', collected), '/b/runs/01-test/quick-wasm-seed1.json');
  assert.deepEqual(brokenKeyClaims(collected), []);
  assert.equal(brokenKeyClaims({ ...collected, claims: [first] }).length, 1);
});

test('the figures of every table are joined, in order, a figure listed again keeping its latest value', () => {
  const table = (rows: { figure: string; value: number }[], seed = 1) => ({
    cell_type: 'code' as const, source: '', metadata: {},
    outputs: [{ output_type: 'display_data' as const, data: { [FIGURES_MIME]: { ...run(seed), rows, memory: { tensors: seed, bytes: 0 } }, 'text/plain': 'x' } }],
  });
  const notebook: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [table([{ figure: 'section', value: 1 }, { figure: 'again', value: 2 }]), table([{ figure: 'again', value: 3 }, { figure: 'end', value: 4 }], 2)],
  };
  const { figures } = collectRecords(notebook, '01-test.ipynb', true);
  assert.deepEqual(figures?.rows, [{ figure: 'section', value: 1 }, { figure: 'again', value: 3 }, { figure: 'end', value: 4 }]);
  assert.equal(figures?.seed, 2, 'the run facts are the last table\'s');
  assert.deepEqual(figures?.memory, { tensors: 2, bytes: 0 });
});

test('several seeds: claims tallied, figures as mean ± sd, and a failed key claim fails the command', () => {
  const runs = [records(1, [true, true], 1), records(2, [false, true], 2), records(3, [true, false], 4)];
  const tallies = tallyClaims(runs);
  assert.deepEqual(tallies.map((t) => [t.id, t.held, t.runs, t.key, t.failedSeeds]), [['claim-0', 2, 3, true, [2]], ['claim-1', 2, 3, false, [3]]]);
  const [error, winner] = summariseFigures(runs);
  assert.equal(error.mean, 7 / 3);
  assert.ok(Math.abs(error.sd! - Math.sqrt(((1 - 7 / 3) ** 2 + (2 - 7 / 3) ** 2 + (4 - 7 / 3) ** 2) / 2)) < 1e-12);
  assert.equal(winner.mean, undefined);
  assert.deepEqual(winner.values, ['PCA', 'AE', 'AE']);
  const lesson = { file: '/x/01-test.ipynb', runs, executed: [1, 2, 3].map((seed) => ({ seed, path: '', ok: true, seconds: 10 })) };
  const failures: string[] = [];
  const lines = claimTable(lesson, [1, 2, 3], failures);
  assert.ok(lines.some((l) => l.includes(' 2/3  key  claim-0')));
  assert.deepEqual(failures, ['01-test.ipynb: key claim claim-0 failed on seed(s) 2']);
  const html = summaryHtml(lesson, [1, 2, 3], new Map([[1, 'seed-1/01-test.html']]));
  assert.match(html, /<td>error<\/td><td class="n">2\.333 ± 1\.528<\/td>/);
  assert.match(html, /PCA \(1×\), AE \(2×\)/);
  assert.match(html, /2 of 3<\/td><td>Claim 0\./);
  assert.match(html, /href="seed-1\/01-test.html"/);
  assert.doesNotMatch(html, /<script/);
});

test('--seeds takes distinct whole numbers', () => {
  assert.deepEqual(parseSeeds('1,2,3'), [1, 2, 3]);
  assert.throws(() => parseSeeds('1,1'), /distinct whole numbers/);
  assert.throws(() => parseSeeds('1.5'), /distinct whole numbers/);
  assert.throws(() => parseSeeds(undefined), /distinct whole numbers/);
});
