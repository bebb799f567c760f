/**
 * Executes every lesson in notebooks/ in quick mode through the real tslab kernel, as a reader
 * would run it top to bottom. A failing cell fails the test with that cell's error. The executed
 * copies go to build/executed/. Each lesson has its own kernel process, so two run at a time
 * (one per core of the CI machine).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { runNotebook } from '../../scripts/notebook/runNotebook';

const ROOT = path.resolve(__dirname, '..', '..');
const LESSONS = path.join(ROOT, 'notebooks');
/** A quick-mode lesson must finish well within this (the lessons' own target is about a minute). */
const QUICK_LESSON_LIMIT_MS = 5 * 60_000;
const LESSONS_AT_ONCE = 2;

test('every lesson runs top to bottom in quick mode', { concurrency: LESSONS_AT_ONCE }, async (t) => {
  const names = fs.readdirSync(LESSONS).filter((f) => f.endsWith('.ipynb')).sort();
  assert.ok(names.length > 0, 'there are lessons');
  await Promise.all(
    names.map((name) =>
      t.test(`lesson ${name}`, { timeout: QUICK_LESSON_LIMIT_MS }, async () => {
        const result = await runNotebook(path.join(LESSONS, name), {
          parameters: { MODE: 'quick' },
          rootDir: ROOT,
          outputPath: path.join(ROOT, 'build', 'executed', name),
          log: (line) => console.log(line),
        });
        assert.equal(result.ok, true, result.error);
      }),
    ),
  );
});
