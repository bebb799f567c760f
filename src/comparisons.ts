/**
 * Comparisons that name their own figures, so that a lesson judges a claim in one readable line:
 *
 *   lesson.claim('beats-the-average-image',
 *     'After training, the test error is below half that of always answering the average image.',
 *     below({ 'test error, MSE per pixel': testError }, { 'average image': averageError }, 0.5));
 *
 * Each figure is a one-entry object, `{ name: value }`: the name (with its unit) is what the box
 * shows beside the value. A comparison returns a Judgement: whether it held, and the figures.
 */
/** A figure a claim or a lesson's figures table shows: a number, or a word. */
export type FigureValue = number | string | boolean;

/** One row of a lesson's "figures of this run" table. */
export interface FigureRow {
  figure: string;
  value: FigureValue;
}

/** One named figure: `{ 'test error, MSE per pixel': 0.0123 }`. */
export type Named = Record<string, number>;

/** Whether a comparison held, and the figures it was judged on. */
export interface Judgement {
  holds: boolean;
  figures: Record<string, FigureValue>;
}

function single(figure: Named, role: string): [string, number] {
  const entries = Object.entries(figure ?? {});
  if (entries.length !== 1) {
    throw new Error(`${role} must be one named figure, e.g. { 'test error': 0.012 }; got ${entries.length} entries.`);
  }
  const [name, value] = entries[0];
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new Error(`${role} '${name}' must be a number, got ${JSON.stringify(value)}.`);
  }
  return [name, value];
}

function checkTimes(times: number): void {
  if (!(Number.isFinite(times) && times > 0)) throw new Error(`times must be a number > 0, got ${times}.`);
}

function compare(a: Named, b: Named, times: number, holds: (x: number, y: number) => boolean): Judgement {
  checkTimes(times);
  const [aName, aValue] = single(a, 'the first figure');
  const [bName, bValue] = single(b, 'the second figure');
  if (aName === bName) throw new Error(`the two figures have the same name, '${aName}': name them apart.`);
  const figures: Record<string, FigureValue> = { [aName]: aValue, [bName]: bValue };
  if (times !== 1) figures[`${times} × ${bName}`] = times * bValue;
  return { holds: holds(aValue, times * bValue), figures };
}

/** Holds when a < times × b. */
export function below(a: Named, b: Named, times = 1): Judgement {
  return compare(a, b, times, (x, y) => x < y);
}

/** Holds when a > times × b. */
export function above(a: Named, b: Named, times = 1): Judgement {
  return compare(a, b, times, (x, y) => x > y);
}

/** Holds when every judgement holds; the figures of all, in order (a repeated name keeps one). */
export function allOf(...judgements: Judgement[]): Judgement {
  if (judgements.length === 0) throw new Error('allOf: give at least one judgement.');
  const figures: Record<string, FigureValue> = {};
  for (const judgement of judgements) {
    for (const [name, value] of Object.entries(judgement.figures)) {
      if (name in figures && figures[name] !== value) {
        throw new Error(`allOf: '${name}' has two values (${figures[name]} and ${value}): name them apart.`);
      }
      figures[name] = value;
    }
  }
  return { holds: judgements.every((j) => j.holds), figures };
}

/** A judgement written out: whether it held, and the named figures behind it. */
export function judged(holds: boolean, figures: Record<string, FigureValue>): Judgement {
  return { holds, figures };
}
