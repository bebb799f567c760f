import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { pointOf, psnrOf, RatePoint, rateFigures } from '../../src/evaluate/ratePoint';

const POINTS: RatePoint[] = [
  { method: 'jpeg', setting: 'quality 50', bytes: 500, psnr: 28, ssim: 0.9 },
  { method: 'auto-encoder', setting: 'k = 8', k: 8, bytes: 7.5, psnr: 15, ssim: 0.4 },
];

test('psnrOf finds a method at a setting, and names what exists when it is missing', () => {
  assert.equal(psnrOf(POINTS, 'jpeg', 'quality 50'), 28);
  assert.equal(pointOf(POINTS, 'auto-encoder', 'k = 8').bytes, 7.5);
  assert.throws(() => psnrOf(POINTS, 'jpeg', 'quality 90'), /'jpeg' at setting 'quality 90'.*jpeg \(quality 50\)/);
  assert.throws(() => psnrOf([], 'webp', 'quality 10'), /have: none/);
});

test("rateFigures names each point's bytes and PSNR, a code's setting as k=8", () => {
  assert.deepEqual(rateFigures('clothes', POINTS), [
    { figure: 'clothes, jpeg, quality 50: bytes per image', value: 500 },
    { figure: 'clothes, jpeg, quality 50: PSNR (dB)', value: 28 },
    { figure: 'clothes, auto-encoder, k=8: bytes per image', value: 7.5 },
    { figure: 'clothes, auto-encoder, k=8: PSNR (dB)', value: 15 },
  ]);
  assert.deepEqual(rateFigures('digits', POINTS.slice(1), { bytes: false, method: 'clothes AE' }), [
    { figure: 'digits, clothes AE, k=8: PSNR (dB)', value: 15 },
  ]);
});
