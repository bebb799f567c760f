import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { decoderBytes, withDecoderShare } from '../../src/evaluate/decoderBytes';
import type { CodedPoint } from '../../src/evaluate/codedPoint';
import { denseAutoencoder } from '../../src/models/dense';
import { useBackend } from '../helpers';

test("decoderBytes: 4 bytes per weight of the decoder alone (k → hidden → input, with biases)", async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ inputSize: 10, hidden: [6], code: 3, seed: 1 });
  const weights = 3 * 6 + 6 + 6 * 10 + 10;
  assert.equal(decoderBytes(ae), 4 * weights);
  assert.equal(decoderBytes(ae, 2), 2 * weights);
  assert.throws(() => decoderBytes(ae, 0), /bytesPerWeight/);

  const point: CodedPoint = { method: 'auto-encoder', setting: 'k = 3', k: 3, bytes: 2.5, 'raw bytes': 3, 'entropy bytes': 2, psnr: 20, ssim: 0.5 };
  const pca = { ...point, method: 'PCA' };
  const shared = withDecoderShare([pca, point], new Map([[3, ae]]), 1000);
  assert.equal(shared.length, 1, 'only the auto-encoder points');
  assert.equal(shared[0].method, 'auto-encoder + decoder over 1,000 images');
  assert.equal(shared[0].bytes, 2.5 + (4 * weights) / 1000);
  assert.equal(shared[0].psnr, 20);
  assert.throws(() => withDecoderShare([point], new Map(), 1000), /no model of code size 3/);
  assert.throws(() => withDecoderShare([point], new Map([[3, ae]]), 0), /images must be a whole number/);
  ae.dispose();
});
