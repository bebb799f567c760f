/**
 * Dense (fully connected) auto-encoder, the model of lessons 01–04.
 *
 *   784 → 256 → 32 (code) → 256 → 784        denseAutoencoder({ hidden: [256], code: 32 })
 *
 * The encoder's widths shrink to the code and the decoder mirrors them. With `penalties` it is a
 * regularised, contractive or sparse auto-encoder; with `kSparse` a k-sparse one; with a code wider
 * than the input and no constraint it is the overcomplete auto-encoder that can learn the identity.
 */
import { Autoencoder } from './autoencoder';
import { CodeTransform } from './codeTransforms';
import { Activation, LayerSpec, SEED_OFFSETS, Stack } from './layers';
import { ReconstructionLoss } from './losses';
import { checkActivation, checkKnownOptions, checkOneOf, checkPositiveInteger, checkSeed } from './options';
import { PenaltySpec } from './penalties';

export interface DenseAutoencoderOptions {
  /** Length of one input vector. Default 784 (28×28 pixels). */
  inputSize: number;
  /** Widths of the encoder's hidden layers, input side first; the decoder mirrors them. Default [256]. */
  hidden: number[];
  /** Width of the code (the bottleneck). Default 32. */
  code: number;
  /** Activation of the hidden layers. Default 'relu'. */
  activation: Activation;
  /** Activation of the code layer. Default 'relu'; 'sigmoid' for a KL-sparse code. */
  codeActivation: Activation;
  /** Activation of the output: 'sigmoid' for pixels in [0, 1], 'linear' for standardised tables. */
  outputActivation: Activation;
  /** 'bce' (pixels as probabilities) or 'mse'. Default 'mse'. */
  loss: ReconstructionLoss;
  /** Decoder layers use the transposes of the encoder's kernels (half the weights). Default false. */
  tiedWeights: boolean;
  /** Extra loss terms (weight decay, activity, contractive, klSparsity). Default none. */
  penalties: PenaltySpec[];
  /** Keep only the k largest code units per sample (k-sparse). Default: off. */
  kSparse?: number;
  /** Code h = max(0, a − θ): units stay dormant unless their input clears θ. Default: off. */
  codeThreshold?: number;
  /** Seed of the initial weights. Default 0. */
  seed: number;
}

export const DEFAULT_DENSE_AUTOENCODER_OPTIONS: DenseAutoencoderOptions = {
  inputSize: 784,
  hidden: [256],
  code: 32,
  activation: 'relu',
  codeActivation: 'relu',
  outputActivation: 'sigmoid',
  loss: 'mse',
  tiedWeights: false,
  penalties: [],
  kSparse: undefined,
  codeThreshold: undefined,
  seed: 0,
};

const MODEL = 'denseAutoencoder';

/**
 *   const ae = denseAutoencoder({ code: 32 });
 *   const sparse = denseAutoencoder({ hidden: [], code: 1024, codeActivation: 'sigmoid',
 *                                     penalties: [{ type: 'klSparsity', rho: 0.05, beta: 0.1 }] });
 */
export function denseAutoencoder(options: Partial<DenseAutoencoderOptions> = {}): Autoencoder {
  checkKnownOptions(MODEL, options, DEFAULT_DENSE_AUTOENCODER_OPTIONS);
  const o: DenseAutoencoderOptions = { ...DEFAULT_DENSE_AUTOENCODER_OPTIONS, ...options };
  checkPositiveInteger(MODEL, 'inputSize', o.inputSize);
  checkPositiveInteger(MODEL, 'code', o.code);
  if (!Array.isArray(o.hidden)) throw new Error(`${MODEL}: hidden must be an array of widths, e.g. [256], got ${String(o.hidden)}.`);
  o.hidden.forEach((w, i) => checkPositiveInteger(MODEL, `hidden[${i}]`, w));
  checkActivation(MODEL, 'activation', o.activation);
  checkActivation(MODEL, 'codeActivation', o.codeActivation);
  checkActivation(MODEL, 'outputActivation', o.outputActivation);
  checkOneOf(MODEL, 'loss', o.loss, ['bce', 'mse'] as const);
  if (o.loss === 'bce' && o.outputActivation !== 'sigmoid') {
    throw new Error(`${MODEL}: loss 'bce' needs outputActivation 'sigmoid' (outputs must be probabilities).`);
  }
  checkSeed(MODEL, o.seed);
  if (typeof o.tiedWeights !== 'boolean') throw new Error(`${MODEL}: tiedWeights must be true or false, got ${String(o.tiedWeights)}.`);
  let codeTransform: CodeTransform | undefined;
  if (o.kSparse !== undefined) {
    checkPositiveInteger(MODEL, 'kSparse', o.kSparse);
    if (o.kSparse > o.code) throw new Error(`${MODEL}: kSparse (${o.kSparse}) cannot exceed code (${o.code}).`);
    codeTransform = { type: 'topK', k: o.kSparse };
  }
  if (o.codeThreshold !== undefined) {
    if (codeTransform) throw new Error(`${MODEL}: use kSparse or codeThreshold, not both.`);
    if (!(Number.isFinite(o.codeThreshold) && o.codeThreshold >= 0)) throw new Error(`${MODEL}: codeThreshold must be a number ≥ 0, got ${o.codeThreshold}.`);
    codeTransform = { type: 'threshold', threshold: o.codeThreshold };
  }

  const widths = [o.inputSize, ...o.hidden, o.code];
  const encoderSpecs: LayerSpec[] = widths.slice(1).map((units, i) => ({
    type: 'dense',
    inputs: widths[i],
    units,
    activation: i === widths.length - 2 ? o.codeActivation : o.activation,
  }));
  const back = [...widths].reverse();
  const decoderSpecs: LayerSpec[] = back.slice(1).map((units, i) => ({
    type: 'dense',
    inputs: back[i],
    units,
    activation: i === back.length - 2 ? o.outputActivation : o.activation,
    // Decoder layer i mirrors encoder layer n−1−i: its kernel is that one's transpose.
    ...(o.tiedWeights ? { tiedTo: `encoder.${encoderSpecs.length - 1 - i}.kernel` } : {}),
  }));
  const encoder = new Stack(encoderSpecs, o.seed, 'encoder');
  const decoder = new Stack(decoderSpecs, o.seed + SEED_OFFSETS.decoder, 'decoder', undefined, encoder.namedWeights());
  const tag = (o.tiedWeights ? ', tied' : '') + (o.kSparse ? `, ${o.kSparse}-sparse` : o.codeThreshold !== undefined ? `, threshold ${o.codeThreshold}` : '');
  return new Autoencoder(
    {
      kind: 'dense',
      options: o,
      name: `dense ${widths.join('-')}-${[...o.hidden].reverse().join('-')}${o.hidden.length ? '-' : ''}${o.inputSize}${tag}`,
      inputShape: [o.inputSize],
      codeSize: o.code,
      reconstruction: o.loss,
      penalties: o.penalties,
      codeTransform,
    },
    encoder,
    decoder,
  );
}

/**
 * An auto-encoder whose code is wider than its input, with nothing to stop it: the "identity
 * trap" of lesson 01. Linear by default, so copying the input is exactly representable.
 */
export function overcompleteAutoencoder(options: Partial<DenseAutoencoderOptions> = {}): Autoencoder {
  const o = { inputSize: 784, code: 1024, hidden: [], codeActivation: 'linear' as Activation, outputActivation: 'linear' as Activation, ...options };
  if (o.code <= o.inputSize) {
    throw new Error(`overcompleteAutoencoder: code (${o.code}) must be wider than inputSize (${o.inputSize}); use denseAutoencoder for a bottleneck.`);
  }
  return denseAutoencoder(o);
}

