/**
 * Running each lesson on several seeds (`--seeds 1,2,3` of npm run lessons and npm run report):
 * the executed copies go to <out>/seed-<n>/, and a table per lesson says on how many seeds each
 * claim held. A key claim that failed on any seed, or a run that failed, makes the command fail.
 */
import * as path from 'path';
import { ClaimTally, RunRecords, tallyClaims } from './records';
import { RunOptions, runNotebook } from './runNotebook';

/** The seeds of `--seeds 1,2,3`: distinct whole numbers. */
export function parseSeeds(text: string | undefined): number[] {
  const seeds = (text ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s)) || new Set(seeds).size !== seeds.length) {
    throw new Error(`--seeds takes distinct whole numbers separated by commas, e.g. --seeds 1,2,3; got ${text ?? 'nothing'}.`);
  }
  return seeds;
}

export interface LessonRuns {
  file: string;
  runs: RunRecords[];
  /** Executed copy of each seed's run. */
  executed: { seed: number; path: string; ok: boolean; error?: string; seconds: number }[];
}

/** Runs one lesson once per seed; `executedDir` gets a seed-<n> folder per seed. */
export async function runOnSeeds(
  file: string,
  seeds: number[],
  executedDir: string,
  options: Omit<RunOptions, 'outputPath' | 'parameters'> & { parameters?: RunOptions['parameters'] },
): Promise<LessonRuns> {
  const result: LessonRuns = { file, runs: [], executed: [] };
  for (const seed of seeds) {
    const outputPath = path.join(executedDir, `seed-${seed}`, path.basename(file));
    const run = await runNotebook(file, { ...options, parameters: { ...options.parameters, SEED: seed }, outputPath });
    result.runs.push(run.records);
    result.executed.push({ seed, path: outputPath, ok: run.ok, error: run.error, seconds: run.seconds });
    if (!run.ok) console.error(run.error);
  }
  return result;
}

/** Lines of the per-lesson claim table; `failures` collects what should fail the command. */
export function claimTable(lesson: LessonRuns, seeds: number[], failures: string[]): string[] {
  const name = path.basename(lesson.file);
  const lines = [`\n${name}: claims held on how many of seeds ${seeds.join(', ')}`];
  for (const run of lesson.executed.filter((r) => !r.ok)) failures.push(`${name} failed to run on seed ${run.seed}`);
  const tallies: ClaimTally[] = tallyClaims(lesson.runs);
  if (tallies.length === 0) lines.push('  (no claims)');
  for (const t of tallies) {
    const key = t.key ? 'key' : t.keyIn === 'full' ? 'full' : '   ';
    const mark = t.held === t.runs ? ' ' : t.key ? '✘' : '·';
    lines.push(`  ${mark} ${String(t.held).padStart(2)}/${t.runs}  ${key}  ${t.id}: ${t.statement}`);
    if (t.key && t.held < t.runs) failures.push(`${name}: key claim ${t.id} failed on seed(s) ${t.failedSeeds.join(', ')}`);
  }
  return lines;
}
