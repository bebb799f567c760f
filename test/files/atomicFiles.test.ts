import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { fsyncDirectory, md5, readRequiredFile, sha256, writeFileAtomic, writeFileSynced } from '../../src/files/atomicFiles';
import { shippedDatasetsDir } from '../../src/data/shippedDatasets';
import { temporaryFolders } from '../data/fixtures/idxFiles';

const tempDir = temporaryFolders('ae-files-');

test('checksums of known inputs', () => {
  assert.equal(md5(Buffer.from('')), 'd41d8cd98f00b204e9800998ecf8427e');
  assert.equal(md5(Buffer.from('abc')), '900150983cd24fb0d6963f7d28e17f72');
  assert.equal(sha256(Buffer.from('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('writeFileAtomic replaces a file by renaming a whole new one over it, leaving no temporary file', () => {
  const dir = tempDir();
  const file = path.join(dir, 'weights.bin');
  fs.writeFileSync(file, 'old contents');
  const link = path.join(dir, 'link-to-old.bin');
  fs.linkSync(file, link); // a second name for the old file's bytes
  writeFileAtomic(file, new Uint8Array([1, 2, 3]));
  assert.deepEqual([...fs.readFileSync(file)], [1, 2, 3]);
  assert.equal(fs.readFileSync(link, 'utf8'), 'old contents', 'the old file was replaced, never written over in place');
  assert.notEqual(fs.statSync(file).ino, fs.statSync(link).ino);
  writeFileAtomic(file, 'text too');
  assert.equal(fs.readFileSync(file, 'utf8'), 'text too');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['link-to-old.bin', 'weights.bin']);
});

test('writeFileAtomic creates the folders it needs', () => {
  const file = path.join(tempDir(), 'a', 'b', 'c', 'model.json');
  writeFileAtomic(file, '{}');
  assert.equal(fs.readFileSync(file, 'utf8'), '{}');
});

test('writeFileAtomic leaves no temporary file when the write fails, and the old file as it was', () => {
  const dir = tempDir();
  const occupied = path.join(dir, 'model.json');
  fs.mkdirSync(occupied); // renaming a file over a folder fails after the temporary file is written
  fs.writeFileSync(path.join(occupied, 'inside.txt'), 'kept');
  assert.throws(() => writeFileAtomic(occupied, 'new'), (error: NodeJS.ErrnoException) => ['EISDIR', 'ENOTDIR', 'EEXIST', 'ENOTEMPTY', 'EPERM'].includes(error.code ?? ''));
  assert.deepEqual(fs.readdirSync(dir), ['model.json'], 'no .tmp file is left beside it');
  assert.equal(fs.readFileSync(path.join(occupied, 'inside.txt'), 'utf8'), 'kept');
  // A folder that cannot be created: nothing is written anywhere.
  const blocker = path.join(dir, 'blocker');
  fs.writeFileSync(blocker, 'a file, not a folder');
  assert.throws(() => writeFileAtomic(path.join(blocker, 'model.json'), 'new'), /EEXIST|ENOTDIR/);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['blocker', 'model.json']);
});

test('writeFileSynced writes a new file and refuses one that exists', () => {
  const dir = tempDir();
  const file = path.join(dir, 'checksums.json');
  writeFileSynced(file, 'first');
  assert.equal(fs.readFileSync(file, 'utf8'), 'first');
  assert.throws(() => writeFileSynced(file, 'second'), (error: NodeJS.ErrnoException) => error.code === 'EEXIST');
  assert.equal(fs.readFileSync(file, 'utf8'), 'first', 'the existing file is untouched');
  assert.throws(() => writeFileSynced(path.join(dir, 'missing', 'x.json'), 'x'), (error: NodeJS.ErrnoException) => error.code === 'ENOENT', 'it creates no folders');
});

test('readRequiredFile names a missing file and says how to fix it; the shipped folder is found', () => {
  const missing = path.join(tempDir(), 'nope.gz');
  assert.throws(() => readRequiredFile(missing, 'Restore it.'), { message: `Missing data file ${missing}. Restore it.` });
  const shipped = shippedDatasetsDir();
  assert.ok(fs.existsSync(path.join(shipped, 'manifest.json')));
  assert.deepEqual(readRequiredFile(path.join(shipped, 'manifest.json'), ''), fs.readFileSync(path.join(shipped, 'manifest.json')));
  fsyncDirectory(shipped); // flushing a folder is harmless
});
