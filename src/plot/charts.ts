/**
 * Chart specifications as pure functions: data in, plotly figure out. `showChart` (./show)
 * displays them; tests check the figures without a browser.
 *
 * Conventions every lesson shares: a class has the same colour in every chart (CLASS_COLOURS, by
 * class index); other series (models, methods) take SERIES_COLOURS, a palette that does not reuse
 * the class colours' order; epochs are whole-number ticks; axis titles say their units.
 */
import type { EpochRow } from '../train/train';
import type { RocCurve } from '../evaluate/roc';
import { Figure } from './plotly';

/** One colour per class of MNIST and Fashion-MNIST (class index → colour), in every lesson. */
export const CLASS_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Colours of series that are not classes (models, methods, codecs). */
export const SERIES_COLOURS = ['#222222', '#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#8b0000', '#6a3d9a', '#b15928', '#999999'];

const BASE_LAYOUT = { margin: { l: 70, r: 20, t: 50, b: 55 }, height: 380, template: undefined };

export function seriesColour(i: number): string {
  return SERIES_COLOURS[i % SERIES_COLOURS.length];
}

function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: { text: title }, ...extra };
}

function layout(title: string, xAxis: Record<string, unknown>, yAxis: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...BASE_LAYOUT, title: { text: title }, xaxis: xAxis, yaxis: yAxis, ...extra };
}

/** An epoch axis with whole-number ticks. */
function epochAxis(): Record<string, unknown> {
  return axis('epoch', { tickformat: 'd', dtick: 1, rangemode: 'tozero' });
}

/** The loss terms in some rows, without a 'total' that is the same as 'reconstruction' in every row. */
export function lossTerms(rows: EpochRow[]): string[] {
  const keys = rows.length ? Object.keys(rows[0]).filter((k) => k !== 'epoch' && k !== 'seconds' && !k.startsWith('val_')) : [];
  const duplicate = keys.includes('reconstruction') && rows.every((r) => r.total === r.reconstruction && (r.val_total === r.val_reconstruction));
  return duplicate ? keys.filter((k) => k !== 'total') : keys;
}

export interface LossCurveOptions {
  title?: string;
  /** Which terms (default: every term, 'total' left out when it equals 'reconstruction'). */
  terms?: string[];
  /** The loss's unit, for the y axis: 'MSE per pixel', 'nats per image', ... Default 'loss'. */
  yTitle?: string;
  logY?: boolean;
  /** What the held-out curve is called: 'test' (default; measured only) or 'validation' (used to decide, e.g. to stop early). */
  heldOut?: HeldOutName;
}

/** The held-out data's name on a chart: "test" measures only, "validation" decides something. */
export type HeldOutName = 'test' | 'validation';

/** Loss curves from a training history: one colour per term, dashed for the held-out set. */
export function lossCurves(rows: EpochRow[], options: LossCurveOptions = {}): Figure {
  const terms = options.terms ?? lossTerms(rows);
  const epochs = rows.map((r) => r.epoch);
  const data: Record<string, unknown>[] = [];
  terms.forEach((term, i) => {
    const colour = seriesColour(i);
    data.push({ type: 'scatter', mode: 'lines+markers', name: `${term} (train)`, x: epochs, y: rows.map((r) => r[term]), line: { color: colour } });
    if (rows.length && `val_${term}` in rows[0]) {
      data.push({ type: 'scatter', mode: 'lines+markers', name: `${term} (${options.heldOut ?? 'test'})`, x: epochs, y: rows.map((r) => r[`val_${term}`]), line: { color: colour, dash: 'dash' } });
    }
  });
  const yAxis = axis(options.yTitle ?? 'loss', { type: options.logY ? 'log' : 'linear' });
  return { data, layout: layout(options.title ?? 'Loss per epoch', epochAxis(), yAxis) };
}

/** One model's history, for a chart that compares models. */
export interface NamedHistory {
  name: string;
  rows: EpochRow[];
}

/**
 * Several models' loss curves on one chart: one colour per model, solid for training, dashed for
 * the held-out set (called `heldOut`, default 'test'). `term` picks the loss term (default 'total').
 */
export function lossComparison(
  histories: NamedHistory[],
  options: { title: string; term?: string; yTitle?: string; logY?: boolean; heldOut?: HeldOutName },
): Figure {
  const term = options.term ?? 'total';
  const data: Record<string, unknown>[] = [];
  histories.forEach(({ name, rows }, i) => {
    const colour = seriesColour(i);
    const epochs = rows.map((r) => r.epoch);
    data.push({ type: 'scatter', mode: 'lines+markers', name: `${name} (train)`, legendgroup: name, x: epochs, y: rows.map((r) => r[term]), line: { color: colour } });
    if (rows.length && `val_${term}` in rows[0]) {
      data.push({
        type: 'scatter', mode: 'lines+markers', name: `${name} (${options.heldOut ?? 'test'})`, legendgroup: name,
        x: epochs, y: rows.map((r) => r[`val_${term}`]), line: { color: colour, dash: 'dash' },
      });
    }
  });
  const yAxis = axis(options.yTitle ?? term, { type: options.logY ? 'log' : 'linear' });
  return { data, layout: layout(options.title, epochAxis(), yAxis, { height: 420 }) };
}

export interface ScatterOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** Points to draw as crosses on top (e.g. the anomalies of lesson 07), with this legend name. */
  highlight?: { points: ArrayLike<boolean>; name: string };
}

/**
 * A 2-D scatter of codes coloured by class (the same colour for a class in every lesson); hovering
 * shows the sample index and its label. `points` come from the code itself (2-wide) or from
 * project2d().
 */
export function latentScatter(points: number[][], labels: ArrayLike<number>, classNames: readonly string[], options: ScatterOptions = {}): Figure {
  if (points.length !== labels.length) throw new Error(`latentScatter: ${points.length} points but ${labels.length} labels.`);
  const flagged = options.highlight?.points;
  if (flagged && flagged.length !== points.length) throw new Error(`latentScatter: ${points.length} points but ${flagged.length} highlight flags.`);
  const data: Record<string, unknown>[] = classNames.map((name, c) => {
    const indices: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === c && !flagged?.[i]) indices.push(i);
    return {
      type: 'scattergl',
      mode: 'markers',
      name,
      x: indices.map((i) => points[i][0]),
      y: indices.map((i) => points[i][1]),
      text: indices.map((i) => `sample ${i}: ${name}`),
      hoverinfo: 'text',
      marker: { size: 4, color: CLASS_COLOURS[c % CLASS_COLOURS.length], opacity: 0.7 },
    };
  });
  if (flagged && options.highlight) {
    const indices: number[] = [];
    for (let i = 0; i < flagged.length; i++) if (flagged[i]) indices.push(i);
    data.push({
      type: 'scattergl', mode: 'markers', name: options.highlight.name,
      x: indices.map((i) => points[i][0]), y: indices.map((i) => points[i][1]),
      text: indices.map((i) => `sample ${i}: ${classNames[labels[i]]} (${options.highlight!.name})`), hoverinfo: 'text',
      marker: { size: 6, symbol: 'x', color: indices.map((i) => CLASS_COLOURS[labels[i] % CLASS_COLOURS.length]), line: { width: 1 } },
    });
  }
  return { data, layout: layout(options.title ?? 'Codes, coloured by class', axis(options.xTitle ?? 'z₁'), axis(options.yTitle ?? 'z₂'), { height: 480 }) };
}

export interface Series {
  name: string;
  x: number[];
  y: number[];
  /** Text shown on hover, per point. */
  text?: string[];
  dash?: boolean;
  /** Points only, no line (e.g. a codec at one setting). */
  markersOnly?: boolean;
}

/** At most this many distinct x values are labelled one by one (code sizes, k, epochs). */
const LABELLED_X_VALUES = 12;

/**
 * Ticks that name the x values themselves when there are few (code sizes 2, 8, 32 on a log axis,
 * not plotly's "2 … 9 10 2 3"), whole numbers only for an integer axis (epochs, never "1 2 2 3").
 */
function xTicks(series: Series[], options: { logX?: boolean; integerX?: boolean }): Record<string, unknown> {
  const values = [...new Set(series.flatMap((s) => s.x).filter((x): x is number => typeof x === 'number'))].sort((a, b) => a - b);
  if ((options.logX || options.integerX) && values.length > 0 && values.length <= LABELLED_X_VALUES) {
    return { tickmode: 'array', tickvals: values, ticktext: values.map(String) };
  }
  return options.integerX && !options.logX ? { tickformat: 'd', dtick: 1 } : {};
}

/** Lines for sweeps (error against code size, sparsity against error, ...). */
export function lineChart(
  series: Series[],
  options: { title: string; xTitle: string; yTitle: string; logX?: boolean; logY?: boolean; integerX?: boolean },
): Figure {
  const data = series.map((s, i) => ({
    type: 'scatter',
    mode: s.markersOnly ? 'markers' : 'lines+markers',
    name: s.name,
    x: s.x,
    y: s.y,
    text: s.text,
    line: { color: seriesColour(i), dash: s.dash ? 'dash' : 'solid' },
    marker: { color: seriesColour(i), size: s.markersOnly ? 9 : 6 },
  }));
  const xAxis = axis(options.xTitle, { type: options.logX ? 'log' : 'linear', ...xTicks(series, options) });
  return { data, layout: layout(options.title, xAxis, axis(options.yTitle, { type: options.logY ? 'log' : 'linear' })) };
}

/** Grouped bars: one group per category (what they are is `xTitle`), one bar per series. */
export function barChart(categories: string[], series: { name: string; values: number[] }[], options: { title: string; xTitle: string; yTitle: string; logY?: boolean }): Figure {
  const data = series.map((s, i) => ({ type: 'bar', name: s.name, x: categories, y: s.values, marker: { color: seriesColour(i) } }));
  return { data, layout: layout(options.title, axis(options.xTitle), axis(options.yTitle, { type: options.logY ? 'log' : 'linear' }), { barmode: 'group' }) };
}

/** ROC curves with their AUC in the legend, and the chance diagonal. */
export function rocChart(curves: { name: string; roc: RocCurve }[], options: { title?: string } = {}): Figure {
  const data: Record<string, unknown>[] = curves.map((c, i) => ({
    type: 'scatter',
    mode: 'lines',
    name: `${c.name} (AUC ${c.roc.auc.toFixed(3)})`,
    x: c.roc.fpr,
    y: c.roc.tpr,
    line: { color: seriesColour(i), shape: 'hv' },
  }));
  data.push({ type: 'scatter', mode: 'lines', name: 'chance', x: [0, 1], y: [0, 1], line: { color: '#aaa', dash: 'dot' } });
  const unit = { range: [0, 1] };
  return { data, layout: layout(options.title ?? 'ROC curve', axis('false-positive rate (share of normal samples flagged)', unit), axis('true-positive rate (share of anomalies flagged)', unit), { height: 440 }) };
}

/**
 * Histograms of a value for several groups, overlaid (e.g. reconstruction error, normal vs
 * anomalous). With `logX` the bins are even on a log scale, for values that span orders of
 * magnitude; with `logY` the density axis is logarithmic, for a spike (at zero, say) beside a
 * thin spread. `colours` overrides the series colours (e.g. class colours).
 */
export function histogram(
  groups: { name: string; values: ArrayLike<number> }[],
  options: { title: string; xTitle: string; bins?: number; logX?: boolean; logY?: boolean; colours?: string[] },
): Figure {
  const bins = options.bins ?? 50;
  const all = groups.flatMap((g) => Array.from(g.values));
  if (options.logX && all.some((v) => !(v > 0))) throw new Error('histogram: logX needs values > 0.');
  const data = groups.map((g, i) => {
    const colour = options.colours?.[i] ?? seriesColour(i);
    if (!options.logX) {
      return { type: 'histogram', name: g.name, x: Array.from(g.values), opacity: 0.6, nbinsx: bins, histnorm: 'probability density', marker: { color: colour } };
    }
    // Plotly bins on a log axis in linear units; bin log10(value) ourselves and draw bars.
    const logs = all.map(Math.log10);
    const low = Math.min(...logs);
    const width = (Math.max(...logs) - low) / bins || 1;
    const counts = new Array<number>(bins).fill(0);
    for (const v of Array.from(g.values)) counts[Math.min(bins - 1, Math.floor((Math.log10(v) - low) / width))] += 1;
    const centres = counts.map((_, b) => 10 ** (low + (b + 0.5) * width));
    const share = counts.map((c) => c / g.values.length);
    return { type: 'bar', name: g.name, x: centres, y: share, opacity: 0.6, marker: { color: colour }, width: centres.map((c) => c * (10 ** (width / 2) - 10 ** (-width / 2))) };
  });
  const yTitle = options.logX ? 'share of the group per bin' : 'density';
  const yAxis = axis(options.logY ? `${yTitle} (log scale)` : yTitle, { type: options.logY ? 'log' : 'linear' });
  return { data, layout: layout(options.title, axis(options.xTitle, { type: options.logX ? 'log' : 'linear' }), yAxis, { barmode: 'overlay' }) };
}
