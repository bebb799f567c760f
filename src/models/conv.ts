/**
 * Convolutional auto-encoder for 28×28 grey images (lesson 03's denoiser).
 *
 *   (28,28,1) ─conv s2→ (14,14,16) ─conv s2→ (7,7,8) ─flatten, dense→ code
 *   code ─dense, reshape→ (7,7,8) ─conv-transpose s2→ (14,14,16) ─conv-transpose s2→ (28,28,1)
 *
 * Strided convolutions shrink the image and transposed convolutions grow it back. It trains on
 * every backend: on wasm through the Conv2DBackpropFilter kernel that setupBackend() registers.
 */
import { Autoencoder } from './autoencoder';
import { Activation, LayerSpec, SEED_OFFSETS, Stack } from './layers';
import { ReconstructionLoss } from './losses';
import { checkActivation, checkFilters, checkKnownOptions, checkOneOf, checkPositiveInteger } from './options';
import { PenaltySpec } from './penalties';

export interface ConvAutoencoderOptions {
  /** Image side in pixels; must be divisible by 2^(number of conv layers). Default 28. */
  imageSize: number;
  /** Channels of the input images. Default 1. */
  channels: number;
  /** Filters of each strided conv layer, input side first; the decoder mirrors them. Default [16, 8]. */
  filters: number[];
  /** Kernel size of every conv layer. Default 3. */
  kernelSize: number;
  /** Width of the dense code after the convolutions. Default 32. */
  code: number;
  /** Activation of the conv layers. Default 'relu'. */
  activation: Activation;
  /** Activation of the code. Default 'linear'. */
  codeActivation: Activation;
  /** 'bce' or 'mse'. Default 'mse'. */
  loss: ReconstructionLoss;
  penalties: PenaltySpec[];
  seed: number;
}

export const DEFAULT_CONV_AUTOENCODER_OPTIONS: ConvAutoencoderOptions = {
  imageSize: 28,
  channels: 1,
  filters: [16, 8],
  kernelSize: 3,
  code: 32,
  activation: 'relu',
  codeActivation: 'linear',
  loss: 'mse',
  penalties: [],
  seed: 0,
};

const MODEL = 'convAutoencoder';
const STRIDE = 2;

/** const ae = convAutoencoder({ filters: [16, 8], code: 32 }); */
export function convAutoencoder(options: Partial<ConvAutoencoderOptions> = {}): Autoencoder {
  checkKnownOptions(MODEL, options, DEFAULT_CONV_AUTOENCODER_OPTIONS);
  const settings: ConvAutoencoderOptions = { ...DEFAULT_CONV_AUTOENCODER_OPTIONS, ...options };
  for (const field of ['imageSize', 'channels', 'kernelSize', 'code'] as const) checkPositiveInteger(MODEL, field, settings[field]);
  checkFilters(MODEL, settings.filters);
  checkActivation(MODEL, 'activation', settings.activation);
  checkActivation(MODEL, 'codeActivation', settings.codeActivation);
  checkOneOf(MODEL, 'loss', settings.loss, ['bce', 'mse'] as const);
  const shrink = STRIDE ** settings.filters.length;
  if (settings.imageSize % shrink !== 0) {
    throw new Error(`${MODEL}: imageSize ${settings.imageSize} is not divisible by ${shrink} (stride 2 per conv layer); use fewer filters.`);
  }
  const side = settings.imageSize / shrink;
  const last = settings.filters[settings.filters.length - 1];
  const flat = side * side * last;
  const channelsIn = [settings.channels, ...settings.filters];

  const encoderSpecs: LayerSpec[] = [
    ...settings.filters.map((filters, i): LayerSpec => ({
      type: 'conv2d', inChannels: channelsIn[i], filters, kernelSize: settings.kernelSize, strides: STRIDE, activation: settings.activation,
    })),
    { type: 'flatten' }, // (B, side, side, last) → (B, side·side·last)
    { type: 'dense', inputs: flat, units: settings.code, activation: settings.codeActivation },
  ];
  const channelsOut = [...settings.filters].reverse().slice(1).concat(settings.channels);
  const decoderSpecs: LayerSpec[] = [
    { type: 'dense', inputs: settings.code, units: flat, activation: settings.activation },
    { type: 'reshape', shape: [side, side, last] },
    ...channelsOut.map((filters, i): LayerSpec => ({
      type: 'conv2dTranspose',
      inChannels: i === 0 ? last : channelsOut[i - 1],
      filters,
      kernelSize: settings.kernelSize,
      strides: STRIDE,
      activation: i === channelsOut.length - 1 ? 'sigmoid' : settings.activation,
    })),
  ];
  return new Autoencoder(
    {
      kind: 'conv',
      options: settings,
      name: `conv ${settings.filters.join('/')} filters, code ${settings.code}`,
      inputShape: [settings.imageSize, settings.imageSize, settings.channels],
      codeSize: settings.code,
      reconstruction: settings.loss,
      penalties: settings.penalties,
    },
    new Stack(encoderSpecs, settings.seed, 'encoder'),
    new Stack(decoderSpecs, settings.seed + SEED_OFFSETS.decoder, 'decoder'),
  );
}
