/**
 * Wisconsin diagnostic breast cancer data (Wolberg, Street & Mangasarian, 1995; UCI Machine
 * Learning Repository, CC BY 4.0): 569 tumours, 30 measurements of cell nuclei each, and the
 * diagnosis M (malignant, 212) or B (benign, 357). Shipped as datasets/breast-cancer/wdbc.csv,
 * converted from the copy in Debian's python3-sklearn. Parsed strictly here (a general CSV reader
 * turns an empty cell into 0 or null without a word), then handed to danfojs-node as a DataFrame.
 */
import type { DataFrame } from 'danfojs-node';
import { readShippedFile } from './imageDataset';

export const BREAST_CANCER_FILE = 'breast-cancer/wdbc.csv';
export const BREAST_CANCER_LABEL = 'diagnosis';
export const BREAST_CANCER_ROWS = 569;
export const BREAST_CANCER_FEATURE_COUNT = 30;
/** The two diagnoses: malignant and benign. */
export const BREAST_CANCER_DIAGNOSES = ['M', 'B'] as const;

export type Diagnosis = (typeof BREAST_CANCER_DIAGNOSES)[number];

export interface BreastCancerData {
  /** All 569 rows: 30 numeric columns and the `diagnosis` column (M or B). */
  frame: DataFrame;
  /** Names of the 30 numeric columns. */
  featureNames: string[];
}

/** The CSV as parsed by `parseBreastCancerCsv`. */
export interface BreastCancerTable {
  /** Every column in file order: the numeric features and `diagnosis`. */
  columns: string[];
  /** The numeric columns, in file order. */
  featureNames: string[];
  /** One row per tumour: the features in the order of `featureNames`. */
  features: number[][];
  /** The diagnosis of each row. */
  diagnosis: Diagnosis[];
}

/** A plain decimal number: digits with an optional sign, point and exponent (no hex, no Infinity). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses the breast-cancer CSV: a header row of distinct names including `diagnosis`, then rows
 * of numbers with M or B in the diagnosis column. Commas separate cells; there is no quoting.
 * Throws, naming `fileName`, the line (1-based; the header is line 1) and the column, on an empty
 * cell, a value that is not a plain decimal number, a diagnosis other than M or B, or a row with
 * the wrong number of cells. Lines may end in \n or \r\n; only the file may end with an empty line.
 */
export function parseBreastCancerCsv(text: string, fileName: string): BreastCancerTable {
  const lines = text.replace(/^\uFEFF/, '').split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines[lines.length - 1] === '') lines.pop(); // the newline that ends the last row
  if (lines.length === 0) throw new Error(`${fileName}: the file is empty; expected a header row and data rows.`);
  const columns = lines[0].split(',');
  const where = (line: number, column: number) => `${fileName}, line ${line}, column ${column + 1} (${columns[column] || 'unnamed'})`;
  columns.forEach((name, column) => {
    if (name.trim() === '') throw new Error(`${where(1, column)}: the header has an empty column name.`);
    if (columns.indexOf(name) !== column) throw new Error(`${where(1, column)}: the header names ${name} twice.`);
  });
  const labelColumn = columns.indexOf(BREAST_CANCER_LABEL);
  if (labelColumn < 0) {
    throw new Error(`${fileName}, line 1: the header has no ${BREAST_CANCER_LABEL} column (columns: ${columns.join(', ')}).`);
  }
  if (lines.length === 1) throw new Error(`${fileName}: a header but no data rows.`);
  const featureNames = columns.filter((_, column) => column !== labelColumn);
  const features: number[][] = [];
  const diagnosis: Diagnosis[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const cells = lines[i].split(',');
    if (cells.length !== columns.length) {
      throw new Error(`${fileName}, line ${line}: ${cells.length} cells, the header has ${columns.length} columns.${lines[i] === '' ? ' The line is empty.' : ''}`);
    }
    const row: number[] = [];
    cells.forEach((cell, column) => {
      if (cell.trim() === '') throw new Error(`${where(line, column)}: the cell is empty.`);
      if (column === labelColumn) {
        if (!(BREAST_CANCER_DIAGNOSES as readonly string[]).includes(cell)) {
          throw new Error(`${where(line, column)}: diagnosis ${JSON.stringify(cell)}, expected M (malignant) or B (benign).`);
        }
        diagnosis.push(cell as Diagnosis);
        return;
      }
      const value = Number(cell);
      if (!DECIMAL.test(cell) || !Number.isFinite(value)) {
        throw new Error(`${where(line, column)}: ${JSON.stringify(cell)} is not a finite decimal number.`);
      }
      row.push(value);
    });
    features.push(row);
  }
  return { columns, featureNames, features, diagnosis };
}

/** Reads the shipped CSV (after checking its checksum) into a danfojs DataFrame. */
export async function loadBreastCancer(): Promise<BreastCancerData> {
  // readShippedFile throws, naming the file, when it is missing or damaged.
  const text = readShippedFile(BREAST_CANCER_FILE).toString('utf8');
  const table = parseBreastCancerCsv(text, BREAST_CANCER_FILE);
  const { columns, featureNames, features, diagnosis } = table;
  if (features.length !== BREAST_CANCER_ROWS || featureNames.length !== BREAST_CANCER_FEATURE_COUNT) {
    throw new Error(
      `${BREAST_CANCER_FILE}: expected ${BREAST_CANCER_ROWS} rows and ${BREAST_CANCER_FEATURE_COUNT} features, read ${features.length} and ${featureNames.length}. Restore it with "git checkout -- datasets/${BREAST_CANCER_FILE}".`,
    );
  }
  const labelColumn = columns.indexOf(BREAST_CANCER_LABEL);
  const rows = features.map((values, i) => {
    const row: (number | string)[] = [...values];
    row.splice(labelColumn, 0, diagnosis[i]);
    return row;
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dfd = require('danfojs-node') as typeof import('danfojs-node');
  return { frame: new dfd.DataFrame(rows, { columns }), featureNames };
}
