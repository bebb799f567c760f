/**
 * A point of a rate–distortion comparison (lesson 06): a method at one setting, what it costs in
 * bytes per image and what it gives back in PSNR and SSIM. Codecs (./codecSweep) and stored codes
 * (./codedPoint) both make them; ./rateLookup compares them at equal rates.
 *
 *   psnrOf(points, 'jpeg', 'quality 50');                 // a method's PSNR at one setting
 *   lesson.figures(rateFigures('clothes', points));        // bytes and PSNR of each point
 */
import type { FigureRow } from '../comparisons';

/** A method at one setting: its rate (bytes per image) and its quality. */
export type RatePoint = {
  /** The method: a codec's name, 'PCA', 'auto-encoder', … */
  method: string;
  /** Its setting: 'quality 50' for a codec, 'k = 32' for a code of 32 numbers. */
  setting: string;
  /** Bytes per image: a whole file for a codec; a code's share of the compressed stream. */
  bytes: number;
  /** Peak signal-to-noise ratio of the decoded images, dB (higher is closer). */
  psnr: number;
  /** Structural similarity of the decoded images (1 is identical). */
  ssim: number;
  /** Code size, for a stored code. */
  k?: number;
};

/** The point of `method` at `setting`; throws, naming both, when there is none. */
export function pointOf(points: readonly RatePoint[], method: string, setting: string): RatePoint {
  const point = points.find((p) => p.method === method && p.setting === setting);
  if (!point) {
    const have = [...new Set(points.map((p) => `${p.method} (${p.setting})`))].join(', ');
    throw new Error(`no point for method '${method}' at setting '${setting}'; have: ${have || 'none'}.`);
  }
  return point;
}

/** The PSNR (dB) of `method` at `setting`. */
export function psnrOf(points: readonly RatePoint[], method: string, setting: string): number {
  return pointOf(points, method, setting).psnr;
}

/** What rateFigures lists of each point. */
export interface RateFigureOptions {
  /** List the bytes per image as well as the PSNR. Default true. */
  bytes?: boolean;
  /** The name of the method in the figures (default: the point's own). */
  method?: string;
}

/**
 * The figures of a set of points for lesson.figures: '<dataset>, <method>, <setting>: bytes per
 * image' and '…: PSNR (dB)', a code's setting written 'k=32'.
 */
export function rateFigures(dataset: string, points: readonly RatePoint[], options: RateFigureOptions = {}): FigureRow[] {
  const withBytes = options.bytes ?? true;
  return points.flatMap((p) => {
    const name = `${dataset}, ${options.method ?? p.method}, ${p.k === undefined ? p.setting : `k=${p.k}`}`;
    const psnr = { figure: `${name}: PSNR (dB)`, value: p.psnr };
    return withBytes ? [{ figure: `${name}: bytes per image`, value: p.bytes }, psnr] : [psnr];
  });
}
