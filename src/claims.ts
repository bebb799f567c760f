/**
 * Claims as code: every conclusion a lesson's prose draws from a result is stated once, judged on
 * this run's numbers, and shown inline as held or not held, with the figures it was judged on.
 *
 *   lesson.claim({
 *     id: 'bottleneck-beats-copier-on-noise',
 *     statement: 'The bottleneck model rebuilds pure noise worse than the copier does.',
 *     holds: noiseError.bottleneck > noiseError.copier,
 *     figures: { 'bottleneck noise MSE': noiseError.bottleneck, 'copier noise MSE': noiseError.copier },
 *   });
 *
 * `key` says whether the lesson's story depends on it: a key claim that does not hold fails
 * `npm test` (quick mode) and `npm run lessons -- --seeds ...`. `key: 'full'` marks an effect that
 * needs full mode's data and epochs: in quick mode it is shown and recorded but not key. `key: false`
 * is for results that can go either way (the prose explains both; the claim says which happened).
 *
 * Each claim is also written as a machine-readable output (CLAIM_MIME), which the notebook runner
 * collects into the executed notebook's metadata and a JSON file per run under build/.
 */
import * as tf from '@tensorflow/tfjs';
import type { FigureRow, FigureValue } from './comparisons';
import { escapeHtml, MimeBundle, show } from './plot/display';
import { boxHtml } from './plot/box';
import { tableBundle } from './plot/table';

/** MIME type of a claim's machine-readable output. */
export const CLAIM_MIME = 'application/vnd.autoencoder-lessons.claim+json';
/** MIME type of a lesson's "figures of this run" table. */
export const FIGURES_MIME = 'application/vnd.autoencoder-lessons.figures+json';


/** The lesson and run a claim belongs to. */
export interface RunContext {
  lesson: string;
  mode: 'quick' | 'full';
  seed: number;
  backend: string;
}

export interface ClaimSpec {
  /** A short id, stable across runs: 'copier-is-identity-on-data'. */
  id: string;
  /** The sentence the lesson asserts, as a reader sees it. */
  statement: string;
  /** Whether it held on this run's numbers. */
  holds: boolean;
  /** The figures it was judged on, by name. */
  figures: Record<string, FigureValue>;
  /** true (default): must hold in every mode; 'full': only in full mode; false: reported only. */
  key?: boolean | 'full';
}

export interface ClaimRecord extends RunContext {
  id: string;
  statement: string;
  holds: boolean;
  /** Whether this claim is key in this run's mode. */
  key: boolean;
  /** The spec's key setting, for the multi-seed summary. */
  keyIn: 'both' | 'full' | 'none';
  figures: Record<string, FigureValue>;
}

/** The figures table's record also says how much TensorFlow.js memory the lesson holds at that point. */
export interface MemoryRecord {
  tensors: number;
  bytes: number;
}


export type { FigureRow, FigureValue };

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function checkSpec(spec: ClaimSpec): void {
  if (!ID_PATTERN.test(spec.id ?? '')) throw new Error(`claim: id must be lower-case words joined by hyphens, e.g. 'copier-is-identity', got ${JSON.stringify(spec.id)}.`);
  if (typeof spec.statement !== 'string' || spec.statement.trim() === '') throw new Error(`claim ${spec.id}: statement must be a sentence.`);
  if (typeof spec.holds !== 'boolean') throw new Error(`claim ${spec.id}: holds must be true or false, got ${String(spec.holds)}.`);
  if (typeof spec.figures !== 'object' || spec.figures === null || Object.keys(spec.figures).length === 0) {
    throw new Error(`claim ${spec.id}: give the figures it was judged on, e.g. { 'test MSE': 0.012 }.`);
  }
  for (const [name, value] of Object.entries(spec.figures)) {
    if (!['number', 'string', 'boolean'].includes(typeof value)) throw new Error(`claim ${spec.id}: figure '${name}' must be a number, text or true/false.`);
  }
  if (![true, false, 'full', undefined].includes(spec.key)) throw new Error(`claim ${spec.id}: key must be true, false or 'full'.`);
}

/** How a figure is printed next to a claim. */
export function formatFigure(value: FigureValue): string {
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6) ? value.toExponential(3) : value.toPrecision(4);
}

/** The record of a claim in a run. */
export function claimRecord(spec: ClaimSpec, run: RunContext): ClaimRecord {
  checkSpec(spec);
  const keyIn = spec.key === false ? 'none' : spec.key === 'full' ? 'full' : 'both';
  const key = keyIn === 'both' || (keyIn === 'full' && run.mode === 'full');
  return { ...run, id: spec.id, statement: spec.statement, holds: spec.holds, key, keyIn, figures: { ...spec.figures } };
}

/** The three kinds of box a reader sees. */
export type BoxKind = 'verdict' | 'full-mode-only' | 'outcome';

/**
 * Which box a claim shows: a key claim shows ✔ held / ✘ not held; a claim that needs full mode,
 * in quick mode, shows a neutral box saying full mode checks it and what this run measured; an
 * outcome that can go either way shows a neutral "On this run" box, never ✔ or ✘.
 */
export function boxKind(record: ClaimRecord): BoxKind {
  if (record.keyIn === 'none') return 'outcome';
  if (record.keyIn === 'full' && record.mode === 'quick') return 'full-mode-only';
  return 'verdict';
}

const NEUTRAL = '#57606a';

/** The bundle shown for a claim: its box, its named figures, and the machine-readable record. */
export function claimBundle(record: ClaimRecord): MimeBundle {
  const kind = boxKind(record);
  const figures = Object.entries(record.figures).map(([name, value]) => `${name} = ${formatFigure(value)}`);
  let mark: string;
  let head: string;
  let colour: string;
  let note = '';
  if (kind === 'verdict') {
    mark = record.holds ? '✔' : '✘';
    head = record.holds ? 'Held' : 'Not held in this run';
    colour = record.holds ? '#1a7f37' : '#cf222e';
  } else if (kind === 'outcome') {
    mark = '◆';
    head = `On this run: ${record.holds ? 'yes' : 'no'}`;
    colour = NEUTRAL;
  } else {
    mark = '◇';
    head = 'Full mode checks this';
    colour = NEUTRAL;
    note = record.holds
      ? 'This quick run already shows it.'
      : 'This quick run trains too little to show it yet; run MODE = \'full\' to see it.';
  }
  const html = boxHtml({
    colour,
    head: `${mark} ${head}`,
    body: escapeHtml(record.statement) + (note ? ` <i style="color:${NEUTRAL}">${escapeHtml(note)}</i>` : ''),
    detail: escapeHtml(figures.join('; ')),
    attributes: `class="ae-claim" data-claim="${escapeHtml(record.id)}" data-holds="${record.holds}" data-kind="${kind}"`,
  });
  const text = `${mark} ${head}: ${record.statement}${note ? ` ${note}` : ''}\n  (${figures.join('; ')})`;
  return { [CLAIM_MIME]: record, 'text/html': html, 'text/plain': text };
}

/** Judges, shows and returns a claim. */
export function showClaim(spec: ClaimSpec, run: RunContext): ClaimRecord {
  const record = claimRecord(spec, run);
  show(claimBundle(record));
  return record;
}

/** Shows the "figures of this run" table, with its machine-readable copy for multi-seed summaries. */
export function showFigures(rows: FigureRow[], run: RunContext, caption = 'The figures of this run'): void {
  if (!Array.isArray(rows) || rows.length === 0) throw new Error('figures: give at least one { figure, value } row.');
  const names = new Set<string>();
  for (const row of rows) {
    if (typeof row.figure !== 'string' || row.figure === '') throw new Error('figures: every row needs a figure name.');
    if (names.has(row.figure)) throw new Error(`figures: '${row.figure}' is listed twice.`);
    names.add(row.figure);
    if (!['number', 'string', 'boolean'].includes(typeof row.value)) throw new Error(`figures: '${row.figure}' must be a number, text or true/false.`);
    if (typeof row.value === 'number' && !Number.isFinite(row.value)) throw new Error(`figures: '${row.figure}' is ${row.value}.`);
  }
  const table = tableBundle(rows.map((r) => ({ figure: r.figure, value: r.value })), { caption });
  const { numTensors, numBytes } = tf.memory();
  const memory: MemoryRecord = { tensors: numTensors, bytes: numBytes };
  show({ ...table, [FIGURES_MIME]: { ...run, rows, memory } });
}
