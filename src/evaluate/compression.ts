/**
 * Baselines for lesson 06's honest comparison of auto-encoder "compression" with real codecs.
 *
 * - JPEG (jpeg-js): encode each grey image at a quality q, decode it, count the bytes.
 * - 8-bit quantisation of any code (AE code or PCA coefficients): each dimension scaled to 0..255
 *   with a per-dimension range, so a k-wide code costs k bytes per image (+ the ranges, once).
 */
import * as tf from '@tensorflow/tfjs';
import * as jpeg from 'jpeg-js';

export interface JpegResult {
  /** Whole JPEG files, headers included, per image. */
  bytes: number[];
  /** Bytes of the entropy-coded data alone (from the start-of-scan segment), per image. */
  scanBytes: number[];
  /** The decoded images, same shape as the input, values in [0, 1]. */
  decoded: tf.Tensor;
}

/** Grey images (N, 28, 28, 1) or (N, 784) with values in [0, 1], side given for flat input. */
export function jpegRoundTrip(images: tf.Tensor, quality: number, side = 28): JpegResult {
  if (!(Number.isInteger(quality) && quality >= 1 && quality <= 100)) {
    throw new Error(`jpegRoundTrip: quality must be a whole number from 1 to 100, got ${quality}.`);
  }
  const n = images.shape[0];
  const pixels = side * side;
  if (images.size !== n * pixels) throw new Error(`jpegRoundTrip: expected ${side}×${side} grey images, got shape (${images.shape.join(', ')}).`);
  const values = images.dataSync();
  const out = new Float32Array(n * pixels);
  const bytes: number[] = [];
  const scanBytes: number[] = [];
  for (let i = 0; i < n; i++) {
    const rgba = Buffer.alloc(pixels * 4);
    for (let p = 0; p < pixels; p++) {
      const v = Math.round(Math.min(1, Math.max(0, values[i * pixels + p])) * 255);
      rgba[p * 4] = rgba[p * 4 + 1] = rgba[p * 4 + 2] = v;
      rgba[p * 4 + 3] = 255;
    }
    const file = jpeg.encode({ data: rgba, width: side, height: side }, quality).data;
    bytes.push(file.length);
    scanBytes.push(file.length - startOfScan(file));
    const decoded = jpeg.decode(file, { useTArray: true, formatAsRGBA: true });
    for (let p = 0; p < pixels; p++) out[i * pixels + p] = decoded.data[p * 4] / 255;
  }
  return { bytes, scanBytes, decoded: tf.tensor(out, images.shape) };
}

/** Offset just past the start-of-scan (0xFFDA) header. */
function startOfScan(file: Uint8Array): number {
  for (let i = 2; i + 3 < file.length; ) {
    if (file[i] !== 0xff) break;
    const marker = file[i + 1];
    const length = (file[i + 2] << 8) | file[i + 3];
    if (marker === 0xda) return i + 2 + length;
    i += 2 + length;
  }
  throw new Error('jpegRoundTrip: no start-of-scan marker in the encoded JPEG.');
}

export interface Quantised {
  /** (N, k) codes after rounding to 256 levels per dimension and back. */
  dequantised: tf.Tensor2D;
  /** Bytes per image: one per dimension. */
  bytesPerImage: number;
  /** Bytes once for the whole set: a float32 minimum and maximum per dimension. */
  sideBytes: number;
}

/**
 * Rounds codes to 8 bits per dimension. The range of each dimension is taken from `reference`
 * (the training codes), so a test set is quantised as a real compressor would.
 */
export function quantise8(codes: tf.Tensor2D, reference: tf.Tensor2D = codes): Quantised {
  const stored = quantiseToBytes(codes, reference);
  return { dequantised: dequantiseBytes(stored), bytesPerImage: stored.k, sideBytes: stored.k * 2 * 4 };
}

/** Codes stored as bytes: what a compressor would write to disk. */
export interface ByteCodes {
  /** One byte per code dimension per image, row after row. */
  bytes: Uint8Array;
  /** Number of dimensions per image. */
  k: number;
  /** Per-dimension minimum and span (max − min) the bytes are scaled by; stored once. */
  low: Float32Array;
  span: Float32Array;
}

/** Quantises codes (N, k) to bytes, with per-dimension ranges taken from `reference`. */
export function quantiseToBytes(codes: tf.Tensor2D, reference: tf.Tensor2D = codes): ByteCodes {
  if (codes.rank !== 2 || reference.rank !== 2 || codes.shape[1] !== reference.shape[1]) {
    throw new Error(`quantiseToBytes: codes (${codes.shape.join(', ')}) and reference (${reference.shape.join(', ')}) must be (samples, k) with the same k.`);
  }
  const k = codes.shape[1];
  return tf.tidy(() => {
    const low = reference.min(0);
    const span = reference.max(0).sub(low).maximum(1e-12);
    const levels = codes.sub(low).div(span).clipByValue(0, 1).mul(255).round();
    return {
      bytes: Uint8Array.from(levels.dataSync()),
      k,
      low: low.dataSync() as Float32Array,
      span: span.dataSync() as Float32Array,
    };
  });
}

/** The inverse of quantiseToBytes: (N, k) codes. */
export function dequantiseBytes(stored: ByteCodes): tf.Tensor2D {
  const n = stored.bytes.length / stored.k;
  if (!Number.isInteger(n) || stored.low.length !== stored.k || stored.span.length !== stored.k) {
    throw new Error(`dequantiseBytes: ${stored.bytes.length} bytes do not hold whole codes of ${stored.k} dimensions with ${stored.k} ranges.`);
  }
  return tf.tidy(() =>
    tf.tensor2d(Float32Array.from(stored.bytes), [n, stored.k]).div(255).mul(tf.tensor1d(stored.span)).add(tf.tensor1d(stored.low)) as tf.Tensor2D,
  );
}
