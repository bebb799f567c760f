/**
 * The one training loop, for every model in this library.
 *
 *   const history = await train(ae, data.train.x, { epochs: 10, validation: data.test.x });
 *
 * Each step: take a batch (sliced on the backend), optionally corrupt it (denoising), ask the
 * model for its loss terms, and let the optimiser follow the gradient of `total` — the article's
 * "encode, decode, back-propagate the error", repeated. Loss values stay on the backend and are
 * read back once per epoch (reading them every batch would stall the pipeline), unless a batch
 * hook asks for them.
 */
import * as tf from '@tensorflow/tfjs';
import { createOptimizer, OptimizerName, OPTIMIZER_NAMES } from '../backend/optimizer';
import { checkCorruption, corrupt, Corruption } from '../data/corruption';
import { checkInputShape, TrainableModel } from '../models/model';
import { deriveSeed, shuffledIndices } from '../random';

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
  /** Seed of shuffling, corruption and any sampling in the loss. Default 0. */
  seed: number;
  /** Shuffle the samples every epoch. Default true. */
  shuffle: boolean;
  /** Corrupt each batch's input and train to reproduce the clean batch (denoising). */
  corruption?: Corruption;
  /** Stop when the monitored loss (val_total, else total) has not improved for `patience` epochs. */
  earlyStopping?: { patience: number; minDelta?: number; restoreBest?: boolean };
  /** Called after every epoch with its row and all rows so far (for live charts). */
  onEpochEnd?: (row: EpochRow, rows: EpochRow[]) => void | Promise<void>;
  /** Called after every batch (for a progress line). */
  onBatchEnd?: (info: BatchInfo) => void | Promise<void>;
  /** Read the batch loss back for onBatchEnd every this many batches; 0 (default) never. */
  batchLossEvery: number;
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
  /** The rows as a danfojs DataFrame (one row per epoch). */
  toDataFrame(): import('danfojs-node').DataFrame;
}

const KNOWN = new Set([...Object.keys(DEFAULT_TRAIN_OPTIONS), 'validation', 'target', 'corruption', 'earlyStopping', 'onEpochEnd', 'onBatchEnd']);

function checkOptions(o: TrainOptions, given: object): void {
  for (const key of Object.keys(given)) {
    if (!KNOWN.has(key)) throw new Error(`train: unknown option '${key}'. Known options: ${[...KNOWN].join(', ')}.`);
  }
  const positiveInteger = (field: 'epochs' | 'batchSize') => {
    if (!(Number.isInteger(o[field]) && o[field] > 0)) throw new Error(`train: ${field} must be a whole number > 0, got ${o[field]}.`);
  };
  positiveInteger('epochs');
  positiveInteger('batchSize');
  if (!(Number.isFinite(o.learningRate) && o.learningRate > 0)) throw new Error(`train: learningRate must be a number > 0, got ${o.learningRate}.`);
  if (!OPTIMIZER_NAMES.includes(o.optimizer)) throw new Error(`train: optimizer must be adam, sgd or rmsprop, got ${o.optimizer}.`);
  if (!Number.isInteger(o.seed)) throw new Error(`train: seed must be a whole number, got ${o.seed}.`);
  if (!(Number.isInteger(o.batchLossEvery) && o.batchLossEvery >= 0)) throw new Error(`train: batchLossEvery must be a whole number ≥ 0.`);
  if (o.corruption) checkCorruption(o.corruption);
  if (o.earlyStopping && !(Number.isInteger(o.earlyStopping.patience) && o.earlyStopping.patience > 0)) {
    throw new Error(`train: earlyStopping.patience must be a whole number > 0, got ${o.earlyStopping.patience}.`);
  }
}

/** Throws if `x` holds NaN or infinity (one read-back, before training). */
export function checkFinite(x: tf.Tensor, what: string): void {
  const bad = tf.tidy(() => tf.logicalOr(tf.isNaN(x), tf.isInf(x)).any().dataSync()[0]);
  if (bad) throw new Error(`train: ${what} contains NaN or infinite values. Clean the data (e.g. fill or drop missing values) before training.`);
}

/**
 * Mean loss terms of `model` on `x` (in batches, no gradients), e.g. test loss after training.
 * With `corruption`, inputs are corrupted with a fixed seed and the clean x is the target.
 */
export async function evaluateLoss(
  model: TrainableModel,
  x: tf.Tensor,
  options: { batchSize?: number; seed?: number; corruption?: Corruption; target?: tf.Tensor } = {},
): Promise<Record<string, number>> {
  checkInputShape(model, x);
  const batchSize = options.batchSize ?? 256;
  const seed = options.seed ?? 0;
  const n = x.shape[0];
  let names: string[] = [];
  let sums: tf.Tensor | undefined;
  for (let start = 0, b = 0; start < n; start += batchSize, b++) {
    const size = Math.min(batchSize, n - start);
    const weighted = tf.tidy(() => {
      const clean = x.slice(start, size);
      const target = options.target ? options.target.slice(start, size) : clean;
      const input = options.corruption ? corrupt(clean, options.corruption, deriveSeed(seed, -1, b, 1)) : clean;
      const terms = model.lossTerms(input, target, { seed: deriveSeed(seed, -1, b, 2), training: false });
      names = Object.keys(terms);
      const vector = tf.stack(Object.values(terms)).mul(size);
      return sums ? sums.add(vector) : vector;
    });
    sums?.dispose();
    sums = weighted;
  }
  const values = await sums!.data();
  sums!.dispose();
  return Object.fromEntries(names.map((name, i) => [name, values[i] / n]));
}

/** Trains `model` to reproduce `x` (or `options.target`); see TrainOptions. */
export async function train(model: TrainableModel, x: tf.Tensor, options: Partial<TrainOptions> = {}): Promise<TrainHistory> {
  const o: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  checkOptions(o, options);
  checkInputShape(model, x, 'training');
  if (o.validation) checkInputShape(model, o.validation, 'validation');
  if (o.target && o.target.shape[0] !== x.shape[0]) {
    throw new Error(`train: target has ${o.target.shape[0]} samples but x has ${x.shape[0]}.`);
  }
  checkFinite(x, 'the training data');
  if (o.validation) checkFinite(o.validation, 'the validation data');

  const n = x.shape[0];
  const batches = Math.ceil(n / o.batchSize);
  const variables = model.trainableVariables();
  const optimizer = createOptimizer(o.optimizer, o.learningRate);
  const rows: EpochRow[] = [];
  const monitor = o.validation ? 'val_total' : 'total';
  let best = Infinity;
  let bestWeights: tf.Tensor[] | undefined;
  let sinceBest = 0;
  let stopReason = 'completed';

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
          const rows = tf.tensor1d(indices, 'int32');
          const clean = tf.gather(x, rows);
          const target = o.target ? tf.gather(o.target, rows) : clean;
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
        const next = sums ? tf.tidy(() => sums!.add(vector!)) : tf.keep(vector!.clone());
        sums?.dispose();
        sums = next;
        let loss: Record<string, number> | undefined;
        if (o.onBatchEnd && o.batchLossEvery > 0 && b % o.batchLossEvery === 0) {
          const values = await vector!.data();
          loss = Object.fromEntries(names.map((name, i) => [name, values[i] / indices.length]));
        }
        vector!.dispose();
        if (o.onBatchEnd) await o.onBatchEnd({ epoch: epoch + 1, batch: b, batches, loss });
      }
      const means = await sums!.data();
      sums!.dispose();
      const row: EpochRow = { epoch: epoch + 1, seconds: 0 };
      names.forEach((name, i) => (row[name] = means[i] / n));
      if (!Number.isFinite(row.total)) {
        throw new Error(
          `train: the loss became ${row.total} in epoch ${epoch + 1} of ${model.name}, so training stopped. Lower the learningRate (now ${o.learningRate}) or check the data and the loss terms.`,
        );
      }
      if (o.validation) {
        const validation = await evaluateLoss(model, o.validation, { batchSize: Math.max(o.batchSize, 256), seed: o.seed, corruption: o.corruption });
        for (const [name, value] of Object.entries(validation)) row[`val_${name}`] = value;
      }
      row.seconds = (performance.now() - started) / 1000;
      rows.push(row);
      if (o.onEpochEnd) await o.onEpochEnd(row, rows);

      if (o.earlyStopping) {
        const value = row[monitor];
        if (value < best - (o.earlyStopping.minDelta ?? 0)) {
          best = value;
          sinceBest = 0;
          if (o.earlyStopping.restoreBest !== false) {
            tf.dispose(bestWeights ?? []);
            bestWeights = variables.map((v) => tf.keep(v.clone()));
          }
        } else if (++sinceBest >= o.earlyStopping.patience) {
          stopReason = `early stop after epoch ${epoch + 1}: ${monitor} did not improve for ${o.earlyStopping.patience} epochs (best ${best.toPrecision(4)})`;
          if (bestWeights) variables.forEach((v, i) => v.assign(bestWeights![i]));
          break;
        }
      }
    }
  } finally {
    tf.dispose(bestWeights ?? []);
    optimizer.dispose();
  }
  return { rows, stopReason, toDataFrame: () => historyFrame(rows) };
}

/** A danfojs DataFrame of epoch rows (danfojs is loaded only when a table is asked for). */
export function historyFrame(rows: EpochRow[]): import('danfojs-node').DataFrame {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dfd = require('danfojs-node') as typeof import('danfojs-node');
  return new dfd.DataFrame(rows);
}
