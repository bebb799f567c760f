/**
 * Variational auto-encoder (Kingma & Welling 2014, "Auto-Encoding Variational Bayes"), lesson 05.
 *
 *   x ─body→ h ─┬─ mean head  → μ        (B, latent)
 *               └─ logVar head → log σ²  (B, latent)
 *   z = μ + σ·ε,  ε ~ N(0, I)             the reparameterisation trick: the randomness is an input,
 *                                         so gradients flow through μ and σ
 *   x̂ = decoder(z)
 *
 * Loss (the negative ELBO, per image, averaged over the batch):
 *   reconstruction = −log p(x | z)  summed over pixels (Bernoulli: binary cross-entropy; Gaussian
 *                    with unit variance: ½‖x − x̂‖², constant dropped)
 *   kl             = KL(q(z|x) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²)
 *   total          = reconstruction + β·kl      (β = 1: the ELBO; β > 1: a β-VAE)
 * The default 784-400-20 model is the one in pytorch/examples' vae/main.py.
 */
import * as tf from '@tensorflow/tfjs';
import { Activation, LayerSpec, SEED_OFFSETS, Stack } from './layers';
import { bceWithLogitsPerSample, bcePerSample, gaussianKlPerSample, squaredErrorPerSample } from './losses';
import { checkInputShape, LossContext, LossTerms, TrainableModel } from './model';
import { checkActivation, checkKnownOptions, checkOneOf, checkPositiveInteger, checkSeed } from './options';
import { Decoder } from './parts';
import { seededNormal } from '../random';

export interface VaeOptions {
  /** A dense VAE (convVariationalAutoencoder builds the other kind, see ./convVae.ts). */
  kind?: 'dense';
  /** Length of one input vector. Default 784. */
  inputSize: number;
  /** Widths of the hidden layers of the encoder body (the decoder mirrors them). Default [400]. */
  hidden: number[];
  /** Number of latent dimensions. Default 20; 2 to draw the latent space directly. */
  latent: number;
  /** Activation of the hidden layers. Default 'relu'. */
  activation: Activation;
  /** p(x|z): 'bernoulli' for pixels in [0, 1] (default), 'gaussian' with unit variance. */
  likelihood: 'bernoulli' | 'gaussian';
  /** Weight of the KL term. Default 1 (the ELBO). */
  beta: number;
  seed: number;
}

export const DEFAULT_VAE_OPTIONS: VaeOptions = {
  inputSize: 784,
  hidden: [400],
  latent: 20,
  activation: 'relu',
  likelihood: 'bernoulli',
  beta: 1,
  seed: 0,
};

const MODEL = 'vae';

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must be in (0, 1), got ${p}.`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** What the VAE class needs of a convolutional VAE's options (the rest is in ./convVae.ts). */
export interface ConvVaeCoreOptions {
  kind: 'conv';
  imageSize: number;
  channels: number;
  filters: number[];
  latent: number;
  likelihood: 'bernoulli' | 'gaussian';
  beta: number;
}

export class VariationalAutoencoder implements TrainableModel {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly latent: number;

  constructor(
    readonly options: VaeOptions | ConvVaeCoreOptions,
    readonly body: Stack,
    readonly meanHead: Stack,
    readonly logVarHead: Stack,
    readonly decoder: Stack,
  ) {
    this.latent = options.latent;
    const beta = options.beta !== 1 ? `, β=${options.beta}` : '';
    if (options.kind === 'conv') {
      this.inputShape = [options.imageSize, options.imageSize, options.channels];
      this.name = `conv VAE ${options.filters.join('/')} filters, latent ${options.latent}${beta}`;
    } else {
      this.inputShape = [options.inputSize];
      this.name = `VAE ${[options.inputSize, ...options.hidden, options.latent].join('-')}${beta}`;
    }
  }

  /** q(z|x): the mean and log-variance of each sample's latent Gaussian. */
  encodeDistribution(x: tf.Tensor): { mean: tf.Tensor2D; logVar: tf.Tensor2D } {
    checkInputShape(this, x);
    return tf.tidy(() => {
      const h = this.body.apply(x);
      return { mean: this.meanHead.apply(h) as tf.Tensor2D, logVar: this.logVarHead.apply(h) as tf.Tensor2D };
    });
  }

  /** The mean code μ(x): what lessons plot as "the latent position" of x. */
  encode(x: tf.Tensor): tf.Tensor2D {
    const { mean, logVar } = this.encodeDistribution(x);
    logVar.dispose();
    return mean;
  }

  /** z → x̂ (pixel probabilities for the Bernoulli decoder). */
  decode(z: tf.Tensor): tf.Tensor {
    checkInputShape({ name: this.name, inputShape: [this.latent] }, z, 'latent');
    return tf.tidy(() => this.decoder.apply(z));
  }

  /** x → decode(μ(x)): the deterministic reconstruction. */
  reconstruct(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.decoder.apply(this.encode(x)));
  }

  /** z = μ + exp(½ log σ²)·ε with ε drawn from `seed`. */
  static reparameterise(mean: tf.Tensor, logVar: tf.Tensor, seed: number): tf.Tensor {
    return tf.tidy(() => {
      const epsilon = seededNormal(mean.shape, 0, 1, seed);
      return mean.add(logVar.mul(0.5).exp().mul(epsilon));
    });
  }

  lossTerms(input: tf.Tensor, target: tf.Tensor, context: LossContext): LossTerms {
    return tf.tidy(() => {
      const h = this.body.apply(input);
      const mean = this.meanHead.apply(h);
      const logVar = this.logVarHead.apply(h);
      const z = VariationalAutoencoder.reparameterise(mean, logVar, context.seed);
      let perSample: tf.Tensor;
      if (this.options.likelihood === 'gaussian') perSample = squaredErrorPerSample(target, this.decoder.apply(z)).mul(0.5);
      else if (this.decoder.endsInSigmoid()) perSample = bceWithLogitsPerSample(target, this.decoder.applyLogits(z));
      else perSample = bcePerSample(target, this.decoder.apply(z));
      const reconstruction = perSample.mean() as tf.Scalar;
      const kl = gaussianKlPerSample(mean, logVar).mean() as tf.Scalar;
      const total = reconstruction.add(kl.mul(this.options.beta)) as tf.Scalar;
      return { total, reconstruction, kl };
    });
  }

  /** Decodes n points drawn from the prior N(0, I). */
  sample(n: number, seed: number): tf.Tensor {
    checkPositiveInteger('VAE sample', 'n', n);
    return tf.tidy(() => this.decoder.apply(seededNormal([n, this.latent], 0, 1, seed)));
  }

  /**
   * For a 2-d latent space: decodes an n×n grid of points placed at Normal quantiles, so that the
   * grid covers the prior evenly (the "latent manifold"). Rows run from high z₂ to low.
   */
  decodeGrid(n: number): { images: tf.Tensor; points: number[][] } {
    if (this.latent !== 2) throw new Error(`decodeGrid draws a 2-d latent space; this VAE has latent ${this.latent}.`);
    checkPositiveInteger('VAE decodeGrid', 'n', n);
    const quantiles = Array.from({ length: n }, (_, i) => normalQuantile((i + 0.5) / n));
    const points = quantiles.slice().reverse().flatMap((z2) => quantiles.map((z1) => [z1, z2]));
    const images = tf.tidy(() => this.decoder.apply(tf.tensor2d(points)));
    return { images, points };
  }

  /** Decodes `steps` points on the straight line between the mean codes of a and b (each (1, input)). */
  interpolate(a: tf.Tensor, b: tf.Tensor, steps: number): tf.Tensor {
    return interpolateCodes((x) => this.encode(x), (z) => this.decoder.apply(z), a, b, steps);
  }

  trainableVariables(): tf.Variable[] {
    return [this.body, this.meanHead, this.logVarHead, this.decoder].flatMap((s) => Object.values(s.namedWeights()));
  }

  decoderPart(): Decoder {
    return Decoder.copyOf(this.decoder, [this.latent], this.inputShape);
  }

  dispose(): void {
    [this.body, this.meanHead, this.logVarHead, this.decoder].forEach((s) => s.dispose());
  }
}

/** Shared by the VAE and plain auto-encoders (lesson 05 compares them): decode a line of codes. */
export function interpolateCodes(
  encode: (x: tf.Tensor) => tf.Tensor,
  decode: (z: tf.Tensor) => tf.Tensor,
  a: tf.Tensor,
  b: tf.Tensor,
  steps: number,
): tf.Tensor {
  checkPositiveInteger('interpolate', 'steps', steps);
  if (steps < 2) throw new Error('interpolate: steps must be at least 2 (the two ends).');
  return tf.tidy(() => {
    const za = encode(a);
    const zb = encode(b);
    const t = tf.linspace(0, 1, steps).reshape([steps, 1]);
    // (steps, latent): (1 − t)·za + t·zb
    const line = tf.scalar(1).sub(t).mul(za).add(t.mul(zb));
    return decode(line);
  });
}

/** const vae = variationalAutoencoder({ latent: 2 }); */
export function variationalAutoencoder(options: Partial<VaeOptions> = {}): VariationalAutoencoder {
  checkKnownOptions(MODEL, options, DEFAULT_VAE_OPTIONS);
  const settings: VaeOptions = { ...DEFAULT_VAE_OPTIONS, ...options };
  checkPositiveInteger(MODEL, 'inputSize', settings.inputSize);
  checkPositiveInteger(MODEL, 'latent', settings.latent);
  if (!Array.isArray(settings.hidden) || settings.hidden.length === 0) throw new Error(`${MODEL}: hidden must be a non-empty array of widths, e.g. [400].`);
  settings.hidden.forEach((w, i) => checkPositiveInteger(MODEL, `hidden[${i}]`, w));
  checkActivation(MODEL, 'activation', settings.activation);
  checkOneOf(MODEL, 'likelihood', settings.likelihood, ['bernoulli', 'gaussian'] as const);
  if (!(Number.isFinite(settings.beta) && settings.beta >= 0)) throw new Error(`${MODEL}: beta must be a number ≥ 0, got ${settings.beta}.`);
  checkSeed(MODEL, settings.seed);

  const widths = [settings.inputSize, ...settings.hidden];
  const last = widths[widths.length - 1];
  const bodySpecs: LayerSpec[] = widths.slice(1).map((units, i) => ({ type: 'dense', inputs: widths[i], units, activation: settings.activation }));
  const head = (): LayerSpec[] => [{ type: 'dense', inputs: last, units: settings.latent, activation: 'linear' }];
  const back = [settings.latent, ...[...settings.hidden].reverse(), settings.inputSize];
  const decoderSpecs: LayerSpec[] = back.slice(1).map((units, i) => ({
    type: 'dense',
    inputs: back[i],
    units,
    activation: i === back.length - 2 ? 'sigmoid' : settings.activation,
  }));
  return new VariationalAutoencoder(
    settings,
    new Stack(bodySpecs, settings.seed, 'body'),
    new Stack(head(), settings.seed + SEED_OFFSETS.mean, 'mean'),
    new Stack(head(), settings.seed + SEED_OFFSETS.logVar, 'logVar'),
    new Stack(decoderSpecs, settings.seed + SEED_OFFSETS.decoder, 'decoder'),
  );
}
