/**
 * Lesson 00 in quick mode, Run All, live in each front end (JupyterLab 4, Notebook 7, and Debian's
 * classic Notebook 6 where installed), in headless Chromium: every chart the kernel sent is drawn,
 * every image and claim box shows, the loss chart ends with every epoch, no script errors on the page
 * and no errors from the kernel (the live chart's updates during a long training: interrupt.test.ts). A screenshot of each goes to build/frontends/.
 * Needs the project environment (npm start, or `node scripts/start.mjs --project-env --setup-only`)
 * and Debian's chromium; CI has both, so there it never skips.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { injectParameters } from '../../scripts/notebook/runNotebook';
import { measure, notebookJson, recordCharts, recordedCharts, runAll, sent, waitUntilIdle } from './driver';
import { frontEnds, outputErrors, ROOT, SHOTS, skipReason } from './harness';
import { withNotebookPage } from './session';

const missing = skipReason();
const skip = missing && process.env.CI !== 'true' ? missing : false;
const LESSON = '00-start-here.ipynb';

/** Lesson 00 in quick mode, importing the library from its new folder three levels down. */
function quickLesson(dir: string): string {
  const notebook = JSON.parse(fs.readFileSync(path.join(ROOT, 'notebooks', LESSON), 'utf8'));
  const quick = injectParameters(notebook, { MODE: 'quick' }, LESSON);
  for (const cell of quick.cells) {
    if (cell.cell_type === 'code') cell.source = [cell.source].flat().join('').replace(/from '\.\.\/src'/g, "from '../../../src'");
  }
  fs.writeFileSync(path.join(dir, LESSON), JSON.stringify(quick, null, 1));
  return LESSON;
}

const { available, missing: notInstalled } = frontEnds();
if (process.env.CI === 'true') {
  test('every front end is installed in CI', () => assert.deepEqual(notInstalled, []));
}

for (const frontEnd of available) {
  test(`lesson 00 in quick mode, Run All in ${frontEnd.label}: every chart, image and claim box shows`, { skip, timeout: 420_000 }, async (t) => {
    await withNotebookPage(frontEnd, 'lesson', quickLesson, async ({ page, errors }) => {
      await recordCharts(page);
      const started = Date.now();
      await runAll(page, frontEnd.name);
      await waitUntilIdle(page, frontEnd.name, 360_000);
      const seconds = (Date.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 1000)); // charts draw after their output arrives
      const notebook = await notebookJson(page, frontEnd.name);
      const expected = sent(notebook);
      const drawn = await measure(page);
      const live = await recordedCharts(page);
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `${frontEnd.name}-lesson-00.png`), fullPage: true });
      t.diagnostic(`${frontEnd.label}: Run All ${seconds.toFixed(0)} s; sent ${JSON.stringify(expected)}; drawn ${JSON.stringify(drawn)}; chart states ${JSON.stringify(live)}`);
      assert.deepEqual(expected.errors, [], 'no errors from the kernel');
      assert.deepEqual(outputErrors(errors, frontEnd.name), [], 'no script errors on the page');
      assert.ok(expected.charts > 0 && expected.images > 0 && expected.claims > 0, `the lesson sent charts, images and claims: ${JSON.stringify(expected)}`);
      assert.equal(drawn.charts, expected.charts, 'every chart the kernel sent is drawn');
      assert.deepEqual(drawn.fallbacks, [], 'no chart says it could not draw');
      assert.deepEqual(drawn.images, { total: expected.images, decoded: expected.images }, 'every image shows');
      assert.deepEqual(drawn.claims, { total: expected.claims, visible: expected.claims }, 'every claim box shows');
      // Quick mode's 3 epochs take a fraction of a second, faster than the chart's 250 ms redraw:
      // the updates during a long training are checked by interrupt.test.ts. Here: the last frame.
      const loss = Object.entries(live).find(([title]) => title.startsWith('Loss per epoch'));
      assert.ok(loss && Math.max(...loss[1]) === 3, `the loss chart was drawn with all 3 epochs: ${JSON.stringify(live)}`);
    });
  });
}
