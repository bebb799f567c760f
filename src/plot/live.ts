/**
 * A loss chart and a progress line that update in place while train() runs:
 *
 *   const history = await train(ae, x, { epochs: EPOCHS, ...liveTraining({ epochs: EPOCHS }) });
 */
import type { BatchInfo, EpochRow } from '../train/train';
import { lossCurves } from './charts';
import { DisplaySink, LiveOutput, notebookSink } from './display';
import { figureBundle } from './plotly';

/** The progress line is redrawn at most this often (each redraw is a message to the front end). */
const PROGRESS_INTERVAL_MS = 500;

export interface LiveTrainingOptions {
  /** Total epochs, for "epoch 3 / 10". */
  epochs: number;
  title?: string;
  /** Loss terms to draw (default: all). */
  terms?: string[];
  logY?: boolean;
  sink?: DisplaySink;
}

function describeRow(row: EpochRow, epochs: number): string {
  const terms = Object.entries(row)
    .filter(([k]) => k !== 'epoch' && k !== 'seconds')
    .map(([k, v]) => `${k} ${v.toPrecision(4)}`)
    .join(', ');
  return `epoch ${row.epoch}/${epochs}: ${terms} (${row.seconds.toFixed(1)} s)`;
}

/** Hooks for train(): { onEpochEnd, onBatchEnd }. */
export function liveTraining(options: LiveTrainingOptions): {
  onEpochEnd: (row: EpochRow, rows: EpochRow[]) => void;
  onBatchEnd: (info: BatchInfo) => void;
} {
  const sink = options.sink ?? notebookSink;
  const progress = new LiveOutput(sink);
  const chart = new LiveOutput(sink);
  let lastProgress = 0;
  return {
    onBatchEnd: (info) => {
      const now = Date.now();
      if (now - lastProgress < PROGRESS_INTERVAL_MS && info.batch !== info.batches - 1) return;
      lastProgress = now;
      const text = `training: epoch ${info.epoch}/${options.epochs}, batch ${info.batch + 1}/${info.batches}`;
      progress.update({ 'text/plain': text, 'text/html': `<code>${text}</code>` });
    },
    onEpochEnd: (row, rows) => {
      const line = describeRow(row, options.epochs);
      progress.update({ 'text/plain': line, 'text/html': `<code>${line}</code>` });
      chart.update(figureBundle(lossCurves(rows, { title: options.title, terms: options.terms, logY: options.logY }), `loss curves after epoch ${row.epoch}`));
    },
  };
}
