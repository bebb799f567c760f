/**
 * The interactive figures live in each front end (JupyterLab 4, Notebook 7, Debian's classic
 * Notebook where installed): a notebook that shows a latent explorer and a threshold slider is run
 * with Run All; in the page, the explorers' scripts ran (their static pictures hidden), moving the
 * pointer over the explorer's scatter changes the decoded image, and the arrow keys move its cursor
 * and the slider's threshold and numbers (the notebook's own arrow-key shortcuts once took them in
 * JupyterLab). No script errors on the page, no errors from the kernel.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { notebookJson, runAll, sent, waitUntilIdle } from './driver';
import { frontEnds, outputErrors, SHOTS, skipReason } from './harness';
import { withNotebookPage } from './session';

const missing = skipReason();
const skip = missing && process.env.CI !== 'true' ? missing : false;
const NAME = 'widgets.ipynb';

const code = (source: string) => ({ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source });

/** A notebook with a 2-number auto-encoder's latent explorer and a threshold slider (no training). */
function widgetNotebook(dir: string): string {
  const cells = [
    code("import * as tf from '@tensorflow/tfjs';\n"
      + "import { denseAutoencoder, showLatentExplorer, showThresholdExplorer } from '../../../src';"),
    code("const model = denseAutoencoder({ hidden: [64], code: 2, codeActivation: 'linear', seed: 2 });\n"
      + 'const images = tf.randomUniform([120, 784], 0, 1, \'float32\', 9);\n'
      + 'showLatentExplorer(model, images, Array.from({ length: 120 }, (_, i) => i % 10));'),
    code('const normal = Array.from({ length: 80 }, (_, i) => 1 + Math.sin(i * 7.1) * 0.5);\n'
      + 'const odd = Array.from({ length: 20 }, (_, i) => 2.6 + Math.cos(i * 3.3) * 0.8);\n'
      + 'const validationNormal = Array.from({ length: 60 }, (_, i) => 1 + Math.sin(i * 5.3 + 1) * 0.5);\n'
      + 'const testLabels = [...normal.map(() => 0), ...odd.map(() => 1)];\n'
      + 'showThresholdExplorer({ validationNormal, testScores: [...normal, ...odd], testLabels, threshold: 1.45 });'),
  ];
  const notebook = {
    cells, nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
  };
  fs.writeFileSync(path.join(dir, NAME), JSON.stringify(notebook, null, 1));
  return NAME;
}

type Explorers = Record<string, { imageCanvas?: HTMLCanvasElement; position?(): { threshold: number } }>;

for (const frontEnd of frontEnds().available) {
  test(`${frontEnd.label}: the latent explorer follows the pointer and the threshold slider moves, live`, { skip, timeout: 300_000 }, async (t) => {
    await withNotebookPage(frontEnd, 'widgets', widgetNotebook, async ({ page, errors }) => {
      await runAll(page, frontEnd.name);
      await waitUntilIdle(page, frontEnd.name, 180_000);
      await page.waitForFunction(() => Object.keys((window as unknown as { aeExplorers?: object }).aeExplorers ?? {}).length >= 2, undefined, { timeout: 20_000 });
      const expected = sent(await notebookJson(page, frontEnd.name));
      assert.deepEqual(expected.errors, [], 'no errors from the kernel');
      const staticShown = await page.locator('.ae-latent-explorer .ae-static, .ae-threshold-explorer .ae-static').evaluateAll(
        (nodes) => nodes.filter((n) => (n as HTMLElement).offsetParent !== null).length,
      );
      assert.equal(staticShown, 0, 'the scripts ran: no static picture is left showing');

      const picture = () => page.evaluate(() => {
        const all = Object.values((window as unknown as { aeExplorers: Explorers }).aeExplorers);
        return all.find((x) => x.imageCanvas)!.imageCanvas!.toDataURL();
      });
      const canvas = page.locator('.ae-latent-explorer canvas').first();
      await canvas.scrollIntoViewIfNeeded();
      const box = (await canvas.boundingBox())!;
      await page.mouse.move(box.x + 15, box.y + 15);
      const first = await picture();
      await page.mouse.move(box.x + box.width - 15, box.y + box.height - 15);
      assert.notEqual(await picture(), first, 'moving the pointer over the scatter changes the decoded image');
      const cursor = () => page.evaluate(() => {
        const all = Object.values((window as unknown as { aeExplorers: Record<string, { cursor?(): number[] }> }).aeExplorers);
        return all.find((x) => x.cursor)!.cursor!();
      });
      const from = await cursor();
      await canvas.focus();
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowUp');
      const to = await cursor();
      assert.ok(to[0] < from[0] && to[1] > from[1], `the arrow keys move the explorer's cursor: ${from} → ${to}`);

      const threshold = () => page.evaluate(() => {
        const all = Object.values((window as unknown as { aeExplorers: Explorers }).aeExplorers);
        return all.find((x) => x.position)!.position!().threshold;
      });
      const readout = page.locator('.ae-threshold-explorer div[data-position]');
      const before = { threshold: await threshold(), text: await readout.innerText() };
      const slider = page.locator('.ae-threshold-explorer input[type=range]');
      await slider.scrollIntoViewIfNeeded();
      await slider.focus();
      for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
      assert.ok((await threshold()) > before.threshold, 'the arrow keys move the threshold up');
      assert.notEqual(await readout.innerText(), before.text, 'the numbers follow the slider');
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `${frontEnd.name}-widgets.png`), fullPage: true });
      t.diagnostic(`${frontEnd.label}: explorers ran, pointer and slider followed`);
      assert.deepEqual(outputErrors(errors, frontEnd.name), [], 'no script errors on the page');
    });
  });
}
