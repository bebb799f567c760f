/**
 * Turning an anomaly score into a decision (lesson 07): a threshold set from held-out normal data,
 * what it flags (precision, recall, false-alarm rate), and how far a false-alarm count may stray
 * from its target by chance on a small test set.
 */

/** The value below which `share` of the scores lie (linear interpolation between order statistics). */
export function quantileOf(scores: ArrayLike<number>, share: number): number {
  if (scores.length === 0) throw new Error('quantileOf: there are no scores.');
  if (!(share >= 0 && share <= 1)) throw new Error(`quantileOf: share must be between 0 and 1, got ${share}.`);
  const sorted = Float64Array.from(scores).sort();
  const at = share * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low] + (at - low) * (sorted[high] - sorted[low]);
}

export interface Decisions {
  threshold: number;
  /** Anomalies flagged. */
  truePositives: number;
  /** Normal samples flagged. */
  falsePositives: number;
  /** Normal samples passed. */
  trueNegatives: number;
  /** Anomalies missed. */
  falseNegatives: number;
  /** Of the flagged samples, the share that are anomalies (NaN when nothing is flagged). */
  precision: number;
  /** Of the anomalies, the share flagged. */
  recall: number;
  /** Of the normal samples, the share flagged. */
  falseAlarmRate: number;
}

/** What flagging every score above `threshold` does, against the labels (1 = anomaly). */
export function decisionsAt(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>, threshold: number): Decisions {
  if (scores.length !== labels.length) throw new Error(`decisionsAt: ${scores.length} scores but ${labels.length} labels.`);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const flagged = scores[i] > threshold;
    if (labels[i]) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  }
  return {
    threshold, truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn,
    precision: tp + fp > 0 ? tp / (tp + fp) : NaN,
    recall: tp + fn > 0 ? tp / (tp + fn) : NaN,
    falseAlarmRate: fp + tn > 0 ? fp / (fp + tn) : NaN,
  };
}

/**
 * The counts a binomial(n, p) variable takes with probability at least `coverage`, as the
 * central range [low, high]: each tail outside it has probability at most (1 − coverage)/2.
 */
export function binomialRange(n: number, p: number, coverage = 0.95): [number, number] {
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`binomialRange: n must be a whole number ≥ 0, got ${n}.`);
  if (!(p >= 0 && p <= 1)) throw new Error(`binomialRange: p must be between 0 and 1, got ${p}.`);
  const tail = (1 - coverage) / 2;
  // Probabilities by recurrence from P(0) in logs, so that n in the thousands does not underflow.
  const log = (k: number) => {
    let value = 0;
    for (let i = 1; i <= k; i++) value += Math.log((n - k + i) / i);
    return value + k * Math.log(p) + (n - k) * Math.log(1 - p);
  };
  const probabilities = Array.from({ length: n + 1 }, (_, k) => (p === 0 ? (k === 0 ? 1 : 0) : p === 1 ? (k === n ? 1 : 0) : Math.exp(log(k))));
  let low = 0;
  for (let below = probabilities[0]; below <= tail && low < n; below += probabilities[++low]);
  let high = n;
  for (let above = probabilities[n]; above <= tail && high > 0; above += probabilities[--high]);
  return [low, high];
}
