/**
 * A code stored as a compressor would store it (lesson 06): the codes of a test set quantised to
 * a few bits per number (ranges from the codes of reference images, the training set), the whole
 * stream compressed with brotli, then dequantised, decoded and scored like a codec's files.
 *
 *   const point = codedPoint('auto-encoder', ae, { reference: train.x, test: test.x }, 8);
 *   point.bytes;   // bytes per image, its share of the stream's header included
 *   lesson.claim('entropy-coding-saves-bytes-on-pca', '…', entropyCodingSaves(points, 'PCA'));
 */
import * as tf from '@tensorflow/tfjs';
import { judged, Judgement } from '../comparisons';
import { dequantiseCodes, entropyCodedRate, quantiseCodes } from './entropyCoding';
import type { PcaModel } from './pca';
import { encodeAll, psnr } from './reconstruction';
import { ssim } from './ssim';
import type { RatePoint } from './ratePoint';

/** What makes and reads a code: an auto-encoder (encode / decode) or PCA (project / unproject). */
export type Coder =
  | { codeSize: number; encode(x: tf.Tensor): tf.Tensor2D; decode(code: tf.Tensor): tf.Tensor }
  | PcaModel;

/** A stored code's rates beside the one it pays: a fixed-width byte per number, and the ideal. */
export type CodedPoint = RatePoint & {
  k: number;
  /** Bytes per image at `bits` bits per number, without entropy coding. */
  'raw bytes': number;
  /** The ideal rate of a coder that codes each number on its own from its frequencies. */
  'entropy bytes': number;
};

/** The images coded and the images whose codes set the quantiser's ranges. */
export interface CodedSets {
  /** Images whose codes set each number's range (the training images). */
  reference: tf.Tensor;
  /** Images to store and measure. */
  test: tf.Tensor;
}

function isPca(coder: Coder): coder is PcaModel {
  return typeof (coder as PcaModel).project === 'function';
}

/**
 * The test images' codes stored at `bits` bits per number and compressed with brotli as one
 * stream; scored by bytes per image, PSNR and SSIM of the decoded images. Nothing to dispose.
 */
export function codedPoint(method: string, coder: Coder, sets: CodedSets, bits: number): CodedPoint {
  if (!sets || !(sets.reference instanceof tf.Tensor) || !(sets.test instanceof tf.Tensor)) {
    throw new Error('codedPoint: sets must be { reference, test }, two tensors of images.');
  }
  const pca = isPca(coder);
  const k = pca ? coder.k : coder.codeSize;
  const encode = (x: tf.Tensor) => (pca ? coder.project(x) : encodeAll(coder, x));
  const made: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T) => (made.push(t), t);
  try {
    const codes = keep(encode(sets.test));
    const reference = keep(encode(sets.reference));
    const stored = quantiseCodes(codes, { reference, bits });
    const rate = entropyCodedRate(stored, 'brotli');
    const restored = keep(dequantiseCodes(stored));
    const rebuilt = keep(pca ? coder.unproject(restored) : coder.decode(restored));
    return {
      method,
      setting: `k = ${k}`,
      k,
      bytes: rate.bytesPerImage,
      'raw bytes': rate.fixedBytesPerImage,
      'entropy bytes': rate.entropyBytesPerImage,
      psnr: psnr(sets.test, rebuilt),
      ssim: ssim(sets.test, rebuilt),
    };
  } finally {
    tf.dispose(made);
  }
}

/**
 * Whether brotli stores `method`'s codes in fewer bytes than one byte per number at every code
 * size, its header included: the figures are brotli's bytes ÷ the fixed-width bytes, per size.
 */
export function entropyCodingSaves(points: readonly CodedPoint[], method: string): Judgement {
  const mine = points.filter((p) => p.method === method);
  if (mine.length === 0) throw new Error(`entropyCodingSaves: no points of method '${method}'.`);
  const ratios = mine.map((p) => [`k = ${p.k}: brotli ÷ fixed-width bytes`, p.bytes / p['raw bytes']] as const);
  return judged(ratios.every(([, r]) => r < 1), Object.fromEntries(ratios));
}
