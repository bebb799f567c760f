/**
 * ROC curve and its area (AUC) for anomaly scores (lesson 07): how well "reconstruction error
 * above a threshold" separates anomalies (label 1) from normal samples (label 0), over every
 * threshold at once. AUC = probability that a random anomaly scores higher than a random normal
 * sample (ties count one half).
 *
 * The AUC's standard error is Hanley and McNeil's (Radiology, 1982): how much the area would vary
 * from one sample of the same numbers of anomalies and normal samples to another, assuming the
 * samples are independent (windows cut from one series with overlap are not).
 */

export interface RocCurve {
  /** False-positive rate at each threshold, from 0 to 1. */
  fpr: number[];
  /** True-positive rate at each threshold. */
  tpr: number[];
  /** Score threshold of each point (flag a sample when score ≥ threshold). */
  thresholds: number[];
  auc: number;
  /** Hanley and McNeil's standard error of the AUC, for independent samples. */
  standardError: number;
}

/** Hanley and McNeil's (1982) standard error of an AUC from `positives` anomalies and `negatives` normal samples. */
export function aucStandardError(auc: number, positives: number, negatives: number): number {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance = (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc))
    / (positives * negatives);
  return Math.sqrt(Math.max(variance, 0));
}

export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): RocCurve {
  if (scores.length !== labels.length) throw new Error(`rocCurve: ${scores.length} scores but ${labels.length} labels.`);
  const items = Array.from(scores, (score, i) => {
    if (!Number.isFinite(score)) throw new Error(`rocCurve: score ${i} is ${score}; scores must be finite numbers.`);
    return { score, positive: Boolean(labels[i]) };
  });
  const positives = items.filter((item) => item.positive).length;
  const negatives = items.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new Error(`rocCurve needs both classes: got ${positives} anomalies (label 1) and ${negatives} normal samples (label 0).`);
  }
  items.sort((a, b) => b.score - a.score);
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  let tp = 0;
  let fp = 0;
  let auc = 0;
  for (let i = 0; i < items.length; ) {
    // All samples with the same score cross the threshold together.
    const score = items[i].score;
    let dtp = 0;
    let dfp = 0;
    for (; i < items.length && items[i].score === score; i++) items[i].positive ? dtp++ : dfp++;
    // Trapezoid between the previous point and this one (a tie block is a diagonal segment).
    auc += (dfp / negatives) * ((tp + dtp / 2) / positives);
    tp += dtp;
    fp += dfp;
    fpr.push(fp / negatives);
    tpr.push(tp / positives);
    thresholds.push(score);
  }
  return { fpr, tpr, thresholds, auc, standardError: aucStandardError(auc, positives, negatives) };
}
