/**
 * The interrupt button (■) in each front end stops a long training run within a second or two, and the
 * next cell uses the model it stopped, on a small scratch notebook in a temporary folder. While it
 * trains, the live loss chart is drawn again with each new epoch.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { idle, interruptWithButton, notebookJson, recordCharts, recordedCharts, runCell, waitUntilIdle } from './driver';
import { frontEnds, outputErrors, SHOTS, skipReason } from './harness';
import { withNotebookPage } from './session';

const missing = skipReason();
const skip = missing && process.env.CI !== 'true' ? missing : false;
const NAME = 'interrupt-scratch.ipynb';
/** The click on ■ to an idle kernel, as the page sees it: "within a second or two". */
const MAX_STOP_MS = 3000;
const code = (source: string) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source });
const SCRATCH = {
  nbformat: 4, nbformat_minor: 5,
  metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' }, language_info: { name: 'typescript' } },
  cells: [
    code("import { startLesson, loadFashionMnist, denseAutoencoder, train, liveTraining, reconstructionError } from '../../../src';\n"
      + "await startLesson({ title: 'interrupt check', seed: 1, mode: 'quick' });\n"
      + 'const data = loadFashionMnist({ limit: 512 });\nconst ae = denseAutoencoder({ code: 16, seed: 1 });'),
    code('await train(ae, data.train.x, { epochs: 100000, batchSize: 64, seed: 1, callbacks: liveTraining({ epochs: 100000 }) });'),
    code("const after = reconstructionError(ae, data.test.x);\nconsole.log(`test error after the interrupt: ${after.toFixed(4)}`);"),
  ].map((cell, i) => ({ ...cell, id: `cell-${i}` })),
};

const text = (output: { text?: string | string[]; data?: Record<string, unknown> }) =>
  [output.text ?? '', output.data?.['text/plain'] ?? ''].flat().join('');

for (const frontEnd of frontEnds().available) {
  test(`${frontEnd.label}: the interrupt button stops training within a second or two and the model is kept`, { skip, timeout: 300_000 }, async (t) => {
    const write = (dir: string) => {
      fs.writeFileSync(path.join(dir, NAME), JSON.stringify(SCRATCH));
      return NAME;
    };
    await withNotebookPage(frontEnd, 'interrupt', write, async ({ page, errors }) => {
      await runCell(page, frontEnd.name, 0);
      await waitUntilIdle(page, frontEnd.name, 180_000);
      await recordCharts(page);
      await runCell(page, frontEnd.name, 1);
      // Let it train until the progress line says epoch 6, so that the chart has had several epochs to
      // redraw (at most every 250 ms, so fast epochs share a redraw: the states seen vary by run).
      const deadline = Date.now() + 240_000;
      for (;;) {
        const outputs = (await notebookJson(page, frontEnd.name)).cells[1].outputs ?? [];
        if (outputs.some((o) => /epoch ([6-9]|\d\d+)\//.test(text(o)))) break;
        if (Date.now() > deadline) throw new Error(`training did not start: ${JSON.stringify(outputs).slice(0, 500)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(await idle(page, frontEnd.name), false, 'training runs');
      const live = await recordedCharts(page);
      const ms = await interruptWithButton(page, frontEnd.name);
      await waitUntilIdle(page, frontEnd.name, 30_000, 500);
      const interrupted = (await notebookJson(page, frontEnd.name)).cells[1].outputs ?? [];
      await runCell(page, frontEnd.name, 2);
      await waitUntilIdle(page, frontEnd.name, 60_000);
      const next = (await notebookJson(page, frontEnd.name)).cells[2].outputs ?? [];
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `${frontEnd.name}-interrupt.png`) });
      t.diagnostic(`${frontEnd.label}: chart states while training ${JSON.stringify(live)}; stopped ${ms} ms after the click; next cell: ${next.map(text).join(' ').trim()}`);
      const counts = Object.entries(live).find(([title]) => title.startsWith('Loss per epoch'))?.[1] ?? [];
      assert.ok(counts.length >= 2, `the live loss chart was drawn again as epochs ended: ${JSON.stringify(live)}`);
      const said = interrupted.map((o) => `${text(o)} ${JSON.stringify((o as { ename?: string; evalue?: string; traceback?: string[] }).ename ?? '')} ${(o as { evalue?: string }).evalue ?? ''} ${((o as { traceback?: string[] }).traceback ?? []).join(' ')}`).join('\n');
      assert.match(said, /TrainingInterrupted|interrupted/i, `the cell says training was interrupted: ${said.slice(-800)}`);
      // From before the click (Playwright's checks, the click) to an idle kernel seen by polling the
      // page: the server's interrupt request, SIGINT, the batch in progress (train() stops within one,
      // 0.3 s in test/train/interruptInKernel.test.ts), the error and status messages, the page's
      // update. Measured on two quiet cores: classic Notebook 0.4-0.6 s, Notebook 7 1.1-1.6 s,
      // JupyterLab 4 1.4-1.9 s.
      assert.ok(ms <= MAX_STOP_MS, `stopped ${ms} ms after the click`);
      assert.deepEqual(next.filter((o) => o.output_type === 'error'), [], 'the next cell runs');
      assert.match(next.map(text).join(''), /test error after the interrupt: 0\.\d{4}/);
      assert.deepEqual(outputErrors(errors, frontEnd.name), [], 'no script errors on the page');
    });
  });
}
