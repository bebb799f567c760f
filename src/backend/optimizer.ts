/**
 * The optimiser `train()` uses, chosen for the active backend: our one-pass Adam (./adam.ts)
 * where our kernels are installed (wasm, cpu), else tfjs's own (tfjs-node, whose Adam is native,
 * and any backend with its stock kernels). The choice reads tfjs's kernel registry, which
 * `installKernels` wrote: no flag of ours to keep in step.
 */
import * as tf from '@tensorflow/tfjs';
import { FusedAdam } from './adam';
import { fastKernelsInstalled } from './kernels';

export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['adam', 'sgd', 'rmsprop'];

/** A new optimiser of that name and step size for the active backend. */
export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      return fastKernelsInstalled(tf.getBackend()) ? new FusedAdam(learningRate) : tf.train.adam(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    default:
      throw new Error(`createOptimizer: optimizer must be one of ${OPTIMIZER_NAMES.join(', ')}, got ${String(name)}.`);
  }
}
