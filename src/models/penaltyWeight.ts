/**
 * Sizing a penalty by a rule instead of by trial: the weight that makes the penalty term a chosen
 * share of the reconstruction term on the untrained model.
 *
 * A penalty is added to the reconstruction error, and the two are in different units: a per-pixel
 * error of about 0.01–0.1, against a sum over 1,024 code units (L1, KL) or over a Jacobian
 * (contractive) that can be hundreds. Too small a weight and the penalty does nothing; too large
 * and it swamps the error (lesson 04: a KL weight of 0.05 makes the KL term over a hundred times
 * the error of its untrained model). Lessons 02 and 04 state the share and compute the weight from it:
 *
 *   const probe = denseAutoencoder({ ..., penalties: [{ type: 'activity', l1: 1 }], seed });
 *   const l1 = penaltyWeightFor(probe, data.train.x.slice(0, 500), 0.1);   // penalty = 10% of the error
 */
import * as tf from '@tensorflow/tfjs';
import { Autoencoder } from './autoencoder';
import { denseAutoencoder, DenseAutoencoderOptions } from './dense';
import { penaltyName, PenaltySpec } from './penalties';

/** The weight field of each penalty type. */
function weightOf(spec: PenaltySpec): number {
  switch (spec.type) {
    case 'weightDecay':
    case 'activity':
      return (spec.l1 ?? 0) + (spec.l2 ?? 0);
    case 'contractive':
      return spec.lambda;
    case 'klSparsity':
      return spec.beta;
  }
}

/**
 * The weight w for `model`'s one penalty such that w × (its unweighted term) is `share` × the
 * reconstruction term, both measured on `x` with the model's current (untrained) weights. The
 * model's own weight must be 1 (weightDecay and activity: only l1 or only l2 set).
 */
export function penaltyWeightFor(model: Autoencoder, x: tf.Tensor, share: number): number {
  const penalties = model.config.penalties;
  if (penalties.length !== 1) throw new Error(`penaltyWeightFor: the model must have exactly one penalty, it has ${penalties.length}.`);
  const spec = penalties[0];
  if (weightOf(spec) !== 1) throw new Error(`penaltyWeightFor: build the probe model with its penalty weight set to 1 (${spec.type} has ${weightOf(spec)}).`);
  if (!(share > 0 && Number.isFinite(share))) throw new Error(`penaltyWeightFor: share must be a number > 0, got ${share}.`);
  const [reconstruction, penalty] = tf.tidy(() => {
    const terms = model.lossTerms(x, x, { seed: 0, training: false });
    return [terms.reconstruction.dataSync()[0], terms[penaltyName(spec)].dataSync()[0]];
  });
  if (!(penalty > 0)) throw new Error(`penaltyWeightFor: the ${spec.type} term is ${penalty} on this data, so no weight can size it.`);
  return (share * reconstruction) / penalty;
}

/** The two loss terms of an untrained model whose one penalty has weight 1, measured on a sample. */
export interface PenaltySize {
  /** The reconstruction term (e.g. MSE per pixel). */
  reconstruction: number;
  /** The penalty term at weight 1. */
  penalty: number;
  /** The weight that makes the penalty equal to the reconstruction term (share 1): multiply by a share. */
  weightPerShare: number;
}

/**
 * Builds the untrained dense auto-encoder `options` describe (one penalty, weight 1) as a probe,
 * measures both loss terms on `x` and the weight for share 1 (penaltyWeightFor), and disposes it:
 *
 *   const l1 = sizePenalty({ hidden: [], code: 1024, penalties: [{ type: 'activity', l1: 1 }], seed }, x);
 *   const lambda = 0.3 * l1.weightPerShare;   // the L1 term is 0.3 × the error at the start
 */
export function sizePenalty(options: Partial<DenseAutoencoderOptions>, x: tf.Tensor): PenaltySize {
  const probe = denseAutoencoder(options);
  try {
    const weightPerShare = penaltyWeightFor(probe, x, 1);
    const [reconstruction, penalty] = tf.tidy(() => {
      const terms = probe.lossTerms(x, x, { seed: 0, training: false });
      return [terms.reconstruction.dataSync()[0], terms[penaltyName(probe.config.penalties[0])].dataSync()[0]];
    });
    return { reconstruction, penalty, weightPerShare };
  } finally {
    probe.dispose();
  }
}
