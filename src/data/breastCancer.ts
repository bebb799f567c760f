/**
 * Wisconsin diagnostic breast cancer data (Wolberg, Street & Mangasarian, 1995; UCI Machine
 * Learning Repository, CC BY 4.0): 569 tumours, 30 measurements of cell nuclei each, and the
 * diagnosis M (malignant, 212) or B (benign, 357). Shipped as datasets/breast-cancer/wdbc.csv,
 * converted from the copy in Debian's python3-sklearn. Read with danfojs-node.
 */
import * as path from 'path';
import type { DataFrame } from 'danfojs-node';
import { shippedDatasetsDir } from './files';
import { readShippedFile } from './imageDataset';

export const BREAST_CANCER_FILE = 'breast-cancer/wdbc.csv';
export const BREAST_CANCER_LABEL = 'diagnosis';
export const BREAST_CANCER_ROWS = 569;
export const BREAST_CANCER_FEATURE_COUNT = 30;

export interface BreastCancerData {
  /** All 569 rows: 30 numeric columns and the `diagnosis` column (M or B). */
  frame: DataFrame;
  /** Names of the 30 numeric columns. */
  featureNames: string[];
}

/** Reads the shipped CSV (after checking its checksum) into a danfojs DataFrame. */
export async function loadBreastCancer(): Promise<BreastCancerData> {
  readShippedFile(BREAST_CANCER_FILE); // throws, naming the file, when missing or damaged
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dfd = require('danfojs-node') as typeof import('danfojs-node');
  const frame = (await dfd.readCSV(path.join(shippedDatasetsDir(), BREAST_CANCER_FILE))) as DataFrame;
  const featureNames = frame.columns.filter((c) => c !== BREAST_CANCER_LABEL);
  if (frame.shape[0] !== BREAST_CANCER_ROWS || featureNames.length !== BREAST_CANCER_FEATURE_COUNT) {
    throw new Error(
      `${BREAST_CANCER_FILE}: expected ${BREAST_CANCER_ROWS} rows and ${BREAST_CANCER_FEATURE_COUNT} features, read ${frame.shape[0]} and ${featureNames.length}. Restore it with "git checkout -- datasets/${BREAST_CANCER_FILE}".`,
    );
  }
  return { frame, featureNames };
}
