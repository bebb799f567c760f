/**
 * Loads 28×28 grey-scale image datasets stored as IDX files (MNIST, Fashion-MNIST) into
 * normalised float tensors, with labels, a train/test split and a `limit` for quick runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { md5, readRequiredFile, sha256 } from '../files/atomicFiles';
import { shippedDatasetsDir } from './shippedDatasets';
import { gunzipIfNeeded, idxHeaderBytes, parseIdx } from './idx';

export const IMAGE_SIZE = 28;
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** Most images one file may hold: MNIST and Fashion-MNIST have 60,000 + 10,000 in all. */
export const MAX_IMAGES_PER_FILE = 70_000;

/**
 * Largest plausible file of each kind, decompressed: a .gz is never inflated beyond it, and an
 * unzipped file above it is refused before it is read.
 */
export const MAX_IDX_FILE_BYTES = {
  images: idxHeaderBytes(3) + MAX_IMAGES_PER_FILE * IMAGE_PIXELS,
  labels: idxHeaderBytes(1) + MAX_IMAGES_PER_FILE,
} as const;

export type Split = 'train' | 'test';

/** 'flat': (N, 784) rows for dense models; 'image': (N, 28, 28, 1) for conv models. */
export type ImageLayout = 'flat' | 'image';

export interface ImageDatasetOptions {
  /**
   * Keep only the first `limit` samples of each split (quick runs). Default: all. It may not be
   * more than the training split holds (an error says how many); a smaller test split is kept
   * whole (the shipped MNIST has 8,000 training and 2,000 test digits), so read `count`.
   */
  limit?: number;
  /** Tensor layout of `x`. Default 'flat'. */
  layout?: ImageLayout;
  /**
   * 'shipped' (default): the small subset in datasets/, checked against datasets/manifest.json.
   * 'full': the full files from `dir`. A .gz must match its published MD5 (Fashion-MNIST: or
   * the published MD5 of its content); an unzipped file must match the published MD5 of the
   * content where there is one (Fashion-MNIST), else only the official image counts, and
   * `source` then says it was not checked against a published checksum.
   */
  source?: 'shipped' | 'full';
  /** Folder of the official `*-ubyte.gz` (or unzipped) files; only read with `source: 'full'`. */
  dir?: string;
  /** The shipped datasets/ folder (with manifest.json); only read with `source: 'shipped'`. Default: the repository's own. */
  datasetsDir?: string;
}

const OPTION_NAMES: readonly (keyof ImageDatasetOptions)[] = ['limit', 'layout', 'source', 'dir', 'datasetsDir'];

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
  /** Published MD5 of each official .gz file, keyed by its name without .gz. */
  officialGzMd5?: Record<string, string>;
  /** MD5 of each official decompressed file, keyed by its name without .gz. */
  officialMd5?: Record<string, string>;
  /** Images in each split of the official full data; full files with other counts are refused. */
  officialCounts: Record<Split, number>;
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

/** The decompressed bytes of one full file, and whether they matched a published checksum. */
interface FullFile {
  bytes: Uint8Array;
  checked: boolean;
  /** The file read: the .gz, or the unzipped file. */
  path: string;
}

type FileKind = keyof typeof MAX_IDX_FILE_BYTES;

function readFullFile(spec: ImageDatasetSpec, dir: string, name: string, kind: FileKind): FullFile {
  const maxBytes = MAX_IDX_FILE_BYTES[kind];
  const candidates = [path.join(dir, `${name}.gz`), path.join(dir, name)];
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) {
    throw new Error(`Missing ${spec.name} file ${candidates[0]} (or ${name} unzipped). ${spec.fullDataHint}`);
  }
  const gzipped = file.endsWith('.gz');
  const size = fs.statSync(file).size;
  if (!gzipped && size > maxBytes) {
    throw new Error(
      `${file}: ${size.toLocaleString('en-US')} bytes, more than a file of ${MAX_IMAGES_PER_FILE.toLocaleString('en-US')} ${kind === 'images' ? `${IMAGE_SIZE}×${IMAGE_SIZE} images` : 'labels'} can hold (${maxBytes.toLocaleString('en-US')}). It is not a ${spec.name} file. ${spec.fullDataHint}`,
    );
  }
  const stored = fs.readFileSync(file);
  const fix = downloadFix(spec);
  const gzExpected = gzipped ? spec.officialGzMd5?.[name] : undefined;
  if (gzExpected && md5(stored) === gzExpected) {
    return { bytes: gunzipIfNeeded(stored, file, maxBytes, fix), checked: true, path: file };
  }
  const contentExpected = spec.officialMd5?.[name];
  if (contentExpected) {
    // Re-packaged copies (Debian re-compressed the Fashion-MNIST files) differ in the .gz only.
    const bytes = gunzipIfNeeded(stored, file, maxBytes, fix);
    const actual = md5(bytes);
    if (actual !== contentExpected) {
      throw new Error(
        `Checksum mismatch for ${file}: the decompressed content has MD5 ${actual}, the published ${spec.name} value is ${contentExpected}. The file is damaged or not the official one: download it again. ${spec.fullDataHint}`,
      );
    }
    return { bytes, checked: true, path: file };
  }
  if (gzExpected) {
    throw new Error(
      `Checksum mismatch for ${file}: MD5 ${md5(stored)}, the published ${spec.name} value for ${name}.gz is ${gzExpected}. The file is damaged or not the official one: download it again. (Unzipped files are loaded too, but only their image counts can be checked.) ${spec.fullDataHint}`,
    );
  }
  return { bytes: gunzipIfNeeded(stored, file, maxBytes, fix), checked: false, path: file };
}

/** How to replace a damaged full file: it came from a download, not from this repository. */
function downloadFix(spec: ImageDatasetSpec): string {
  return `Download it again. ${spec.fullDataHint}`;
}

/** The bytes of one file of a split, the file they came from and how to replace it. */
interface ReadFile {
  bytes: Uint8Array;
  file: string;
  fix: string;
}

interface SplitRequest {
  split: Split;
  images: ReadFile;
  labels: ReadFile;
  /** For the count check of full files; undefined for the shipped subset. */
  officialCount?: number;
}

function toSplit(spec: ImageDatasetSpec, request: SplitRequest, options: ImageDatasetOptions): ImageSplit {
  const names = FILES[request.split];
  const { images, labels } = request;
  const imageArray = parseIdx(images.bytes, images.file, 3, MAX_IDX_FILE_BYTES.images, images.fix);
  const labelArray = parseIdx(labels.bytes, labels.file, 1, MAX_IDX_FILE_BYTES.labels, labels.fix);
  const [n, height, width] = imageArray.shape;
  if (height !== IMAGE_SIZE || width !== IMAGE_SIZE) {
    throw new Error(`${names.images}: images are ${height}×${width}, expected ${IMAGE_SIZE}×${IMAGE_SIZE}.`);
  }
  if (labelArray.shape[0] !== n) {
    throw new Error(
      `${names.labels} holds ${labelArray.shape[0]} labels but ${names.images} holds ${n} images. The two files do not belong together: restore both.`,
    );
  }
  if (n === 0) {
    throw new Error(`${names.images} and ${names.labels} hold no images (their headers say 0). Restore or re-download them.`);
  }
  if (request.officialCount !== undefined && n !== request.officialCount) {
    throw new Error(
      `${names.images} holds ${n.toLocaleString('en-US')} images, but the official ${spec.name} ${request.split} split has ${request.officialCount.toLocaleString('en-US')}. These are not the official files. ${spec.fullDataHint}`,
    );
  }
  const classes = spec.classNames.length;
  const badLabel = labelArray.data.findIndex((label) => label >= classes);
  if (badLabel >= 0) {
    throw new Error(`${names.labels}: label ${labelArray.data[badLabel]} at index ${badLabel} is not one of the ${classes} classes.`);
  }
  if (request.split === 'train' && options.limit !== undefined && options.limit > n) {
    throw new Error(`load ${spec.name}: limit ${options.limit} is more than the ${n} training images there are. Leave limit out to load them all.`);
  }
  const count = options.limit === undefined ? n : Math.min(n, options.limit);
  const pixels = imageArray.data.subarray(0, count * IMAGE_PIXELS);
  const shape = (options.layout ?? 'flat') === 'flat' ? [count, IMAGE_PIXELS] : [count, IMAGE_SIZE, IMAGE_SIZE, 1];
  const x = tf.tidy(() => tf.tensor(pixels, shape, 'int32').toFloat().div(255));
  return { x, labels: Int32Array.from(labelArray.data.subarray(0, count)), count };
}

function checkOptions(spec: ImageDatasetSpec, options: ImageDatasetOptions): void {
  const { limit, layout, source, dir, datasetsDir } = options;
  const unknown = Object.keys(options).filter((key) => !(OPTION_NAMES as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new Error(`load ${spec.name}: unknown option ${unknown.join(', ')}; the options are ${OPTION_NAMES.join(', ')}.`);
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
    throw new Error(`load ${spec.name}: limit must be a positive whole number, got ${limit}.`);
  }
  if (layout !== undefined && layout !== 'flat' && layout !== 'image') {
    throw new Error(`load ${spec.name}: layout must be 'flat' or 'image', got ${String(layout)}.`);
  }
  if (source !== undefined && source !== 'shipped' && source !== 'full') {
    throw new Error(`load ${spec.name}: source must be 'shipped' or 'full', got ${String(source)}.`);
  }
  if (dir !== undefined && source !== 'full') {
    throw new Error(`load ${spec.name}: dir is only read with source: 'full' (got dir ${JSON.stringify(dir)} and source ${source ?? "'shipped' by default"}).`);
  }
  if (datasetsDir !== undefined && source === 'full') {
    throw new Error(`load ${spec.name}: datasetsDir is only read with source: 'shipped'; with source: 'full' the files come from dir.`);
  }
}

/** Loads both splits of an IDX image dataset (see `ImageDatasetOptions`). */
export function loadImageDataset(spec: ImageDatasetSpec, options: ImageDatasetOptions = {}): ImageDataset {
  checkOptions(spec, options);
  const full = options.source === 'full';
  const dir = options.dir ?? spec.defaultFullDir;
  if (full && !dir) throw new Error(`load ${spec.name}: source 'full' needs a dir. ${spec.fullDataHint}`);
  const checked: boolean[] = [];
  const read = (name: string, kind: FileKind): ReadFile => {
    if (!full) {
      const relative = `${spec.shippedFolder}/${name}.gz`;
      const root = options.datasetsDir ?? shippedDatasetsDir();
      const fix = `Restore it with "git checkout -- datasets/${relative}".`;
      return { bytes: readShippedFile(relative, root), file: path.join(root, relative), fix };
    }
    const file = readFullFile(spec, dir!, name, kind);
    checked.push(file.checked);
    return { bytes: file.bytes, file: file.path, fix: downloadFix(spec) };
  };
  const splits: ImageSplit[] = [];
  try {
    for (const split of ['train', 'test'] as const) {
      const images = read(FILES[split].images, 'images');
      const labels = read(FILES[split].labels, 'labels');
      splits.push(toSplit(spec, { split, images, labels, officialCount: full ? spec.officialCounts[split] : undefined }, options));
    }
  } catch (error) {
    splits.forEach((loaded) => loaded.x.dispose()); // a bad test split leaves no training tensor behind
    throw error;
  }
  const { train: trainCount, test: testCount } = spec.officialCounts;
  return {
    name: spec.name,
    classNames: spec.classNames,
    train: splits[0],
    test: splits[1],
    source: !full
      ? `${spec.name} subset shipped in datasets/${spec.shippedFolder}`
      : checked.every(Boolean)
        ? `${spec.name} official files in ${dir}, checked against the published MD5 checksums`
        : `${spec.name} files in ${dir}: ${trainCount.toLocaleString('en-US')} training and ${testCount.toLocaleString('en-US')} test images as published, but NOT checked against a published checksum`,
  };
}

/** Frees the tensors of a dataset. */
export function disposeDataset(dataset: ImageDataset): void {
  dataset.train.x.dispose();
  dataset.test.x.dispose();
}
