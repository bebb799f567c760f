/**
 * Kernel → Interrupt during `await train(...)` in a real tslab kernel: tslab's own SIGINT handler
 * only ends the cell's wait, so train() must notice the signal itself and return (here: throw
 * TrainingInterrupted) within about a second. Timed from the SIGINT to train() returning, not to
 * the cell's end. The cell then shows that error, as the learner should read it (the tslab patch
 * gives a cell 2 s to end with its own error before tslab's "Interrupted asynchronously").
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { TslabKernel } from '../../scripts/notebook/kernel';

const ROOT = path.resolve(__dirname, '..', '..');
/** tslab answers a cell sent within 200 ms of an error with 'abort'. */
const AFTER_ERROR_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MODEL = 'dense 784-256-16-256-784';
const KEPT = 'after batch \\d+ of 32; the model keeps the weights of the last finished step';

test('interrupting the kernel stops train() within a second, with the weights of the last step, and the cell says so', async () => {
  const kernel = await TslabKernel.start({ cwd: path.join(ROOT, 'notebooks'), env: { TSLAB_ROOT_DIR: ROOT, AE_BACKEND: 'wasm' } });
  try {
    const setup = await kernel.execute([
      "import { setupBackend, loadFashionMnist, denseAutoencoder, train } from '../src';",
      "await setupBackend({ log: () => {} });",
      'const data = loadFashionMnist({ limit: 2000 });',
      'const ae = denseAutoencoder({ code: 16, seed: 1 });',
      'const marks = globalThis as unknown as { returnedAt: number; error: string; batches: number };',
      'marks.returnedAt = 0; marks.batches = 0;',
    ].join('\n'));
    assert.equal(setup.status, 'ok', setup.stderr);
    const cell = kernel.execute([
      'try {',
      '  await train(ae, data.train.x, { epochs: 1000, callbacks: { onBatchEnd: () => { marks.batches++; } } });',
      '} catch (error) {',
      '  marks.error = String(error);',
      '  throw error;',
      '} finally {',
      '  marks.returnedAt = Date.now();',
      '}',
    ].join('\n'));
    await sleep(3000);
    const sentAt = Date.now();
    kernel.interrupt();
    const interrupted = await cell;
    assert.notEqual(interrupted.status, 'ok', 'the cell was interrupted');
    // The cell shows what stopped, where, and what the model keeps, not tslab's internal error.
    assert.match(interrupted.stderr, new RegExp(`^TrainingInterrupted: training of ${MODEL} interrupted in epoch \\d+ of 1000, ${KEPT}`));
    assert.doesNotMatch(interrupted.stderr, /Interrupted asynchronously|executor\.js/);
    let returnedAt = 0;
    let report = '';
    for (let attempt = 0; attempt < 50 && returnedAt === 0; attempt++) {
      await sleep(AFTER_ERROR_MS);
      const probe = await kernel.execute('console.log(JSON.stringify({ returnedAt: marks.returnedAt, error: marks.error, batches: marks.batches }));');
      if (probe.status !== "ok") { report = `status ${probe.status}: ${probe.stderr.slice(0, 2000)}`; continue; }
      report = probe.outputs.map((o) => o.text ?? "").join("");
      returnedAt = (JSON.parse(report) as { returnedAt: number }).returnedAt;
    }
    const marks = JSON.parse(report) as { returnedAt: number; error: string; batches: number };
    const seconds = (returnedAt - sentAt) / 1000;
    console.log(`train() returned ${seconds.toFixed(3)} s after SIGINT, after ${marks.batches} batches`);
    assert.ok(returnedAt > 0, 'train() returned');
    assert.ok(seconds < 1, `train() returned ${seconds} s after SIGINT`);
    assert.match(marks.error, new RegExp(`TrainingInterrupted: training of ${MODEL} interrupted in epoch \\d+ of 1000, ${KEPT}`));
    // No training goes on in the background: the batch count stays put.
    await sleep(1000);
    const later = await kernel.execute('console.log(marks.batches);');
    assert.equal(Number(later.outputs.map((o) => o.text ?? '').join('')), marks.batches);
  } finally {
    await kernel.shutdown();
  }
});
