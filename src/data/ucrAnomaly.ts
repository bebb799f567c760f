/**
 * A labelled series from the UCR time-series anomaly archive (Wu & Keogh 2021, "Current time
 * series anomaly detection benchmarks are flawed and are creating the illusion of progress", IEEE
 * TKDE): series 135, InternalBleeding16, a physiological signal with one labelled anomaly.
 * Shipped as datasets/ucr-anomaly/135_UCR_Anomaly_InternalBleeding16.csv, copied byte for byte
 * from the Python package aeon 1.6.0 (BSD-3-Clause), where it is
 * aeon/datasets/data/KDD-TSAD_135/135_UCR_Anomaly_InternalBleeding16_TEST.csv (lesson 09).
 *
 * The archive's file name, 135_UCR_Anomaly_InternalBleeding16_1200_4187_4199, says that the first
 * 1,200 points are normal (its training part) and that the anomaly is points 4187 to 4199.
 */
import { readShippedFile } from './imageDataset';

export const INTERNAL_BLEEDING_FILE = 'ucr-anomaly/135_UCR_Anomaly_InternalBleeding16.csv';
export const INTERNAL_BLEEDING_POINTS = 7501;
/** The archive's training part: the first 1,200 points, all normal. */
export const INTERNAL_BLEEDING_TRAIN_LENGTH = 1200;
/** The labelled anomaly, as [first point, one past the last). */
export const INTERNAL_BLEEDING_EVENT: readonly [number, number] = [4187, 4199];

/** A series whose points are labelled normal (0) or anomalous (1). */
export interface LabelledSeries {
  name: string;
  values: Float64Array;
  isAnomaly: Uint8Array;
  /** The first `trainLength` points are known to be normal (the archive's training part). */
  trainLength: number;
  /** Each run of anomalous points as [first, one past the last). */
  events: [number, number][];
  /** Where the file comes from, for a caption. */
  source: string;
}

const HEADER = 'timestamp,value,is_anomaly';
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses `timestamp,value,is_anomaly` rows (timestamps 0, 1, 2, ...; labels 0 or 1). Throws,
 * naming `fileName` and the line, on anything else.
 */
export function parseLabelledSeriesCsv(text: string, fileName: string): { values: Float64Array; isAnomaly: Uint8Array } {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== HEADER) throw new Error(`${fileName}, line 1: expected the header ${HEADER}, got ${JSON.stringify(lines[0] ?? '')}.`);
  const n = lines.length - 1;
  if (n === 0) throw new Error(`${fileName}: a header but no data rows.`);
  const values = new Float64Array(n);
  const isAnomaly = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const line = i + 2;
    const cells = lines[i + 1].split(',');
    if (cells.length !== 3) throw new Error(`${fileName}, line ${line}: ${cells.length} cells, expected 3 (${HEADER}).`);
    const [time, value, label] = cells;
    if (Number(time) !== i || !DECIMAL.test(time)) throw new Error(`${fileName}, line ${line}: timestamp ${JSON.stringify(time)}, expected ${i}.`);
    if (!DECIMAL.test(value) || !Number.isFinite(Number(value))) throw new Error(`${fileName}, line ${line}: value ${JSON.stringify(value)} is not a finite decimal number.`);
    if (label !== '0' && label !== '1') throw new Error(`${fileName}, line ${line}: is_anomaly ${JSON.stringify(label)}, expected 0 or 1.`);
    values[i] = Number(value);
    isAnomaly[i] = label === '1' ? 1 : 0;
  }
  return { values, isAnomaly };
}

/** Each run of 1s in `isAnomaly` as [first, one past the last). */
export function labelledEvents(isAnomaly: ArrayLike<number>): [number, number][] {
  const events: [number, number][] = [];
  for (let i = 0; i < isAnomaly.length; i++) {
    if (isAnomaly[i] && (i === 0 || !isAnomaly[i - 1])) events.push([i, i + 1]);
    if (isAnomaly[i]) events[events.length - 1][1] = i + 1;
  }
  return events;
}

/** The shipped InternalBleeding16 series (checksum checked), with its one labelled event. */
export function loadInternalBleeding(): LabelledSeries {
  const text = readShippedFile(INTERNAL_BLEEDING_FILE).toString('utf8');
  const { values, isAnomaly } = parseLabelledSeriesCsv(text, INTERNAL_BLEEDING_FILE);
  const events = labelledEvents(isAnomaly);
  const [start, end] = INTERNAL_BLEEDING_EVENT;
  if (values.length !== INTERNAL_BLEEDING_POINTS || events.length !== 1 || events[0][0] !== start || events[0][1] !== end) {
    throw new Error(`${INTERNAL_BLEEDING_FILE}: expected ${INTERNAL_BLEEDING_POINTS} points and one event at ${start}–${end}, read ${values.length} points and events ${JSON.stringify(events)}.`);
  }
  return {
    name: 'UCR 135 InternalBleeding16',
    values,
    isAnomaly,
    trainLength: INTERNAL_BLEEDING_TRAIN_LENGTH,
    events,
    source: 'UCR anomaly archive (Wu & Keogh 2021), via aeon 1.6.0',
  };
}
