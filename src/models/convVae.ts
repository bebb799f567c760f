/**
 * Convolutional variational auto-encoder, the architecture of TensorFlow's "Convolutional
 * Variational Autoencoder" tutorial (tensorflow.org/tutorials/generative/cvae), lesson 05:
 *
 *   encoder  (28,28,1) ─conv 3×3 s2, relu→ (14,14,f₁) ─conv 3×3 s2, relu→ (7,7,f₂) ─flatten→
 *            ─dense→ μ (latent)   and   ─dense→ log σ² (latent)
 *   decoder  z ─dense, relu→ (7·7·f₁) ─reshape→ (7,7,f₁) ─conv-transpose s2, relu→ (14,14,f₂)
 *            ─conv-transpose s2, relu→ (28,28,f₁) ─conv-transpose 3×3 s1, sigmoid→ (28,28,1)
 *
 * The tutorial uses f = (32, 64); the default here is (16, 32), a quarter of the arithmetic, sized
 * for a course that trains on one CPU core. The loss is the dense VAE's (see ./vae.ts): Bernoulli
 * reconstruction summed over pixels plus β·KL, in nats per image. It trains on every backend: on
 * wasm and cpu through our conv gradient kernels, on tensorflow (tfjs-node) through its own.
 */
import { LayerSpec, SEED_OFFSETS, Stack } from './layers';
import { checkFilters, checkKnownOptions, checkOneOf, checkPositiveInteger, checkSeed } from './options';
import { ConvVaeCoreOptions, VariationalAutoencoder } from './vae';

export interface ConvVaeOptions extends ConvVaeCoreOptions {
  /** Kernel size of every convolution. Default 3. */
  kernelSize: number;
  /** Seed of the initial weights. Default 0. */
  seed: number;
}

export const DEFAULT_CONV_VAE_OPTIONS: ConvVaeOptions = {
  kind: 'conv',
  imageSize: 28,
  channels: 1,
  filters: [16, 32],
  kernelSize: 3,
  latent: 20,
  likelihood: 'bernoulli',
  beta: 1,
  seed: 0,
};

const MODEL = 'convVariationalAutoencoder';
const STRIDE = 2;

/** const vae = convVariationalAutoencoder({ latent: 20 }); */
export function convVariationalAutoencoder(options: Partial<ConvVaeOptions> = {}): VariationalAutoencoder {
  checkKnownOptions(MODEL, options, DEFAULT_CONV_VAE_OPTIONS);
  const settings: ConvVaeOptions = { ...DEFAULT_CONV_VAE_OPTIONS, ...options };
  if (settings.kind !== 'conv') throw new Error(`${MODEL}: kind must be 'conv', got ${String(settings.kind)}.`);
  for (const field of ['imageSize', 'channels', 'kernelSize', 'latent'] as const) checkPositiveInteger(MODEL, field, settings[field]);
  checkFilters(MODEL, settings.filters, 2);
  checkOneOf(MODEL, 'likelihood', settings.likelihood, ['bernoulli', 'gaussian'] as const);
  if (!(Number.isFinite(settings.beta) && settings.beta >= 0)) throw new Error(`${MODEL}: beta must be a number ≥ 0, got ${settings.beta}.`);
  checkSeed(MODEL, settings.seed);
  const shrink = STRIDE ** 2;
  if (settings.imageSize % shrink !== 0) throw new Error(`${MODEL}: imageSize ${settings.imageSize} must be divisible by ${shrink}.`);
  const side = settings.imageSize / shrink;
  const [f1, f2] = settings.filters;
  const conv = (inChannels: number, filters: number): LayerSpec => ({
    type: 'conv2d', inChannels, filters, kernelSize: settings.kernelSize, strides: STRIDE, activation: 'relu',
  });
  const up = (inChannels: number, filters: number, strides: number, activation: 'relu' | 'sigmoid'): LayerSpec => ({
    type: 'conv2dTranspose', inChannels, filters, kernelSize: settings.kernelSize, strides, activation,
  });
  const flat = side * side * f2;
  const bodySpecs: LayerSpec[] = [conv(settings.channels, f1), conv(f1, f2), { type: 'flatten' }]; // → (B, 7·7·f₂)
  const head = (): LayerSpec[] => [{ type: 'dense', inputs: flat, units: settings.latent, activation: 'linear' }];
  const decoderSpecs: LayerSpec[] = [
    { type: 'dense', inputs: settings.latent, units: side * side * f1, activation: 'relu' },
    { type: 'reshape', shape: [side, side, f1] }, // (B, 7, 7, f₁)
    up(f1, f2, STRIDE, 'relu'), // (B, 14, 14, f₂)
    up(f2, f1, STRIDE, 'relu'), // (B, 28, 28, f₁)
    up(f1, settings.channels, 1, 'sigmoid'), // (B, 28, 28, channels)
  ];
  return new VariationalAutoencoder(
    settings,
    new Stack(bodySpecs, settings.seed, 'body'),
    new Stack(head(), settings.seed + SEED_OFFSETS.mean, 'mean'),
    new Stack(head(), settings.seed + SEED_OFFSETS.logVar, 'logVar'),
    new Stack(decoderSpecs, settings.seed + SEED_OFFSETS.decoder, 'decoder'),
  );
}
