import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { setupBackend } from '../../src/backend';
import { md5, sha256 } from '../../src/files/atomicFiles';
import { disposeDataset, loadImageDataset } from '../../src/data/imageDataset';
import { loadFashionMnist } from '../../src/data/fashionMnist';
import { loadMnist } from '../../src/data/mnist';
import { copyOfShipped, gzipBomb, temporaryFolders, writeFullFiles, writeZeroIdx } from './fixtures/idxFiles';

const quiet = () => {};
const tempDir = temporaryFolders();

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
  const dir = copyOfShipped(tempDir());
  fs.rmSync(path.join(dir, 'mnist', 't10k-labels-idx1-ubyte.gz'));
  assert.throws(() => loadMnist({ datasetsDir: dir }), /Missing data file .*mnist\/t10k-labels-idx1-ubyte\.gz\. .*git checkout -- datasets\/mnist\/t10k-labels-idx1-ubyte\.gz/);
});

test('a corrupt or truncated shipped file fails its checksum', () => {
  const dir = copyOfShipped(tempDir());
  const file = path.join(dir, 'fashion-mnist', 'train-images-idx3-ubyte.gz');
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(file, bytes.subarray(0, bytes.length - 1000));
  assert.throws(() => loadFashionMnist({ datasetsDir: dir }), /Checksum mismatch for .*train-images-idx3-ubyte\.gz.*damaged/);
  bytes[5000] ^= 0xff;
  fs.writeFileSync(file, bytes);
  assert.throws(() => loadFashionMnist({ datasetsDir: dir }), /Checksum mismatch/);
});

test('a damaged .gz says how to replace it: download a full file again, git checkout a shipped one', () => {
  // A full file outside the repository (Fashion-MNIST's re-packaged .gz are decompressed to check).
  const full = tempDir();
  writeFullFiles(full, 30, 30, true);
  const file = path.join(full, 'train-images-idx3-ubyte.gz');
  const whole = fs.readFileSync(file);
  fs.writeFileSync(file, whole.subarray(0, 20)); // the gzip header and the start of the data
  assert.throws(() => loadFashionMnist({ source: 'full', dir: full }), (error: Error) => {
    assert.ok(error.message.startsWith(`${file}: the gzip data is damaged`), error.message);
    assert.match(error.message, /The file is truncated or corrupt\. Download it again\. Get the four official/);
    assert.doesNotMatch(error.message, /git checkout/);
    return true;
  });
  // A shipped copy whose manifest was updated with the damage: the repository's path to restore.
  const shipped = copyOfShipped(tempDir());
  const relative = 'fashion-mnist/train-images-idx3-ubyte.gz';
  const damaged = fs.readFileSync(path.join(shipped, relative)).subarray(0, 5000);
  fs.writeFileSync(path.join(shipped, relative), damaged);
  const manifest = JSON.parse(fs.readFileSync(path.join(shipped, 'manifest.json'), 'utf8'));
  manifest.files[relative] = { bytes: damaged.length, sha256: sha256(damaged) };
  fs.writeFileSync(path.join(shipped, 'manifest.json'), JSON.stringify(manifest));
  assert.throws(() => loadFashionMnist({ datasetsDir: shipped }), (error: Error) => {
    assert.ok(error.message.startsWith(`${path.join(shipped, relative)}: the gzip data is damaged`), error.message);
    assert.ok(error.message.endsWith(`Restore it with "git checkout -- datasets/${relative}".`), error.message);
    return true;
  });
});

test('a corrupt manifest is named', () => {
  const dir = copyOfShipped(tempDir());
  fs.writeFileSync(path.join(dir, 'manifest.json'), '{"files": ');
  assert.throws(() => loadMnist({ datasetsDir: dir }), /manifest\.json is not valid JSON/);
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
