/**
 * What an auto-encoder's decoder costs to ship with its codes (lesson 06): a JPEG decoder is the
 * same for every image, a learned decoder is a model sent along with the codes, so its weights
 * count, spread over the images it decodes.
 *
 *   decoderBytes(ae);                                   // float32 weights: 4 bytes each
 *   withDecoderShare(points, models, 10000);            // the points with that share added
 */
import type { Autoencoder } from '../models/autoencoder';
import { countParameters } from '../models/layers';
import type { CodedPoint } from './codedPoint';
import type { RatePoint } from './ratePoint';

/** Bytes per weight of a float32 model. */
export const FLOAT32_BYTES = 4;

/** Bytes of a model's decoder weights at `bytesPerWeight` each (default float32). */
export function decoderBytes(model: Pick<Autoencoder, 'decoder'>, bytesPerWeight = FLOAT32_BYTES): number {
  if (!(bytesPerWeight > 0)) throw new Error(`decoderBytes: bytesPerWeight must be positive, got ${bytesPerWeight}.`);
  return bytesPerWeight * countParameters(model.decoder.namedWeights());
}

/**
 * The points of `method` with each one's decoder (the model of its code size in `models`) spread
 * over `images` images added to its bytes; named '<method> + decoder over <images> images'.
 */
export function withDecoderShare(
  points: readonly CodedPoint[],
  models: ReadonlyMap<number, Pick<Autoencoder, 'decoder'>>,
  images: number,
  method = 'auto-encoder',
): RatePoint[] {
  if (!(Number.isInteger(images) && images > 0)) throw new Error(`withDecoderShare: images must be a whole number > 0, got ${images}.`);
  const name = `${method} + decoder over ${images.toLocaleString('en-US')} images`;
  return points
    .filter((p) => p.method === method)
    .map((p) => {
      const model = models.get(p.k);
      if (!model) throw new Error(`withDecoderShare: no model of code size ${p.k} in models.`);
      return { ...p, method: name, bytes: p.bytes + decoderBytes(model) / images };
    });
}
