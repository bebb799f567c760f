/**
 * Which classes an anomaly score ranks highest (lesson 07). The AUC says how often an anomaly
 * outranks a normal sample, a statement about typical ranks; the few highest scores, the ones a
 * strict threshold flags, can still come from the tails of normal classes. This puts both side by
 * side, class by class.
 */
import { above, allOf, below, Judgement } from '../comparisons';

export interface ClassScores {
  /** The class name. */
  class: string;
  /** Samples of the class. */
  count: number;
  /** The median score of the class's samples (NaN when the class has none). */
  median: number;
  /** How many of the `top` highest scores belong to the class. */
  amongHighest: number;
}

/** Row numbers ordered by score, highest first; equal scores keep their row order. */
export function highestFirst(scores: ArrayLike<number>): number[] {
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new Error(`highestFirst: score ${i} is NaN.`);
  }
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Per class: its samples, their median score and how many of the `top` highest scores it holds.
 * Rows come highest median first. `labels[i]` is the class number of sample i (an index into
 * `classNames`).
 */
export function scoresByClass(
  scores: ArrayLike<number>, labels: ArrayLike<number>, classNames: readonly string[], top: number,
): ClassScores[] {
  if (scores.length !== labels.length) throw new Error(`scoresByClass: ${scores.length} scores but ${labels.length} labels.`);
  if (!(Number.isInteger(top) && top >= 1 && top <= scores.length)) {
    throw new Error(`scoresByClass: top must be a whole number from 1 to ${scores.length} (the scores), got ${top}.`);
  }
  const byClass = classNames.map(() => [] as number[]);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(Number.isInteger(label) && label >= 0 && label < classNames.length)) {
      throw new Error(`scoresByClass: label ${i} is ${label}; expected a class number from 0 to ${classNames.length - 1}.`);
    }
    byClass[label].push(scores[i]);
  }
  const amongHighest = classNames.map(() => 0);
  for (const i of highestFirst(scores).slice(0, top)) amongHighest[labels[i]]++;
  return classNames
    .map((name, c) => ({ class: name, count: byClass[c].length, median: median(byClass[c]), amongHighest: amongHighest[c] }))
    .sort((a, b) => (Number.isNaN(a.median) ? 1 : Number.isNaN(b.median) ? -1 : b.median - a.median));
}

/**
 * The anomalies are typical-high but not extreme: the median anomaly scores above the median
 * normal sample, yet among the `top` highest scores the anomalies are fewer than twice their share
 * of all samples (a top drawn at random would hold about their share; one that singled them out,
 * far more).
 * `isAnomaly[i]` is 1 (or true) for an anomaly; `names.anomaly` names them in the figures
 * ('Trouser') and `names.unit` the scores' unit ('MSE per pixel').
 */
export function typicalNotExtreme(
  scores: ArrayLike<number>, isAnomaly: ArrayLike<number | boolean>, top: number,
  names: { anomaly: string; unit: string },
): Judgement {
  if (scores.length !== isAnomaly.length) throw new Error(`typicalNotExtreme: ${scores.length} scores but ${isAnomaly.length} labels.`);
  if (!(Number.isInteger(top) && top >= 1 && top <= scores.length)) {
    throw new Error(`typicalNotExtreme: top must be a whole number from 1 to ${scores.length} (the scores), got ${top}.`);
  }
  const anomalous: number[] = [];
  const normal: number[] = [];
  for (let i = 0; i < scores.length; i++) (isAnomaly[i] ? anomalous : normal).push(scores[i]);
  if (anomalous.length === 0 || normal.length === 0) throw new Error('typicalNotExtreme: needs both anomalies and normal samples.');
  const amongTop = highestFirst(scores).slice(0, top).filter((i) => isAnomaly[i]).length;
  const { anomaly, unit } = names;
  const twiceTheirShare = (2 * top * anomalous.length) / scores.length;
  return allOf(
    above({ [`median error, ${anomaly}, ${unit}`]: median(anomalous) }, { [`median error, normal images, ${unit}`]: median(normal) }),
    below(
      { [`${anomaly} among the ${top} highest errors`]: amongTop },
      { [`twice their share of all samples, out of ${top}`]: twiceTheirShare },
    ),
  );
}
