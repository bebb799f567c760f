/**
 * The first code cell of every lesson:
 *
 *   const lesson = await startLesson({ title: '01 The bottleneck', seed: SEED, mode: MODE });
 *
 * It picks the backend, loads the charting library once for the whole notebook, and prints what
 * a reproducible write-up must state: seed, mode, backend and package versions.
 */
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs';
import { BackendReport, setupBackend } from './backend';
import { ClaimRecord, ClaimSpec, FigureRow, showClaim, showFigures } from './claims';
import type { Judgement } from './comparisons';
import { escapeHtml, show } from './plot/display';
import { LessonScope } from './lessonScope';
import { checkSeed } from './models/options';
import { plotlyLibraryBundle, plotlyVersion } from './plot/plotly';
import { tableBundle } from './plot/table';

export type LessonMode = 'quick' | 'full';

export interface LessonOptions {
  title: string;
  seed: number;
  /** 'quick': small data and few epochs (CI, a first look); 'full': the figures the lesson discusses. */
  mode: LessonMode;
}

export interface Lesson extends LessonOptions {
  quick: boolean;
  backend: BackendReport;
  versions: Record<string, string>;
  /** Picks the quick or the full value: lesson.pick(2, 30). */
  pick<T>(quick: T, full: T): T;
  /**
   * Picks a number of images (to train or test on) like pick(), except that quick mode on the cpu
   * backend takes CPU_QUICK_IMAGE_SHARE of the quick value, so that a quick lesson stays short there.
   */
  images(quick: number, full: number): number;
  /**
   * A batch size for training on lesson.images(): `size`, except in quick mode on cpu, where it is
   * scaled by CPU_QUICK_IMAGE_SHARE like the images, so that an epoch has as many training steps
   * as on the other backends (and each step costs a quarter as much).
   */
  batch(size: number): number;
  /**
   * A key conclusion, judged on this run's figures: ✔ held or ✘ not held (`npm test` fails when a
   * key claim does not hold). `judgement` usually comes from below() / above() / allOf() in
   * ./comparisons, which name their figures. The older one-object form (a ClaimSpec) also works.
   */
  claim(id: string, statement: string, judgement: Judgement): void;
  claim(spec: ClaimSpec): void;
  /**
   * A conclusion that needs full mode's data and epochs: key in full mode; in quick mode a neutral
   * box says that full mode checks it and what this run measured.
   */
  claimInFullMode(id: string, statement: string, judgement: Judgement): void;
  /** An outcome that can go either way: a neutral "On this run: yes / no" box, never ✔ or ✘. */
  outcome(id: string, statement: string, judgement: Judgement): void;
  /**
   * Starts a section of the lesson: the tensors the previous section made are released (tensors
   * made before the first section, such as the data, and model weights are not). lesson.keep(x)
   * keeps a tensor, or an object's tensors, for later sections.
   */
  section(title: string): void;
  /** Keeps a tensor (or the tensors of an array or object, one level deep) past its section. */
  keep<T>(value: T): T;
  /**
   * Shows the table of this run's figures (averaged over seeds by `npm run report -- --seeds`). A
   * section a reader may skip ends with its own call, captioned 'The figures of this section', so
   * that the lesson's last call names no variable of it; the records join every table.
   */
  figures(rows: FigureRow[], options?: { section?: boolean }): void;
  /** The claims made so far in this run. */
  readonly claims: readonly ClaimRecord[];
}

/**
 * Share of the quick-mode training images used in quick mode on the pure-JavaScript cpu backend.
 * cpu trains many times slower than wasm (npm run bench measures it; MAINTAINING.md quotes it), so
 * lesson 01's quick mode, about a minute on wasm, took four minutes on cpu with all its images.
 */
export const CPU_QUICK_IMAGE_SHARE = 0.25;

/** The smallest batch lesson.batch() gives. */
export const MIN_LESSON_BATCH = 8;

/** lesson.batch() as a plain function of mode and backend. */
export function lessonBatch(mode: LessonMode, backend: string, size: number): number {
  if (!(Number.isInteger(size) && size > 0)) throw new Error(`lesson.batch: size must be a whole number > 0, got ${size}.`);
  if (mode === 'full' || backend !== 'cpu') return size;
  return Math.max(Math.min(size, MIN_LESSON_BATCH), Math.round(size * CPU_QUICK_IMAGE_SHARE));
}

/** lesson.images() as a plain function of mode and backend. */
export function lessonImages(mode: LessonMode, backend: string, quick: number, full: number): number {
  if (mode === 'full') return full;
  return backend === 'cpu' ? Math.max(1, Math.round(quick * CPU_QUICK_IMAGE_SHARE)) : quick;
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export async function startLesson(options: LessonOptions): Promise<Lesson> {
  if (options.mode !== 'quick' && options.mode !== 'full') {
    throw new Error(`startLesson: mode must be 'quick' or 'full', got ${String(options.mode)}.`);
  }
  checkSeed('startLesson', options.seed);
  const backend = await setupBackend({ log: () => {} }); // its report goes into the run header
  show(plotlyLibraryBundle());
  const versions: Record<string, string> = {
    node: process.versions.node,
    '@tensorflow/tfjs': tf.version.tfjs,
    '@tensorflow/tfjs-backend-wasm': packageVersion('@tensorflow/tfjs-backend-wasm'),
    '@tensorflow/tfjs-node': packageVersion('@tensorflow/tfjs-node'),
    tslab: packageVersion('tslab'),
    'plotly.js': plotlyVersion(),
    'danfojs-node': packageVersion('danfojs-node'),
  };
  show(runHeaderBundle(options, backend.backend, versions, new Date(), backend.summary));
  const quick = options.mode === 'quick';
  if (quick && backend.backend === 'cpu') {
    console.log(
      `Quick mode on the cpu backend: this lesson uses ${100 * CPU_QUICK_IMAGE_SHARE}% of its quick-mode images, in batches ` +
        `${100 * CPU_QUICK_IMAGE_SHARE}% the size (as many training steps, each cheaper), because pure JavaScript trains ` +
        'much slower than wasm (npm run bench measures how much). Figures will differ from a wasm run.',
    );
  }
  const run = { lesson: options.title, mode: options.mode, seed: options.seed, backend: backend.backend };
  const claims: ClaimRecord[] = [];
  const record = (spec: ClaimSpec) => {
    const shown = showClaim(spec, run);
    // A cell run again replaces its earlier verdict.
    const earlier = claims.findIndex((c) => c.id === spec.id);
    if (earlier >= 0) claims.splice(earlier, 1, shown);
    else claims.push(shown);
  };
  const scope = new LessonScope();
  return {
    ...options,
    quick,
    backend,
    versions,
    pick: <T>(q: T, f: T) => (quick ? q : f),
    images: (q: number, f: number) => lessonImages(options.mode, backend.backend, q, f),
    batch: (size: number) => lessonBatch(options.mode, backend.backend, size),
    claim: (first: string | ClaimSpec, statement?: string, judgement?: Judgement) => {
      record(typeof first === 'string' ? { id: first, statement: statement!, ...judgement!, key: true } : first);
    },
    claimInFullMode: (id: string, statement: string, judgement: Judgement) => {
      record({ id, statement, ...judgement, key: 'full' });
    },
    outcome: (id: string, statement: string, judgement: Judgement) => {
      record({ id, statement, ...judgement, key: false });
    },
    section: (title: string) => scope.begin(title),
    keep: <T>(value: T) => scope.keep(value),
    figures: (rows: FigureRow[], options: { section?: boolean } = {}) => {
      scope.end();
      showFigures(rows, run, options.section ? 'The figures of this section' : undefined);
    },
    claims,
  };
}

/** When a run happened, to the minute, in UTC. */
function minute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The run header: one line (lesson, mode, seed, backend, time); why this backend and with which
 * kernels (`backendReport`, setupBackend's line), and the package versions, one click away (an
 * HTML <details>), so that a write-up states what reproduces it without a 13-row table and a
 * projected lesson opens on one plain line. The text form carries everything.
 */
export function runHeaderBundle(
  options: LessonOptions, backend: string, versions: Record<string, string>, at: Date, backendReport = '',
): { 'text/html': string; 'text/plain': string } {
  const line = `${options.title} · ${options.mode} mode · seed ${options.seed} · ${backend} · ${minute(at)}`;
  const rows = Object.entries(versions).map(([name, version]) => ({ package: name, version }));
  const table = tableBundle(rows, { caption: 'Versions' })['text/html'];
  const versionText = Object.entries(versions).map(([name, version]) => `${name} ${version}`).join(', ');
  return {
    'text/html': `<details class="ae-run" style="font-family:sans-serif;font-size:12px;color:#555">` +
      `<summary>This run: ${escapeHtml(line)} (${backendReport ? 'backend and ' : ''}versions)</summary>` +
      `${backendReport ? `<p>${escapeHtml(backendReport)}</p>` : ''}${table}</details>`,
    'text/plain': `This run: ${line}\n  ${backendReport ? `${backendReport}\n  ` : ''}${versionText}`,
  };
}
