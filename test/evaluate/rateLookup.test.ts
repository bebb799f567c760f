import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { beatsCodecWhereBothOperate, codecPsnrAt, codecsAtRates } from '../../src/evaluate/rateLookup';
import type { RatePoint } from '../../src/evaluate/ratePoint';

const at = (method: string, setting: string, bytes: number, psnr: number): RatePoint => ({ method, setting, bytes, psnr, ssim: 0.5 });
const WEBP = [at('webp', 'quality 50', 400, 34), at('webp', 'quality 10', 100, 26)];
const JPEG = [at('jpeg', 'quality 10', 300, 22), at('jpeg', 'quality 90', 700, 39)];

test('codecPsnrAt: −∞ below the smallest file, log-rate interpolation inside, the best beyond', () => {
  assert.equal(codecPsnrAt(WEBP, 99), -Infinity);
  assert.equal(codecPsnrAt(WEBP, 100), 26);
  assert.ok(Math.abs(codecPsnrAt(WEBP, 200) - 30) < 1e-12, 'halfway on log(bytes) between 100 and 400');
  assert.equal(codecPsnrAt(WEBP, 400), 34);
  assert.equal(codecPsnrAt(WEBP, 5000), 34);
  assert.throws(() => codecPsnrAt([], 10), /at least one point/);
  assert.throws(() => codecPsnrAt(WEBP, 0), /bytes must be a positive number/);
});

test("codecsAtRates: each codec's PSNR at the code's bytes, or its smallest file", () => {
  const learned = [at('auto-encoder', 'k = 8', 8, 15), at('PCA', 'k = 8', 8, 16), at('auto-encoder', 'k = 256', 200, 24)];
  const rows = codecsAtRates([...JPEG, ...WEBP], learned);
  assert.equal(rows.length, 2, 'only the auto-encoder rows');
  assert.deepEqual(rows[0], { setting: 'k = 8', bytes: 8, 'PSNR (dB)': 15, 'jpeg, dB': 'none under 300 bytes', 'webp, dB': 'none under 100 bytes' });
  assert.equal(rows[1]['jpeg, dB'], 'none under 300 bytes');
  assert.ok(Math.abs((rows[1]['webp, dB'] as number) - 30) < 1e-12);
  assert.throws(() => codecsAtRates(WEBP, learned, 'VAE'), /no points of method 'VAE'/);
});

test('beatsCodecWhereBothOperate: no overlap does not hold; overlap holds only if ahead everywhere', () => {
  const small = [at('auto-encoder', 'k = 8', 8, 15)];
  const none = beatsCodecWhereBothOperate(WEBP, small, 'webp');
  assert.equal(none.holds, false);
  assert.deepEqual(Object.values(none.figures), ['none', 'none']);
  const ahead = beatsCodecWhereBothOperate(WEBP, [...small, at('auto-encoder', 'k = 256', 200, 31)], 'webp');
  assert.equal(ahead.holds, true);
  assert.deepEqual(Object.values(ahead.figures), ['k = 256', 'k = 256']);
  const behind = beatsCodecWhereBothOperate(WEBP, [at('auto-encoder', 'k = 256', 200, 29), at('auto-encoder', 'k = 512', 500, 40)], 'webp');
  assert.equal(behind.holds, false);
  assert.deepEqual(Object.values(behind.figures), ['k = 256; k = 512', 'k = 512']);
  assert.throws(() => beatsCodecWhereBothOperate(WEBP, small, 'avif'), /no points of codec 'avif'/);
});
