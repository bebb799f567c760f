/**
 * The rows of an anomaly-detection experiment (lesson 07). A detector trains on normal rows only,
 * so the normal rows are split three ways: **train** (fit the model), **validation** (held out, to
 * decide the threshold) and **test** (held out, for the final measurement). Every anomalous row
 * goes to the test set, after its normal rows: no anomaly is needed to train or to decide.
 */
import { splitIndices } from './tabular';

export interface AnomalySplitOptions {
  /** Seeds the split of the normal rows; the second split (validation / test) uses seed + 1. */
  seed: number;
  /** Share of the normal rows that train the model. Default 0.6. */
  trainShare?: number;
  /** Share of the normal rows that decide the threshold. Default 0.2; the rest are test rows. */
  validationShare?: number;
}

export const DEFAULT_ANOMALY_SPLIT = { trainShare: 0.6, validationShare: 0.2 };

export interface AnomalySplit {
  /** Row numbers (into the labels given) of the normal rows that train the model. */
  train: number[];
  /** Row numbers of the normal rows that decide the threshold. */
  validation: number[];
  /** Row numbers of the test rows: the held-out normal rows first, then every anomalous row. */
  test: number[];
  /** For each test row, in the order of `test`: 1 for an anomaly, 0 for a normal row. */
  isAnomaly: number[];
  /** How many of the test rows are normal (the first `normalTest` of them). */
  normalTest: number;
}

/**
 * Splits rows for anomaly detection: `isNormal[i]` says whether row i is normal. The normal rows
 * are shuffled (seeded) into train, validation and test shares; all anomalous rows join the test
 * rows. Throws when a share is out of range or leaves a group empty.
 */
export function anomalySplit(isNormal: ArrayLike<boolean>, options: AnomalySplitOptions): AnomalySplit {
  const { seed, trainShare, validationShare } = { ...DEFAULT_ANOMALY_SPLIT, ...options };
  if (!Number.isFinite(seed)) throw new Error(`anomalySplit: seed must be a finite number, got ${seed}.`);
  if (!(trainShare > 0 && trainShare < 1)) {
    throw new Error(`anomalySplit: trainShare must be between 0 and 1, got ${trainShare}.`);
  }
  if (!(validationShare > 0 && trainShare + validationShare < 1)) {
    throw new Error(
      `anomalySplit: validationShare must be > 0 and leave test rows (trainShare + validationShare < 1), ` +
        `got ${validationShare} with trainShare ${trainShare}.`,
    );
  }
  const normal: number[] = [];
  const anomalous: number[] = [];
  for (let i = 0; i < isNormal.length; i++) (isNormal[i] ? normal : anomalous).push(i);
  if (anomalous.length === 0) throw new Error('anomalySplit: no row is anomalous (isNormal is true for every row).');
  const [trainPart, heldOutPart] = splitIndices(normal.length, trainShare, seed);
  const heldOut = Array.from(heldOutPart, (i) => normal[i]);
  const [validationPart, testPart] = splitIndices(heldOut.length, validationShare / (1 - trainShare), seed + 1);
  const normalTest = Array.from(testPart, (i) => heldOut[i]);
  return {
    train: Array.from(trainPart, (i) => normal[i]),
    validation: Array.from(validationPart, (i) => heldOut[i]),
    test: [...normalTest, ...anomalous],
    isAnomaly: [...normalTest.map(() => 0), ...anomalous.map(() => 1)],
    normalTest: normalTest.length,
  };
}
