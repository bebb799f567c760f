import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as tf from '@tensorflow/tfjs';
import { setupBackend } from '../../src/backend';
import { shippedDatasetsDir } from '../../src/data/files';
import { encodeIdx } from '../../src/data/idx';
import { disposeDataset, loadImageDataset } from '../../src/data/imageDataset';
import { md5 } from '../../src/data/files';
import { DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_CLASSES, loadFashionMnist } from '../../src/data/fashionMnist';
import { loadMnist } from '../../src/data/mnist';
import { loadBreastCancer } from '../../src/data/breastCancer';

const quiet = () => {};
const tempDirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-data-'));
  tempDirs.push(dir);
  return dir;
};
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A copy of the shipped datasets/ folder that a test may damage. */
function copyOfShipped(): string {
  const dir = tempDir();
  fs.cpSync(shippedDatasetsDir(), dir, { recursive: true });
  return dir;
}

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

test('bad options are refused by name', () => {
  assert.throws(() => loadMnist({ limit: 0 }), /limit must be a positive whole number, got 0/);
  assert.throws(() => loadMnist({ limit: 2.5 }), /limit must be a positive whole number/);
  assert.throws(() => loadMnist({ layout: 'nchw' as never }), /layout must be 'flat' or 'image'/);
  assert.throws(() => loadMnist({ source: 'web' as never }), /source must be 'shipped' or 'full'/);
  assert.throws(() => loadMnist({ source: 'full' }), /source 'full' needs a dir/);
});

test('options that would be ignored are refused: dir without full, datasetsDir with full, unknown names', () => {
  assert.throws(() => loadMnist({ dir: tempDir() }), /load MNIST: dir is only read with source: 'full'/);
  assert.throws(() => loadFashionMnist({ source: 'shipped', dir: tempDir() }), /dir is only read with source: 'full'/);
  assert.throws(() => loadMnist({ source: 'full', dir: tempDir(), datasetsDir: tempDir() }), /datasetsDir is only read with source: 'shipped'/);
  assert.throws(() => loadMnist({ limt: 5 } as never), /unknown option limt; the options are limit, layout, source, dir, datasetsDir/);
});

test('a limit above the training split is an error, not a smaller dataset', () => {
  assert.throws(() => loadMnist({ limit: 8001 }), /load MNIST: limit 8001 is more than the 8000 training images there are/);
});

test('a missing shipped file is named, with how to restore it', () => {
  const dir = copyOfShipped();
  fs.rmSync(path.join(dir, 'mnist', 't10k-labels-idx1-ubyte.gz'));
  assert.throws(() => loadMnist({ datasetsDir: dir }), /Missing data file .*mnist\/t10k-labels-idx1-ubyte\.gz\. .*git checkout -- datasets\/mnist\/t10k-labels-idx1-ubyte\.gz/);
});

test('a corrupt or truncated shipped file fails its checksum', () => {
  const dir = copyOfShipped();
  const file = path.join(dir, 'fashion-mnist', 'train-images-idx3-ubyte.gz');
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(file, bytes.subarray(0, bytes.length - 1000));
  assert.throws(() => loadFashionMnist({ datasetsDir: dir }), /Checksum mismatch for .*train-images-idx3-ubyte\.gz.*damaged/);
  bytes[5000] ^= 0xff;
  fs.writeFileSync(file, bytes);
  assert.throws(() => loadFashionMnist({ datasetsDir: dir }), /Checksum mismatch/);
});

test('a corrupt manifest is named', () => {
  const dir = copyOfShipped();
  fs.writeFileSync(path.join(dir, 'manifest.json'), '{"files": ');
  assert.throws(() => loadMnist({ datasetsDir: dir }), /manifest\.json is not valid JSON/);
});

/** Writes an official-looking IDX pair into `dir`. */
function writeFullFiles(dir: string, imageCount: number, labelCount: number, gzip: boolean): void {
  const write = (name: string, shape: number[]) => {
    const raw = encodeIdx({ shape, data: new Uint8Array(shape.reduce((a, b) => a * b, 1)).map((_, i) => i % 10) });
    fs.writeFileSync(path.join(dir, gzip ? `${name}.gz` : name), gzip ? zlib.gzipSync(raw) : raw);
  };
  for (const prefix of ['train', 't10k']) {
    write(`${prefix}-images-idx3-ubyte`, [imageCount, 28, 28]);
    write(`${prefix}-labels-idx1-ubyte`, [labelCount]);
  }
}

/** Writes an unzipped IDX file of zeros with `shape`, sparse on disk (only the header is written). */
function writeZeroIdx(file: string, shape: number[]): void {
  const header = encodeIdx({ shape: [0, ...shape.slice(1)], data: new Uint8Array(0) });
  new DataView(header.buffer).setUint32(4, shape[0]);
  fs.writeFileSync(file, header);
  fs.truncateSync(file, header.length + shape.reduce((a, b) => a * b, 1));
}

/** gzip members may be concatenated: n members of 8 MiB of zeros inflate to n × 8 MiB from n × 8 KB. */
function gzipBomb(members: number): Buffer {
  return Buffer.concat(new Array(members).fill(zlib.gzipSync(Buffer.alloc(8 * 2 ** 20), { level: 9 })));
}

test('full MNIST .gz files must match the published MD5s', () => {
  const gz = tempDir();
  writeFullFiles(gz, 30, 30, true);
  assert.throws(
    () => loadMnist({ source: 'full', dir: gz }),
    /Checksum mismatch for .*train-images-idx3-ubyte\.gz: MD5 \w+, the published MNIST value for train-images-idx3-ubyte\.gz is f68b3c2dcbeaaa9fbdd348bbdeb94873/,
  );
  assert.throws(() => loadMnist({ source: 'full', dir: tempDir() }), /Missing MNIST file .*train-images-idx3-ubyte\.gz/);
});

test('full files whose .gz matches the published MD5 load and are called official', async () => {
  await setupBackend({ force: 'cpu', log: quiet });
  const dir = tempDir();
  writeFullFiles(dir, 30, 30, true);
  const names = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
  const published = Object.fromEntries(names.map((name) => [name, md5(fs.readFileSync(path.join(dir, `${name}.gz`)))]));
  const spec = { name: 'Tiny', shippedFolder: 'mnist', classNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], officialGzMd5: published, officialCounts: { train: 30, test: 30 }, fullDataHint: '' };
  const loaded = loadImageDataset(spec, { source: 'full', dir });
  assert.equal(loaded.train.count, 30);
  assert.match(loaded.source, /^Tiny official files in .*, checked against the published MD5 checksums$/);
  disposeDataset(loaded);
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

test('an image and label pair holding 0 images is an error, not an empty split', () => {
  const empty = tempDir();
  writeFullFiles(empty, 0, 0, false);
  assert.throws(() => loadMnist({ source: 'full', dir: empty }), /train-images-idx3-ubyte and train-labels-idx1-ubyte hold no images/);
});

test('a .gz that inflates beyond the largest plausible file stops at the cap, naming the file', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), gzipBomb(8)); // 64 MiB of zeros from 65 KB
  assert.throws(
    () => loadFashionMnist({ source: 'full', dir }),
    /train-images-idx3-ubyte\.gz: decompresses to more than 54,880,016 bytes, the most a file of this kind can hold/,
  );
});

test('an unzipped file larger than the largest plausible file is refused before it is read', () => {
  const dir = tempDir();
  writeZeroIdx(path.join(dir, 'train-images-idx3-ubyte'), [80000, 28, 28]);
  assert.throws(
    () => loadMnist({ source: 'full', dir }),
    /train-images-idx3-ubyte: 62,720,016 bytes, more than a file of 70,000 28×28 images can hold \(54,880,016\)/,
  );
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

test('breast-cancer CSV reads into a danfojs DataFrame: 569 rows, 30 features, 212 malignant', async () => {
  const { frame, featureNames } = await loadBreastCancer();
  assert.deepEqual(frame.shape, [569, 31]);
  assert.deepEqual(frame.columns, [...featureNames, 'diagnosis'], 'the columns in file order');
  assert.deepEqual(frame.dtypes, [...new Array(30).fill('float32'), 'string']);
  assert.deepEqual((frame.values[0] as number[]).slice(0, 2), [17.99, 10.38]);
  assert.equal(featureNames.length, 30);
  assert.ok(featureNames.includes('radius_mean'));
  const diagnosis = frame['diagnosis'].values as string[];
  assert.equal(diagnosis.filter((d) => d === 'M').length, 212);
  assert.equal(diagnosis.filter((d) => d === 'B').length, 357);
});
