import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs';
import { setupBackend } from '../../src/backend';
import { disposeDataset } from '../../src/data/imageDataset';
import { DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_CLASSES, loadFashionMnist } from '../../src/data/fashionMnist';
import { temporaryFolders, writeFullFiles } from './fixtures/idxFiles';

const quiet = () => {};
const tempDir = temporaryFolders();

test('shipped Fashion-MNIST: shapes, value range, labels, limit and layouts', async () => {
  await setupBackend({ force: 'cpu', log: quiet });
  const full = loadFashionMnist();
  assert.equal(full.train.count, 10000);
  assert.equal(full.test.count, 10000);
  assert.deepEqual(full.train.x.shape, [10000, 784]);
  assert.deepEqual(full.classNames, FASHION_MNIST_CLASSES);
  const counts = new Array(10).fill(0);
  full.test.labels.forEach((label) => counts[label]++);
  assert.deepEqual(counts, new Array(10).fill(1000), 'the official test set has 1,000 images per class');
  const [min, max] = tf.tidy(() => [full.train.x.min().dataSync()[0], full.train.x.max().dataSync()[0]]);
  assert.equal(min, 0);
  assert.equal(max, 1);
  disposeDataset(full);

  const small = loadFashionMnist({ limit: 50, layout: 'image' });
  assert.deepEqual(small.train.x.shape, [50, 28, 28, 1]);
  assert.deepEqual(small.test.x.shape, [50, 28, 28, 1]);
  assert.equal(small.train.labels.length, 50);
  assert.equal(small.train.labels[0], 9, 'the first official training image is an ankle boot');
  disposeDataset(small);
  assert.equal(tf.memory().numTensors, 0, 'loaders leave only the tensors they return');
});

test('full Fashion-MNIST files are checked against the published checksums', () => {
  const fake = tempDir();
  writeFullFiles(fake, 10, 10, true);
  assert.throws(
    () => loadFashionMnist({ source: 'full', dir: fake }),
    /Checksum mismatch for .*train-images-idx3-ubyte\.gz: the decompressed content has MD5 \w+, the published Fashion-MNIST value is f4a8712d/,
  );
});

test('the official Fashion-MNIST files load in full when Debian provides them', { skip: !fs.existsSync(DEBIAN_FASHION_MNIST_DIR) && 'dataset-fashion-mnist is not installed' }, async () => {
  await setupBackend({ force: 'cpu', log: quiet });
  const full = loadFashionMnist({ source: 'full', limit: 100 });
  assert.equal(full.train.count, 100);
  assert.match(full.source, /official files in .*checked against the published MD5 checksums/);
  // The shipped subset is the start of the official training set.
  const shipped = loadFashionMnist({ limit: 100 });
  assert.deepEqual(Array.from(full.train.labels), Array.from(shipped.train.labels));
  assert.equal(tf.tidy(() => full.train.x.sub(shipped.train.x).abs().max().dataSync()[0]), 0);
  disposeDataset(full);
  disposeDataset(shipped);
});
