/**
 * The auto-encoder: encoder → code → decoder, trained to give back its input.
 *
 *   x (B, ...input) ─encoder→ h (B, code) ─decoder→ x̂ (B, ...input),   loss = L(x, x̂) + penalties
 *
 * The concrete models (dense, convolutional, overcomplete, regularised, sparse, k-sparse) are this
 * class with different stacks, penalties and code transforms; see denseAutoencoder() and
 * convAutoencoder(). After training, `encoderPart()` keeps only the encoder (lesson 01).
 */
import * as tf from '@tensorflow/tfjs';
import { applyCodeTransform, CodeTransform } from './codeTransforms';
import { LayerSpec, SEED_OFFSETS, Stack } from './layers';
import { reconstructionLoss, ReconstructionLoss } from './losses';
import { checkInputShape, LossContext, LossTerms, TrainableModel } from './model';
import { checkPenalty, PenaltySpec, penaltyName, penaltyTerm } from './penalties';
import { Decoder, Encoder } from './parts';

export interface AutoencoderConfig {
  /** What built it ('dense', 'conv', ...) and with which options: saved with the weights. */
  kind: string;
  options: object;
  name: string;
  inputShape: number[];
  codeSize: number;
  reconstruction: ReconstructionLoss;
  penalties: PenaltySpec[];
  codeTransform?: CodeTransform;
}

export class Autoencoder implements TrainableModel {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly codeSize: number;

  constructor(readonly config: AutoencoderConfig, readonly encoder: Stack, readonly decoder: Stack) {
    config.penalties.forEach(checkPenalty);
    this.name = config.name;
    this.inputShape = config.inputShape;
    this.codeSize = config.codeSize;
  }

  /** x → h. Returns a new tensor; the caller disposes it. */
  encode(x: tf.Tensor): tf.Tensor2D {
    checkInputShape(this, x);
    return tf.tidy(() => applyCodeTransform(this.encoder.apply(x), this.config.codeTransform) as tf.Tensor2D);
  }

  /** h → x̂. */
  decode(code: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.decoder.apply(code));
  }

  /** x → x̂. */
  reconstruct(x: tf.Tensor): tf.Tensor {
    checkInputShape(this, x);
    return tf.tidy(() => this.decoder.apply(applyCodeTransform(this.encoder.apply(x), this.config.codeTransform)));
  }

  lossTerms(input: tf.Tensor, target: tf.Tensor, _context: LossContext): LossTerms {
    return tf.tidy(() => {
      const code = applyCodeTransform(this.encoder.apply(input), this.config.codeTransform);
      const output = this.decoder.apply(code);
      const reconstruction = reconstructionLoss(this.config.reconstruction, target, output);
      const terms: LossTerms = { total: reconstruction, reconstruction };
      let total: tf.Scalar = reconstruction;
      for (const spec of this.config.penalties) {
        const term = penaltyTerm(spec, { input, code, encoderLayers: this.encoder.layers, decoderLayers: this.decoder.layers });
        terms[penaltyName(spec)] = term;
        total = total.add(term);
      }
      terms.total = total;
      return terms;
    });
  }

  /**
   * Changes k of a k-sparse model, e.g. to lower it during training as Makhzani & Frey did (a
   * large k first, so that every unit gets trained, then the target k; lesson 04).
   */
  setKSparse(k: number): void {
    const transform = this.config.codeTransform;
    if (transform?.type !== 'topK') throw new Error(`${this.name}: setKSparse needs a k-sparse model (built with kSparse).`);
    if (!(Number.isInteger(k) && k >= 1 && k <= this.codeSize)) {
      throw new Error(`${this.name}: k must be a whole number from 1 to the code size ${this.codeSize}, got ${k}.`);
    }
    this.config.codeTransform = { type: 'topK', k };
  }

  trainableVariables(): tf.Variable[] {
    return [...Object.values(this.encoder.namedWeights()), ...Object.values(this.decoder.namedWeights())];
  }

  /** A stand-alone encoder with copies of the trained weights (keeps working after dispose()). */
  encoderPart(): Encoder {
    return Encoder.copyOf(this.encoder, this.inputShape, this.config.codeTransform);
  }

  /** A stand-alone decoder with copies of the trained weights. */
  decoderPart(): Decoder {
    return Decoder.copyOf(this.decoder, [this.codeSize], this.inputShape);
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}

/** What a window auto-encoder (lesson 09) is built from: its options, and the two stacks' layers. */
export interface WindowAutoencoderParts {
  kind: string;
  name: string;
  options: { steps: number; channels: number; code: number; seed: number };
  encoder: LayerSpec[];
  decoder: LayerSpec[];
}

/**
 * An auto-encoder of windows (N, steps, channels): mean squared error, no penalty, the encoder
 * seeded by `seed` and the decoder by `seed + SEED_OFFSETS.decoder`, like every model.
 */
export function windowAutoencoder(parts: WindowAutoencoderParts): Autoencoder {
  const settings = parts.options;
  return new Autoencoder(
    {
      kind: parts.kind,
      options: settings,
      name: parts.name,
      inputShape: [settings.steps, settings.channels],
      codeSize: settings.code,
      reconstruction: 'mse',
      penalties: [],
    },
    new Stack(parts.encoder, settings.seed, 'encoder'),
    new Stack(parts.decoder, settings.seed + SEED_OFFSETS.decoder, 'decoder'),
  );
}
