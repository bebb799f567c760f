/**
 * Loss terms that constrain an auto-encoder other than by a narrow code: pure functions of the
 * batch, the code and the weights, each returning a scalar already multiplied by its weight.
 *
 * - weight decay, L1/L2 on the kernels (classic regularisation);
 * - activity L1/L2 on the code (most units near zero: a sparse code);
 * - the contractive penalty λ‖∂h/∂x‖²_F (Rifai et al. 2011, "Contractive auto-encoders");
 * - KL divergence of each unit's mean activation from a target ρ (the sparse auto-encoder of
 *   Andrew Ng's UFLDL notes).
 */
import * as tf from '@tensorflow/tfjs';
import { Activation, Layer } from './layers';

/** Everything a penalty may look at. */
export interface PenaltyInput {
  input: tf.Tensor;
  /** The code h = encoder(input), (B, units), after any code transform. */
  code: tf.Tensor;
  /** The encoder's layers, for penalties on weights or Jacobians. */
  encoderLayers: Layer[];
  /** The decoder's layers. */
  decoderLayers: Layer[];
}

export type PenaltySpec =
  | { type: 'weightDecay'; l1?: number; l2?: number }
  | { type: 'activity'; l1?: number; l2?: number }
  | { type: 'contractive'; lambda: number }
  | { type: 'klSparsity'; rho: number; beta: number };

/** Keeps the KL finite when a unit's mean activation reaches 0 or 1. */
const RHO_EPSILON = 1e-6;

/** Name of the term in the loss history. */
export function penaltyName(spec: PenaltySpec): string {
  switch (spec.type) {
    case 'weightDecay':
      return 'weightDecay';
    case 'activity':
      return 'activity';
    case 'contractive':
      return 'contractive';
    case 'klSparsity':
      return 'kl';
  }
}

export function checkPenalty(spec: PenaltySpec): void {
  const nonNegative = (value: number | undefined, field: string) => {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new Error(`penalty ${spec.type}: ${field} must be a number ≥ 0, got ${value}.`);
    }
  };
  switch (spec.type) {
    case 'weightDecay':
    case 'activity':
      nonNegative(spec.l1, 'l1');
      nonNegative(spec.l2, 'l2');
      if (!spec.l1 && !spec.l2) throw new Error(`penalty ${spec.type}: give l1 or l2 (> 0).`);
      return;
    case 'contractive':
      nonNegative(spec.lambda, 'lambda');
      return;
    case 'klSparsity':
      if (!(spec.rho > 0 && spec.rho < 1)) throw new Error(`penalty klSparsity: rho must be between 0 and 1, got ${spec.rho}.`);
      nonNegative(spec.beta, 'beta');
      return;
    default:
      throw new Error(`Unknown penalty type ${(spec as { type: string }).type}: use weightDecay, activity, contractive or klSparsity.`);
  }
}

function kernels(layers: Layer[]): tf.Tensor[] {
  return layers.flatMap((layer) => (layer.weights.kernel ? [layer.weights.kernel] : []));
}

function l1l2(tensors: tf.Tensor[], l1 = 0, l2 = 0): tf.Scalar {
  return tf.tidy(() =>
    tensors.reduce<tf.Scalar>((sum, t) => {
      let term = sum;
      if (l1) term = term.add(t.abs().sum().mul(l1));
      if (l2) term = term.add(t.square().sum().mul(l2));
      return term;
    }, tf.scalar(0)),
  );
}

/** f'(a) written in terms of h = f(a), for the activations whose derivative allows it. */
export function activationDerivativeFromOutput(h: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'sigmoid':
      return h.mul(tf.scalar(1).sub(h));
    case 'tanh':
      return tf.scalar(1).sub(h.square());
    case 'relu':
      return h.greater(0).toFloat();
    case 'linear':
      return tf.onesLike(h);
    case 'elu':
      return tf.where(h.greater(0), tf.onesLike(h), h.add(1));
  }
}

/**
 * ‖∂h/∂x‖²_F for a one-layer dense encoder h = f(xW + b), averaged over the batch:
 * ∂h_j/∂x_i = f'(a_j)·W_ij, so ‖J‖²_F = Σ_j f'(a_j)² · Σ_i W_ij² (exact, no sampling).
 */
export function contractiveNorm(code: tf.Tensor, layer: Layer): tf.Scalar {
  if (layer.spec.type !== 'dense') {
    throw new Error('The contractive penalty is exact for a one-layer dense encoder; build the model with hidden: [].');
  }
  const activation = layer.spec.activation;
  return tf.tidy(() => {
    const columnNorms = layer.weights.kernel.square().sum(0); // (units): Σ_i W_ij²
    const slope = activationDerivativeFromOutput(code, activation).square(); // (B, units)
    return slope.mul(columnNorms).sum(1).mean() as tf.Scalar;
  });
}

/** KL(ρ ‖ ρ̂_j) summed over units, ρ̂_j = mean activation of unit j over the batch (sigmoid code). */
export function klSparsity(code: tf.Tensor, rho: number): tf.Scalar {
  return tf.tidy(() => {
    const rhoHat = code.mean(0).clipByValue(RHO_EPSILON, 1 - RHO_EPSILON);
    const one = tf.scalar(1);
    const kl = tf
      .scalar(rho)
      .mul(tf.scalar(rho).div(rhoHat).log())
      .add(tf.scalar(1 - rho).mul(tf.scalar(1 - rho).div(one.sub(rhoHat)).log()));
    return kl.sum() as tf.Scalar;
  });
}

/** The weighted penalty term for one spec. */
export function penaltyTerm(spec: PenaltySpec, p: PenaltyInput): tf.Scalar {
  switch (spec.type) {
    case 'weightDecay':
      return l1l2(kernels([...p.encoderLayers, ...p.decoderLayers]), spec.l1, spec.l2);
    case 'activity':
      return tf.tidy(() => {
        let term = tf.scalar(0);
        // Per sample, summed over units, then averaged over the batch.
        if (spec.l1) term = term.add(p.code.abs().sum(1).mean().mul(spec.l1));
        if (spec.l2) term = term.add(p.code.square().sum(1).mean().mul(spec.l2));
        return term as tf.Scalar;
      });
    case 'contractive': {
      if (p.encoderLayers.length !== 1) {
        throw new Error(`The contractive penalty needs a one-layer dense encoder (hidden: []); this encoder has ${p.encoderLayers.length} layers.`);
      }
      return tf.tidy(() => contractiveNorm(p.code, p.encoderLayers[0]).mul(spec.lambda) as tf.Scalar);
    }
    case 'klSparsity':
      return tf.tidy(() => klSparsity(p.code, spec.rho).mul(spec.beta) as tf.Scalar);
  }
}
