/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, MIT licence): 28×28 grey images of ten kinds of
 * clothing. Shipped: the first 10,000 official training images and all 10,000 test images.
 * Full data: the official files, e.g. from Debian's dataset-fashion-mnist package.
 */
import { ImageDataset, ImageDatasetOptions, loadImageDataset } from './imageDataset';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
  'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

/**
 * MD5 of the official .gz files, as published by Zalando Research (and used by torchvision).
 */
export const FASHION_MNIST_OFFICIAL_GZ_MD5: Record<string, string> = {
  'train-images-idx3-ubyte': '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
  'train-labels-idx1-ubyte': '25c81989df183df01b3e8a0aad5dffbe',
  't10k-images-idx3-ubyte': 'bef4ecab320f06d8554ea6380940ec79',
  't10k-labels-idx1-ubyte': 'bb300cfdad3c16e7a12a480ee83cd310',
};

/**
 * MD5 of the official files after decompression: re-packaged copies (Debian re-compressed the
 * .gz files) differ from the published .gz MD5s but not in the decompressed bytes.
 */
export const FASHION_MNIST_OFFICIAL_MD5: Record<string, string> = {
  'train-images-idx3-ubyte': 'f4a8712d7a061bf5bd6d2ca38dc4d50a',
  'train-labels-idx1-ubyte': '9018921c3c673c538a1fc5bad174d6f9',
  't10k-images-idx3-ubyte': '8181f5470baa50b63fa0f6fddb340f0a',
  't10k-labels-idx1-ubyte': '15d484375f8d13e6eb1aabb0c3f46965',
};

/** Images in each split of the official data. */
export const FASHION_MNIST_OFFICIAL_COUNTS = { train: 60_000, test: 10_000 } as const;

/** Where Debian's dataset-fashion-mnist package installs the full files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 *   const data = loadFashionMnist({ limit: 2000 });            // shipped subset
 *   const full = loadFashionMnist({ source: 'full' });          // 60,000 + 10,000 images
 */
export function loadFashionMnist(options: ImageDatasetOptions = {}): ImageDataset {
  return loadImageDataset(
    {
      name: 'Fashion-MNIST',
      shippedFolder: 'fashion-mnist',
      classNames: FASHION_MNIST_CLASSES,
      officialGzMd5: FASHION_MNIST_OFFICIAL_GZ_MD5,
      officialMd5: FASHION_MNIST_OFFICIAL_MD5,
      officialCounts: FASHION_MNIST_OFFICIAL_COUNTS,
      defaultFullDir: DEBIAN_FASHION_MNIST_DIR,
      fullDataHint:
        'Get the four official *-ubyte.gz files (on Debian/Ubuntu: apt-get install dataset-fashion-mnist, which puts them in /usr/share/datasets/fashion-mnist; elsewhere from the Fashion-MNIST GitHub page) and pass their folder as dir.',
    },
    options,
  );
}
