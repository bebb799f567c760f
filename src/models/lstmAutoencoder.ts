/**
 * LSTM encoder–decoder auto-encoder for windows of a series (lesson 09), after the
 * sequence-to-sequence auto-encoders of Srivastava, Mansimov & Salakhutdinov (2015) and the
 * LSTM anomaly detector of Malhotra et al. (2016, "LSTM-based encoder-decoder for multi-sensor
 * anomaly detection").
 *
 *   window (B, T, C) ─LSTM→ last state h_T (B, code)          the code
 *   code ─repeat T times→ (B, T, code) ─LSTM, every step→ (B, T, hidden) ─dense per step→ (B, T, C)
 *
 * The encoder reads the window one step at a time (lstmStep in ./lstm, written out); its state
 * after the last step is all the decoder gets, at every step, to rebuild the window.
 */
import { Autoencoder, windowAutoencoder } from './autoencoder';
import { LayerSpec } from './layers';
import { checkKnownOptions, checkPositiveInteger, checkSeed } from './options';

export interface LstmAutoencoderOptions {
  /** Time steps per window. Default 64. */
  steps: number;
  /** Values per time step (1 for a single series). Default 1. */
  channels: number;
  /** Width of the encoder's state, which is the code. Default 16. */
  code: number;
  /** Width of the decoder's state. Default 32. */
  hidden: number;
  /** Seed of the initial weights. Default 0. */
  seed: number;
}

export const DEFAULT_LSTM_AUTOENCODER_OPTIONS: LstmAutoencoderOptions = {
  steps: 64,
  channels: 1,
  code: 16,
  hidden: 32,
  seed: 0,
};

const MODEL = 'lstmAutoencoder';

/** const ae = lstmAutoencoder({ steps: 64, code: 16 }); trained on windows shaped (N, 64, 1). */
export function lstmAutoencoder(options: Partial<LstmAutoencoderOptions> = {}): Autoencoder {
  checkKnownOptions(MODEL, options, DEFAULT_LSTM_AUTOENCODER_OPTIONS);
  const settings: LstmAutoencoderOptions = { ...DEFAULT_LSTM_AUTOENCODER_OPTIONS, ...options };
  for (const field of ['steps', 'channels', 'code', 'hidden'] as const) checkPositiveInteger(MODEL, field, settings[field]);
  checkSeed(MODEL, settings.seed);
  const encoderSpecs: LayerSpec[] = [{ type: 'lstm', inputs: settings.channels, units: settings.code, returnSequences: false }];
  const decoderSpecs: LayerSpec[] = [
    { type: 'repeat', times: settings.steps },
    { type: 'lstm', inputs: settings.code, units: settings.hidden, returnSequences: true },
    { type: 'timeDense', inputs: settings.hidden, units: settings.channels, activation: 'linear' },
  ];
  return windowAutoencoder({
    kind: 'lstm', name: `LSTM ${settings.steps} steps, code ${settings.code}`, options: settings, encoder: encoderSpecs, decoder: decoderSpecs,
  });
}
