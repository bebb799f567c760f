/**
 * Real image codecs as baselines for lesson 06: each grey image is encoded to its own file with
 * sharp (libvips 8.18 with mozjpeg, libwebp and libheif/aom), decoded back, and the bytes counted,
 * so an auto-encoder's rate can be set against JPEG, WebP and AVIF at equal quality.
 *
 *   const jpeg = await codecRoundTrip(test, 'jpeg-mozjpeg', 50);
 *   mean(jpeg.bytes);  psnr(test, jpeg.decoded);  ssim(test, jpeg.decoded);  jpeg.decoded.dispose();
 *
 * The codecs (all lossy; sharp 0.35's options; 'quality' is each codec's own 1–100 scale, so equal
 * numbers do not mean equal quality across codecs):
 * - 'jpeg': baseline sequential JPEG, the standard (Annex K) quantisation table scaled by quality
 *   and the standard Huffman tables, i.e. `{ mozjpeg: false, optimiseCoding: false }`. libvips
 *   resets the mozjpeg library it is built with to its plain libjpeg-turbo profile (JCP_FASTEST)
 *   unless a mozjpeg option is asked for, so this is what libjpeg-turbo's cjpeg writes by default.
 * - 'jpeg-mozjpeg': `{ mozjpeg: true }`, which in sharp means trellis quantisation, overshoot
 *   deringing, progressive scans chosen by optimise_scans, and quantisation table 3 (ImageMagick's
 *   table), plus Huffman tables optimised for the image (sharp's default optimiseCoding: true).
 *   Table 3 quantises more coarsely than Annex K at the same quality number: on Fashion-MNIST its
 *   files were 33–51% smaller and 3.3–6.5 dB lower in PSNR than 'jpeg' at equal settings (5–90).
 * - 'webp': lossy WebP (VP8) at effort WEBP_EFFORT (the most, 6 of 0–6).
 * - 'avif': lossy AVIF (AV1 intra frame by aom, 8 bits, sharp's default tune 'auto') at effort
 *   AVIF_EFFORT (6 of 0–9). On 100 Fashion-MNIST images effort 6 gave 1.4–1.6 dB more than the
 *   default 4 at quality 5–20 for about 1 byte more, at twice the time; 9 added 0.2–0.5 dB more
 *   at 3–4× the time of 6.
 *
 * Grey: every image is given to sharp as one 8-bit grey channel (tensor values are clipped to
 * [0, 1] and rounded to 8 bits first). JPEG stores it as a one-component greyscale JPEG. Lossy
 * WebP has no grey mode (VP8 is always Y′CbCr 4:2:0), and AVIF as sharp writes it stores grey as
 * three planes (Y′CbCr 4:4:4; its files say 3 channels, monochrome flag off), so for these two the
 * chroma planes are constant and cost a few bytes; 4:2:0 AVIF measured no smaller. Decoded WebP
 * and AVIF come back as RGB (on 100 test images the channels differed by at most 2 levels); the
 * grey value is their mean.
 *
 * Counted: `bytes` is the whole file. `payloadBytes` is the coded image data without the
 * container and header segments: for JPEG the entropy-coded data of every scan (from the end of
 * each start-of-scan header to the next marker; excluding SOI, DQT, SOF, DHT, SOS headers and EOI,
 * and so also the Huffman tables of optimised coding); for WebP the 'VP8 ' chunk (the VP8 frame,
 * its 10-byte frame header included); for AVIF the contents of the 'mdat' box (the AV1 OBUs,
 * sequence header included), without the ISO-BMFF boxes (ftyp, meta, the mdat header: 250 bytes
 * on 28×28 images).
 */
import * as tf from '@tensorflow/tfjs';
import sharp, { Sharp } from 'sharp';
import { IMAGE_SIZE } from '../data/imageDataset';
import { DEFAULT_EVAL_BATCH } from './reconstruction';
import { valuesOf } from './values';

export const CODEC_NAMES = ['jpeg', 'jpeg-mozjpeg', 'webp', 'avif'] as const;
/** 'jpeg' (libjpeg-turbo baseline), 'jpeg-mozjpeg' (mozjpeg's tools), 'webp' or 'avif'; see the file header. */
export type CodecName = (typeof CODEC_NAMES)[number];

/** WebP's effort, 0 (fastest) to 6 (smallest files): the most, as it costs no measurable time on 28×28 images. */
export const WEBP_EFFORT = 6;
/** AVIF's effort, 0 (fastest) to 9 (smallest files). */
export const AVIF_EFFORT = 6;
/** Largest value of a pixel stored in 8 bits. */
const BYTE_MAX = 255;

export interface CodecOptions {
  /** Side of the square images when they come flat, (N, side²). Default IMAGE_SIZE (28). */
  side?: number;
  /**
   * Images encoded and decoded at once. sharp runs each on libuv's thread pool (4 threads by
   * default). On 2 cores, 4 at a time made AVIF 1.8× faster than 1 at a time, JPEG and WebP
   * 1.1–1.5×. sharp's own process-wide settings (sharp.concurrency, the cache) are left alone.
   * Default 4.
   */
  concurrency?: number;
  /** Images read back from the backend at a time. Default DEFAULT_EVAL_BATCH. */
  batchSize?: number;
}

export const DEFAULT_CODEC_OPTIONS: Required<CodecOptions> = { side: IMAGE_SIZE, concurrency: 4, batchSize: DEFAULT_EVAL_BATCH };

export interface CodecResult {
  codec: CodecName;
  quality: number;
  /** Bytes of each image's whole file. */
  bytes: number[];
  /** Bytes of each image's coded data without headers and container (see the file header). */
  payloadBytes: number[];
  /** The decoded images, same shape as the input, values in [0, 1]. The caller disposes it. */
  decoded: tf.Tensor;
}

/** Bits per pixel of a file of `bytes` bytes holding an image of `pixels` pixels. */
export function bitsPerPixel(bytes: number, pixels = IMAGE_SIZE * IMAGE_SIZE): number {
  if (!(pixels > 0)) throw new Error(`bitsPerPixel: pixels must be positive, got ${pixels}.`);
  return (bytes * 8) / pixels;
}

function checkCodec(codec: string, what: string): asserts codec is CodecName {
  if (!(CODEC_NAMES as readonly string[]).includes(codec)) {
    throw new Error(`${what}: unknown codec '${codec}'; use one of ${CODEC_NAMES.join(', ')}.`);
  }
}

function checkQuality(quality: number, what: string): void {
  if (!(Number.isInteger(quality) && quality >= 1 && quality <= 100)) {
    throw new Error(`${what}: quality must be a whole number from 1 to 100, got ${quality}.`);
  }
}

function checkOptions(options: CodecOptions, what: string): Required<CodecOptions> {
  const settings = { ...DEFAULT_CODEC_OPTIONS };
  for (const [key, value] of Object.entries(options) as [string, number | undefined][]) {
    if (!(key in DEFAULT_CODEC_OPTIONS)) {
      throw new Error(`${what}: unknown option '${key}'; the options are ${Object.keys(DEFAULT_CODEC_OPTIONS).join(', ')}.`);
    }
    if (value === undefined) continue;
    if (!(Number.isInteger(value) && value >= 1)) throw new Error(`${what}: ${key} must be a whole number ≥ 1, got ${value}.`);
    settings[key as keyof CodecOptions] = value as number;
  }
  return settings;
}

/** The side of square grey images (N, side²), (N, side, side) or (N, side, side, 1). */
function squareSide(images: tf.Tensor, side: number, what: string): number {
  const shape = images.shape as number[];
  const grey = images.rank === 3 || (images.rank === 4 && shape[3] === 1);
  if (images.rank === 2 && shape[1] === side * side) return side;
  if (grey && shape[1] === shape[2]) return shape[1];
  throw new Error(`${what}: expected square grey images, (N, ${side * side}) for side ${side} or (N, h, h, 1), got shape (${shape.join(', ')}); give options.side for flat images of another size.`);
}

/** sharp's settings for each codec (see the file header). */
function encoder(image: Sharp, codec: CodecName, quality: number): Sharp {
  switch (codec) {
    case 'jpeg':
      return image.jpeg({ quality, mozjpeg: false, optimiseCoding: false });
    case 'jpeg-mozjpeg':
      return image.jpeg({ quality, mozjpeg: true, optimiseCoding: true });
    case 'webp':
      return image.webp({ quality, effort: WEBP_EFFORT });
    case 'avif':
      return image.avif({ quality, effort: AVIF_EFFORT });
  }
}

/**
 * Encodes one grey image (side × side bytes, row-major) as a file of `codec` at `quality` (1–100).
 */
export async function encodeImage(pixels: Uint8Array, side: number, codec: CodecName, quality: number): Promise<Buffer> {
  checkCodec(codec, 'encodeImage');
  checkQuality(quality, 'encodeImage');
  if (!(Number.isInteger(side) && side >= 1) || pixels.length !== side * side) {
    throw new Error(`encodeImage: expected ${side}×${side} = ${side * side} grey bytes, got ${pixels.length}.`);
  }
  const raw = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  // 'b-w' keeps the one channel; sharp's default output colour space would make it sRGB.
  const image = sharp(raw, { raw: { width: side, height: side, channels: 1 } }).toColourspace('b-w');
  return encoder(image, codec, quality).toBuffer();
}

/** The format sharp reports for each codec's files. */
const SHARP_FORMAT: Record<CodecName, string> = { jpeg: 'jpeg', 'jpeg-mozjpeg': 'jpeg', webp: 'webp', avif: 'heif' };

export interface DecodedImage {
  width: number;
  height: number;
  /** Grey values in [0, 1], row-major. */
  pixels: Float32Array;
}

/**
 * Decodes a file that encodeImage wrote with `codec` to grey values in [0, 1]. A buffer that is
 * not such a file, or is truncated, throws an error naming the codec. (JPEG and WebP carry no
 * checksum: bytes flipped inside their coded data can decode to a wrong picture without error.)
 */
export async function decodeImage(buffer: Uint8Array, codec: CodecName): Promise<DecodedImage> {
  checkCodec(codec, 'decodeImage');
  const file = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const fail = (problem: string) => new Error(`decodeImage (${codec}): ${problem}; pass the whole buffer that encodeImage(…, '${codec}', …) returned.`);
  try {
    // failOn 'warning': libjpeg's "premature end of data" is a warning that would otherwise
    // decode a truncated file to a grey-filled picture.
    const metadata = await sharp(file, { failOn: 'warning' }).metadata();
    if (metadata.format !== SHARP_FORMAT[codec] || (codec === 'avif' && metadata.compression !== 'av1')) {
      throw fail(`the buffer holds a ${metadata.format}${metadata.compression ? ` (${metadata.compression})` : ''} file, not ${codec}`);
    }
    const { data, info } = await sharp(file, { failOn: 'warning' }).toColourspace(metadata.channels === 1 ? 'b-w' : 'srgb').raw().toBuffer({ resolveWithObject: true });
    const count = info.width * info.height;
    const channels = info.channels;
    if (channels !== 1 && channels !== 3) throw fail(`decoded to ${channels} channels, expected grey (1) or RGB (3)`);
    const pixels = new Float32Array(count);
    for (let p = 0; p < count; p++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += data[p * channels + c];
      pixels[p] = sum / channels / BYTE_MAX;
    }
    return { width: info.width, height: info.height, pixels };
  } catch (error) {
    if ((error as Error).message.startsWith('decodeImage')) throw error;
    throw fail(`the buffer is not a valid ${codec} file, or is truncated or corrupt (sharp: ${(error as Error).message})`);
  }
}

/** Bytes of a JPEG's entropy-coded data: every scan's, without marker segments, SOI or EOI. */
function jpegPayloadBytes(file: Uint8Array): number {
  const marker = (i: number) => file[i] === 0xff && file[i + 1] !== 0x00 && !(file[i + 1] >= 0xd0 && file[i + 1] <= 0xd7);
  let total = 0;
  for (let i = 2; i + 1 < file.length; ) {
    if (file[i] !== 0xff) throw new Error(`payloadBytes (jpeg): expected a marker at byte ${i}; the file is corrupt.`);
    const code = file[i + 1];
    if (code === 0xd9) return total;
    if (i + 3 >= file.length) break;
    const length = (file[i + 2] << 8) | file[i + 3];
    i += 2 + length;
    if (code === 0xda) {
      const start = i;
      while (i + 1 < file.length && !marker(i)) i++;
      total += i - start;
    }
  }
  throw new Error('payloadBytes (jpeg): no end-of-image marker; the file is truncated.');
}

/** Bytes of a WebP's 'VP8 ' chunk data (the lossy bitstream). */
function webpPayloadBytes(file: Buffer): number {
  if (file.toString('latin1', 0, 4) !== 'RIFF' || file.toString('latin1', 8, 12) !== 'WEBP') {
    throw new Error('payloadBytes (webp): not a RIFF WEBP file.');
  }
  for (let i = 12; i + 8 <= file.length; ) {
    const size = file.readUInt32LE(i + 4);
    if (file.toString('latin1', i, i + 4) === 'VP8 ') return size;
    i += 8 + size + (size % 2);
  }
  throw new Error("payloadBytes (webp): no lossy 'VP8 ' chunk in the file.");
}

/** Bytes inside an AVIF's top-level 'mdat' boxes (the AV1 data). */
function avifPayloadBytes(file: Buffer): number {
  let total = 0;
  for (let i = 0; i + 8 <= file.length; ) {
    let size = file.readUInt32BE(i);
    let header = 8;
    if (size === 1) {
      size = Number(file.readBigUInt64BE(i + 8));
      header = 16;
    } else if (size === 0) {
      size = file.length - i;
    }
    if (size < header) throw new Error(`payloadBytes (avif): a box of ${size} bytes at byte ${i}; the file is corrupt.`);
    if (file.toString('latin1', i + 4, i + 8) === 'mdat') total += size - header;
    i += size;
  }
  return total;
}

/** Bytes of a file's coded image data without headers and container (see the file header). */
export function payloadBytes(file: Uint8Array, codec: CodecName): number {
  checkCodec(codec, 'payloadBytes');
  const buffer = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (codec === 'webp') return webpPayloadBytes(buffer);
  if (codec === 'avif') return avifPayloadBytes(buffer);
  return jpegPayloadBytes(buffer);
}

/** Grey bytes of `count` images: values clipped to [0, 1] and rounded to 8 bits. */
function toGreyBytes(values: ArrayLike<number>, what: string): Uint8Array {
  const grey = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) throw new Error(`${what}: pixel ${i} of the batch is NaN; images must hold numbers in [0, 1].`);
    grey[i] = Math.round(Math.min(1, Math.max(0, v)) * BYTE_MAX);
  }
  return grey;
}

/** Runs work(0 … count − 1), at most `limit` at a time. */
async function forEachLimited(count: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/**
 * Encodes each grey image (values in [0, 1], clipped and rounded to 8 bits) as its own `codec`
 * file at `quality` (1–100), decodes it back, and counts the bytes. Images: (N, side²) with
 * options.side (default 28), or (N, h, h, 1), or (N, h, h).
 */
export async function codecRoundTrip(images: tf.Tensor, codec: CodecName, quality: number, options: CodecOptions = {}): Promise<CodecResult> {
  const what = 'codecRoundTrip';
  checkCodec(codec, what);
  checkQuality(quality, what);
  const settings = checkOptions(options, what);
  const side = squareSide(images, settings.side, what);
  const pixels = side * side;
  const n = images.shape[0];
  if (n === 0) throw new Error(`${what}: there are no images.`);
  const decoded = new Float32Array(n * pixels);
  const bytes = new Array<number>(n);
  const payload = new Array<number>(n);
  for (let start = 0; start < n; start += settings.batchSize) {
    const count = Math.min(settings.batchSize, n - start);
    const grey = toGreyBytes(valuesOf(() => images.slice(start, count)), what);
    await forEachLimited(count, settings.concurrency, async (i) => {
      const file = await encodeImage(grey.subarray(i * pixels, (i + 1) * pixels), side, codec, quality);
      const image = await decodeImage(file, codec);
      if (image.width !== side || image.height !== side) {
        throw new Error(`${what}: ${codec} decoded a ${side}×${side} image as ${image.width}×${image.height}.`);
      }
      bytes[start + i] = file.length;
      payload[start + i] = payloadBytes(file, codec);
      decoded.set(image.pixels, (start + i) * pixels);
    });
  }
  return { codec, quality, bytes, payloadBytes: payload, decoded: tf.tensor(decoded, images.shape) };
}
