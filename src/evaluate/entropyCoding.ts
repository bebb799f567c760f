/**
 * Codes as real bytes, for lesson 06's rate–distortion comparison: quantise an auto-encoder's
 * (or PCA's) codes to a few bits per number, then compress the symbols of a whole test set with a
 * real entropy coder (Node's zlib: brotli or deflate), so the learned compressor's rate is a count
 * of bytes like a JPEG file's. The empirical entropy of the symbols gives the ideal rate of a
 * memoryless per-dimension coder for comparison.
 *
 *   const q = quantiseCodes(encodeAll(ae, test), { reference: encodeAll(ae, train), bits: 6 });
 *   const file = compressCodes(q, 'brotli');            // one self-describing Buffer
 *   const back = decompressCodes(file);                  // the same symbols and ranges, bit-exact
 *   const rate = entropyCodedRate(q, 'brotli');          // bytes per image, header counted
 *   const images = ae.decode(dequantiseCodes(back));
 *
 * Quantisation: each dimension d is scaled by a range [low_d, low_d + span_d] taken from a
 * reference set (the training codes, as a real compressor would fix it before seeing the test
 * set), clipped to it, and rounded to one of 2^bits levels:
 *   symbol = round(clip((x − low) / span, 0, 1) · (2^bits − 1)),  x̂ = low + symbol / (2^bits − 1) · span.
 * low and span are float32 (they are stored as such); the arithmetic is float64 in JavaScript, so
 * the symbols do not depend on the backend.
 */
import * as zlib from 'zlib';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_EVAL_BATCH } from './reconstruction';
import { valuesOf, valuesOfAll } from './values';

/** Codes quantised to symbols: what a compressor writes to disk (before entropy coding). */
export interface ByteCodes {
  /** One symbol (0 … 2^bits − 1) per code dimension per image, image after image (row-major). */
  bytes: Uint8Array;
  /** Number of dimensions per image. */
  k: number;
  /** Bits per number: the symbols take 2^bits levels. 8 for quantiseToBytes. */
  bits: number;
  /** Per-dimension minimum of the range the symbols are scaled to; stored once per set. */
  low: Float32Array;
  /** Per-dimension span (max − min) of that range (0 for a constant dimension); stored once. */
  span: Float32Array;
}

/** The largest number of bits per symbol: each symbol is held in one byte. */
export const MAX_QUANTISATION_BITS = 8;

export interface QuantiseOptions {
  /** Codes whose per-dimension minimum and maximum set the ranges (the training codes). Default: the codes themselves. */
  reference?: tf.Tensor2D;
  /** Bits per number, a whole number from 1 to MAX_QUANTISATION_BITS. Default 8. */
  bits?: number;
  /** Images read back from the backend at a time. Default DEFAULT_EVAL_BATCH. */
  batchSize?: number;
}

export const DEFAULT_QUANTISE_OPTIONS = { bits: 8, batchSize: DEFAULT_EVAL_BATCH } as const;

/** The entropy coders of Node's zlib that compressCodes can use. */
export type EntropyCoder = 'brotli' | 'deflate';
export const ENTROPY_CODERS: readonly EntropyCoder[] = ['brotli', 'deflate'];

function checkBits(bits: number, what: string): void {
  if (!(Number.isInteger(bits) && bits >= 1 && bits <= MAX_QUANTISATION_BITS)) {
    throw new Error(`${what}: bits must be a whole number from 1 to ${MAX_QUANTISATION_BITS}, got ${bits}.`);
  }
}

/** The number of levels above the lowest: symbols run from 0 to this. */
function topLevel(bits: number): number {
  return 2 ** bits - 1;
}

/** Per-dimension float32 minimum and span of the reference codes. */
function rangesOf(reference: tf.Tensor2D): { low: Float32Array; span: Float32Array } {
  if (reference.shape[0] === 0) throw new Error('quantiseCodes: the reference set has no codes to take ranges from.');
  const [lows, highs] = valuesOfAll(() => [reference.min(0), reference.max(0)]);
  const low = new Float32Array(lows.length);
  const span = new Float32Array(lows.length);
  for (let d = 0; d < lows.length; d++) {
    if (!(Number.isFinite(lows[d]) && Number.isFinite(highs[d]))) {
      throw new Error(`quantiseCodes: dimension ${d} of the reference codes holds NaN or ±∞; check the model that made them.`);
    }
    low[d] = lows[d];
    span[d] = Math.fround(highs[d] - lows[d]);
  }
  return { low, span };
}

/**
 * Quantises codes (N, k) to `bits` bits per number, with per-dimension ranges from `reference`
 * (default: the codes themselves); values outside a range are clipped to it.
 */
export function quantiseCodes(codes: tf.Tensor2D, options: QuantiseOptions = {}): ByteCodes {
  const reference = options.reference ?? codes;
  const bits = options.bits ?? DEFAULT_QUANTISE_OPTIONS.bits;
  const batchSize = options.batchSize ?? DEFAULT_QUANTISE_OPTIONS.batchSize;
  checkBits(bits, 'quantiseCodes');
  if (codes.rank !== 2 || reference.rank !== 2 || codes.shape[1] !== reference.shape[1]) {
    throw new Error(`quantiseCodes: codes (${codes.shape.join(', ')}) and reference (${reference.shape.join(', ')}) must be (samples, k) with the same k.`);
  }
  const [n, k] = codes.shape;
  const { low, span } = rangesOf(reference);
  const top = topLevel(bits);
  const bytes = new Uint8Array(n * k);
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const values = valuesOf(() => codes.slice(start, count));
    for (let i = 0; i < values.length; i++) {
      const d = i % k;
      const v = values[i];
      if (!Number.isFinite(v)) {
        throw new Error(`quantiseCodes: code ${start + Math.floor(i / k)} holds ${v} in dimension ${d}; quantise finite codes only.`);
      }
      const t = span[d] > 0 ? Math.min(1, Math.max(0, (v - low[d]) / span[d])) : 0;
      bytes[start * k + i] = Math.round(t * top);
    }
  }
  return { bytes, k, bits, low, span };
}

/** The codes (N, k) that quantised symbols stand for: low + symbol / (2^bits − 1) · span. */
export function dequantiseCodes(stored: ByteCodes): tf.Tensor2D {
  const { bytes, k, low, span } = stored;
  checkBits(stored.bits, 'dequantiseCodes');
  const n = bytes.length / k;
  if (!(Number.isInteger(k) && k >= 1) || !Number.isInteger(n) || low.length !== k || span.length !== k) {
    throw new Error(`dequantiseCodes: ${bytes.length} bytes do not hold whole codes of ${k} dimensions with ${k} ranges (low has ${low.length}, span ${span.length}).`);
  }
  const top = topLevel(stored.bits);
  const values = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const d = i % k;
    if (bytes[i] > top) throw new Error(`dequantiseCodes: symbol ${bytes[i]} at position ${i} does not fit in ${stored.bits} bits.`);
    values[i] = low[d] + (bytes[i] / top) * span[d];
  }
  return tf.tensor2d(values, [n, k]);
}

/** Quantises codes to 8 bits (one byte) per number, ranges from `reference`: quantiseCodes with bits 8. */
export function quantiseToBytes(codes: tf.Tensor2D, reference: tf.Tensor2D = codes): ByteCodes {
  return quantiseCodes(codes, { reference, bits: 8 });
}

/** The inverse of quantiseToBytes (any bits): (N, k) codes. */
export function dequantiseBytes(stored: ByteCodes): tf.Tensor2D {
  return dequantiseCodes(stored);
}

/** The empirical entropy in bits of each dimension's symbols: −Σ p log2 p over their frequencies. */
export function dimensionEntropies(stored: ByteCodes): Float64Array {
  const { bytes, k } = stored;
  const n = bytes.length / k;
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`empiricalEntropy: ${bytes.length} symbols are not a whole number (≥ 1) of codes of ${k} dimensions.`);
  const counts = new Float64Array(k * 256);
  for (let i = 0; i < bytes.length; i++) counts[(i % k) * 256 + bytes[i]] += 1;
  const entropies = new Float64Array(k);
  for (let d = 0; d < k; d++) {
    let h = 0;
    for (let s = 0; s < 256; s++) {
      const c = counts[d * 256 + s];
      if (c > 0) h -= (c / n) * Math.log2(c / n);
    }
    entropies[d] = h;
  }
  return entropies;
}

/**
 * Bits per image of an ideal memoryless coder with one fixed code per dimension: the sum over
 * dimensions of each dimension's empirical entropy. At most bits · k, and at most k · log2(N).
 * It is the rate of a coder that already knows the frequencies: sending them is not counted, so on
 * a small set (N not much above 2^bits) it is well below what any real coder achieves (on 100
 * images' 8-bit PCA codes it was 23.6 bytes per image, brotli 29.7). A coder that uses the
 * dependence between dimensions can also beat it.
 */
export function empiricalEntropy(stored: ByteCodes): number {
  return dimensionEntropies(stored).reduce((a, b) => a + b, 0);
}

// ---- The compressed format ------------------------------------------------------------------

/** 'AEQC': auto-encoder quantised codes. */
const MAGIC = Buffer.from('AEQC', 'latin1');
const FORMAT_VERSION = 1;
const METHOD_IDS: Record<EntropyCoder, number> = { deflate: 1, brotli: 2 };
/** Symbols are stored dimension after dimension (all images' dimension 0, then dimension 1, …). */
const LAYOUT_DIMENSION_MAJOR = 1;
/** magic 4, version 1, method 1, bits 1, layout 1, k 4, n 4, CRC-32 4; then low and span, 4 bytes each per dimension. */
const FIXED_HEADER_BYTES = 20;

/** Bytes of compressCodes' header for k dimensions: 20 fixed bytes and two float32 per dimension. */
export function codeHeaderBytes(k: number): number {
  return FIXED_HEADER_BYTES + 8 * k;
}

/** CRC-32 (IEEE 802.3, as zip and PNG use), table-driven; zlib.crc32 needs Node ≥ 20.15. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let i = 0; i < 8; i++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Row-major (image after image) to dimension-major (dimension after dimension), or back. */
function transpose(bytes: Uint8Array, rows: number, columns: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = bytes[r * columns + c];
  return out;
}

function checkCoder(method: string, what: string): asserts method is EntropyCoder {
  if (!(ENTROPY_CODERS as readonly string[]).includes(method)) {
    throw new Error(`${what}: unknown method '${method}'; use one of ${ENTROPY_CODERS.join(', ')}.`);
  }
}

function compressStream(symbols: Uint8Array, method: EntropyCoder): Buffer {
  if (method === 'brotli') {
    return zlib.brotliCompressSync(symbols, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: symbols.length,
      },
    });
  }
  return zlib.deflateRawSync(symbols, { level: zlib.constants.Z_BEST_COMPRESSION, memLevel: 9 });
}

/**
 * One self-describing Buffer holding a whole set of quantised codes: a header (format 'AEQC',
 * version, method, bits, layout, k, N, CRC-32 of the symbols, then k float32 lows and k float32
 * spans, little-endian; codeHeaderBytes(k) bytes in all) and the zlib-compressed symbols.
 *
 * The symbols are written dimension-major, all images' dimension 0 first: each dimension has its
 * own distribution (PCA's first coefficients spread wide, the last ones sit near the middle), so
 * long runs drawn from one distribution let the coder's adaptive codes fit it, where image-major
 * order interleaves k distributions. Measured on 2000 Fashion-MNIST test images' 32 PCA
 * coefficients, brotli's stream was 2–5% smaller dimension-major (4 to 8 bits); deflate's was
 * within 1% either way. One symbol per byte even below 8 bits: the coders learn that only 2^bits
 * values occur, and packing bits would split symbols across bytes.
 * Brotli runs at its highest quality (11), deflate at level 9 (raw deflate, RFC 1951).
 */
export function compressCodes(stored: ByteCodes, method: EntropyCoder): Buffer {
  checkCoder(method, 'compressCodes');
  checkBits(stored.bits, 'compressCodes');
  const { bytes, k, low, span } = stored;
  const n = bytes.length / k;
  if (!(Number.isInteger(k) && k >= 1) || !(Number.isInteger(n) && n >= 1) || low.length !== k || span.length !== k) {
    throw new Error(`compressCodes: ${bytes.length} symbols are not a whole number (≥ 1) of codes of ${k} dimensions with ${k} ranges.`);
  }
  const top = topLevel(stored.bits);
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] > top) throw new Error(`compressCodes: symbol ${bytes[i]} at position ${i} does not fit in ${stored.bits} bits.`);
  }
  const symbols = transpose(bytes, n, k);
  const header = Buffer.alloc(codeHeaderBytes(k));
  MAGIC.copy(header, 0);
  header.writeUInt8(FORMAT_VERSION, 4);
  header.writeUInt8(METHOD_IDS[method], 5);
  header.writeUInt8(stored.bits, 6);
  header.writeUInt8(LAYOUT_DIMENSION_MAJOR, 7);
  header.writeUInt32LE(k, 8);
  header.writeUInt32LE(n, 12);
  header.writeUInt32LE(crc32(symbols), 16);
  for (let d = 0; d < k; d++) {
    header.writeFloatLE(low[d], FIXED_HEADER_BYTES + 4 * d);
    header.writeFloatLE(span[d], FIXED_HEADER_BYTES + 4 * (k + d));
  }
  return Buffer.concat([header, compressStream(symbols, method)]);
}

/** The method compressCodes used for a buffer (read from its header). */
function methodOf(id: number): EntropyCoder {
  const found = ENTROPY_CODERS.find((m) => METHOD_IDS[m] === id);
  if (!found) throw new Error(`decompressCodes: unknown method id ${id} in the header; the buffer is corrupt or from a newer version.`);
  return found;
}

/**
 * The symbols and ranges compressCodes stored, bit-exact (symbols back in image-major order).
 * Throws, naming the problem, when the buffer is not such a file, is truncated or corrupt (the
 * stream fails to decompress, has the wrong length, or fails the CRC-32 check).
 */
export function decompressCodes(buffer: Uint8Array): ByteCodes {
  const file = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (file.length < FIXED_HEADER_BYTES || !file.subarray(0, 4).equals(MAGIC)) {
    throw new Error(`decompressCodes: not a compressed code set (expected a buffer from compressCodes starting with 'AEQC', got ${file.length} bytes starting ${JSON.stringify(file.subarray(0, 4).toString('latin1'))}).`);
  }
  const version = file.readUInt8(4);
  if (version !== FORMAT_VERSION) throw new Error(`decompressCodes: format version ${version}; this library reads version ${FORMAT_VERSION}.`);
  const method = methodOf(file.readUInt8(5));
  const bits = file.readUInt8(6);
  if (!(bits >= 1 && bits <= MAX_QUANTISATION_BITS)) throw new Error(`decompressCodes: the header says ${bits} bits per symbol; the buffer is corrupt.`);
  const layout = file.readUInt8(7);
  if (layout !== LAYOUT_DIMENSION_MAJOR) throw new Error(`decompressCodes: unknown symbol layout ${layout}; the buffer is corrupt.`);
  const k = file.readUInt32LE(8);
  const n = file.readUInt32LE(12);
  const expectedCrc = file.readUInt32LE(16);
  if (k < 1 || n < 1) throw new Error(`decompressCodes: the header says ${n} codes of ${k} dimensions; the buffer is corrupt.`);
  const headerBytes = codeHeaderBytes(k);
  if (file.length <= headerBytes) {
    throw new Error(`decompressCodes: the buffer is truncated: ${file.length} bytes, but the header alone of ${k} dimensions takes ${headerBytes}.`);
  }
  const low = new Float32Array(k);
  const span = new Float32Array(k);
  for (let d = 0; d < k; d++) {
    low[d] = file.readFloatLE(FIXED_HEADER_BYTES + 4 * d);
    span[d] = file.readFloatLE(FIXED_HEADER_BYTES + 4 * (k + d));
  }
  const stream = file.subarray(headerBytes);
  const expected = n * k;
  let symbols: Buffer;
  try {
    symbols = method === 'brotli'
      ? zlib.brotliDecompressSync(stream, { maxOutputLength: expected })
      : zlib.inflateRawSync(stream, { maxOutputLength: expected });
  } catch (error) {
    throw new Error(`decompressCodes: the ${method} stream is corrupt or truncated (zlib: ${(error as Error).message}).`);
  }
  if (symbols.length !== expected) {
    throw new Error(`decompressCodes: the ${method} stream gave ${symbols.length} symbols, but the header says ${n} codes × ${k} dimensions = ${expected}; the buffer is truncated or corrupt.`);
  }
  if (crc32(symbols) !== expectedCrc) throw new Error('decompressCodes: the symbols fail their CRC-32 check; the buffer is corrupt.');
  return { bytes: transpose(symbols, k, n), k, bits, low, span };
}

/** The rate of a set of quantised codes under a real entropy coder, with the ideal beside it. */
export interface EntropyCodedRate {
  method: EntropyCoder;
  /** Number of images (codes) in the set. */
  images: number;
  k: number;
  bits: number;
  /** Bytes of the whole compressed set (compressCodes' buffer, header included). */
  totalBytes: number;
  /** Bytes of its header (format, sizes, CRC and the ranges), counted once per set. */
  headerBytes: number;
  /** totalBytes / images: what an image costs, its share of the header included. */
  bytesPerImage: number;
  /** (totalBytes − headerBytes) / images: the compressed symbols alone. */
  streamBytesPerImage: number;
  /** k · bits / 8: the symbols packed at a fixed `bits` each, without entropy coding. */
  fixedBytesPerImage: number;
  /** empiricalEntropy / 8: the ideal rate of a memoryless per-dimension coder. */
  entropyBytesPerImage: number;
}

/** Compresses a set of quantised codes and reports the rate per image (see EntropyCodedRate). */
export function entropyCodedRate(stored: ByteCodes, method: EntropyCoder): EntropyCodedRate {
  const totalBytes = compressCodes(stored, method).length;
  const images = stored.bytes.length / stored.k;
  const headerBytes = codeHeaderBytes(stored.k);
  return {
    method,
    images,
    k: stored.k,
    bits: stored.bits,
    totalBytes,
    headerBytes,
    bytesPerImage: totalBytes / images,
    streamBytesPerImage: (totalBytes - headerBytes) / images,
    fixedBytesPerImage: (stored.k * stored.bits) / 8,
    entropyBytesPerImage: empiricalEntropy(stored) / 8,
  };
}
