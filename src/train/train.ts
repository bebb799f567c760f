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
import { deriveSeed, shuffledIndices } from '../random';
import { valueText } from '../valueText';
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
  /** Called after every epoch with its row and all rows so far (for live charts). */
  onEpochEnd?: (row: EpochRow, rows: EpochRow[]) => void | Promise<void>;
  /** Called after every batch (for a progress line). */
  onBatchEnd?: (info: BatchInfo) => void | Promise<void>;
  /** Called once when training ends, however it ends (completed, stopped early, interrupted, NaN). */
  onTrainEnd?: (rows: EpochRow[]) => void | Promise<void>;
  /** Read the batch loss back for onBatchEnd every this many batches; 0 (default) never. */
  batchLossEvery: number;
}

export interface EarlyStopping {
  patience: number;
  minDelta?: number;
  restoreBest?: boolean;
}

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
  ...Object.keys(DEFAULT_TRAIN_OPTIONS), 'validation', 'target', 'validationTarget', 'corruption', 'earlyStopping', 'onEpochEnd', 'onBatchEnd', 'onTrainEnd',
]);
const EARLY_STOPPING_KEYS = ['patience', 'minDelta', 'restoreBest'];

function checkTensor(value: unknown, field: string): void {
  if (value !== undefined && !(value instanceof tf.Tensor)) throw new Error(`train: ${field} must be a tensor, got ${valueText(value)}.`);
}

function checkEarlyStopping(e: EarlyStopping): void {
  if (typeof e !== 'object' || e === null) throw new Error(`train: earlyStopping must be an object such as { patience: 3 }, got ${valueText(e)}.`);
  for (const key of Object.keys(e)) {
    if (!EARLY_STOPPING_KEYS.includes(key)) throw new Error(`train: unknown earlyStopping option '${key}'. Known: ${EARLY_STOPPING_KEYS.join(', ')}.`);
  }
  if (!(Number.isInteger(e.patience) && e.patience > 0)) throw new Error(`train: earlyStopping.patience must be a whole number > 0, got ${valueText(e.patience)}.`);
  if (e.minDelta !== undefined && !(Number.isFinite(e.minDelta) && e.minDelta >= 0)) {
    throw new Error(`train: earlyStopping.minDelta must be a number ≥ 0, got ${valueText(e.minDelta)}.`);
  }
  if (e.restoreBest !== undefined && typeof e.restoreBest !== 'boolean') {
    throw new Error(`train: earlyStopping.restoreBest must be true or false, got ${valueText(e.restoreBest)}.`);
  }
}

function checkOptions(o: TrainOptions, given: object): void {
  for (const key of Object.keys(given)) {
    if (!KNOWN.has(key)) throw new Error(`train: unknown option '${key}'. Known options: ${[...KNOWN].join(', ')}.`);
  }
  const positiveInteger = (field: 'epochs' | 'batchSize') => {
    if (!(Number.isInteger(o[field]) && o[field] > 0)) throw new Error(`train: ${field} must be a whole number > 0, got ${valueText(o[field])}.`);
  };
  positiveInteger('epochs');
  positiveInteger('batchSize');
  if (!(Number.isFinite(o.learningRate) && o.learningRate > 0)) throw new Error(`train: learningRate must be a number > 0, got ${valueText(o.learningRate)}.`);
  if (!OPTIMIZER_NAMES.includes(o.optimizer)) throw new Error(`train: optimizer must be adam, sgd or rmsprop, got ${valueText(o.optimizer)}.`);
  checkSeed('train', o.seed);
  if (typeof o.shuffle !== 'boolean') throw new Error(`train: shuffle must be true or false, got ${valueText(o.shuffle)}.`);
  if (!(Number.isInteger(o.batchLossEvery) && o.batchLossEvery >= 0)) throw new Error(`train: batchLossEvery must be a whole number ≥ 0, got ${valueText(o.batchLossEvery)}.`);
  for (const field of ['validation', 'target', 'validationTarget'] as const) checkTensor(o[field], field);
  for (const field of ['onEpochEnd', 'onBatchEnd', 'onTrainEnd'] as const) {
    if (o[field] !== undefined && typeof o[field] !== 'function') throw new Error(`train: ${field} must be a function.`);
  }
  if (o.corruption) checkCorruption(o.corruption);
  if (o.earlyStopping !== undefined) checkEarlyStopping(o.earlyStopping);
  if (o.target && o.validation && !o.validationTarget) {
    throw new Error('train: with target and validation, give validationTarget too (the targets of the validation inputs).');
  }
  if (o.validationTarget && !o.validation) throw new Error('train: validationTarget needs validation (the inputs it belongs to).');
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

/** Trains `model` to reproduce `x` (or `options.target`); see TrainOptions. */
export async function train(model: TrainableModel, x: tf.Tensor, options: Partial<TrainOptions> = {}): Promise<TrainHistory> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new Error(`train: options must be an object such as { epochs: 5 } (or left out), got ${valueText(options)}.`);
  }
  if (!(x instanceof tf.Tensor)) {
    const fix = Array.isArray(x) ? ' (tf.tensor2d(rows) makes one of an array of rows)' : '';
    throw new Error(`train: x must be a tensor of training samples${fix}, got ${valueText(x)}.`);
  }
  checkNotDisposed(model);
  const o: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  checkOptions(o, options);
  checkInputShape(model, x, 'training');
  const n = x.shape[0];
  if (n === 0) throw new Error('train: the training data has no samples.');
  if (o.validation) checkInputShape(model, o.validation, 'validation');
  if (o.validation?.shape[0] === 0) throw new Error('train: the validation data has no samples.');
  if (o.target && o.target.shape[0] !== n) throw new Error(`train: target has ${o.target.shape[0]} samples but x has ${n}.`);
  if (o.validation && o.validationTarget && o.validationTarget.shape[0] !== o.validation.shape[0]) {
    throw new Error(`train: validationTarget has ${o.validationTarget.shape[0]} samples but validation has ${o.validation.shape[0]}.`);
  }
  if (o.target) checkTargetShape(model, x, o.target, 'target');
  if (o.validation && o.validationTarget) checkTargetShape(model, o.validation, o.validationTarget, 'validationTarget');
  checkFinite(x, 'the training data');
  if (o.target) checkFinite(o.target, 'the target');
  if (o.validation) checkFinite(o.validation, 'the validation data');
  if (o.validationTarget) checkFinite(o.validationTarget, 'the validation target');

  const batches = Math.ceil(n / o.batchSize);
  const variables = model.trainableVariables();
  const optimizer = createOptimizer(o.optimizer, o.learningRate);
  const rows: EpochRow[] = [];
  const monitor = o.validation ? 'val_total' : 'total';
  const restoreBest = o.earlyStopping !== undefined && o.earlyStopping.restoreBest !== false;
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | undefined;
  let sinceBest = 0;
  let stopReason = 'completed';
  const history = (): TrainHistory => {
    const result: TrainHistory = { rows, stopReason, restoredEpoch: restoredEpoch(), toDataFrame: () => historyFrame(rows) };
    // A notebook prints a cell's last value: a training history prints as one line.
    Object.defineProperty(result, Symbol.for('nodejs.util.inspect.custom'), {
      value: () => `[training history: ${rows.length} epoch${rows.length === 1 ? '' : 's'}, ${stopReason}]`,
      enumerable: false,
    });
    return result;
  };
  let restored = false;
  const restoredEpoch = () => (restored ? bestEpoch : undefined);
  /** Puts the best epoch's weights back, if early stopping kept them; says what the model now holds. */
  const restoreBestWeights = (): string => {
    if (!bestWeights) return 'the model keeps the weights of the last finished step';
    variables.forEach((v, i) => v.assign(bestWeights![i]));
    restored = true;
    return `the model has the weights of epoch ${bestEpoch}, the best (${monitor} ${best.toPrecision(4)})`;
  };
  const watch = await watchInterrupts();
  let where = '';
  const interrupted = (): never => {
    const kept = restoreBestWeights();
    // Thrown, so that the rest of the cell does not run; in a notebook the cell ends with it (the
    // tslab patch waits for it), elsewhere it ends the script like Ctrl-C would.
    throw new TrainingInterrupted(`training of ${model.name} interrupted ${where}; ${kept}.`, history());
  };

  let failed = false;
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const started = performance.now();
      const order = o.shuffle ? shuffledIndices(n, deriveSeed(o.seed, epoch)) : Int32Array.from({ length: n }, (_, i) => i);
      let names: string[] = [];
      let sums: tf.Tensor | undefined;
      for (let b = 0; b < batches; b++) {
        const indices = order.subarray(b * o.batchSize, Math.min(n, (b + 1) * o.batchSize));
        let vector: tf.Tensor | undefined;
        tf.tidy(() => {
          // Batches are gathered on the backend: the data never leaves it.
          const picked = tf.tensor1d(indices, 'int32');
          const clean = tf.gather(x, picked);
          const target = o.target ? tf.gather(o.target, picked) : clean;
          const input = o.corruption ? corrupt(clean, o.corruption, deriveSeed(o.seed, epoch, b, 1)) : clean;
          optimizer.minimize(
            () => {
              const terms = model.lossTerms(input, target, { seed: deriveSeed(o.seed, epoch, b, 2), training: true });
              names = Object.keys(terms);
              vector = tf.keep(tf.stack(Object.values(terms)).mul(indices.length));
              return terms.total;
            },
            false,
            variables,
          );
        });
        const next = sums ? tf.tidy(() => sums!.add(vector!)) : vector!.clone();
        sums?.dispose();
        sums = next;
        let loss: Record<string, number> | undefined;
        if (o.onBatchEnd && o.batchLossEvery > 0 && b % o.batchLossEvery === 0) {
          const values = await vector!.data();
          loss = Object.fromEntries(names.map((name, i) => [name, values[i] / indices.length]));
        }
        vector!.dispose();
        if (o.onBatchEnd) await o.onBatchEnd({ epoch: epoch + 1, batch: b, batches, loss });
        await watch.yieldIfDue();
        if (watch.requested) {
          sums.dispose();
          where = `in epoch ${epoch + 1} of ${o.epochs}, after batch ${b + 1} of ${batches}`;
          interrupted();
        }
      }
      const means = await sums!.data();
      sums!.dispose();
      const row: EpochRow = { epoch: epoch + 1, seconds: 0 };
      names.forEach((name, i) => (row[name] = means[i] / n));
      if (!Number.isFinite(row.total)) {
        const kept = restoreBest && bestWeights ? restoreBestWeights() : 'its weights may no longer be finite: build the model again';
        throw new Error(
          `train: the loss became ${row.total} in epoch ${epoch + 1} of ${model.name}, so training stopped; ${kept}. ` +
            `Lower the learningRate (now ${o.learningRate}) or check the data and the loss terms.`,
        );
      }
      if (o.validation) {
        where = `in epoch ${epoch + 1} of ${o.epochs}, while measuring the validation loss`;
        const target = o.validationTarget;
        const validation = await evaluateBatches(model, o.validation, { seed: o.seed, corruption: o.corruption, target }, watch, interrupted);
        for (const [name, value] of Object.entries(validation)) row[`val_${name}`] = value;
      }
      row.seconds = (performance.now() - started) / 1000;
      rows.push(row);
      if (o.onEpochEnd) await o.onEpochEnd(row, rows);

      if (o.earlyStopping) {
        const value = row[monitor];
        if (value < best - (o.earlyStopping.minDelta ?? 0)) {
          best = value;
          bestEpoch = epoch + 1;
          sinceBest = 0;
          if (restoreBest) {
            tf.dispose(bestWeights ?? []);
            bestWeights = variables.map((v) => v.clone());
          }
        } else if (++sinceBest >= o.earlyStopping.patience) {
          stopReason = `early stop after epoch ${epoch + 1}: ${monitor} did not improve for ${o.earlyStopping.patience} epochs (best ${best.toPrecision(4)} in epoch ${bestEpoch})`;
          if (restoreBest) restoreBestWeights();
          break;
        }
      }
      if (watch.requested) {
        where = `after epoch ${epoch + 1} of ${o.epochs}`;
        interrupted();
      }
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    watch.stop();
    tf.dispose(bestWeights ?? []);
    optimizer.dispose();
    try {
      if (o.onTrainEnd) await o.onTrainEnd(rows);
    } catch (error) {
      // The error that ended training matters more than one in drawing its last chart.
      if (!failed) throw error;
    }
  }
  return history();
}

/** A danfojs DataFrame of epoch rows (danfojs is loaded only when a table is asked for). */
export function historyFrame(rows: EpochRow[]): import('danfojs-node').DataFrame {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dfd = require('danfojs-node') as typeof import('danfojs-node');
  return new dfd.DataFrame(rows);
}
