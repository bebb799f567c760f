/**
 * Structural similarity (SSIM) of grey images, lesson 06's second measure of quality next to PSNR.
 *
 * Wang, Bovik, Sheikh & Simoncelli (2004), "Image quality assessment: from error visibility to
 * structural similarity", IEEE Trans. Image Processing 13(4), as in the authors' ssim_index.m:
 * an 11×11 Gaussian window (σ = 1.5, weights summing to 1) slides over the image; in each window
 *
 *   SSIM = (2 μx μy + C1)(2 σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)),
 *   C1 = (K1 L)², C2 = (K2 L)², K1 = 0.01, K2 = 0.03, L the data range (1 here),
 *
 * with the window-weighted means, variances and covariance (weights, not n − 1). Only 'valid'
 * windows count (those wholly inside the image: 18×18 of them on a 28×28 image), as in
 * ssim_index.m's filter2(..., 'valid'), and an image's SSIM is the mean over its windows. The
 * same figure as scikit-image's structural_similarity(gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=1), which filters the whole image and crops the border.
 *
 * Everything is computed in float64 in JavaScript; images are read back a batch at a time.
 *
 *   const s = ssim(test, decoded);               // mean over images, 1 for identical images
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_EVAL_BATCH } from './reconstruction';
import { valuesOfAll } from './values';

/** Side of the square Gaussian window, in pixels. */
export const SSIM_WINDOW = 11;
/** Standard deviation of the Gaussian window, in pixels. */
export const SSIM_SIGMA = 1.5;
/** C1 = (SSIM_K1 · range)², stabilising the luminance term. */
export const SSIM_K1 = 0.01;
/** C2 = (SSIM_K2 · range)², stabilising the contrast-structure term. */
export const SSIM_K2 = 0.03;

export interface SsimOptions {
  /** Range of the pixel values (L): 1 for images in [0, 1], 255 for bytes. Default 1. */
  dataRange?: number;
  /** Images read back from the backend at a time. Default DEFAULT_EVAL_BATCH. */
  batchSize?: number;
}

export const DEFAULT_SSIM_OPTIONS: Required<SsimOptions> = { dataRange: 1, batchSize: DEFAULT_EVAL_BATCH };

/** The 1-D Gaussian weights (SSIM_WINDOW of them, summing to 1); the 2-D window is their outer product. */
export function gaussianWeights(size = SSIM_WINDOW, sigma = SSIM_SIGMA): Float64Array {
  const centre = (size - 1) / 2;
  const weights = Float64Array.from({ length: size }, (_, i) => Math.exp(-((i - centre) ** 2) / (2 * sigma * sigma)));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/** Height and width of a batch of grey images: (N, h, w), (N, h, w, 1), or flat (N, side²). */
function imageSize(x: tf.Tensor, what: string): { height: number; width: number } {
  const shape = x.shape as number[];
  if (x.rank === 2) {
    const side = Math.round(Math.sqrt(shape[1]));
    if (side * side !== shape[1]) {
      throw new Error(`${what}: flat images of ${shape[1]} pixels are not square; reshape them to (N, height, width, 1) first.`);
    }
    return { height: side, width: side };
  }
  if (x.rank === 3 || (x.rank === 4 && shape[3] === 1)) return { height: shape[1], width: shape[2] };
  throw new Error(`${what}: expected grey images (N, side²), (N, h, w) or (N, h, w, 1), got shape (${shape.join(', ')}).`);
}

/**
 * Filters `values` (height × width, row-major) with the separable window `g` over 'valid' positions
 * only: out has (height − g.length + 1) × (width − g.length + 1) values. `rows` is scratch space of
 * height × (width − g.length + 1) values.
 */
function validFilter(values: Float64Array, height: number, width: number, g: Float64Array, rows: Float64Array, out: Float64Array): void {
  const size = g.length;
  const outWidth = width - size + 1;
  const outHeight = height - size + 1;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < outWidth; c++) {
      let sum = 0;
      for (let j = 0, p = r * width + c; j < size; j++, p++) sum += g[j] * values[p];
      rows[r * outWidth + c] = sum;
    }
  }
  for (let r = 0; r < outHeight; r++) {
    for (let c = 0; c < outWidth; c++) {
      let sum = 0;
      for (let i = 0, p = r * outWidth + c; i < size; i++, p += outWidth) sum += g[i] * rows[p];
      out[r * outWidth + c] = sum;
    }
  }
}

/**
 * The SSIM of one grey image against another, both height × width row-major arrays of the same
 * size (values in [0, dataRange]): the mean over the valid 11×11 windows. Pure; float64 throughout.
 */
export function ssimOfImage(x: ArrayLike<number>, y: ArrayLike<number>, height: number, width: number, dataRange = 1): number {
  const pixels = height * width;
  if (x.length !== pixels || y.length !== pixels) {
    throw new Error(`ssimOfImage: expected two images of ${height}×${width} = ${pixels} values, got ${x.length} and ${y.length}.`);
  }
  return new SsimWorkspace(height, width, dataRange).ssim(x, 0, y, 0);
}

/** Scratch arrays for the SSIM of many images of one size, so each image allocates nothing. */
class SsimWorkspace {
  private readonly g = gaussianWeights();
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly product: Float64Array;
  private readonly rows: Float64Array;
  private readonly moments: Float64Array[];
  private readonly c1: number;
  private readonly c2: number;

  constructor(private readonly height: number, private readonly width: number, dataRange: number) {
    if (height < SSIM_WINDOW || width < SSIM_WINDOW) {
      throw new Error(`ssim: images must be at least ${SSIM_WINDOW}×${SSIM_WINDOW} for an ${SSIM_WINDOW}×${SSIM_WINDOW} window, got ${height}×${width}.`);
    }
    if (!(dataRange > 0 && Number.isFinite(dataRange))) {
      throw new Error(`ssim: dataRange must be a positive number (1 for images in [0, 1]), got ${dataRange}.`);
    }
    const pixels = height * width;
    const windows = (height - SSIM_WINDOW + 1) * (width - SSIM_WINDOW + 1);
    this.x = new Float64Array(pixels);
    this.y = new Float64Array(pixels);
    this.product = new Float64Array(pixels);
    this.rows = new Float64Array(height * (width - SSIM_WINDOW + 1));
    this.moments = Array.from({ length: 5 }, () => new Float64Array(windows));
    this.c1 = (SSIM_K1 * dataRange) ** 2;
    this.c2 = (SSIM_K2 * dataRange) ** 2;
  }

  /** SSIM of the image at `xOffset` in `xs` against the one at `yOffset` in `ys`. */
  ssim(xs: ArrayLike<number>, xOffset: number, ys: ArrayLike<number>, yOffset: number): number {
    const { height, width, g, rows, product } = this;
    const pixels = height * width;
    for (let p = 0; p < pixels; p++) {
      this.x[p] = xs[xOffset + p];
      this.y[p] = ys[yOffset + p];
    }
    const [muX, muY, xx, yy, xy] = this.moments;
    validFilter(this.x, height, width, g, rows, muX);
    validFilter(this.y, height, width, g, rows, muY);
    const filterProduct = (a: Float64Array, b: Float64Array, out: Float64Array) => {
      for (let p = 0; p < pixels; p++) product[p] = a[p] * b[p];
      validFilter(product, height, width, g, rows, out);
    };
    filterProduct(this.x, this.x, xx);
    filterProduct(this.y, this.y, yy);
    filterProduct(this.x, this.y, xy);
    let sum = 0;
    for (let w = 0; w < muX.length; w++) {
      const mx = muX[w];
      const my = muY[w];
      const varX = xx[w] - mx * mx;
      const varY = yy[w] - my * my;
      const cov = xy[w] - mx * my;
      sum += ((2 * mx * my + this.c1) * (2 * cov + this.c2)) / ((mx * mx + my * my + this.c1) * (varX + varY + this.c2));
    }
    return sum / muX.length;
  }
}

/** The SSIM of each image of `original` against the same image of `reconstruction`: (N). */
export function ssimPerImage(original: tf.Tensor, reconstruction: tf.Tensor, options: SsimOptions = {}): Float64Array {
  const settings = { ...DEFAULT_SSIM_OPTIONS, ...options };
  if (original.shape.join() !== reconstruction.shape.join()) {
    throw new Error(`ssim: shapes differ, (${original.shape.join(', ')}) against (${reconstruction.shape.join(', ')}).`);
  }
  const n = original.shape[0];
  if (n === 0) throw new Error('ssim: there are no images to measure.');
  if (!(Number.isInteger(settings.batchSize) && settings.batchSize >= 1)) {
    throw new Error(`ssim: batchSize must be a whole number ≥ 1, got ${settings.batchSize}.`);
  }
  const { height, width } = imageSize(original, 'ssim');
  const pixels = height * width;
  const workspace = new SsimWorkspace(height, width, settings.dataRange);
  const result = new Float64Array(n);
  for (let start = 0; start < n; start += settings.batchSize) {
    const count = Math.min(settings.batchSize, n - start);
    const [xs, ys] = valuesOfAll(() => [original.slice(start, count), reconstruction.slice(start, count)]);
    for (let i = 0; i < count; i++) result[start + i] = workspace.ssim(xs, i * pixels, ys, i * pixels);
  }
  return result;
}

/** Mean SSIM over images (each image's SSIM, then the mean): 1 for identical images. */
export function ssim(original: tf.Tensor, reconstruction: tf.Tensor, options: SsimOptions = {}): number {
  const each = ssimPerImage(original, reconstruction, options);
  let sum = 0;
  for (let i = 0; i < each.length; i++) sum += each[i];
  return sum / each.length;
}
