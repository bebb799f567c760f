/**
 * 1-D convolutional auto-encoder for windows of a series (lesson 09), as in keras.io's
 * "Timeseries anomaly detection using an Autoencoder" (Conv1D down, Conv1DTranspose up).
 *
 *   (T, C) ─conv1d s2→ (T/2, f1) ─conv1d s2→ (T/4, f2) ─flatten, dense→ code
 *   code ─dense, reshape→ (T/4, f2) ─conv1d-transpose s2→ (T/2, f1) ─conv1d-transpose s2→ (T, C)
 *
 * The same kernel slides along time, so a shape is recognised wherever it sits in the window.
 * The transposed 1-D convolution is a conv2dTranspose on a (B, 1, T, C) view (./layers).
 */
import { Autoencoder, windowAutoencoder } from './autoencoder';
import { Activation, LayerSpec } from './layers';
import { checkActivation, checkFilters, checkKnownOptions, checkPositiveInteger, checkSeed } from './options';

export interface Conv1dAutoencoderOptions {
  /** Time steps per window; must be divisible by 2^(number of conv layers). Default 64. */
  steps: number;
  /** Values per time step. Default 1. */
  channels: number;
  /** Filters of each strided conv layer, input side first; the decoder mirrors them. Default [16, 8]. */
  filters: number[];
  /** Kernel length of every conv layer. Default 5. */
  kernelSize: number;
  /** Width of the dense code after the convolutions. Default 16. */
  code: number;
  /** Activation of the conv layers. Default 'relu'. */
  activation: Activation;
  /** Seed of the initial weights. Default 0. */
  seed: number;
}

export const DEFAULT_CONV1D_AUTOENCODER_OPTIONS: Conv1dAutoencoderOptions = {
  steps: 64,
  channels: 1,
  filters: [16, 8],
  kernelSize: 5,
  code: 16,
  activation: 'relu',
  seed: 0,
};

const MODEL = 'conv1dAutoencoder';
const STRIDE = 2;

/** const ae = conv1dAutoencoder({ steps: 64, filters: [16, 8], code: 16 }); on windows (N, 64, 1). */
export function conv1dAutoencoder(options: Partial<Conv1dAutoencoderOptions> = {}): Autoencoder {
  checkKnownOptions(MODEL, options, DEFAULT_CONV1D_AUTOENCODER_OPTIONS);
  const settings: Conv1dAutoencoderOptions = { ...DEFAULT_CONV1D_AUTOENCODER_OPTIONS, ...options };
  for (const field of ['steps', 'channels', 'kernelSize', 'code'] as const) checkPositiveInteger(MODEL, field, settings[field]);
  checkFilters(MODEL, settings.filters);
  checkActivation(MODEL, 'activation', settings.activation);
  checkSeed(MODEL, settings.seed);
  const shrink = STRIDE ** settings.filters.length;
  if (settings.steps % shrink !== 0) {
    throw new Error(`${MODEL}: steps ${settings.steps} is not divisible by ${shrink} (stride 2 per conv layer); use fewer filters.`);
  }
  const length = settings.steps / shrink;
  const last = settings.filters[settings.filters.length - 1];
  const channelsIn = [settings.channels, ...settings.filters];
  const encoderSpecs: LayerSpec[] = [
    ...settings.filters.map((filters, i): LayerSpec => ({
      type: 'conv1d', inChannels: channelsIn[i], filters, kernelSize: settings.kernelSize, strides: STRIDE, activation: settings.activation,
    })),
    { type: 'flatten' },
    { type: 'dense', inputs: length * last, units: settings.code, activation: 'linear' },
  ];
  const channelsOut = [...settings.filters].reverse().slice(1).concat(settings.channels);
  const decoderSpecs: LayerSpec[] = [
    { type: 'dense', inputs: settings.code, units: length * last, activation: settings.activation },
    { type: 'reshape', shape: [length, last] },
    ...channelsOut.map((filters, i): LayerSpec => ({
      type: 'conv1dTranspose',
      inChannels: i === 0 ? last : channelsOut[i - 1],
      filters,
      kernelSize: settings.kernelSize,
      strides: STRIDE,
      activation: i === channelsOut.length - 1 ? 'linear' : settings.activation,
    })),
  ];
  return windowAutoencoder({
    kind: 'conv1d', name: `conv1d ${settings.filters.join('/')} filters, code ${settings.code}`, options: settings, encoder: encoderSpecs, decoder: decoderSpecs,
  });
}
