/**
 * What a lesson run records beyond its outputs: its claims (held or not, with their figures) and
 * its "figures of this run" table, both written by the lesson as machine-readable outputs
 * (src/claims.ts). The runner collects them into the executed notebook's metadata and a JSON
 * file per run; the multi-seed commands summarise them.
 */
import * as path from 'path';
import { CLAIM_MIME, ClaimRecord, FigureRow, FIGURES_MIME, MemoryRecord, RunContext } from '../../src/claims';
import { writeFileAtomic } from '../../src/files/atomicFiles';
import type { Notebook } from './runNotebook';

/** The metadata key of the records in an executed notebook. */
export const RECORDS_KEY = 'autoencoder-lessons';

export interface FiguresRecord extends RunContext {
  rows: FigureRow[];
  /** TensorFlow.js memory when the table was shown (the lesson test bounds it: no leaks). */
  memory?: MemoryRecord;
}

export interface RunRecords {
  /** The notebook's file name. */
  notebook: string;
  /** Whether every cell ran. */
  ok: boolean;
  claims: ClaimRecord[];
  figures?: FiguresRecord;
}

/**
 * Every claim (the last one of each id), and the figures of every figures table among a notebook's
 * outputs, in order, as one table (a skippable section shows its own; a figure listed again keeps
 * its latest value). The run facts and the memory are the last table's.
 */
export function collectRecords(notebook: Notebook, name: string, ok: boolean): RunRecords {
  const claims = new Map<string, ClaimRecord>();
  let figures: FiguresRecord | undefined;
  for (const cell of notebook.cells) {
    for (const output of cell.outputs ?? []) {
      const data = output.data as Record<string, unknown> | undefined;
      if (!data) continue;
      const claim = data[CLAIM_MIME] as ClaimRecord | undefined;
      if (claim) {
        claims.delete(claim.id); // a repeated id keeps its latest place and verdict
        claims.set(claim.id, claim);
      }
      const table = data[FIGURES_MIME] as FiguresRecord | undefined;
      if (table) {
        const rows = [...(figures?.rows ?? []).filter((r) => !table.rows.some((t) => t.figure === r.figure)), ...table.rows];
        figures = { ...table, rows };
      }
    }
  }
  return { notebook: name, ok, claims: [...claims.values()], figures };
}

/** build/runs/<lesson>/<mode>-<backend>-seed<seed>.json, from the run's own records. */
export function recordsPath(dir: string, records: RunRecords): string | undefined {
  const run = records.figures ?? records.claims[0];
  if (!run) return undefined;
  const lesson = records.notebook.replace(/\.ipynb$/, '');
  return path.join(dir, lesson, `${run.mode}-${run.backend}-seed${run.seed}.json`);
}

/** Writes the records as JSON (atomically); returns the path, or undefined when there are none. */
export function writeRecords(dir: string, records: RunRecords): string | undefined {
  const file = recordsPath(dir, records);
  if (file) writeFileAtomic(file, JSON.stringify(records, null, 1) + '\n');
  return file;
}

/** Key claims that did not hold, as lines for an error message. */
export function brokenKeyClaims(records: RunRecords): string[] {
  return records.claims.filter((c) => c.key && !c.holds).map((c) => `${c.id}: ${c.statement} (${JSON.stringify(c.figures)})`);
}

export interface ClaimTally {
  id: string;
  statement: string;
  /** 'both', 'full' or 'none', as the lesson marked it. */
  keyIn: ClaimRecord['keyIn'];
  /** Whether it is key in the runs tallied. */
  key: boolean;
  held: number;
  runs: number;
  /** Seeds it did not hold on. */
  failedSeeds: number[];
}

/** Per claim (in the lessons' order), on how many of the runs it held. */
export function tallyClaims(runs: RunRecords[]): ClaimTally[] {
  const tallies = new Map<string, ClaimTally>();
  for (const run of runs) {
    for (const claim of run.claims) {
      const tally = tallies.get(claim.id) ?? { id: claim.id, statement: claim.statement, keyIn: claim.keyIn, key: false, held: 0, runs: 0, failedSeeds: [] };
      tally.key ||= claim.key;
      tally.runs += 1;
      if (claim.holds) tally.held += 1;
      else tally.failedSeeds.push(claim.seed);
      tallies.set(claim.id, tally);
    }
  }
  return [...tallies.values()];
}

export interface FigureSummary {
  figure: string;
  /** Numbers: mean, sample standard deviation and count; text: each distinct value with its count. */
  mean?: number;
  sd?: number;
  n: number;
  values: (number | string | boolean)[];
}

/** Per figure of the "figures of this run" tables: mean ± standard deviation over the runs. */
export function summariseFigures(runs: RunRecords[]): FigureSummary[] {
  const byName = new Map<string, (number | string | boolean)[]>();
  for (const run of runs) {
    for (const row of run.figures?.rows ?? []) byName.set(row.figure, [...(byName.get(row.figure) ?? []), row.value]);
  }
  return [...byName.entries()].map(([figure, values]) => {
    const numbers = values.filter((v): v is number => typeof v === 'number');
    if (numbers.length !== values.length || numbers.length === 0) return { figure, n: values.length, values };
    const mean = numbers.reduce((a, b) => a + b, 0) / numbers.length;
    const sd = numbers.length > 1 ? Math.sqrt(numbers.reduce((a, b) => a + (b - mean) ** 2, 0) / (numbers.length - 1)) : 0;
    return { figure, mean, sd, n: numbers.length, values };
  });
}
