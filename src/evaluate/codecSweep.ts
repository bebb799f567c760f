/**
 * The codecs of lesson 06 over a sweep of quality settings: each image encoded as a file of its
 * own (./codecs), decoded back, and scored by bytes per image, PSNR and SSIM.
 *
 *   const points = await codecSweep(test.slice(0, 50), [10, 50, 90]);
 *   showTable(points, { caption: 'codecs, bytes per image' });
 */
import * as tf from '@tensorflow/tfjs';
import { CODEC_NAMES, CodecName, codecRoundTrip } from './codecs';
import { mean, psnr } from './reconstruction';
import { ssim } from './ssim';
import type { RatePoint } from './ratePoint';

/** A codec at one quality: whole-file bytes per image, and the coded data alone. */
export type CodecPoint = RatePoint & {
  /** Bytes per image of the coded data without headers and container (see ./codecs). */
  payload: number;
};

/**
 * Every codec at every quality (1–100, each codec's own scale) on `images`, codec after codec.
 * Nothing to dispose.
 */
export async function codecSweep(
  images: tf.Tensor,
  qualities: readonly number[],
  codecs: readonly CodecName[] = CODEC_NAMES,
): Promise<CodecPoint[]> {
  if (!Array.isArray(qualities) || qualities.length === 0) throw new Error('codecSweep: qualities must be a list of at least one quality (1–100).');
  if (!Array.isArray(codecs) || codecs.length === 0) throw new Error('codecSweep: codecs must name at least one codec.');
  const points: CodecPoint[] = [];
  for (const codec of codecs) {
    for (const quality of qualities) {
      const result = await codecRoundTrip(images, codec, quality);
      points.push({
        method: codec,
        setting: `quality ${quality}`,
        bytes: mean(result.bytes),
        payload: mean(result.payloadBytes),
        psnr: psnr(images, result.decoded),
        ssim: ssim(images, result.decoded),
      });
      result.decoded.dispose();
    }
  }
  return points;
}
