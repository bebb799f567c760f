/**
 * Chart specifications as pure functions: data in, plotly figure out. `showChart` (./show)
 * displays them; tests check the figures without a browser.
 */
import type { EpochRow } from '../train/train';
import type { RocCurve } from '../evaluate/roc';
import { Figure } from './plotly';

/** A qualitative palette of ten colours (one per class of MNIST and Fashion-MNIST). */
export const CLASS_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const BASE_LAYOUT = { margin: { l: 60, r: 20, t: 50, b: 50 }, height: 380, template: undefined };

function layout(title: string, xTitle: string, yTitle: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...BASE_LAYOUT, title: { text: title }, xaxis: { title: { text: xTitle } }, yaxis: { title: { text: yTitle } }, ...extra };
}

/**
 * Loss curves from a training history: one line per loss term, dashed for validation.
 * `terms` chooses which (default: every term in the rows).
 */
export function lossCurves(rows: EpochRow[], options: { title?: string; terms?: string[]; logY?: boolean } = {}): Figure {
  const keys = rows.length ? Object.keys(rows[0]).filter((k) => k !== 'epoch' && k !== 'seconds' && !k.startsWith('val_')) : [];
  const terms = options.terms ?? keys;
  const epochs = rows.map((r) => r.epoch);
  const data: Record<string, unknown>[] = [];
  terms.forEach((term, i) => {
    const colour = CLASS_COLOURS[i % CLASS_COLOURS.length];
    data.push({ type: 'scatter', mode: 'lines+markers', name: `${term} (train)`, x: epochs, y: rows.map((r) => r[term]), line: { color: colour } });
    if (rows.length && `val_${term}` in rows[0]) {
      data.push({ type: 'scatter', mode: 'lines+markers', name: `${term} (validation)`, x: epochs, y: rows.map((r) => r[`val_${term}`]), line: { color: colour, dash: 'dash' } });
    }
  });
  return { data, layout: layout(options.title ?? 'Loss per epoch', 'epoch', 'loss', { yaxis: { title: { text: 'loss' }, type: options.logY ? 'log' : 'linear' } }) };
}

/**
 * A 2-D scatter of codes coloured by class; hovering shows the sample index and its label.
 * `points` come from the code itself (2-wide) or from project2d().
 */
export function latentScatter(points: number[][], labels: ArrayLike<number>, classNames: readonly string[], options: { title?: string; xTitle?: string; yTitle?: string } = {}): Figure {
  if (points.length !== labels.length) throw new Error(`latentScatter: ${points.length} points but ${labels.length} labels.`);
  const data = classNames.map((name, c) => {
    const indices: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === c) indices.push(i);
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
  return { data, layout: layout(options.title ?? 'Codes, coloured by class', options.xTitle ?? 'z₁', options.yTitle ?? 'z₂', { height: 480 }) };
}

export interface Series {
  name: string;
  x: number[];
  y: number[];
  /** Text shown on hover, per point. */
  text?: string[];
  dash?: boolean;
}

/** Lines for sweeps (error against code size, sparsity against error, ...). */
export function lineChart(series: Series[], options: { title: string; xTitle: string; yTitle: string; logX?: boolean; logY?: boolean }): Figure {
  const data = series.map((s, i) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: s.name,
    x: s.x,
    y: s.y,
    text: s.text,
    line: { color: CLASS_COLOURS[i % CLASS_COLOURS.length], dash: s.dash ? 'dash' : 'solid' },
  }));
  return {
    data,
    layout: layout(options.title, options.xTitle, options.yTitle, {
      xaxis: { title: { text: options.xTitle }, type: options.logX ? 'log' : 'linear' },
      yaxis: { title: { text: options.yTitle }, type: options.logY ? 'log' : 'linear' },
    }),
  };
}

/** Grouped bars: one group per category, one bar per series. */
export function barChart(categories: string[], series: { name: string; values: number[] }[], options: { title: string; yTitle: string }): Figure {
  const data = series.map((s, i) => ({ type: 'bar', name: s.name, x: categories, y: s.values, marker: { color: CLASS_COLOURS[i % CLASS_COLOURS.length] } }));
  return { data, layout: layout(options.title, '', options.yTitle, { barmode: 'group' }) };
}

/** ROC curves with their AUC in the legend, and the chance diagonal. */
export function rocChart(curves: { name: string; roc: RocCurve }[], options: { title?: string } = {}): Figure {
  const data: Record<string, unknown>[] = curves.map((c, i) => ({
    type: 'scatter',
    mode: 'lines',
    name: `${c.name} (AUC ${c.roc.auc.toFixed(3)})`,
    x: c.roc.fpr,
    y: c.roc.tpr,
    line: { color: CLASS_COLOURS[i % CLASS_COLOURS.length], shape: 'hv' },
  }));
  data.push({ type: 'scatter', mode: 'lines', name: 'chance', x: [0, 1], y: [0, 1], line: { color: '#aaa', dash: 'dot' } });
  return { data, layout: layout(options.title ?? 'ROC curve', 'false-positive rate', 'true-positive rate', { height: 420 }) };
}

/** Histograms of a value for several groups, overlaid (e.g. reconstruction error, normal vs anomalous). */
export function histogram(groups: { name: string; values: ArrayLike<number> }[], options: { title: string; xTitle: string; bins?: number }): Figure {
  const data = groups.map((g, i) => ({
    type: 'histogram',
    name: g.name,
    x: Array.from(g.values),
    opacity: 0.6,
    nbinsx: options.bins ?? 50,
    histnorm: 'probability density',
    marker: { color: CLASS_COLOURS[i % CLASS_COLOURS.length] },
  }));
  return { data, layout: layout(options.title, options.xTitle, 'density', { barmode: 'overlay' }) };
}
