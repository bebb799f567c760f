/**
 * A threshold that moves (lesson 07): a slider moves the threshold line on the histogram of test
 * errors and the operating point on the ROC curve, and updates precision, recall and the false
 * alarms — with the range the false-alarm count takes by chance, given the rate the validation set
 * predicts. Every number the page shows is computed here by the library (decisionsAt,
 * binomialRange, rocCurve) for each slider position and carried in the output: the page only looks
 * them up and draws, so they are the library's numbers exactly.
 *
 *   showThresholdExplorer({ validationNormal, testScores, testLabels, threshold });
 */
import * as crypto from 'crypto';
import { PNG } from 'pngjs';
import { binomialRange, decisionsAt } from '../evaluate/threshold';
import { rocCurve } from '../evaluate/roc';
import { DisplaySink, MimeBundle, notebookSink, show } from './display';
import { staticFallback, WIDGET_NOTE, KEEP_KEYS_JS } from './widgetKit';

export interface ThresholdExplorerInput {
  /** Scores of held-out normal samples (the validation set the threshold was chosen on). */
  validationNormal: ArrayLike<number>;
  /** Scores of the test samples, and their labels (1 = anomaly). */
  testScores: ArrayLike<number>;
  testLabels: ArrayLike<number | boolean>;
  /** The threshold the lesson chose: where the slider starts. */
  threshold: number;
  /** Title above the figure. */
  title?: string;
  /** Slider positions at most (default 400: every distinct test score when there are fewer). */
  maxPositions?: number;
  /** Histogram bins (default 30). */
  bins?: number;
}

/** One slider position: everything the page shows there. */
export interface ThresholdPosition {
  threshold: number;
  precision: number | null;
  recall: number;
  falseAlarms: number;
  flagged: number;
  /** The false-alarm rate the validation set predicts at this threshold. */
  predictedRate: number;
  /** The false-alarm counts chance allows on this many normal test samples (95%). */
  chanceRange: [number, number];
  falseAlarmRate: number;
}

/** The slider's positions: the chosen threshold and distinct test scores (evenly thinned), sorted. */
export function sliderThresholds(scores: ArrayLike<number>, chosen: number, maxPositions: number): number[] {
  const distinct = [...new Set(Array.from(scores))].sort((a, b) => a - b);
  const step = Math.max(1, distinct.length / Math.max(1, maxPositions - 1));
  const picked: number[] = [];
  for (let i = 0; i < distinct.length; i += step) picked.push(distinct[Math.floor(i)]);
  picked.push(distinct[distinct.length - 1], chosen);
  return [...new Set(picked)].sort((a, b) => a - b);
}

/** What the page shows at threshold t (flag a sample when its score is above t). */
export function positionAt(input: ThresholdExplorerInput, t: number): ThresholdPosition {
  const d = decisionsAt(input.testScores, input.testLabels, t);
  const normal = Array.from(input.validationNormal);
  const predictedRate = normal.filter((s) => s > t).length / normal.length;
  const normalTest = d.falsePositives + d.trueNegatives;
  return {
    threshold: t,
    precision: Number.isNaN(d.precision) ? null : d.precision,
    recall: d.recall,
    falseAlarms: d.falsePositives,
    flagged: d.truePositives + d.falsePositives,
    predictedRate,
    chanceRange: binomialRange(normalTest, predictedRate),
    falseAlarmRate: d.falseAlarmRate,
  };
}

/**
 * Counts per bin, normal and anomalous, from the lowest score to the 99th percentile (the last bin
 * takes the rest). Errors are skewed, so when every score is > 0 the bins are even on a log scale
 * (`log: true`): on a linear one the normal scores crowd into the first bin or two.
 */
export function histogram(scores: number[], labels: ArrayLike<number | boolean>, bins: number) {
  const log = scores.every((s) => s > 0);
  const scale = (v: number) => (log ? Math.log(v) : v);
  const sorted = scores.map(scale).sort((a, b) => a - b);
  const low = sorted[0];
  const high = sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))];
  const width = (high - low) / bins || 1;
  const normal = new Array(bins).fill(0);
  const anomalous = new Array(bins).fill(0);
  scores.forEach((s, i) => {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((scale(s) - low) / width)));
    (labels[i] ? anomalous : normal)[b]++;
  });
  return { log, low, high: low + bins * width, normal, anomalous };
}

/** A static picture: the histogram, normal in blue and anomalies in red, the chosen threshold in black. */
function histogramPng(h: ReturnType<typeof histogram>, threshold: number): Buffer {
  const width = 480;
  const height = 160;
  const png = new PNG({ width, height });
  png.data.fill(255);
  const bins = h.normal.length;
  const top = Math.max(...h.normal.map((n, i) => n + h.anomalous[i]), 1);
  const set = (x: number, y: number, [r, g, b]: number[]) => {
    const i = 4 * (y * width + x);
    png.data[i] = r;
    png.data[i + 1] = g;
    png.data[i + 2] = b;
    png.data[i + 3] = 255;
  };
  for (let b = 0; b < bins; b++) {
    const x0 = Math.floor((b / bins) * width);
    const x1 = Math.floor(((b + 1) / bins) * width) - 1;
    const normalHeight = Math.round((h.normal[b] / top) * (height - 10));
    const anomalyHeight = Math.round((h.anomalous[b] / top) * (height - 10));
    for (let x = x0; x < x1; x++) {
      for (let y = 0; y < normalHeight; y++) set(x, height - 1 - y, [31, 119, 180]);
      for (let y = 0; y < anomalyHeight; y++) set(x, height - 1 - normalHeight - y, [214, 39, 40]);
    }
  }
  const at = h.log ? Math.log(threshold) : threshold;
  const tx = Math.round(((at - h.low) / (h.high - h.low)) * (width - 1));
  if (tx >= 0 && tx < width) for (let y = 0; y < height; y++) set(tx, y, [0, 0, 0]);
  return PNG.sync.write(png);
}

/** The explorer as a notebook output. */
export function thresholdExplorerBundle(input: ThresholdExplorerInput): MimeBundle {
  const scores = Array.from(input.testScores);
  if (scores.length !== input.testLabels.length) throw new Error(`threshold explorer: ${scores.length} test scores but ${input.testLabels.length} labels.`);
  if (input.validationNormal.length === 0) throw new Error('threshold explorer: give the validation set\'s normal scores.');
  if (!Number.isFinite(input.threshold)) throw new Error(`threshold explorer: threshold must be a number, got ${input.threshold}.`);
  const thresholds = sliderThresholds(scores, input.threshold, input.maxPositions ?? 400);
  const positions = thresholds.map((t) => positionAt(input, t));
  const roc = rocCurve(scores, input.testLabels);
  const h = histogram(scores, input.testLabels, input.bins ?? 30);
  const title = input.title ?? 'Move the threshold';
  const data = {
    title, positions, start: thresholds.indexOf(input.threshold), histogram: h,
    roc: { fpr: roc.fpr, tpr: roc.tpr, auc: roc.auc },
    anomalies: Array.from(input.testLabels).filter(Boolean).length, total: scores.length,
  };
  const id = `ae-threshold-${crypto.randomBytes(6).toString('hex')}`;
  const png = histogramPng(h, input.threshold).toString('base64');
  const what = `${title}: drag the slider (or use the arrow keys) to move the threshold and see precision, `
    + 'recall and the false alarms change.';
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return {
    'text/html': `<div id="${id}" class="ae-widget ae-threshold-explorer" style="font-family:sans-serif;font-size:13px">`
      + staticFallback(png, 'Test errors: normal (blue) and anomalies (red), the chosen threshold in black', what)
      + `<script>${KEEP_KEYS_JS}\n${THRESHOLD_EXPLORER_JS}\n;window.aeThresholdExplorer(${JSON.stringify(id)}, ${json});</script></div>`,
    'image/png': png,
    'text/plain': `${what}\n${WIDGET_NOTE}`,
  };
}

export function showThresholdExplorer(input: ThresholdExplorerInput, sink: DisplaySink = notebookSink): void {
  show(thresholdExplorerBundle(input), sink);
}

/** The page's side (plain JavaScript). */
export const THRESHOLD_EXPLORER_JS = `window.aeThresholdExplorer = window.aeThresholdExplorer || function (id, d) {
  var root = document.getElementById(id); if (!root) return;
  var fallback = root.querySelector('.ae-static'); if (fallback) fallback.style.display = 'none';
  function el(tag, css, text) { var e = document.createElement(tag); if (css) e.style.cssText = css; if (text) e.textContent = text; return e; }
  root.appendChild(el('div', 'font-weight:bold;margin-bottom:4px', d.title));
  var row = el('div', 'display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start');
  var W = 420, H = 200, R = 200, h = d.histogram;
  var hist = el('canvas', 'border:1px solid #ccc'); hist.width = W; hist.height = H;
  var roc = el('canvas', 'border:1px solid #ccc'); roc.width = R; roc.height = R;
  var axisText = 'from ' + (h.log ? Math.exp(h.low) : h.low).toPrecision(3) + ' to ' + (h.log ? Math.exp(h.high) : h.high).toPrecision(3) + (h.log ? ', log scale' : '');
  var left = el('div'); left.appendChild(el('div', 'font-size:12px', 'test errors (' + axisText + '): normal (blue), anomalies (red); threshold (black)')); left.appendChild(hist);
  var right = el('div'); right.appendChild(el('div', 'font-size:12px', 'ROC (AUC ' + d.roc.auc.toFixed(3) + '); operating point')); right.appendChild(roc);
  row.appendChild(left); row.appendChild(right); root.appendChild(row);
  var slider = el('input', 'width:' + W + 'px;display:block;margin:6px 0'); slider.type = 'range'; slider.min = 0; slider.max = d.positions.length - 1; slider.step = 1;
  slider.value = d.start; slider.setAttribute('aria-label', 'Threshold');
  var readout = el('div', 'font-family:monospace;white-space:pre'); root.appendChild(slider); root.appendChild(readout);
  var bins = h.normal.length;
  var top = Math.max.apply(null, h.normal.map(function (n, i) { return n + h.anomalous[i]; }).concat([1]));
  function draw(p) {
    var c = hist.getContext('2d'); c.fillStyle = '#fff'; c.fillRect(0, 0, W, H);
    for (var b = 0; b < bins; b++) { var x = b / bins * W, w = W / bins - 1, hn = h.normal[b] / top * (H - 10), ha = h.anomalous[b] / top * (H - 10);
      c.fillStyle = '#1f77b4'; c.fillRect(x, H - hn, w, hn); c.fillStyle = '#d62728'; c.fillRect(x, H - hn - ha, w, ha); }
    var at = h.log ? Math.log(p.threshold) : p.threshold, tx = (at - h.low) / (h.high - h.low) * W; c.strokeStyle = '#000'; c.lineWidth = 2; c.beginPath(); c.moveTo(tx, 0); c.lineTo(tx, H); c.stroke();
    var r = roc.getContext('2d'); r.fillStyle = '#fff'; r.fillRect(0, 0, R, R); r.strokeStyle = '#ccc'; r.beginPath(); r.moveTo(0, R); r.lineTo(R, 0); r.stroke();
    r.strokeStyle = '#1f77b4'; r.lineWidth = 2; r.beginPath();
    d.roc.fpr.forEach(function (f, i) { var x = f * R, y = R - d.roc.tpr[i] * R; if (i) r.lineTo(x, y); else r.moveTo(x, y); }); r.stroke();
    r.fillStyle = '#000'; r.beginPath(); r.arc(p.falseAlarmRate * R, R - p.recall * R, 5, 0, 2 * Math.PI); r.fill();
  }
  function update() {
    var p = d.positions[Number(slider.value)];
    draw(p);
    readout.textContent = 'threshold ' + p.threshold.toPrecision(4) + ': flags ' + p.flagged + ' of ' + d.total + ' test samples (' + d.anomalies + ' are anomalies)\\n'
      + 'precision ' + (p.precision === null ? 'undefined (nothing flagged)' : p.precision.toFixed(3)) + ', recall ' + p.recall.toFixed(3) + '\\n'
      + 'false alarms ' + p.falseAlarms + '; the validation set predicts a rate of ' + p.predictedRate.toFixed(3)
      + ', so chance allows ' + p.chanceRange[0] + ' to ' + p.chanceRange[1] + ' (95%)';
    readout.setAttribute('data-position', slider.value);
  }
  slider.addEventListener('input', update); update();
  window.aeKeepKeys(root);
  window.aeExplorers = window.aeExplorers || {};
  window.aeExplorers[id] = { position: function () { return d.positions[Number(slider.value)]; }, slider: slider };
};`;
