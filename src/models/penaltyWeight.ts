/**
 * Sizing a penalty by a rule instead of by trial: the weight that makes the penalty term a chosen
 * share of the reconstruction term on the untrained model.
 *
 * A penalty is added to the reconstruction error, and the two are in different units: a per-pixel
 * error of about 0.01–0.1, against a sum over 1,024 code units (L1, KL) or over a Jacobian
 * (contractive) that can be hundreds. Too small a weight and the penalty does nothing; too large
 * and it swamps the error (lesson 04 once added 0.05 × a KL sum of hundreds to an error of 0.03).
 * Lessons 02 and 04 state the share and compute the weight from it:
 *
 *   const probe = denseAutoencoder({ ..., penalties: [{ type: 'activity', l1: 1 }], seed });
 *   const l1 = penaltyWeightFor(probe, data.train.x.slice(0, 500), 0.1);   // penalty = 10% of the error
 */
import * as tf from '@tensorflow/tfjs';
import { Autoencoder } from './autoencoder';
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
