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
import { show } from './plot/display';
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
  /** States a conclusion, judges it on this run's figures and shows held / not held (see ./claims.ts). */
  claim(spec: ClaimSpec): ClaimRecord;
  /** Shows the table of this run's figures (averaged over seeds by `npm run report -- --seeds`). */
  figures(rows: FigureRow[]): void;
  /** The claims made so far in this run. */
  readonly claims: readonly ClaimRecord[];
}

/**
 * Share of the quick-mode training images used in quick mode on the pure-JavaScript cpu backend.
 * cpu trains five to fifteen times slower than wasm here (npm run bench), so lesson 01's quick
 * mode, about a minute on wasm, took four minutes on cpu with all its images.
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
  if (!Number.isInteger(options.seed)) throw new Error(`startLesson: seed must be a whole number, got ${options.seed}.`);
  const backend = await setupBackend();
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
  show(
    tableBundle(
      [
        { setting: 'lesson', value: options.title },
        { setting: 'mode', value: options.mode },
        { setting: 'seed', value: options.seed },
        { setting: 'backend', value: backend.backend },
        ...Object.entries(versions).map(([name, version]) => ({ setting: name, value: version })),
        { setting: 'run at', value: new Date().toISOString() },
      ],
      { caption: 'This run' },
    ),
  );
  const quick = options.mode === 'quick';
  if (quick && backend.backend === 'cpu') {
    console.log(
      `Quick mode on the cpu backend: this lesson uses ${100 * CPU_QUICK_IMAGE_SHARE}% of its quick-mode images, in batches ` +
        `${100 * CPU_QUICK_IMAGE_SHARE}% the size (as many training steps, each cheaper), because pure JavaScript trains ` +
        'ten to thirty times slower than wasm. Figures will differ from a wasm run.',
    );
  }
  const run = { lesson: options.title, mode: options.mode, seed: options.seed, backend: backend.backend };
  const claims: ClaimRecord[] = [];
  return {
    ...options,
    quick,
    backend,
    versions,
    pick: <T>(q: T, f: T) => (quick ? q : f),
    images: (q: number, f: number) => lessonImages(options.mode, backend.backend, q, f),
    batch: (size: number) => lessonBatch(options.mode, backend.backend, size),
    claim: (spec: ClaimSpec) => {
      const record = showClaim(spec, run);
      // A cell run again replaces its earlier verdict.
      const earlier = claims.findIndex((c) => c.id === spec.id);
      if (earlier >= 0) claims.splice(earlier, 1, record);
      else claims.push(record);
      return record;
    },
    figures: (rows: FigureRow[]) => showFigures(rows, run),
    claims,
  };
}
