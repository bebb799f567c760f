/**
 * Early stopping for train(): watch one loss per epoch, stop when it has not improved for
 * `patience` epochs, and keep the best epoch's weights to put back.
 *
 *   await train(ae, x, { validation: xTest, earlyStopping: { patience: 3 } });
 */
import * as tf from '@tensorflow/tfjs';
import { valueText } from '../valueText';

export interface EarlyStopping {
  /** Epochs without improvement before training stops. */
  patience: number;
  /** An improvement smaller than this does not count. Default 0. */
  minDelta?: number;
  /** Put the best epoch's weights back when training stops (also on NaN or an interrupt). Default true. */
  restoreBest?: boolean;
}

const KEYS = ['patience', 'minDelta', 'restoreBest'];

/** Throws, naming the field and what it takes, unless `e` is a valid EarlyStopping. */
export function checkEarlyStopping(e: EarlyStopping): void {
  if (typeof e !== 'object' || e === null) throw new Error(`train: earlyStopping must be an object such as { patience: 3 }, got ${valueText(e)}.`);
  for (const key of Object.keys(e)) {
    if (!KEYS.includes(key)) throw new Error(`train: unknown earlyStopping option '${key}'. Known: ${KEYS.join(', ')}.`);
  }
  if (!(Number.isInteger(e.patience) && e.patience > 0)) throw new Error(`train: earlyStopping.patience must be a whole number > 0, got ${valueText(e.patience)}.`);
  if (e.minDelta !== undefined && !(Number.isFinite(e.minDelta) && e.minDelta >= 0)) {
    throw new Error(`train: earlyStopping.minDelta must be a number ≥ 0, got ${valueText(e.minDelta)}.`);
  }
  if (e.restoreBest !== undefined && typeof e.restoreBest !== 'boolean') {
    throw new Error(`train: earlyStopping.restoreBest must be true or false, got ${valueText(e.restoreBest)}.`);
  }
}

/** The best epoch so far of one monitored loss, and (with restoreBest) a copy of its weights. */
export class BestEpoch {
  private best = Infinity;
  private bestEpoch = 0;
  private sinceBest = 0;
  private weights?: tf.Tensor[];
  /** The epoch whose weights were put back, once they were. */
  restoredEpoch?: number;

  /** `settings` undefined: no early stopping (restore() then keeps the last weights). */
  constructor(private readonly settings: EarlyStopping | undefined, readonly monitor: string, private readonly variables: tf.Variable[]) {}

  private get restores(): boolean {
    return this.settings !== undefined && this.settings.restoreBest !== false;
  }

  /** Takes an epoch's value of the monitored loss; returns why training should stop, or undefined. */
  update(epoch: number, value: number): string | undefined {
    if (!this.settings) return undefined;
    if (value < this.best - (this.settings.minDelta ?? 0)) {
      [this.best, this.bestEpoch, this.sinceBest] = [value, epoch, 0];
      if (this.restores) {
        tf.dispose(this.weights ?? []);
        this.weights = this.variables.map((v) => v.clone());
      }
      return undefined;
    }
    if (++this.sinceBest < this.settings.patience) return undefined;
    const { patience } = this.settings;
    return `early stop after epoch ${epoch}: ${this.monitor} did not improve for ${patience} epochs ` +
      `(best ${this.best.toPrecision(4)} in epoch ${this.bestEpoch})`;
  }

  /** Puts the best epoch's weights back, if they were kept; says what the model now holds. */
  restore(): string {
    if (!this.weights) return 'the model keeps the weights of the last finished step';
    this.variables.forEach((v, i) => v.assign(this.weights![i]));
    this.restoredEpoch = this.bestEpoch;
    return `the model has the weights of epoch ${this.bestEpoch}, the best (${this.monitor} ${this.best.toPrecision(4)})`;
  }

  /** True when restore() would put weights back. */
  get holdsWeights(): boolean {
    return this.weights !== undefined;
  }

  dispose(): void {
    tf.dispose(this.weights ?? []);
    this.weights = undefined;
  }
}
