/**
 * Image grids as PNG: originals, noisy inputs, reconstructions, samples, the latent manifold,
 * learned filters. Grey images are drawn pixel for pixel, enlarged by a whole factor so they stay
 * crisp, with a thin border between them. pngjs (MIT) does the encoding.
 */
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { escapeHtml, MimeBundle } from './display';

export interface GridOptions {
  /** Images per row. Default: all in one row, at most 10. */
  columns: number;
  /** Each image pixel becomes scale × scale screen pixels. Default 2. */
  scale: number;
  /** Border between images, in screen pixels. Default 2. */
  border: number;
  /** Stretch each image's own range to black–white (for filters and weights). Default false. */
  normalise: boolean;
}

export const DEFAULT_GRID_OPTIONS: GridOptions = { columns: 10, scale: 2, border: 2, normalise: false };

/** Images (N, side²) or (N, side, side, 1), values in [0, 1], as rows of pixels. */
function toImages(images: tf.Tensor): { values: Float32Array; count: number; side: number } {
  const count = images.shape[0];
  const pixels = images.size / count;
  const side = Math.round(Math.sqrt(pixels));
  if (side * side !== pixels || (images.rank === 4 && images.shape[3] !== 1)) {
    throw new Error(`imageGrid takes square grey images, (N, side²) or (N, side, side, 1); got (${images.shape.join(', ')}).`);
  }
  return { values: images.dataSync() as Float32Array, count, side };
}

/** Grey pixels of a picture, one byte each, row by row. */
interface GreyPicture {
  width: number;
  height: number;
  data: Buffer;
}

function encodeGrey(picture: GreyPicture): Buffer {
  const png = new PNG({ width: picture.width, height: picture.height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = picture.data;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Encodes images as one PNG grid. */
export function imageGridPng(images: tf.Tensor, options: Partial<GridOptions> = {}): Buffer {
  return encodeGrey(imageGridPicture(images, options));
}

/** Pictures one above the other, left-aligned on white, as one PNG. */
function stackedPng(pictures: GreyPicture[]): Buffer {
  const width = Math.max(...pictures.map((p) => p.width));
  const height = pictures.reduce((sum, p) => sum + p.height, 0);
  const data = Buffer.alloc(width * height, 255);
  let top = 0;
  for (const picture of pictures) {
    for (let y = 0; y < picture.height; y++) {
      picture.data.copy(data, (top + y) * width, y * picture.width, (y + 1) * picture.width);
    }
    top += picture.height;
  }
  return encodeGrey({ width, height, data });
}

function imageGridPicture(images: tf.Tensor, options: Partial<GridOptions> = {}): GreyPicture {
  const settings = { ...DEFAULT_GRID_OPTIONS, ...options };
  const { values, count, side } = toImages(images);
  if (count === 0) throw new Error('imageGrid: no images to draw.');
  const columns = Math.min(settings.columns, count);
  const rows = Math.ceil(count / columns);
  const cell = side * settings.scale;
  const width = columns * cell + (columns + 1) * settings.border;
  const height = rows * cell + (rows + 1) * settings.border;
  const png = { width, height, data: Buffer.alloc(width * height, 255) }; // white borders
  for (let n = 0; n < count; n++) {
    const image = values.subarray(n * side * side, (n + 1) * side * side);
    let low = 0;
    let high = 1;
    if (settings.normalise) {
      low = Math.min(...image);
      high = Math.max(...image);
      if (high === low) high = low + 1;
    }
    const left = settings.border + (n % columns) * (cell + settings.border);
    const top = settings.border + Math.floor(n / columns) * (cell + settings.border);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const v = Math.round(Math.min(1, Math.max(0, (image[y * side + x] - low) / (high - low))) * 255);
        for (let dy = 0; dy < settings.scale; dy++) {
          const row = (top + y * settings.scale + dy) * width + left + x * settings.scale;
          png.data.fill(v, row, row + settings.scale);
        }
      }
    }
  }
  return png;
}

export interface ImageRow {
  /** Shown to the left of the row, e.g. "noisy" or "reconstruction". */
  label: string;
  images: tf.Tensor;
}

/**
 * Labelled rows of images (originals above reconstructions, ...), as HTML with embedded PNGs
 * that render in every front end and in exported HTML, plus every row stacked in one image/png
 * (what a front end that does not run HTML shows).
 */
export function imageRowsBundle(rows: ImageRow[], options: Partial<GridOptions> = {}): MimeBundle {
  if (rows.length === 0) throw new Error('imageRows: no rows to draw.');
  const pictures = rows.map((row) => imageGridPicture(row.images, { columns: row.images.shape[0], ...options }));
  const pngs = pictures.map(encodeGrey);
  const html = rows
    .map(
      (row, i) =>
        `<div style="display:flex;align-items:center;gap:8px;margin:2px 0">` +
        `<div style="width:120px;text-align:right;font-family:sans-serif;font-size:12px">${escapeHtml(row.label)}</div>` +
        `<img class="ae-image" alt="${escapeHtml(row.label)}" style="image-rendering:pixelated" src="data:image/png;base64,${pngs[i].toString('base64')}"/></div>`,
    )
    .join('');
  return {
    'text/html': `<div class="ae-image-rows">${html}</div>`,
    'image/png': stackedPng(pictures).toString('base64'),
    'text/plain': rows.map((r) => `${r.label}: ${r.images.shape[0]} images`).join('\n'),
  };
}

/** One grid (samples, the latent manifold, filters) with a caption. */
export function imageGridBundle(images: tf.Tensor, caption: string, options: Partial<GridOptions> = {}): MimeBundle {
  const png = imageGridPng(images, options);
  const base64 = png.toString('base64');
  return {
    'text/html': `<figure style="margin:4px 0"><img class="ae-image" alt="${escapeHtml(caption)}" style="image-rendering:pixelated" src="data:image/png;base64,${base64}"/><figcaption style="font-family:sans-serif;font-size:12px">${escapeHtml(caption)}</figcaption></figure>`,
    'image/png': base64,
    'text/plain': `${caption} (${images.shape[0]} images)`,
  };
}
