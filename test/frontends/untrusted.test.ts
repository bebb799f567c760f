/**
 * An executed copy that was not run or saved in this Jupyter (as under build/executed/, or a
 * lesson a colleague sends) opens untrusted. JupyterLab 4 and Notebook 7 with the jupyterlab-plotly
 * renderer (what npm start installs) still draw its charts; the classic Notebook runs no scripts
 * in it, so each chart shows the message saying why and what to do, and after `jupyter trust` (what
 * the message and the README say) the charts draw.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runNotebook } from '../../scripts/notebook/runNotebook';
import { measure, sent, waitForKernel } from './driver';
import type { NotebookJson } from './driver';
import { frontEnds, launchBrowser, openPage, outputErrors, ROOT, SHOTS, skipReason, startServer, workFolder } from './harness';

const missing = skipReason();
const skip = missing && process.env.CI !== 'true' ? missing : false;
const NAME = 'chart-and-images.ipynb';

for (const frontEnd of frontEnds().available) {
  test(`${frontEnd.label}: an executed copy opened untrusted shows its charts, or says why and what to do`, { skip, timeout: 300_000 }, async (t) => {
    const work = workFolder(`${frontEnd.name}-untrusted`);
    const file = path.join(work.dir, NAME);
    const run = await runNotebook(path.join(ROOT, 'test', 'fixtures', 'notebooks', NAME), {
      parameters: { MODE: 'quick' }, rootDir: ROOT, outputPath: file, log: () => {}, recordsDir: path.join(work.dir, 'runs'),
    });
    assert.equal(run.ok, true, run.error);
    const expected = sent(JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson);
    const server = await startServer(frontEnd, work.dir);
    const browser = await launchBrowser();
    try {
      const { page, errors } = await openPage(browser);
      const open = async () => {
        await page.goto(server.url(NAME));
        await waitForKernel(page, frontEnd.name);
        await new Promise((resolve) => setTimeout(resolve, 3000)); // outputs draw
        return measure(page);
      };
      const untrusted = await open();
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `${frontEnd.name}-untrusted.png`) });
      t.diagnostic(`${frontEnd.label} untrusted: sent ${JSON.stringify(expected)}; drawn ${JSON.stringify(untrusted)}`);
      assert.equal(expected.charts, 1);
      assert.deepEqual(outputErrors(errors, frontEnd.name), [], 'no script errors on the page');
      if (untrusted.charts === expected.charts) {
        assert.deepEqual(untrusted.fallbacks, []);
      } else {
        assert.equal(untrusted.fallbacks.length, expected.charts - untrusted.charts, 'every chart not drawn says so');
        for (const text of untrusted.fallbacks) assert.match(text, /The chart "Squares" is not drawn here.*jupyter trust NOTEBOOK\.ipynb/s);
        // What the message says: trust it, and open it again.
        const trust = spawnSync(frontEnd.python, ['-m', 'jupyter', 'trust', file], { env: server.env, encoding: 'utf8' });
        assert.equal(trust.status, 0, trust.stderr);
        const trusted = await open();
        t.diagnostic(`${frontEnd.label} after jupyter trust: drawn ${JSON.stringify(trusted)}`);
        assert.equal(trusted.charts, expected.charts, 'trusted, every chart draws');
        assert.deepEqual(trusted.fallbacks, []);
      }
      assert.equal(untrusted.images.decoded, expected.images, 'images show untrusted too');
    } finally {
      await browser.close();
      await server.stop();
      work.remove();
    }
  });
}
