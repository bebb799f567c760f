/**
 * Measures a model after every epoch of train(), e.g. how close lesson 01's copier gets to the
 * identity as it trains:
 *
 *   const track = everyEpoch(() => copyingMeasures(copier, probe));
 *   await train(copier, x, { epochs: 10, callbacks: track });
 *   track.rows; // [{ epoch: 1, gaps, errors }, { epoch: 2, ... }, ...]
 */
import type { EpochRow } from './train';

/** The rows measured so far, and the hook that measures one more. */
export interface EpochTrack<T extends object> {
  /** One row per finished epoch: its 1-based number and what `measure` returned then. */
  readonly rows: ({ epoch: number } & T)[];
  /** train() calls it after every epoch (give the track as one of its callbacks). */
  onEpochEnd: (row: EpochRow) => void;
}

/**
 * A hook for train() that calls `measure` after every epoch and keeps what it returns with the
 * epoch's number. `measure` must return plain numbers (no tensors): it runs once per epoch.
 */
export function everyEpoch<T extends object>(measure: () => T): EpochTrack<T> {
  if (typeof measure !== 'function') throw new Error('everyEpoch: measure must be a function, e.g. () => ({ error: reconstructionError(model, x) }).');
  const rows: ({ epoch: number } & T)[] = [];
  return {
    rows,
    onEpochEnd: (row) => {
      const measured = measure();
      if (typeof measured !== 'object' || measured === null) throw new Error(`everyEpoch: measure returned ${String(measured)}; return an object of figures.`);
      rows.push({ epoch: row.epoch, ...measured });
    },
  };
}
