/**
 * ROC curve and its area (AUC) for anomaly scores (lesson 07): how well "reconstruction error
 * above a threshold" separates anomalies (label 1) from normal samples (label 0), over every
 * threshold at once. AUC = probability that a random anomaly scores higher than a random normal
 * sample (ties count one half).
 */

export interface RocCurve {
  /** False-positive rate at each threshold, from 0 to 1. */
  fpr: number[];
  /** True-positive rate at each threshold. */
  tpr: number[];
  /** Score threshold of each point (flag a sample when score ≥ threshold). */
  thresholds: number[];
  auc: number;
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
  return { fpr, tpr, thresholds, auc };
}
