import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  ByteCodes, codeHeaderBytes, compressCodes, crc32, decompressCodes, dequantiseBytes, dequantiseCodes, dimensionEntropies,
  empiricalEntropy, entropyCodedRate, ENTROPY_CODERS, quantiseCodes, quantiseToBytes,
} from '../../src/evaluate/entropyCoding';
import { fitPca } from '../../src/evaluate/pca';
import { loadFashionMnist } from '../../src/data/fashionMnist';
import { disposeDataset } from '../../src/data/imageDataset';
import { seededRandom } from '../../src/random';
import { useBackend } from '../helpers';

/** Codes (n, k) whose dimensions have different scales and offsets, like PCA coefficients. */
function scaledCodes(n: number, k: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => tf.randomNormal([n, k], 0, 1, 'float32', seed).mul(tf.linspace(3, 0.2, k)).add(tf.linspace(-1, 1, k)) as tf.Tensor2D);
}

/** Bit-for-bit equality of two typed arrays (so −0 ≠ 0 and NaN = NaN would show). */
function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Symbols drawn uniformly from 2^bits levels: incompressible. */
function randomSymbols(n: number, k: number, bits: number, seed: number): ByteCodes {
  const random = seededRandom(seed);
  const bytes = Uint8Array.from({ length: n * k }, () => Math.floor(random() * 2 ** bits));
  return { bytes, k, bits, low: new Float32Array(k), span: new Float32Array(k).fill(1) };
}

test('quantising to b bits: symbols below 2^b, error at most half a level inside the range', async () => {
  await useBackend('cpu');
  const codes = scaledCodes(300, 6, 1);
  const before = tf.memory().numTensors;
  for (const bits of [1, 4, 6, 8]) {
    const q = quantiseCodes(codes, { bits });
    assert.equal(q.bits, bits);
    assert.equal(q.bytes.length, 300 * 6);
    assert.ok(q.bytes.every((s) => s < 2 ** bits));
    const back = dequantiseCodes(q);
    const error = tf.tidy(() => back.sub(codes).abs().max(0).dataSync());
    for (let d = 0; d < 6; d++) {
      const halfLevel = q.span[d] / (2 * (2 ** bits - 1));
      assert.ok(error[d] <= halfLevel * (1 + 1e-5) + 1e-6, `${bits} bits, dimension ${d}: ${error[d]} > ${halfLevel}`);
    }
    back.dispose();
  }
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
  codes.dispose();
});

test('quantising takes ranges from the reference and clips values outside them', async () => {
  await useBackend('cpu');
  const reference = tf.tensor2d([[0, 10], [1, 20]]);
  const codes = tf.tensor2d([[-5, 15], [0.5, 99], [2, 10]]);
  const q = quantiseCodes(codes, { reference, bits: 2 });
  assert.deepEqual(Array.from(q.low), [0, 10]);
  assert.deepEqual(Array.from(q.span), [1, 10]);
  // 3 levels above 0: 0.5 → 1.5 → rounds to 2; 15 → 0.5 · 3 = 1.5 → 2.
  assert.deepEqual(Array.from(q.bytes), [0, 2, 2, 3, 3, 0]);
  const back = dequantiseCodes(q);
  assert.deepEqual(Array.from(back.dataSync()).map((v) => +v.toFixed(5)), [0, 16.66667, 0.66667, 20, 1, 10]);
  // A constant reference dimension has span 0: every code becomes its value.
  const [level, constant] = [tf.tensor2d([[3], [4]]), tf.tensor2d([[2], [2]])];
  const flat = quantiseCodes(level, { reference: constant, bits: 8 });
  assert.deepEqual(Array.from(flat.bytes), [0, 0]);
  const flatBack = dequantiseCodes(flat);
  assert.deepEqual(Array.from(flatBack.dataSync()), [2, 2]);
  tf.dispose([reference, codes, back, level, constant, flatBack]);
});

test('quantiseToBytes and dequantiseBytes keep their 8-bit behaviour', async () => {
  await useBackend('cpu');
  const codes = tf.randomUniform([50, 4], -2, 6, 'float32', 3) as tf.Tensor2D;
  const stored = quantiseToBytes(codes);
  assert.equal(stored.bits, 8);
  assert.equal(stored.bytes.length, 200);
  const back = dequantiseBytes(stored);
  const worst = tf.tidy(() => back.sub(codes).abs().max().dataSync()[0]);
  assert.ok(worst <= 8 / 255 / 2 + 1e-5, `worst ${worst}`);
  assert.throws(() => dequantiseBytes({ ...stored, bytes: stored.bytes.subarray(0, 7) }), /do not hold whole codes/);
  tf.dispose([codes, back]);
});

test('compressed codes come back bit-exact for several bit depths and both coders', async () => {
  await useBackend('cpu');
  const codes = scaledCodes(400, 12, 2);
  const reference = scaledCodes(1000, 12, 3);
  for (const bits of [2, 4, 6, 8]) {
    const q = quantiseCodes(codes, { reference, bits });
    for (const method of ENTROPY_CODERS) {
      const file = compressCodes(q, method);
      assert.equal(file.subarray(0, 4).toString('latin1'), 'AEQC');
      assert.ok(file.length > codeHeaderBytes(12));
      const back = decompressCodes(file);
      assert.equal(back.k, 12);
      assert.equal(back.bits, bits);
      assert.ok(sameBits(back.bytes, q.bytes), `${bits} bits, ${method}: symbols differ`);
      assert.ok(sameBits(back.low, q.low) && sameBits(back.span, q.span), `${bits} bits, ${method}: ranges differ`);
      // A Uint8Array view into a larger buffer decodes the same.
      const padded = new Uint8Array(file.length + 7);
      padded.set(file, 3);
      assert.ok(sameBits(decompressCodes(padded.subarray(3, 3 + file.length)).bytes, q.bytes));
    }
  }
  tf.dispose([codes, reference]);
});

test('real PCA codes: the whole pipeline round-trips, and the rate adds up', async () => {
  await useBackend('cpu');
  const data = loadFashionMnist({ limit: 200 });
  const pca = fitPca(data.train.x, 16);
  const [train, test] = [pca.project(data.train.x), pca.project(data.test.x)];
  const q = quantiseCodes(test, { reference: train, bits: 6 });
  const rate = entropyCodedRate(q, 'brotli');
  assert.equal(rate.images, 200);
  assert.equal(rate.headerBytes, 20 + 8 * 16);
  assert.equal(rate.totalBytes, compressCodes(q, 'brotli').length);
  assert.ok(Math.abs(rate.bytesPerImage * 200 - rate.totalBytes) < 1e-9);
  assert.ok(Math.abs(rate.streamBytesPerImage * 200 - (rate.totalBytes - rate.headerBytes)) < 1e-9);
  assert.equal(rate.fixedBytesPerImage, 12);
  assert.ok(Math.abs(rate.entropyBytesPerImage - empiricalEntropy(q) / 8) < 1e-12);
  const restored = dequantiseCodes(decompressCodes(compressCodes(q, 'brotli')));
  const direct = dequantiseCodes(q);
  assert.ok(sameBits(restored.dataSync(), direct.dataSync()), 'decoded codes equal the quantised codes');
  tf.dispose([train, test, restored, direct]);
  pca.dispose();
  disposeDataset(data);
});

test('empirical entropy: known values, 0 for constant symbols, at most bits · k and k · log2(N)', () => {
  // Dimension 0 takes 4 values once each (2 bits), dimension 1 two values twice each (1 bit).
  const known: ByteCodes = { bytes: Uint8Array.from([0, 5, 1, 5, 2, 7, 3, 7]), k: 2, bits: 3, low: new Float32Array(2), span: new Float32Array(2) };
  assert.deepEqual(Array.from(dimensionEntropies(known)), [2, 1]);
  assert.equal(empiricalEntropy(known), 3);
  const constant: ByteCodes = { ...known, bytes: new Uint8Array(8).fill(4) };
  assert.equal(empiricalEntropy(constant), 0);
  for (const [n, bits] of [[50, 8], [5000, 4], [5000, 8]]) {
    const q = randomSymbols(n, 10, bits, n + bits);
    const h = empiricalEntropy(q);
    assert.ok(h <= bits * 10 + 1e-9 && h <= 10 * Math.log2(n) + 1e-9, `${n} × ${bits} bits: ${h}`);
  }
});

test('compressed sizes: incompressible symbols stay near bits · k, constant ones shrink to almost nothing', () => {
  for (const method of ENTROPY_CODERS) {
    for (const bits of [4, 8]) {
      const q = randomSymbols(2000, 16, bits, bits);
      const stream = compressCodes(q, method).length - codeHeaderBytes(16);
      // Uniform random symbols carry bits each; no lossless coder can do much better.
      assert.ok(stream >= 0.95 * (2000 * 16 * bits) / 8, `${method}, ${bits} bits: ${stream} bytes`);
    }
    const constant: ByteCodes = { bytes: new Uint8Array(2000 * 16).fill(3), k: 16, bits: 4, low: new Float32Array(16), span: new Float32Array(16) };
    assert.ok(compressCodes(constant, method).length - codeHeaderBytes(16) < 100, method);
  }
});

test('a corrupt or truncated buffer gives a clear error', async () => {
  await useBackend('cpu');
  const codes = scaledCodes(300, 8, 4);
  const q = quantiseCodes(codes, { bits: 6 });
  codes.dispose();
  for (const method of ENTROPY_CODERS) {
    const file = compressCodes(q, method);
    const header = codeHeaderBytes(8);
    assert.throws(() => decompressCodes(file.subarray(0, file.length - 5)), /stream is corrupt or truncated|truncated or corrupt/, method);
    assert.throws(() => decompressCodes(file.subarray(0, header)), /the buffer is truncated/, method);
    assert.throws(() => decompressCodes(file.subarray(0, 10)), /not a compressed code set/, method);
    const flipped = Buffer.from(file);
    flipped[header + Math.floor((file.length - header) / 2)] ^= 0x5a;
    assert.throws(() => decompressCodes(flipped), /corrupt/, method);
    const badVersion = Buffer.from(file);
    badVersion[4] = 9;
    assert.throws(() => decompressCodes(badVersion), /format version 9/);
    const badMethod = Buffer.from(file);
    badMethod[5] = 77;
    assert.throws(() => decompressCodes(badMethod), /unknown method id 77/);
    const biggerN = Buffer.from(file);
    biggerN.writeUInt32LE(301, 12);
    assert.throws(() => decompressCodes(biggerN), /header says 301 codes × 8 dimensions/);
  }
  assert.throws(() => decompressCodes(Buffer.from('PK\u0003\u0004 a zip file, not codes')), /not a compressed code set/);
});

test('bad arguments throw errors that name the field', async () => {
  await useBackend('cpu');
  const codes = tf.zeros([4, 3]) as tf.Tensor2D;
  const other = tf.zeros([4, 5]) as tf.Tensor2D;
  const broken = tf.tensor2d([[0, NaN], [1, 2]]);
  for (const bits of [0, 9, 4.5]) assert.throws(() => quantiseCodes(codes, { bits }), /bits must be a whole number from 1 to 8/);
  assert.throws(() => quantiseCodes(codes, { reference: other }), /same k/);
  assert.throws(() => quantiseCodes(broken), /reference codes holds NaN/);
  const finite = tf.zeros([2, 2]) as tf.Tensor2D;
  assert.throws(() => quantiseCodes(broken, { reference: finite }), /code 0 holds NaN in dimension 1/);
  const q = quantiseCodes(codes, { bits: 4 });
  assert.throws(() => compressCodes(q, 'zip' as 'brotli'), /unknown method 'zip'; use one of brotli, deflate/);
  assert.throws(() => compressCodes({ ...q, bytes: Uint8Array.from([16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }, 'brotli'), /symbol 16 at position 0 does not fit in 4 bits/);
  tf.dispose([codes, other, broken, finite]);
});

test('CRC-32 gives the standard check value', () => {
  assert.equal(crc32(Buffer.from('123456789', 'latin1')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});
