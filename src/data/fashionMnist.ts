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
 * MD5 of the official files after decompression. Upstream publishes MD5s of its .gz files;
 * re-packaged copies (Debian re-compressed them) differ there but not in the decompressed bytes.
 */
export const FASHION_MNIST_OFFICIAL_MD5: Record<string, string> = {
  'train-images-idx3-ubyte': 'f4a8712d7a061bf5bd6d2ca38dc4d50a',
  'train-labels-idx1-ubyte': '9018921c3c673c538a1fc5bad174d6f9',
  't10k-images-idx3-ubyte': '8181f5470baa50b63fa0f6fddb340f0a',
  't10k-labels-idx1-ubyte': '15d484375f8d13e6eb1aabb0c3f46965',
};

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
      officialMd5: FASHION_MNIST_OFFICIAL_MD5,
      defaultFullDir: DEBIAN_FASHION_MNIST_DIR,
      fullDataHint:
        'Get the four official *-ubyte.gz files (on Debian/Ubuntu: apt-get install dataset-fashion-mnist, which puts them in /usr/share/datasets/fashion-mnist; elsewhere from the Fashion-MNIST GitHub page) and pass their folder as dir.',
    },
    options,
  );
}
