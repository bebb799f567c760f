/**
 * The laziest reconstruction, the yardstick every auto-encoder must beat: always answer the
 * average training sample, whatever the input. A model whose error is not clearly below it has
 * learned what inputs look like on average, not anything about the one in front of it.
 *
 *   const yardstick = averageAnswer(trainSet.x);
 *   const lazyError = reconstructionError(yardstick, testSet.x);
 */
import * as tf from '@tensorflow/tfjs';
import { Reconstructor } from './reconstruction';

export interface AverageAnswer extends Reconstructor {
  /** The average training sample, shaped like one sample with a batch of 1 in front. */
  readonly average: tf.Tensor;
  dispose(): void;
}

/**
 * A reconstructor that answers the mean of `samples` along their first axis for every input. It
 * holds one tensor, the average: released with the lesson section (or tidy) that made it, or by
 * dispose().
 */
export function averageAnswer(samples: tf.Tensor): AverageAnswer {
  if (samples.rank < 2 || samples.shape[0] === 0) {
    throw new Error(`averageAnswer: give a batch of samples (N, ...) with N ≥ 1, got shape [${samples.shape.join(', ')}].`);
  }
  const average = tf.tidy(() => samples.mean(0, true));
  const sampleShape = samples.shape.slice(1).join(', ');
  return {
    average,
    reconstruct(x: tf.Tensor): tf.Tensor {
      if (x.shape.slice(1).join(', ') !== sampleShape) {
        throw new Error(`averageAnswer: the samples were [${sampleShape}] each, this input's are [${x.shape.slice(1).join(', ')}].`);
      }
      return tf.tidy(() => tf.tile(average, [x.shape[0], ...x.shape.slice(1).map(() => 1)]));
    },
    dispose: () => average.dispose(),
  };
}
