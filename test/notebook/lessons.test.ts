/**
 * Executes every lesson in notebooks/ in quick mode through the real tslab kernel, as a reader
 * would run it top to bottom. A failing cell fails the test with that cell's error, and so does a
 * key claim of the lesson that did not hold on this run (src/claims.ts). The executed
 * copies go to build/executed/. Each lesson has its own kernel process, so two run at a time
 * (one per core of the CI machine).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { brokenKeyClaims } from '../../scripts/notebook/records';
import { runNotebook } from '../../scripts/notebook/runNotebook';

const ROOT = path.resolve(__dirname, '..', '..');
const LESSONS = path.join(ROOT, 'notebooks');
/** A quick-mode lesson must finish well within this (the lessons' own target is about a minute). */
const QUICK_LESSON_LIMIT_MS = 5 * 60_000;
const LESSONS_AT_ONCE = 2;
/**
 * TensorFlow.js memory a quick-mode lesson may hold when it shows its figures table: its data and
 * models (the most, lesson 04's eleven 1,024-wide models and their codes, about 165 MB and 56
 * tensors). A tensor leaked per batch or per measurement would be thousands more.
 */
const MAX_TENSORS_AT_FIGURES = 100;
const MAX_BYTES_AT_FIGURES = 256 * 2 ** 20;

/**
 * The short first lesson is also run on the pure-JavaScript cpu backend, to check that path end to
 * end, and there once more with tfjs's stock kernels and Adam (AE_KERNELS=stock): the path a
 * tfjs-node user takes, which cannot be installed in CI.
 */
const ALSO_ON_CPU = '00-start-here.ipynb';

/** What tslab prints when a cell ends in an expression: a claim record, a check, a history. */
const ECHO_LINE = /^\[(claim |check: |training history)/;

type Output = { text?: string | string[]; data?: Record<string, string | string[] | undefined> };

function outputs(file: string): Output[] {
  const notebook = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { outputs?: Output[] }[] };
  return notebook.cells.flatMap((cell) => cell.outputs ?? []);
}

/** What the cells printed (stream outputs). */
function outputText(file: string): string {
  return outputs(file).map((output) => [output.text ?? ''].flat().join('')).join('');
}

/** The text form of what the cells displayed (boxes, tables, the run header). */
function displayedText(file: string): string {
  return outputs(file).map((output) => [output.data?.['text/plain'] ?? ''].flat().join('')).join('\n');
}

test('every lesson runs top to bottom in quick mode', { concurrency: LESSONS_AT_ONCE }, async (t) => {
  const names = fs.readdirSync(LESSONS).filter((f) => f.endsWith('.ipynb')).sort();
  assert.ok(names.length > 0, 'there are lessons');
  assert.ok(names.includes(ALSO_ON_CPU));
  type Run = { name: string; backend?: string; kernels?: 'stock' };
  const runs: Run[] = [...names.map((name) => ({ name })), { name: ALSO_ON_CPU, backend: 'cpu' }, { name: ALSO_ON_CPU, backend: 'cpu', kernels: 'stock' }];
  await Promise.all(
    runs.map(({ name, backend, kernels }) =>
      t.test(`lesson ${name}${backend ? ` on the ${backend} backend` : ''}${kernels ? ` with ${kernels} kernels` : ''}`, { timeout: QUICK_LESSON_LIMIT_MS }, async () => {
        const folder = backend ? `executed-${backend}${kernels ? `-${kernels}` : ''}` : 'executed';
        const outputPath = path.join(ROOT, 'build', folder, name);
        const result = await runNotebook(path.join(LESSONS, name), {
          parameters: { MODE: 'quick' },
          rootDir: ROOT,
          outputPath,
          // Two lessons at once already use both cores: a helper thread each would only contend.
          env: { AE_THREADS: '1', ...(backend ? { AE_BACKEND: backend } : {}), ...(kernels ? { AE_KERNELS: kernels } : {}) },
          log: (line) => console.log(line),
        });
        assert.equal(result.ok, true, result.error);
        // The lesson's conclusions, judged on this run's numbers (src/claims.ts): every key claim holds.
        assert.ok(result.records.claims.length > 0, `${name} checks at least one claim`);
        assert.ok(result.records.figures, `${name} has a "figures of this run" table`);
        const memory = result.records.figures?.memory;
        assert.ok(memory && memory.tensors <= MAX_TENSORS_AT_FIGURES && memory.bytes <= MAX_BYTES_AT_FIGURES,
          `${name} holds ${memory?.tensors} tensors (${((memory?.bytes ?? 0) / 2 ** 20).toFixed(0)} MB) at its figures table: a leak?`);
        // A cell's last value is printed by tslab: a lesson leaves none under its boxes and charts.
        const echoes = outputText(outputPath).split('\n').filter((line) => ECHO_LINE.test(line));
        assert.deepEqual(echoes, [], `${name} prints return values under its outputs`);
        const broken = brokenKeyClaims(result.records);
        assert.deepEqual(broken, [], `${name}: key claims that did not hold in quick mode:\n${broken.join('\n')}`);
        if (backend === 'cpu') {
          const expected = kernels === 'stock' ? 'stock kernels' : 'our faster kernels: matMul, conv gradients, Adam';
          assert.ok(displayedText(outputPath).includes(`Backend: cpu (forced by AE_BACKEND, ${expected})`),
            `the run header's backend report names the kernels: ${expected}`);
          assert.match(outputText(outputPath), /Quick mode on the cpu backend: this lesson uses 25% of its quick-mode images/);
        }
      }),
    ),
  );
});
