/**
 * npm run report: executes the lessons and writes self-contained HTML write-ups to build/reports/.
 * Each write-up begins with the lesson's "This run" table: seed, mode, backend, package versions.
 *
 *   npm run report                    # full mode: the figures the lessons discuss (slow)
 *   npm run report -- --mode quick    # a fast check of the whole pipeline
 *   npm run report -- notebooks/05-variational-autoencoder.ipynb
 *   npm run report -- --cell-timeout 600   # fail any cell that runs longer than 10 minutes
 *   npm run report -- --seeds 1,2,3        # each lesson on each seed, and a summary page per lesson:
 *                                          # figures as mean ± sd, claims with the seeds they held on
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseCellTimeout, shutDownKernelsOnSignals } from './cli';
import { writeFileAtomic } from '../../src/files/atomicFiles';
import { exportHtml, requireNbconvert } from './exportHtml';
import { runNotebook } from './runNotebook';
import { claimTable, parseSeeds, runOnSeeds } from './seeds';
import { summaryHtml } from './summaryPage';

const ROOT = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let mode = 'full';
  let cellTimeoutMs: number | undefined;
  let seeds: number[] | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--mode') mode = argv[++i];
    else if (argv[i] === '--seeds') seeds = parseSeeds(argv[++i]);
    else if (argv[i] === '--cell-timeout') cellTimeoutMs = parseCellTimeout(argv[++i]);
    else if (argv[i].startsWith('--')) throw new Error(`Unknown option ${argv[i]}: use --mode quick|full, --seeds 1,2,3, --cell-timeout SECONDS and notebook paths.`);
    else files.push(path.resolve(argv[i]));
  }
  if (mode !== 'quick' && mode !== 'full') throw new Error(`--mode must be quick or full, got ${mode}.`);
  requireNbconvert(); // says how to install nbconvert before any slow work
  shutDownKernelsOnSignals();
  if (files.length === 0) {
    const dir = path.join(ROOT, 'notebooks');
    files.push(...fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f)));
  }
  const executedDir = path.join(ROOT, 'build', mode === 'full' ? 'executed-full' : 'executed');
  const reportDir = path.join(ROOT, 'build', 'reports');
  if (seeds) return reportSeeds(files, seeds, mode, cellTimeoutMs, executedDir, reportDir);
  let failed = 0;
  for (const file of files) {
    const executed = path.join(executedDir, path.basename(file));
    const result = await runNotebook(file, { mode, cellTimeoutMs, rootDir: ROOT, outputPath: executed });
    if (!result.ok) {
      failed++;
      console.error(result.error);
    }
    // A failed lesson is still exported: the write-up shows how far it got and the error.
    console.log(`  → ${path.relative(ROOT, exportHtml(executed, reportDir))}`);
  }
  if (failed) {
    console.error(`${failed} lesson(s) failed.`);
    process.exitCode = 1;
  }
}

/** npm run report -- --seeds: a write-up per lesson and seed, and a summary page per lesson. */
async function reportSeeds(files: string[], seeds: number[], mode: string, cellTimeoutMs: number | undefined, executedDir: string, reportDir: string): Promise<void> {
  const failures: string[] = [];
  const lines: string[] = [];
  for (const file of files) {
    const lesson = await runOnSeeds(file, seeds, executedDir, { mode, cellTimeoutMs, rootDir: ROOT });
    const reports = new Map<number, string>();
    for (const run of lesson.executed) {
      const html = exportHtml(run.path, path.join(reportDir, `seed-${run.seed}`));
      reports.set(run.seed, path.relative(reportDir, html));
    }
    const summary = path.join(reportDir, `${path.basename(file, '.ipynb')}-seeds-${seeds.join('-')}.html`);
    writeFileAtomic(summary, summaryHtml(lesson, seeds, reports));
    console.log(`  → ${path.relative(ROOT, summary)}`);
    lines.push(...claimTable(lesson, seeds, failures));
  }
  console.log(lines.join('\n'));
  if (failures.length > 0) {
    console.error(`\n${failures.length} problem(s):\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
