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
  const settings: DenseAutoencoderOptions = { ...DEFAULT_DENSE_AUTOENCODER_OPTIONS, ...options };
  checkPositiveInteger(MODEL, 'inputSize', settings.inputSize);
  checkPositiveInteger(MODEL, 'code', settings.code);
  if (!Array.isArray(settings.hidden)) throw new Error(`${MODEL}: hidden must be an array of widths, e.g. [256], got ${String(settings.hidden)}.`);
  settings.hidden.forEach((w, i) => checkPositiveInteger(MODEL, `hidden[${i}]`, w));
  checkActivation(MODEL, 'activation', settings.activation);
  checkActivation(MODEL, 'codeActivation', settings.codeActivation);
  checkActivation(MODEL, 'outputActivation', settings.outputActivation);
  checkOneOf(MODEL, 'loss', settings.loss, ['bce', 'mse'] as const);
  if (settings.loss === 'bce' && settings.outputActivation !== 'sigmoid') {
    throw new Error(`${MODEL}: loss 'bce' needs outputActivation 'sigmoid' (outputs must be probabilities).`);
  }
  checkSeed(MODEL, settings.seed);
  if (typeof settings.tiedWeights !== 'boolean') throw new Error(`${MODEL}: tiedWeights must be true or false, got ${String(settings.tiedWeights)}.`);
  let codeTransform: CodeTransform | undefined;
  if (settings.kSparse !== undefined) {
    checkPositiveInteger(MODEL, 'kSparse', settings.kSparse);
    if (settings.kSparse > settings.code) throw new Error(`${MODEL}: kSparse (${settings.kSparse}) cannot exceed code (${settings.code}).`);
    codeTransform = { type: 'topK', k: settings.kSparse };
  }
  if (settings.codeThreshold !== undefined) {
    if (codeTransform) throw new Error(`${MODEL}: use kSparse or codeThreshold, not both.`);
    if (!(Number.isFinite(settings.codeThreshold) && settings.codeThreshold >= 0)) throw new Error(`${MODEL}: codeThreshold must be a number ≥ 0, got ${settings.codeThreshold}.`);
    codeTransform = { type: 'threshold', threshold: settings.codeThreshold };
  }

  const widths = [settings.inputSize, ...settings.hidden, settings.code];
  const encoderSpecs: LayerSpec[] = widths.slice(1).map((units, i) => ({
    type: 'dense',
    inputs: widths[i],
    units,
    activation: i === widths.length - 2 ? settings.codeActivation : settings.activation,
  }));
  const back = [...widths].reverse();
  const decoderSpecs: LayerSpec[] = back.slice(1).map((units, i) => ({
    type: 'dense',
    inputs: back[i],
    units,
    activation: i === back.length - 2 ? settings.outputActivation : settings.activation,
    // Decoder layer i mirrors encoder layer n−1−i: its kernel is that one's transpose.
    ...(settings.tiedWeights ? { tiedTo: `encoder.${encoderSpecs.length - 1 - i}.kernel` } : {}),
  }));
  const encoder = new Stack(encoderSpecs, settings.seed, 'encoder');
  const decoder = new Stack(decoderSpecs, settings.seed + SEED_OFFSETS.decoder, 'decoder', { tiedTo: encoder.namedWeights() });
  const tag = (settings.tiedWeights ? ', tied' : '') + (settings.kSparse ? `, ${settings.kSparse}-sparse` : settings.codeThreshold !== undefined ? `, threshold ${settings.codeThreshold}` : '');
  return new Autoencoder(
    {
      kind: 'dense',
      options: settings,
      name: `dense ${widths.join('-')}-${[...settings.hidden].reverse().join('-')}${settings.hidden.length ? '-' : ''}${settings.inputSize}${tag}`,
      inputShape: [settings.inputSize],
      codeSize: settings.code,
      reconstruction: settings.loss,
      penalties: settings.penalties,
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
  const settings = { inputSize: 784, code: 1024, hidden: [], codeActivation: 'linear' as Activation, outputActivation: 'linear' as Activation, ...options };
  if (settings.code <= settings.inputSize) {
    throw new Error(`overcompleteAutoencoder: code (${settings.code}) must be wider than inputSize (${settings.inputSize}); use denseAutoencoder for a bottleneck.`);
  }
  return denseAutoencoder(settings);
}

