/**
 * Loads 28×28 grey-scale image datasets stored as IDX files (MNIST, Fashion-MNIST) into
 * normalised float tensors, with labels, a train/test split and a `limit` for quick runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { md5, readRequiredFile, sha256, shippedDatasetsDir } from './files';
import { gunzipIfNeeded, parseIdx } from './idx';

export const IMAGE_SIZE = 28;
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;

export type Split = 'train' | 'test';

/** 'flat': (N, 784) rows for dense models; 'image': (N, 28, 28, 1) for conv models. */
export type ImageLayout = 'flat' | 'image';

export interface ImageDatasetOptions {
  /** Keep only the first `limit` samples of each split (quick runs). Default: all. */
  limit?: number;
  /** Tensor layout of `x`. Default 'flat'. */
  layout?: ImageLayout;
  /**
   * 'shipped' (default): the small subset in datasets/, checked against datasets/manifest.json.
   * 'full': the official files from `dir`, checked against their published checksums.
   */
  source?: 'shipped' | 'full';
  /** Folder of the official `*-ubyte.gz` (or unzipped) files, for `source: 'full'`. */
  dir?: string;
  /** The shipped datasets/ folder (with manifest.json). Default: the repository's own. */
  datasetsDir?: string;
}

export interface ImageSplit {
  /** Pixels scaled to [0, 1]: (N, 784) or (N, 28, 28, 1). The caller disposes it. */
  x: tf.Tensor;
  /** Class index of each sample. */
  labels: Int32Array;
  /** Number of samples. */
  count: number;
}

export interface ImageDataset {
  name: string;
  classNames: readonly string[];
  train: ImageSplit;
  test: ImageSplit;
  /** Where the files came from, for write-ups. */
  source: string;
}

/** The facts a loader needs about one dataset. */
export interface ImageDatasetSpec {
  name: string;
  /** Folder under datasets/. */
  shippedFolder: string;
  classNames: readonly string[];
  /** MD5 of each official decompressed file, keyed by its name without .gz (undefined: no full files). */
  officialMd5?: Record<string, string>;
  /** Where a system package puts the full files, tried when `dir` is not given. */
  defaultFullDir?: string;
  /** What to tell a user who has no full files. */
  fullDataHint: string;
}

const FILES: Record<Split, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

type Manifest = Record<string, { bytes: number; sha256: string }>;

function readManifest(root: string): Manifest {
  const file = path.join(root, 'manifest.json');
  const text = readRequiredFile(file, 'It ships with the repository: restore it with "git checkout -- datasets/manifest.json".');
  try {
    return JSON.parse(text.toString('utf8')).files;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}): restore it with "git checkout -- datasets/manifest.json".`);
  }
}

/** Reads one shipped file and checks it against datasets/manifest.json. */
export function readShippedFile(relative: string, root: string = shippedDatasetsDir()): Buffer {
  const file = path.join(root, relative);
  const bytes = readRequiredFile(file, `It ships with the repository: restore it with "git checkout -- datasets/${relative}".`);
  const expected = readManifest(root)[relative];
  if (!expected) throw new Error(`datasets/manifest.json has no entry for ${relative}.`);
  const actual = sha256(bytes);
  if (actual !== expected.sha256) {
    throw new Error(
      `Checksum mismatch for ${file}: SHA-256 ${actual}, manifest says ${expected.sha256} (${bytes.length} of ${expected.bytes} bytes). The file is damaged: restore it with "git checkout -- datasets/${relative}".`,
    );
  }
  return bytes;
}

function readFullFile(spec: ImageDatasetSpec, dir: string, name: string): Uint8Array {
  const candidates = [path.join(dir, `${name}.gz`), path.join(dir, name)];
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) {
    throw new Error(`Missing ${spec.name} file ${candidates[0]} (or ${name} unzipped). ${spec.fullDataHint}`);
  }
  const raw = parseRaw(file, fs.readFileSync(file));
  const expected = spec.officialMd5?.[name];
  const actual = md5(raw);
  if (expected && actual !== expected) {
    throw new Error(
      `Checksum mismatch for ${file}: the decompressed content has MD5 ${actual}, the published ${spec.name} value is ${expected}. The file is damaged or not the official one: download it again. ${spec.fullDataHint}`,
    );
  }
  return raw;
}

function parseRaw(file: string, bytes: Uint8Array): Uint8Array {
  // Checksums of full files are published for the decompressed bytes (gzip re-packing changes the .gz).
  return gunzipIfNeeded(bytes, file);
}

function toSplit(images: Uint8Array, labels: Uint8Array, imagesName: string, labelsName: string, options: ImageDatasetOptions, classes: number): ImageSplit {
  const imageArray = parseIdx(images, imagesName, 3);
  const labelArray = parseIdx(labels, labelsName, 1);
  const [n, height, width] = imageArray.shape;
  if (height !== IMAGE_SIZE || width !== IMAGE_SIZE) {
    throw new Error(`${imagesName}: images are ${height}×${width}, expected ${IMAGE_SIZE}×${IMAGE_SIZE}.`);
  }
  if (labelArray.shape[0] !== n) {
    throw new Error(
      `${labelsName} holds ${labelArray.shape[0]} labels but ${imagesName} holds ${n} images. The two files do not belong together: restore both.`,
    );
  }
  const badLabel = labelArray.data.findIndex((label) => label >= classes);
  if (badLabel >= 0) {
    throw new Error(`${labelsName}: label ${labelArray.data[badLabel]} at index ${badLabel} is not one of the ${classes} classes.`);
  }
  const count = options.limit === undefined ? n : Math.min(n, options.limit);
  const pixels = imageArray.data.subarray(0, count * IMAGE_PIXELS);
  const shape = (options.layout ?? 'flat') === 'flat' ? [count, IMAGE_PIXELS] : [count, IMAGE_SIZE, IMAGE_SIZE, 1];
  const x = tf.tidy(() => tf.tensor(pixels, shape, 'int32').toFloat().div(255));
  return { x, labels: Int32Array.from(labelArray.data.subarray(0, count)), count };
}

function checkOptions(spec: ImageDatasetSpec, options: ImageDatasetOptions): void {
  const { limit, layout, source } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
    throw new Error(`load ${spec.name}: limit must be a positive whole number, got ${limit}.`);
  }
  if (layout !== undefined && layout !== 'flat' && layout !== 'image') {
    throw new Error(`load ${spec.name}: layout must be 'flat' or 'image', got ${String(layout)}.`);
  }
  if (source !== undefined && source !== 'shipped' && source !== 'full') {
    throw new Error(`load ${spec.name}: source must be 'shipped' or 'full', got ${String(source)}.`);
  }
}

/** Loads both splits of an IDX image dataset (see `ImageDatasetOptions`). */
export function loadImageDataset(spec: ImageDatasetSpec, options: ImageDatasetOptions = {}): ImageDataset {
  checkOptions(spec, options);
  const full = options.source === 'full';
  const dir = options.dir ?? spec.defaultFullDir;
  if (full && !dir) throw new Error(`load ${spec.name}: source 'full' needs a dir. ${spec.fullDataHint}`);
  const read = (name: string): Uint8Array =>
    full ? readFullFile(spec, dir!, name) : readShippedFile(`${spec.shippedFolder}/${name}.gz`, options.datasetsDir);
  const splits = (['train', 'test'] as const).map((split) => {
    const names = FILES[split];
    return toSplit(read(names.images), read(names.labels), names.images, names.labels, options, spec.classNames.length);
  });
  return {
    name: spec.name,
    classNames: spec.classNames,
    train: splits[0],
    test: splits[1],
    source: full ? `${spec.name} official files in ${dir}` : `${spec.name} subset shipped in datasets/${spec.shippedFolder}`,
  };
}

/** Frees the tensors of a dataset. */
export function disposeDataset(dataset: ImageDataset): void {
  dataset.train.x.dispose();
  dataset.test.x.dispose();
}
