/**
 * Codecs and stored codes compared at equal rates (lesson 06): what a codec reaches at a given
 * number of bytes per image, read off its measured settings on the log-rate scale. Below its
 * smallest file a codec cannot go at all.
 *
 *   codecPsnrAt(webpPoints, 120);                 // −∞: WebP writes no file that small
 *   showTable(codecsAtRates(codecPoints, learnedPoints));
 */
import { judged, Judgement } from '../comparisons';
import type { RatePoint } from './ratePoint';

/** The method whose points codecsAtRates and autoencoderBeatsCodec look at by default. */
export const DEFAULT_LEARNED_METHOD = 'auto-encoder';

/**
 * A codec's PSNR (dB) at `bytes` per image, from its points (one codec's settings): interpolated
 * on log(bytes) between the two settings around it; its best beyond its largest file; −∞ below
 * its smallest.
 */
export function codecPsnrAt(points: readonly RatePoint[], bytes: number): number {
  if (points.length === 0) throw new Error('codecPsnrAt: give at least one point of the codec.');
  if (!(bytes > 0)) throw new Error(`codecPsnrAt: bytes must be a positive number, got ${bytes}.`);
  const sorted = [...points].sort((a, b) => a.bytes - b.bytes);
  if (bytes < sorted[0].bytes) return -Infinity;
  const after = sorted.findIndex((p) => p.bytes >= bytes);
  if (after < 0) return Math.max(...sorted.map((p) => p.psnr));
  if (after === 0) return sorted[0].psnr;
  const [a, b] = [sorted[after - 1], sorted[after]];
  const t = (Math.log(bytes) - Math.log(a.bytes)) / (Math.log(b.bytes) - Math.log(a.bytes));
  return a.psnr + t * (b.psnr - a.psnr);
}

/** The codecs among `points`, in order of first appearance. */
function codecNames(points: readonly RatePoint[]): string[] {
  return [...new Set(points.map((p) => p.method))];
}

/**
 * For each point of `method` (the learned codes): its bytes and PSNR, and each codec's PSNR at
 * those bytes, or, where the codec cannot go so small, its smallest file.
 */
export function codecsAtRates(
  codecs: readonly RatePoint[],
  learned: readonly RatePoint[],
  method = DEFAULT_LEARNED_METHOD,
): Record<string, number | string>[] {
  const mine = learned.filter((p) => p.method === method);
  if (mine.length === 0) throw new Error(`codecsAtRates: no points of method '${method}'.`);
  return mine.map((p) => {
    const row: Record<string, number | string> = { setting: p.setting, bytes: p.bytes, 'PSNR (dB)': p.psnr };
    for (const codec of codecNames(codecs)) {
      const points = codecs.filter((q) => q.method === codec);
      const at = codecPsnrAt(points, p.bytes);
      const smallest = Math.min(...points.map((q) => q.bytes));
      row[`${codec}, dB`] = Number.isFinite(at) ? at : `none under ${smallest.toFixed(0)} bytes`;
    }
    return row;
  });
}

/**
 * Whether `method`'s rate reaches `codec`'s range (no smaller than its smallest file) at some
 * setting, and wherever it does, `method` has the higher PSNR. The figures name the settings.
 */
export function beatsCodecWhereBothOperate(
  codecs: readonly RatePoint[],
  learned: readonly RatePoint[],
  codec: string,
  method = DEFAULT_LEARNED_METHOD,
): Judgement {
  const points = codecs.filter((q) => q.method === codec);
  if (points.length === 0) throw new Error(`beatsCodecWhereBothOperate: no points of codec '${codec}'.`);
  const mine = learned.filter((p) => p.method === method);
  const inRange = mine.filter((p) => Number.isFinite(codecPsnrAt(points, p.bytes)));
  const ahead = inRange.filter((p) => p.psnr > codecPsnrAt(points, p.bytes));
  const list = (ps: RatePoint[]) => ps.map((p) => p.setting).join('; ') || 'none';
  return judged(inRange.length > 0 && ahead.length === inRange.length, {
    [`${method} settings in ${codec}'s range`]: list(inRange),
    [`of them, ${method} ahead in PSNR`]: list(ahead),
  });
}
