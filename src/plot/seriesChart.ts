/**
 * A series drawn along time with its labelled anomalies shaded (lesson 09): the signal, and on a
 * second axis a score along it (a model's error per time step), with an optional threshold line.
 */
import { seriesColour } from './charts';
import { Figure } from './plotly';

export interface SeriesLine {
  name: string;
  y: ArrayLike<number>;
  /** Time of each value. Default 0, 1, 2, ... */
  x?: ArrayLike<number>;
  /** Drawn against the right-hand axis (scores beside the signal). */
  secondAxis?: boolean;
}

export interface SeriesChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** Title of the right-hand axis, for lines with secondAxis. */
  y2Title?: string;
  /** Log scale on the right-hand axis. */
  logY2?: boolean;
  /** Labelled anomalies as [first, one past the last) in x units, shaded. */
  marked?: readonly (readonly [number, number])[];
  /** A horizontal line on the right-hand axis (or the left one without second-axis lines). */
  threshold?: { value: number; name: string };
}

const MARK_COLOUR = 'rgba(214, 39, 40, 0.18)';

/** seriesChart([{ name: 'signal', y: values }, { name: 'error', y: errors, secondAxis: true }], {...}). */
export function seriesChart(lines: SeriesLine[], options: SeriesChartOptions): Figure {
  const second = lines.some((l) => l.secondAxis);
  const data: Record<string, unknown>[] = lines.map((l, i) => ({
    type: 'scatter',
    mode: 'lines',
    name: l.name,
    x: l.x ? Array.from(l.x) : Array.from({ length: l.y.length }, (_, t) => t),
    y: Array.from(l.y, (v) => (Number.isFinite(v) ? v : null)),
    yaxis: l.secondAxis ? 'y2' : 'y',
    line: { color: seriesColour(i), width: 1.2 },
  }));
  const shapes: Record<string, unknown>[] = (options.marked ?? []).map(([a, b]) => ({
    type: 'rect', xref: 'x', yref: 'paper', x0: a, x1: b, y0: 0, y1: 1, fillcolor: MARK_COLOUR, line: { width: 0 },
  }));
  if (options.marked?.length) {
    // A legend entry for the shading.
    data.push({ type: 'scatter', mode: 'markers', name: 'labelled anomaly', x: [null], y: [null], marker: { color: MARK_COLOUR, size: 12, symbol: 'square' } });
  }
  if (options.threshold) {
    const xs = data.flatMap((d) => (d.x as (number | null)[]).filter((v): v is number => v !== null));
    data.push({
      type: 'scatter', mode: 'lines', name: options.threshold.name, yaxis: second ? 'y2' : 'y',
      x: [Math.min(...xs), Math.max(...xs)], y: [options.threshold.value, options.threshold.value],
      line: { color: '#d62728', dash: 'dash', width: 1 },
    });
  }
  return {
    data,
    layout: {
      margin: { l: 70, r: second ? 70 : 20, t: 50, b: 55 },
      height: 380,
      title: { text: options.title },
      xaxis: { title: { text: options.xTitle } },
      yaxis: { title: { text: options.yTitle } },
      ...(second ? { yaxis2: { title: { text: options.y2Title ?? '' }, overlaying: 'y', side: 'right', type: options.logY2 ? 'log' : 'linear' } } : {}),
      shapes,
      legend: { orientation: 'h', y: -0.2 },
    },
  };
}
