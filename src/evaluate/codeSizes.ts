/**
 * Lesson 01's sweep of code sizes: the test error of an auto-encoder and of PCA at each size, and
 * the judgement that a wider code loses less.
 */
import { judged, Judgement } from '../comparisons';

/** One code size of the sweep: the test errors (MSE per pixel) of the auto-encoder and of PCA. */
export interface CodeSizeRow {
  code: number;
  autoencoder: number;
  pca: number;
}

/** True when every value is below the one before it. */
function fallsAtEveryStep(values: number[]): boolean {
  return values.every((value, i) => i === 0 || value < values[i - 1]);
}

/**
 * Holds when the test error falls at every step to a wider code, for the auto-encoder and for
 * PCA. `rows` must be sorted by code size, narrowest first, with at least two sizes.
 */
export function widerCodesLoseLess(rows: CodeSizeRow[]): Judgement {
  if (!Array.isArray(rows) || rows.length < 2) throw new Error(`widerCodesLoseLess: give at least two code sizes, got ${rows?.length ?? 0}.`);
  rows.forEach((row, i) => {
    if (i > 0 && !(row.code > rows[i - 1].code)) {
      throw new Error(`widerCodesLoseLess: rows must be sorted by code, narrowest first; code ${row.code} follows ${rows[i - 1].code}.`);
    }
  });
  const figures = Object.fromEntries(rows.flatMap((row) => [
    [`auto-encoder, code ${row.code} (MSE per pixel)`, row.autoencoder],
    [`PCA, code ${row.code}`, row.pca],
  ]));
  const holds = fallsAtEveryStep(rows.map((r) => r.autoencoder)) && fallsAtEveryStep(rows.map((r) => r.pca));
  return judged(holds, figures);
}
