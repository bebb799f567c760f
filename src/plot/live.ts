/**
 * Charts and a progress line that update in place while train() runs:
 *
 *   const history = await train(ae, x, { epochs: EPOCHS, ...liveTraining({ epochs: EPOCHS }) });
 *
 *   const curves = liveComparison({ title: 'Test error per epoch', yTitle: 'MSE per pixel' });
 *   for (const { name, model } of models) {
 *     await train(model, x, { epochs: EPOCHS, validation, ...curves.track(name, EPOCHS) });
 *   }
 */
import type { BatchInfo, EpochRow, TrainingCallbacks } from '../train/train';
import { HeldOutName, lossComparison, lossCurves, NamedHistory } from './charts';
import { DisplaySink, escapeHtml, LiveOutput, notebookSink } from './display';
import { figureBundle, liveFigureBundle } from './plotly';

/** The progress line is redrawn at most this often (each redraw is a message to the front end). */
const PROGRESS_INTERVAL_MS = 500;
/**
 * A chart is redrawn at most this often, and once more when training ends: short epochs would
 * otherwise send hundreds of growing charts a second for the browser to draw.
 */
const CHART_INTERVAL_MS = 250;

/** The callbacks a live chart gives train(): all three, called without awaiting anything. */
export interface TrainingHooks extends TrainingCallbacks {
  onEpochEnd: (row: EpochRow, rows: EpochRow[]) => void;
  onBatchEnd: (info: BatchInfo) => void;
  onTrainEnd: () => void;
}

/** Runs `draw` at most every `intervalMs` (the first call draws); `flush` draws what was held back. */
function throttled(draw: () => void, intervalMs: number): { request: () => void; flush: () => void; cancel: () => void } {
  let last = -Infinity;
  let held = false;
  const run = () => {
    held = false;
    last = Date.now();
    draw();
  };
  return {
    request: () => {
      if (Date.now() - last >= intervalMs) run();
      else held = true;
    },
    flush: () => {
      if (held) run();
    },
    /** Forgets what was held back (a final frame replaces it). */
    cancel: () => {
      held = false;
    },
  };
}

export interface LiveTrainingOptions {
  /** Total epochs, for "epoch 3 / 10". */
  epochs: number;
  title?: string;
  /** Loss terms to draw (default: all, 'total' left out when it equals 'reconstruction'). */
  terms?: string[];
  /** The loss's unit for the y axis, e.g. 'MSE per pixel' or 'nats per image'. */
  yTitle?: string;
  logY?: boolean;
  /** The held-out curve's name: 'test' (default) or 'validation' when it decides something. */
  heldOut?: HeldOutName;
  sink?: DisplaySink;
  /** Redraw the chart at most this often, in ms (default 250; 0 redraws every epoch). */
  redrawEveryMs?: number;
}

/**
 * An epoch's line: "epoch 2/3: loss 0.0304, test loss 0.0278 (1.8 s)". The total loss is called
 * loss; its parts (reconstruction, a penalty) are listed only when the loss has more than one.
 */
function describeRow(row: EpochRow, epochs: number, heldOut: HeldOutName = 'test'): string {
  const onlyReconstruction = row.total === row.reconstruction && row.val_total === row.val_reconstruction;
  const name = (key: string) => key.replace(/^total$/, 'loss').replace(/^val_total$/, 'val_loss')
    .replace(/^val_/, `${heldOut} `);
  const terms = Object.entries(row)
    .filter(([k]) => k !== 'epoch' && k !== 'seconds')
    .filter(([k]) => !(onlyReconstruction && (k === 'reconstruction' || k === 'val_reconstruction')))
    .map(([k, v]) => `${name(k)} ${v.toPrecision(4)}`)
    .join(', ');
  return `epoch ${row.epoch}/${epochs}: ${terms} (${row.seconds.toFixed(1)} s)`;
}

/** Shows one line of text in `output`, in place of what it showed. */
function showLine(output: LiveOutput, text: string): void {
  output.update({ 'text/plain': text, 'text/html': `<code>${escapeHtml(text)}</code>` });
}

/** A progress line that shows the batch within the epoch, redrawn at most every PROGRESS_INTERVAL_MS. */
function progressLine(output: LiveOutput, epochs: number, label = ''): (info: BatchInfo) => void {
  let last = 0;
  return (info) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS && info.batch !== info.batches - 1) return;
    last = now;
    const text = `training${label ? ` ${label}` : ''}: epoch ${info.epoch}/${epochs}, batch ${info.batch + 1}/${info.batches}`;
    showLine(output, text);
  };
}

export interface TrainingProgressOptions {
  /** Total epochs, for "epoch 3/10". */
  epochs: number;
  /** What is training, e.g. 'VAE, 2 numbers'; it starts the line. */
  label?: string;
  heldOut?: HeldOutName;
  sink?: DisplaySink;
}

/**
 * Hooks for train() that show one line, updated in place: the batch while an epoch runs, then the
 * epoch's losses. For a cell that trains without a chart, so that it is not silent for seconds.
 */
export function trainingProgress(options: TrainingProgressOptions): TrainingCallbacks {
  const line = new LiveOutput(options.sink ?? notebookSink);
  const prefix = options.label ? `${options.label}: ` : '';
  return {
    onBatchEnd: progressLine(line, options.epochs, options.label),
    onEpochEnd: (row) => {
      showLine(line, prefix + describeRow(row, options.epochs, options.heldOut));
    },
  };
}

/** Hooks for train(): a progress line and one model's loss curves, updated in place. */
export function liveTraining(options: LiveTrainingOptions): TrainingHooks {
  const sink = options.sink ?? notebookSink;
  const progress = new LiveOutput(sink);
  const chart = new LiveOutput(sink);
  let rows: EpochRow[] = [];
  // Frames while training, then the last one as a full figure (see plotly.ts: JupyterLab's plotly
  // renderer never redraws an output it drew).
  const draw = (final: boolean) => {
    const last = rows[rows.length - 1];
    const title = options.title ? `Loss per epoch: ${options.title}` : 'Loss per epoch';
    const { terms, yTitle, logY, heldOut } = options;
    const figure = lossCurves(rows, { title, terms, yTitle, logY, heldOut });
    chart.update((final ? figureBundle : liveFigureBundle)(figure, `loss curves after epoch ${last.epoch}`));
  };
  const redraw = throttled(() => draw(false), options.redrawEveryMs ?? CHART_INTERVAL_MS);
  let drawnFinal = false;
  return {
    onBatchEnd: progressLine(progress, options.epochs),
    onEpochEnd: (row, all) => {
      const line = describeRow(row, options.epochs, options.heldOut);
      showLine(progress, line);
      rows = all;
      drawnFinal = false;
      redraw.request();
    },
    onTrainEnd: () => {
      redraw.cancel();
      if (rows.length > 0 && !drawnFinal) draw(true);
      drawnFinal = true;
    },
  };
}

export interface LiveComparisonOptions {
  title: string;
  /** The loss term compared (default 'total'). */
  term?: string;
  yTitle?: string;
  logY?: boolean;
  /** The held-out curves' name: 'test' (default) or 'validation' when they decide something. */
  heldOut?: HeldOutName;
  sink?: DisplaySink;
  /** Redraw the chart at most this often, in ms (default 250; 0 redraws every epoch). */
  redrawEveryMs?: number;
}

/** One chart that overlays the loss curves of several models as each one trains. */
export class LiveComparison {
  /** Every tracked model's rows so far, in the order they were tracked. */
  readonly histories: NamedHistory[] = [];
  private readonly chart: LiveOutput;
  private readonly progress: LiveOutput;
  private readonly redraw: { request: () => void; flush: () => void; cancel: () => void };

  constructor(private readonly options: LiveComparisonOptions) {
    const sink = options.sink ?? notebookSink;
    this.progress = new LiveOutput(sink);
    this.chart = new LiveOutput(sink);
    this.redraw = throttled(() => this.draw(false), options.redrawEveryMs ?? CHART_INTERVAL_MS);
  }

  /** A frame while training, or (final) the whole figure (see plotly.ts). */
  private draw(final: boolean): void {
    const { title, term, yTitle, logY, heldOut } = this.options;
    const count = this.histories.length;
    const figure = lossComparison(this.histories, { title, term, yTitle, logY, heldOut });
    this.chart.update((final ? figureBundle : liveFigureBundle)(figure, `${title} (${count} model${count === 1 ? '' : 's'})`));
  }

  /** Draws the whole figure now, in place of any frame held back. */
  private drawFinal(): void {
    this.redraw.cancel();
    this.draw(true);
  }

  /** Puts a model trained earlier on the chart, from its history's rows (`(await train(...)).rows`). */
  add(name: string, rows: EpochRow[]): void {
    this.checkNew(name);
    if (rows.length === 0) throw new Error(`liveComparison: ${name} has no epochs to draw.`);
    this.histories.push({ name, rows: rows.map((row) => ({ ...row })) });
    this.drawFinal();
  }

  private checkNew(name: string): void {
    if (this.histories.some((h) => h.name === name)) throw new Error(`liveComparison: ${name} is already on this chart; give each model its own name.`);
  }

  /** Hooks for training the model called `name` for `epochs` epochs. */
  track(name: string, epochs: number): TrainingHooks {
    this.checkNew(name);
    const history: NamedHistory = { name, rows: [] };
    this.histories.push(history);
    return {
      onBatchEnd: progressLine(this.progress, epochs, name),
      onEpochEnd: (row) => {
        history.rows.push({ ...row });
        const line = `${name}: ${describeRow(row, epochs, this.options.heldOut)}`;
        showLine(this.progress, line);
        this.redraw.request();
      },
      onTrainEnd: () => this.drawFinal(),
    };
  }
}

/** A chart overlaying several models' loss curves, each added live by `track(name, epochs)`. */
export function liveComparison(options: LiveComparisonOptions): LiveComparison {
  return new LiveComparison(options);
}
