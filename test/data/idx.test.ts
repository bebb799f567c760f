import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as zlib from 'zlib';
import { encodeIdx, parseIdx } from '../../src/data/idx';

const images = { shape: [2, 3, 4], data: Uint8Array.from({ length: 24 }, (_, i) => i * 10) };

test('encode → parse returns the same array, gzipped or not', () => {
  const raw = encodeIdx(images);
  for (const parsed of [parseIdx(raw, 'a', 3), parseIdx(zlib.gzipSync(raw), 'a.gz', 3)]) {
    assert.deepEqual(parsed.shape, images.shape);
    assert.deepEqual(Array.from(parsed.data), Array.from(images.data));
  }
});

test('a wrong magic number is named', () => {
  const raw = encodeIdx(images);
  raw[2] = 0x0d; // float32 type code
  assert.throws(() => parseIdx(raw, 'imgs.idx', 3), /imgs\.idx: wrong IDX magic number 0x00000d03/);
  assert.throws(() => parseIdx(Uint8Array.from([80, 75, 3, 4, 0, 0]), 'zip.idx'), /not an MNIST-style IDX file/);
});

test('swapped image and label files are caught by the dimension count', () => {
  const labels = encodeIdx({ shape: [24], data: images.data });
  assert.throws(() => parseIdx(labels, 'labels', 3), /labels: IDX magic says 1 dimensions, expected 3.*swapped/);
});

test('truncated and padded files are errors, never a partial load', () => {
  const raw = encodeIdx(images);
  assert.throws(() => parseIdx(raw.subarray(0, raw.length - 5), 'cut', 3), /cut: header promises 24 values .* holds 19\. It is truncated/);
  assert.throws(() => parseIdx(raw.subarray(0, 9), 'header', 3), /truncated inside the IDX header/);
  const padded = new Uint8Array(raw.length + 3);
  padded.set(raw);
  assert.throws(() => parseIdx(padded, 'long', 3), /long: .* padded or corrupt/);
  assert.throws(() => parseIdx(Uint8Array.from([0, 0]), 'tiny'), /too short/);
});

test('a damaged gzip stream is named, with the fix the caller gives (no git command for a file git does not hold)', () => {
  const gz = zlib.gzipSync(encodeIdx(images));
  const cut = gz.subarray(0, gz.length - 10);
  assert.throws(() => parseIdx(cut, 'x.gz', 3), (error: Error) => {
    assert.match(error.message, /^x\.gz: the gzip data is damaged \(.*\)\. The file is truncated or corrupt\. Restore or re-download it\.$/);
    assert.doesNotMatch(error.message, /git checkout/);
    return true;
  });
  const fix = 'Download it again from the dataset page.';
  assert.throws(() => parseIdx(cut, '/data/x.gz', 3, undefined, fix), (error: Error) => error.message.endsWith(` ${fix}`));
  assert.throws(() => parseIdx(Uint8Array.from([0, 0]), 'tiny', undefined, undefined, fix), { message: `tiny: only 2 bytes, too short to be an IDX file. ${fix}` });
});

test('encodeIdx refuses a shape that does not match the data', () => {
  assert.throws(() => encodeIdx({ shape: [5], data: new Uint8Array(4) }), /needs 5 values, got 4/);
});

test('a gzip bomb stops at the size cap, naming the file, without inflating it all', () => {
  // gzip members may be concatenated: 40 members of 8 MiB of zeros are 320 MiB from 327 KB.
  const member = zlib.gzipSync(Buffer.alloc(8 * 2 ** 20), { level: 9 });
  const bomb = Buffer.concat(new Array(40).fill(member));
  const peakBefore = process.resourceUsage().maxRSS; // kilobytes
  assert.throws(() => parseIdx(bomb, 'bomb.gz', 3), /bomb\.gz: decompresses to more than 67,108,864 bytes/);
  const growthMiB = (process.resourceUsage().maxRSS - peakBefore) / 1024;
  assert.ok(growthMiB < 200, `peak memory grew by ${growthMiB.toFixed(0)} MiB: the bomb was inflated in full`);
  assert.throws(() => parseIdx(zlib.gzipSync(encodeIdx(images)), 'small.gz', 3, 20), /small\.gz: decompresses to more than 20 bytes/);
});
