/**
 * What every model in this library offers the one training loop, `train()`.
 * A model's `lossTerms` returns named scalar terms; `total` is what the optimiser minimises and
 * the others (reconstruction, kl, penalties) are reported in the history.
 */
import * as tf from '@tensorflow/tfjs';

export type LossTerms = { total: tf.Scalar; [term: string]: tf.Scalar };

export interface LossContext {
  /** Seed for any randomness inside the loss (the VAE's ε), fresh per batch. */
  seed: number;
  /** False for validation: no randomness that only training needs. */
  training: boolean;
}

export interface TrainableModel {
  /** A short name for reports, e.g. 'dense 784-256-32'. */
  readonly name: string;
  /** Shape of one input sample, e.g. [784] or [28, 28, 1]. */
  readonly inputShape: readonly number[];
  /** Loss terms for a batch: `input` goes in, `target` is what should come out. */
  lossTerms(input: tf.Tensor, target: tf.Tensor, context: LossContext): LossTerms;
  /** Every weight the optimiser updates. */
  trainableVariables(): tf.Variable[];
  /** Reconstruction of a batch (for a VAE: decoding the mean code). */
  reconstruct(x: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/** Throws a clear error when a batch does not fit the model. */
export function checkInputShape(model: { name: string; inputShape: readonly number[] }, x: tf.Tensor, what = 'input'): void {
  const sample = x.shape.slice(1);
  if (sample.length !== model.inputShape.length || sample.some((d, i) => d !== model.inputShape[i])) {
    throw new Error(
      `${model.name}: ${what} samples have shape (${sample.join(', ')}) but the model takes (${model.inputShape.join(', ')}). ` +
        (model.inputShape.length === 1 && sample.length === 3
          ? "Load the data with layout: 'flat' for dense models."
          : model.inputShape.length === 3 && sample.length === 1
            ? "Load the data with layout: 'image' for conv models."
            : 'Reshape the data or build the model for it.'),
    );
  }
}
