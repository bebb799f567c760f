import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  bitsPerPixel, CodecName, CODEC_NAMES, codecRoundTrip, CodecResult, decodeImage, encodeImage, payloadBytes,
} from '../../src/evaluate/codecs';
import { mean, psnr } from '../../src/evaluate/reconstruction';
import { loadFashionMnist } from '../../src/data/fashionMnist';
import { disposeDataset } from '../../src/data/imageDataset';
import { useBackend } from '../helpers';

const QUALITIES = [10, 50, 90];

/** Number of colour components in a JPEG's start-of-frame segment. */
function jpegComponents(file: Uint8Array): number {
  for (let i = 2; i + 9 < file.length; ) {
    const marker = file[i + 1];
    if (marker >= 0xc0 && marker <= 0xc2) return file[i + 9];
    i += 2 + ((file[i + 2] << 8) | file[i + 3]);
  }
  throw new Error('no start-of-frame segment');
}

/** A small grey image with some structure: 28×28 bytes. */
function sampleImage(): Uint8Array {
  return Uint8Array.from({ length: 784 }, (_, p) => Math.round(127.5 + 100 * Math.sin((p % 28) / 3) * Math.cos(Math.floor(p / 28) / 4)));
}

test('every codec round-trips real images: shape, range, and bytes and PSNR rising with quality', async () => {
  await useBackend('cpu');
  const data = loadFashionMnist({ limit: 20 });
  const images = data.test.x;
  const before = tf.memory().numTensors;
  for (const codec of CODEC_NAMES) {
    const results: CodecResult[] = [];
    for (const quality of QUALITIES) results.push(await codecRoundTrip(images, codec, quality));
    for (const r of results) {
      assert.deepEqual(r.decoded.shape, images.shape, codec);
      assert.equal(r.bytes.length, 20);
      const range = tf.tidy(() => [r.decoded.min().dataSync()[0], r.decoded.max().dataSync()[0]]);
      assert.ok(range[0] >= 0 && range[1] <= 1, `${codec} decodes to [0, 1]: ${range}`);
      assert.ok(r.payloadBytes.every((p, i) => p > 0 && p < r.bytes[i]), `${codec}: payload is part of the file`);
    }
    const bytes = results.map((r) => mean(r.bytes));
    const quality = results.map((r) => psnr(images, r.decoded));
    for (let i = 1; i < results.length; i++) {
      assert.ok(bytes[i] > bytes[i - 1], `${codec}: bytes ${bytes.join(', ')}`);
      assert.ok(quality[i] > quality[i - 1], `${codec}: PSNR ${quality.join(', ')}`);
    }
    tf.dispose(results.map((r) => r.decoded));
  }
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
  disposeDataset(data);
});

test('mozjpeg files are smaller than plain JPEG files at the same quality setting', async () => {
  // Measured, not a law: mozjpeg's table 3 and trellis quantisation spend fewer bytes (and give
  // a lower PSNR at the same quality number; compare codecs at equal PSNR, not equal settings).
  await useBackend('cpu');
  const data = loadFashionMnist({ limit: 20 });
  for (const quality of QUALITIES) {
    const plain = await codecRoundTrip(data.test.x, 'jpeg', quality);
    const moz = await codecRoundTrip(data.test.x, 'jpeg-mozjpeg', quality);
    assert.ok(mean(moz.bytes) < mean(plain.bytes), `quality ${quality}: ${mean(moz.bytes)} vs ${mean(plain.bytes)}`);
    tf.dispose([plain.decoded, moz.decoded]);
  }
  disposeDataset(data);
});

test('grey in, grey out: one-component JPEGs, WebP bitstream = file − 20 bytes of RIFF headers', async () => {
  const pixels = sampleImage();
  for (const codec of ['jpeg', 'jpeg-mozjpeg'] as const) {
    const file = await encodeImage(pixels, 28, codec, 50);
    assert.equal(jpegComponents(file), 1, codec);
    const decoded = await decodeImage(file, codec);
    assert.equal(decoded.pixels.length, 784);
  }
  const webp = await encodeImage(pixels, 28, 'webp', 50);
  assert.equal(payloadBytes(webp, 'webp'), webp.length - 20);
  const avif = await encodeImage(pixels, 28, 'avif', 50);
  assert.ok(payloadBytes(avif, 'avif') > 0 && payloadBytes(avif, 'avif') < avif.length);
});

test('JPEG payload counts the entropy-coded data of every scan and nothing else', () => {
  const jpegLike = Uint8Array.from([
    0xff, 0xd8, // SOI
    0xff, 0xdb, 0x00, 0x04, 0x01, 0x02, // a 2-byte DQT
    0xff, 0xda, 0x00, 0x03, 0x00, // SOS header
    0x12, 0xff, 0x00, 0x34, // 4 bytes of coded data, a stuffed 0xFF 0x00 among them
    0xff, 0xc4, 0x00, 0x04, 0x00, 0x00, // DHT between progressive scans
    0xff, 0xda, 0x00, 0x03, 0x00, // second scan
    0x56, 0xff, 0xd0, 0x78, // data, a restart marker, data: all 4 bytes belong to the scan
    0xff, 0xd9, // EOI
  ]);
  assert.equal(payloadBytes(jpegLike, 'jpeg'), 8);
  assert.throws(() => payloadBytes(jpegLike.subarray(0, jpegLike.length - 2), 'jpeg'), /no end-of-image marker/);
});

test('flat and 4-D images give the same files; values outside [0, 1] are clipped', async () => {
  await useBackend('cpu');
  const data = loadFashionMnist({ limit: 20 });
  const flat = data.test.x.slice(0, 5);
  const square = flat.reshape([5, 28, 28, 1]);
  const a = await codecRoundTrip(flat, 'webp', 30);
  const b = await codecRoundTrip(square, 'webp', 30);
  assert.deepEqual(a.bytes, b.bytes);
  assert.deepEqual(b.decoded.shape, [5, 28, 28, 1]);
  assert.deepEqual(Array.from(a.decoded.dataSync()), Array.from(b.decoded.dataSync()));
  const stretched = tf.tidy(() => flat.mul(3).sub(1)); // below 0 and above 1
  const clipped = tf.tidy(() => stretched.clipByValue(0, 1));
  const c = await codecRoundTrip(stretched, 'jpeg', 50);
  const d = await codecRoundTrip(clipped, 'jpeg', 50);
  assert.deepEqual(c.bytes, d.bytes);
  tf.dispose([flat, square, a.decoded, b.decoded, stretched, clipped, c.decoded, d.decoded]);
  disposeDataset(data);
});

test('a truncated, foreign or garbage buffer gives an error naming the codec', async () => {
  const pixels = sampleImage();
  for (const codec of CODEC_NAMES) {
    const file = await encodeImage(pixels, 28, codec, 50);
    const name = codec.replace(/[-]/g, '\\-');
    await assert.rejects(decodeImage(file.subarray(0, file.length >> 1), codec), new RegExp(`decodeImage \\(${name}\\): the buffer is not a valid ${name} file, or is truncated or corrupt`));
    await assert.rejects(decodeImage(file.subarray(0, file.length - 10), codec), new RegExp(`decodeImage \\(${name}\\)`));
    await assert.rejects(decodeImage(Buffer.from('not an image at all, just text'), codec), new RegExp(`decodeImage \\(${name}\\).*unsupported image format`));
  }
  const jpeg = await encodeImage(pixels, 28, 'jpeg', 50);
  await assert.rejects(decodeImage(jpeg, 'webp'), /decodeImage \(webp\): the buffer holds a jpeg file, not webp/);
  await assert.rejects(decodeImage(jpeg, 'png' as CodecName), /unknown codec 'png'/);
});

test('bad arguments are refused with errors that name them', async () => {
  await useBackend('cpu');
  const images = tf.zeros([2, 784]);
  const rgb = tf.zeros([2, 28, 28, 3]);
  const odd = tf.zeros([2, 100]);
  for (const quality of [0, 101, 50.5]) {
    await assert.rejects(codecRoundTrip(images, 'jpeg', quality), /quality must be a whole number from 1 to 100/);
  }
  await assert.rejects(codecRoundTrip(images, 'gif' as CodecName, 50), /unknown codec 'gif'; use one of jpeg, jpeg-mozjpeg, webp, avif/);
  await assert.rejects(codecRoundTrip(rgb, 'jpeg', 50), /expected square grey images/);
  await assert.rejects(codecRoundTrip(odd, 'jpeg', 50), /give options.side/);
  await assert.rejects(codecRoundTrip(images, 'jpeg', 50, { concurrency: 0 }), /concurrency must be a whole number ≥ 1/);
  await assert.rejects(codecRoundTrip(images, 'jpeg', 50, { effort: 3 } as object), /unknown option 'effort'/);
  await assert.rejects(encodeImage(new Uint8Array(10), 28, 'jpeg', 50), /expected 28×28 = 784 grey bytes, got 10/);
  // Flat images of another side are fine when the side is given.
  const small = await codecRoundTrip(odd, 'jpeg', 50, { side: 10 });
  assert.deepEqual(small.decoded.shape, [2, 100]);
  tf.dispose([images, rgb, odd, small.decoded]);
});

test('bits per pixel: 8 bits per byte over the pixels', () => {
  assert.equal(bitsPerPixel(98), 1);
  assert.equal(bitsPerPixel(98, 784), 1);
  assert.equal(bitsPerPixel(200, 100), 16);
  assert.throws(() => bitsPerPixel(10, 0), /pixels must be positive/);
});
