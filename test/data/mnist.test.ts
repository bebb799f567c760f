import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { setupBackend } from '../../src/backend';
import { disposeDataset } from '../../src/data/imageDataset';
import { loadMnist } from '../../src/data/mnist';
import { temporaryFolders, writeFullFiles, writeZeroIdx } from './fixtures/idxFiles';

const quiet = () => {};
const tempDir = temporaryFolders();

test('shipped MNIST: 8,000 + 2,000 digits, every digit in both splits', async () => {
  await setupBackend({ force: 'cpu', log: quiet });
  const digits = loadMnist();
  assert.equal(digits.train.count, 8000);
  assert.equal(digits.test.count, 2000);
  for (const split of [digits.train, digits.test]) {
    assert.equal(new Set(split.labels).size, 10);
  }
  // A shuffled split: the first 100 training digits are not all one class.
  assert.ok(new Set(digits.train.labels.subarray(0, 100)).size >= 8);
  disposeDataset(digits);
});

test('full MNIST .gz files must match the published MD5s', () => {
  const gz = tempDir();
  writeFullFiles(gz, 30, 30, true);
  assert.throws(
    () => loadMnist({ source: 'full', dir: gz }),
    /Checksum mismatch for .*train-images-idx3-ubyte\.gz: MD5 \w+, the published MNIST value for train-images-idx3-ubyte\.gz is f68b3c2dcbeaaa9fbdd348bbdeb94873/,
  );
  assert.throws(() => loadMnist({ source: 'full', dir: tempDir() }), /Missing MNIST file .*train-images-idx3-ubyte\.gz/);
});

test('unzipped full MNIST files need the official counts and are never called official', async () => {
  await setupBackend({ force: 'cpu', log: quiet });
  const small = tempDir();
  writeFullFiles(small, 12, 12, false);
  assert.throws(() => loadMnist({ source: 'full', dir: small }), /train-images-idx3-ubyte holds 12 images, but the official MNIST train split has 60,000\. These are not the official files/);
  const mismatched = tempDir();
  writeFullFiles(mismatched, 20, 19, false);
  assert.throws(() => loadMnist({ source: 'full', dir: mismatched }), /holds 19 labels but train-images-idx3-ubyte holds 20 images/);

  const counted = tempDir();
  for (const [prefix, n] of [['train', 60000], ['t10k', 10000]] as const) {
    writeZeroIdx(path.join(counted, `${prefix}-images-idx3-ubyte`), [n, 28, 28]);
    writeZeroIdx(path.join(counted, `${prefix}-labels-idx1-ubyte`), [n]);
  }
  const loaded = loadMnist({ source: 'full', dir: counted, limit: 3 });
  assert.equal(loaded.test.count, 3);
  assert.match(loaded.source, /60,000 training and 10,000 test images as published, but NOT checked against a published checksum/);
  assert.doesNotMatch(loaded.source, /official/);
  disposeDataset(loaded);
  assert.equal(tf.memory().numTensors, 0);
});
