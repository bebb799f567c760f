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
  const o: Conv1dAutoencoderOptions = { ...DEFAULT_CONV1D_AUTOENCODER_OPTIONS, ...options };
  for (const field of ['steps', 'channels', 'kernelSize', 'code'] as const) checkPositiveInteger(MODEL, field, o[field]);
  checkFilters(MODEL, o.filters);
  checkActivation(MODEL, 'activation', o.activation);
  checkSeed(MODEL, o.seed);
  const shrink = STRIDE ** o.filters.length;
  if (o.steps % shrink !== 0) {
    throw new Error(`${MODEL}: steps ${o.steps} is not divisible by ${shrink} (stride 2 per conv layer); use fewer filters.`);
  }
  const length = o.steps / shrink;
  const last = o.filters[o.filters.length - 1];
  const channelsIn = [o.channels, ...o.filters];
  const encoderSpecs: LayerSpec[] = [
    ...o.filters.map((filters, i): LayerSpec => ({
      type: 'conv1d', inChannels: channelsIn[i], filters, kernelSize: o.kernelSize, strides: STRIDE, activation: o.activation,
    })),
    { type: 'flatten' },
    { type: 'dense', inputs: length * last, units: o.code, activation: 'linear' },
  ];
  const channelsOut = [...o.filters].reverse().slice(1).concat(o.channels);
  const decoderSpecs: LayerSpec[] = [
    { type: 'dense', inputs: o.code, units: length * last, activation: o.activation },
    { type: 'reshape', shape: [length, last] },
    ...channelsOut.map((filters, i): LayerSpec => ({
      type: 'conv1dTranspose',
      inChannels: i === 0 ? last : channelsOut[i - 1],
      filters,
      kernelSize: o.kernelSize,
      strides: STRIDE,
      activation: i === channelsOut.length - 1 ? 'linear' : o.activation,
    })),
  ];
  return windowAutoencoder({
    kind: 'conv1d', name: `conv1d ${o.filters.join('/')} filters, code ${o.code}`, options: o, encoder: encoderSpecs, decoder: decoderSpecs,
  });
}
