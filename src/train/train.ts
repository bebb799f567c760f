/**
 * The one training loop, for every model in this library.
 *
 *   const history = await train(ae, data.train.x, { epochs: 10, validation: data.test.x });
 *
 * Each step: take a batch (sliced on the backend), optionally corrupt it (denoising), ask the
 * model for its loss terms, and let the optimiser follow the gradient of `total` — the article's
 * "encode, decode, back-propagate the error", repeated. Loss values stay on the backend and are
 * read back once per epoch (reading them every batch would stall the pipeline), unless a batch
 * hook asks for them. The loop yields to the event loop every YIELD_INTERVAL_MS and stops when the
 * kernel is interrupted (see ./interrupt.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { createOptimizer, OptimizerName, OPTIMIZER_NAMES } from '../backend/optimizer';
import { checkCorruption, corrupt, Corruption } from '../data/corruption';
import { checkInputShape, TrainableModel } from '../models/model';
import { checkSeed } from '../models/options';
import { printsAs } from '../printsAs';
import { deriveSeed, shuffledIndices } from '../random';
import { valueText } from '../valueText';
import { BestEpoch, checkEarlyStopping, EarlyStopping } from './earlyStopping';
import { InterruptWatch, TrainingInterrupted, watchInterrupts } from './interrupt';

export { TrainingInterrupted };

/** Samples per batch when a loss is only evaluated (no gradients): validation and test losses. */
export const DEFAULT_EVALUATION_BATCH = 500;

export type { OptimizerName };

export interface EpochRow {
  /** 1-based epoch number. */
  epoch: number;
  /** Wall-clock seconds the epoch took (training and validation). */
  seconds: number;
  /** Mean of each loss term over the epoch's training batches ('total', 'reconstruction', ...). */
  [term: string]: number;
}

export interface BatchInfo {
  epoch: number;
  /** 0-based batch index within the epoch. */
  batch: number;
  batches: number;
  /** The batch's loss terms, only on batches where `batchLossEvery` asks for them. */
  loss?: Record<string, number>;
}

export interface TrainOptions {
  /** Passes over the data. Default 10. */
  epochs: number;
  /** Samples per gradient step. Default 64. */
  batchSize: number;
  /** Step size. Default 1e-3. */
  learningRate: number;
  /** 'adam' (default), 'sgd' or 'rmsprop'. */
  optimizer: OptimizerName;
  /** Held-out inputs: their loss terms are reported per epoch as val_<term>. */
  validation?: tf.Tensor;
  /** Targets when they are not the inputs themselves. Default: the inputs (an auto-encoder). */
  target?: tf.Tensor;
  /** The validation inputs' targets; required with `target` and `validation`. Default: the validation inputs. */
  validationTarget?: tf.Tensor;
  /** Seed of shuffling, corruption and any sampling in the loss. Default 0. */
  seed: number;
  /** Shuffle the samples every epoch. Default true. */
  shuffle: boolean;
  /** Corrupt each batch's input and train to reproduce the clean batch (denoising). */
  corruption?: Corruption;
  /**
   * Stop when the monitored loss (val_total, else total) has not improved by more than `minDelta`
   * (default 0) for `patience` epochs; then, and when the loss turns NaN or training is
   * interrupted, the weights of the best epoch are restored unless `restoreBest` is false.
   */
  earlyStopping?: EarlyStopping;
  /**
   * What to call as training goes (a live chart, a progress line, a measurement after each epoch):
   * one TrainingCallbacks object or a list of them, called in order.
   */
  callbacks?: TrainingCallbacks | TrainingCallbacks[];
  /** Read the batch loss back for onBatchEnd every this many batches; 0 (default) never. */
  batchLossEvery: number;
}

/** What train() calls as training goes; every method is optional. */
export interface TrainingCallbacks {
  /** After every batch (for a progress line). */
  onBatchEnd?: (info: BatchInfo) => void | Promise<void>;
  /** After every epoch, with its row and all rows so far (for live charts). */
  onEpochEnd?: (row: EpochRow, rows: EpochRow[]) => void | Promise<void>;
  /** Once when training ends, however it ends (completed, stopped early, interrupted, NaN). */
  onTrainEnd?: (rows: EpochRow[]) => void | Promise<void>;
}

export type { EarlyStopping };

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  epochs: 10,
  batchSize: 64,
  learningRate: 1e-3,
  optimizer: 'adam',
  seed: 0,
  shuffle: true,
  batchLossEvery: 0,
};

export interface TrainHistory {
  /** One row per epoch. */
  rows: EpochRow[];
  /** Why training ended: 'completed' or the early-stopping reason. */
  stopReason: string;
  /** The epoch whose weights the model holds when early stopping restored the best ones. */
  restoredEpoch?: number;
  /** The rows as a danfojs DataFrame (one row per epoch). */
  toDataFrame(): import('danfojs-node').DataFrame;
}

const KNOWN = new Set([
  ...Object.keys(DEFAULT_TRAIN_OPTIONS), 'validation', 'target', 'validationTarget', 'corruption', 'earlyStopping', 'callbacks',
]);
const CALLBACK_NAMES = ['onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;

function checkTensor(value: unknown, field: string): void {
  if (value !== undefined && !(value instanceof tf.Tensor)) throw new Error(`train: ${field} must be a tensor, got ${valueText(value)}.`);
}

/** The callbacks as one list, each checked: an object whose on… members are functions. */
function callbackList(callbacks: TrainOptions['callbacks']): TrainingCallbacks[] {
  const list = callbacks === undefined ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) {
      throw new Error(`train: callbacks must be an object such as { onEpochEnd: (row) => ... } or a list of them, got ${valueText(item)}.`);
    }
    for (const name of CALLBACK_NAMES) {
      const value = (item as Record<string, unknown>)[name];
      if (value !== undefined && typeof value !== 'function') throw new Error(`train: callbacks.${name} must be a function.`);
    }
  }
  return list;
}

function checkOptions(settings: TrainOptions, given: object): void {
  for (const key of Object.keys(given)) {
    if ((CALLBACK_NAMES as readonly string[]).includes(key)) {
      throw new Error(`train: ${key} goes inside callbacks: { callbacks: { ${key}: ... } } (or a list of such objects).`);
    }
    if (!KNOWN.has(key)) throw new Error(`train: unknown option '${key}'. Known options: ${[...KNOWN].join(', ')}.`);
  }
  const positiveInteger = (field: 'epochs' | 'batchSize') => {
    if (!(Number.isInteger(settings[field]) && settings[field] > 0)) throw new Error(`train: ${field} must be a whole number > 0, got ${valueText(settings[field])}.`);
  };
  positiveInteger('epochs');
  positiveInteger('batchSize');
  if (!(Number.isFinite(settings.learningRate) && settings.learningRate > 0)) throw new Error(`train: learningRate must be a number > 0, got ${valueText(settings.learningRate)}.`);
  if (!OPTIMIZER_NAMES.includes(settings.optimizer)) throw new Error(`train: optimizer must be adam, sgd or rmsprop, got ${valueText(settings.optimizer)}.`);
  checkSeed('train', settings.seed);
  if (typeof settings.shuffle !== 'boolean') throw new Error(`train: shuffle must be true or false, got ${valueText(settings.shuffle)}.`);
  if (!(Number.isInteger(settings.batchLossEvery) && settings.batchLossEvery >= 0)) throw new Error(`train: batchLossEvery must be a whole number ≥ 0, got ${valueText(settings.batchLossEvery)}.`);
  for (const field of ['validation', 'target', 'validationTarget'] as const) checkTensor(settings[field], field);
  callbackList(settings.callbacks);
  if (settings.corruption) checkCorruption(settings.corruption);
  if (settings.earlyStopping !== undefined) checkEarlyStopping(settings.earlyStopping);
  if (settings.target && settings.validation && !settings.validationTarget) {
    throw new Error('train: with target and validation, give validationTarget too (the targets of the validation inputs).');
  }
  if (settings.validationTarget && !settings.validation) throw new Error('train: validationTarget needs validation (the inputs it belongs to).');
}

/** Throws, saying what to do, when the model's weights have been disposed. */
function checkNotDisposed(model: TrainableModel): void {
  if (model.trainableVariables().some((variable) => variable.isDisposed)) {
    throw new Error(
      `train: ${model.name} has been disposed (model.dispose() was called), so it has no weights to ` +
        'train. Build the model again, or load it with loadModel.',
    );
  }
}

/**
 * Throws, naming both shapes, unless each sample of `target` has the shape of what the model
 * gives back for a sample of `x` (its reconstruct on one sample).
 */
function checkTargetShape(model: TrainableModel, x: tf.Tensor, target: tf.Tensor, field: string): void {
  const produced = tf.tidy(() => model.reconstruct(x.slice(0, 1)).shape.slice(1));
  const given = target.shape.slice(1);
  if (given.join() !== produced.join()) {
    throw new Error(
      `train: ${field} samples have shape (${given.join(', ')}), but ${model.name} gives back ` +
        `(${produced.join(', ')}) for each input: give ${field} of that shape.`,
    );
  }
}

/** Throws if `x` holds NaN or infinity (one read-back, before training). */
export function checkFinite(x: tf.Tensor, what: string): void {
  const bad = tf.tidy(() => tf.logicalOr(tf.isNaN(x), tf.isInf(x)).any().dataSync()[0]);
  if (bad) throw new Error(`train: ${what} contains NaN or infinite values. Clean the data (e.g. fill or drop missing values) before training.`);
}

/**
 * Mean loss terms of `model` on `x` (in batches, no gradients), e.g. test loss after training.
 * With `corruption`, inputs are corrupted with a fixed seed and the clean x (or `target`) is the
 * target. Each batch's terms are read back and averaged in float64.
 */
export async function evaluateLoss(
  model: TrainableModel,
  x: tf.Tensor,
  options: { batchSize?: number; seed?: number; corruption?: Corruption; target?: tf.Tensor } = {},
): Promise<Record<string, number>> {
  return evaluateBatches(model, x, options);
}

async function evaluateBatches(
  model: TrainableModel,
  x: tf.Tensor,
  options: { batchSize?: number; seed?: number; corruption?: Corruption; target?: tf.Tensor },
  watch?: InterruptWatch,
  interrupted?: () => never,
): Promise<Record<string, number>> {
  checkInputShape(model, x);
  const n = x.shape[0];
  if (n === 0) throw new Error('evaluateLoss: x has no samples.');
  if (options.target && options.target.shape[0] !== n) {
    throw new Error(`evaluateLoss: target has ${options.target.shape[0]} samples but x has ${n}.`);
  }
  const batchSize = options.batchSize ?? DEFAULT_EVALUATION_BATCH;
  const seed = options.seed ?? 0;
  let names: string[] = [];
  let sums: Float64Array | undefined;
  for (let start = 0, b = 0; start < n; start += batchSize, b++) {
    const size = Math.min(batchSize, n - start);
    const values = tf.tidy(() => {
      const clean = x.slice(start, size);
      const target = options.target ? options.target.slice(start, size) : clean;
      const input = options.corruption ? corrupt(clean, options.corruption, deriveSeed(seed, -1, b, 1)) : clean;
      const terms = model.lossTerms(input, target, { seed: deriveSeed(seed, -1, b, 2), training: false });
      names = Object.keys(terms);
      return tf.stack(Object.values(terms)).dataSync();
    });
    sums ??= new Float64Array(values.length);
    values.forEach((value, i) => (sums![i] += value * size));
    if (watch) {
      await watch.yieldIfDue();
      if (watch.requested) interrupted!();
    }
  }
  return Object.fromEntries(names.map((name, i) => [name, sums![i] / n]));
}

/** Checks train()'s arguments, naming what is wrong and the fix; returns the options with their defaults. */
function checkTrainArguments(model: TrainableModel, x: tf.Tensor, options: Partial<TrainOptions>): TrainOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new Error(`train: options must be an object such as { epochs: 5 } (or left out), got ${valueText(options)}.`);
  }
  if (!(x instanceof tf.Tensor)) {
    const fix = Array.isArray(x) ? ' (tf.tensor2d(rows) makes one of an array of rows)' : '';
    throw new Error(`train: x must be a tensor of training samples${fix}, got ${valueText(x)}.`);
  }
  checkNotDisposed(model);
  const settings: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  checkOptions(settings, options);
  checkInputShape(model, x, 'training');
  const n = x.shape[0];
  if (n === 0) throw new Error('train: the training data has no samples.');
  if (settings.validation) checkInputShape(model, settings.validation, 'validation');
  if (settings.validation?.shape[0] === 0) throw new Error('train: the validation data has no samples.');
  if (settings.target && settings.target.shape[0] !== n) throw new Error(`train: target has ${settings.target.shape[0]} samples but x has ${n}.`);
  if (settings.validation && settings.validationTarget && settings.validationTarget.shape[0] !== settings.validation.shape[0]) {
    throw new Error(`train: validationTarget has ${settings.validationTarget.shape[0]} samples but validation has ${settings.validation.shape[0]}.`);
  }
  if (settings.target) checkTargetShape(model, x, settings.target, 'target');
  if (settings.validation && settings.validationTarget) checkTargetShape(model, settings.validation, settings.validationTarget, 'validationTarget');
  checkFinite(x, 'the training data');
  if (settings.target) checkFinite(settings.target, 'the target');
  if (settings.validation) checkFinite(settings.validation, 'the validation data');
  if (settings.validationTarget) checkFinite(settings.validationTarget, 'the validation target');
  return settings;
}

/** The callbacks of a list called as one, in order. */
function together(list: TrainingCallbacks[]): Required<TrainingCallbacks> {
  return {
    onBatchEnd: async (info) => { for (const c of list) await c.onBatchEnd?.(info); },
    onEpochEnd: async (row, rows) => { for (const c of list) await c.onEpochEnd?.(row, rows); },
    onTrainEnd: async (rows) => { for (const c of list) await c.onTrainEnd?.(rows); },
  };
}

/** What one training run needs beyond the options: the model's variables, the optimiser, the interrupt watch. */
interface Run {
  model: TrainableModel;
  x: tf.Tensor;
  settings: TrainOptions;
  variables: tf.Variable[];
  optimizer: tf.Optimizer;
  watch: InterruptWatch;
  callbacks: Required<TrainingCallbacks>;
  /** Stops training with TrainingInterrupted, saying where. */
  interrupted: (where: string) => never;
}

/**
 * One epoch's gradient steps, in shuffled batches: the article's encode, decode, back-propagate
 * the error, repeated. Returns each loss term's mean over the epoch's samples, by name.
 */
async function trainEpoch(run: Run, epoch: number): Promise<Record<string, number>> {
  const { model, x, settings } = run;
  const n = x.shape[0];
  const batches = Math.ceil(n / settings.batchSize);
  const order = settings.shuffle ? shuffledIndices(n, deriveSeed(settings.seed, epoch)) : Int32Array.from({ length: n }, (_, i) => i);
  let names: string[] = [];
  let sums: tf.Tensor | undefined;
  for (let b = 0; b < batches; b++) {
    const indices = order.subarray(b * settings.batchSize, Math.min(n, (b + 1) * settings.batchSize));
    let vector: tf.Tensor | undefined;
    tf.tidy(() => {
      // Batches are gathered on the backend: the data never leaves it.
      const picked = tf.tensor1d(indices, 'int32');
      const clean = tf.gather(x, picked);
      const target = settings.target ? tf.gather(settings.target, picked) : clean;
      const input = settings.corruption ? corrupt(clean, settings.corruption, deriveSeed(settings.seed, epoch, b, 1)) : clean;
      const loss = () => {
        const terms = model.lossTerms(input, target, { seed: deriveSeed(settings.seed, epoch, b, 2), training: true });
        names = Object.keys(terms);
        vector = tf.keep(tf.stack(Object.values(terms)).mul(indices.length));
        return terms.total;
      };
      run.optimizer.minimize(loss, false, run.variables);
    });
    const next = sums ? tf.tidy(() => sums!.add(vector!)) : vector!.clone();
    sums?.dispose();
    sums = next;
    let loss: Record<string, number> | undefined;
    if (settings.batchLossEvery > 0 && b % settings.batchLossEvery === 0) {
      const values = await vector!.data();
      loss = Object.fromEntries(names.map((name, i) => [name, values[i] / indices.length]));
    }
    vector!.dispose();
    await run.callbacks.onBatchEnd({ epoch: epoch + 1, batch: b, batches, loss });
    await run.watch.yieldIfDue();
    if (run.watch.requested) {
      sums.dispose();
      run.interrupted(`in epoch ${epoch + 1} of ${settings.epochs}, after batch ${b + 1} of ${batches}`);
    }
  }
  const means = await sums!.data();
  sums!.dispose();
  return Object.fromEntries(names.map((name, i) => [name, means[i] / n]));
}

/** Trains `model` to reproduce `x` (or `options.target`); see TrainOptions. */
export async function train(model: TrainableModel, x: tf.Tensor, options: Partial<TrainOptions> = {}): Promise<TrainHistory> {
  const settings = checkTrainArguments(model, x, options);
  const variables = model.trainableVariables();
  const rows: EpochRow[] = [];
  const best = new BestEpoch(settings.earlyStopping, settings.validation ? 'val_total' : 'total', variables);
  let stopReason = 'completed';
  const history = () => trainHistory(rows, stopReason, best.restoredEpoch);
  const interrupted = (where: string): never => {
    // Thrown, so that the rest of the cell does not run (see ./interrupt.ts).
    throw new TrainingInterrupted(`training of ${model.name} interrupted ${where}; ${best.restore()}.`, history());
  };
  const watch = await watchInterrupts();
  const optimizer = createOptimizer(settings.optimizer, settings.learningRate);
  const callbacks = together(callbackList(settings.callbacks));
  const run: Run = { model, x, settings, variables, optimizer, watch, callbacks, interrupted };
  let failed = false;
  try {
    for (let epoch = 0; epoch < settings.epochs && stopReason === 'completed'; epoch++) {
      const started = performance.now();
      const row: EpochRow = { epoch: epoch + 1, seconds: 0, ...(await trainEpoch(run, epoch)) };
      if (!Number.isFinite(row.total)) throw lossNotFinite(run, row, best);
      if (settings.validation) Object.assign(row, await validationRow(run, epoch));
      row.seconds = (performance.now() - started) / 1000;
      rows.push(row);
      await callbacks.onEpochEnd(row, rows);
      const stop = best.update(epoch + 1, row[best.monitor]);
      if (stop !== undefined) {
        stopReason = stop;
        best.restore();
      } else if (watch.requested) interrupted(`after epoch ${epoch + 1} of ${settings.epochs}`);
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    watch.stop();
    best.dispose();
    optimizer.dispose();
    try {
      await callbacks.onTrainEnd(rows);
    } catch (error) {
      // The error that ended training matters more than one in drawing its last chart.
      if (!failed) throw error;
    }
  }
  return history();
}

/** The held-out loss terms after an epoch, as val_<term>. */
async function validationRow(run: Run, epoch: number): Promise<Record<string, number>> {
  const { settings } = run;
  const where = `in epoch ${epoch + 1} of ${settings.epochs}, while measuring the validation loss`;
  const options = { seed: settings.seed, corruption: settings.corruption, target: settings.validationTarget };
  const terms = await evaluateBatches(run.model, settings.validation!, options, run.watch, () => run.interrupted(where));
  return Object.fromEntries(Object.entries(terms).map(([name, value]) => [`val_${name}`, value]));
}

/** The error for a loss that turned NaN or infinite; puts the best weights back when early stopping kept them. */
function lossNotFinite(run: Run, row: EpochRow, best: BestEpoch): Error {
  const kept = best.holdsWeights ? best.restore() : 'its weights may no longer be finite: build the model again';
  return new Error(
    `train: the loss became ${row.total} in epoch ${row.epoch} of ${run.model.name}, so training stopped; ${kept}. ` +
      `Lower the learningRate (now ${run.settings.learningRate}) or check the data and the loss terms.`,
  );
}

/** The history train() returns; in a notebook it prints as one line. */
function trainHistory(rows: EpochRow[], stopReason: string, restoredEpoch: number | undefined): TrainHistory {
  const result: TrainHistory = { rows, stopReason, restoredEpoch, toDataFrame: () => historyFrame(rows) };
  return printsAs(result, () => `[training history: ${rows.length} epoch${rows.length === 1 ? '' : 's'}, ${stopReason}]`);
}

/** A danfojs DataFrame of epoch rows (danfojs is loaded only when a table is asked for). */
export function historyFrame(rows: EpochRow[]): import('danfojs-node').DataFrame {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dfd = require('danfojs-node') as typeof import('danfojs-node');
  return new dfd.DataFrame(rows);
}
