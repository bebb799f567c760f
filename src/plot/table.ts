/** Tables (danfojs DataFrames or plain rows) as HTML, with a plain-text fallback. */
import type { DataFrame } from 'danfojs-node';
import { escapeHtml, MimeBundle } from './display';

export type Row = Record<string, string | number | boolean | null | undefined>;

function format(value: unknown, digits: number): string {
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    const magnitude = Math.abs(value);
    return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6) ? value.toExponential(digits - 1) : value.toPrecision(digits);
  }
  return value === null || value === undefined ? '' : String(value);
}

/**
 * Rows of a DataFrame as plain objects. A frame whose index is not the plain 0, 1, 2, … (the row
 * names of `describe()`: count, mean, std, …) keeps it as a first, unnamed column.
 */
export function frameRows(frame: DataFrame): Row[] {
  const columns = frame.columns;
  const index = frame.index as (string | number)[];
  const named = index.some((label, i) => label !== i);
  return (frame.values as unknown[][]).map((values, r) => ({
    ...(named ? { '': index[r] } : {}),
    ...Object.fromEntries(columns.map((c, i) => [c, values[i] as Row[string]])),
  }));
}

/** A table bundle; numbers shown with `digits` significant digits. */
export function tableBundle(table: DataFrame | Row[], options: { caption?: string; digits?: number } = {}): MimeBundle {
  const rows = Array.isArray(table) ? table : frameRows(table);
  const digits = options.digits ?? 4;
  const columns = rows.length ? Object.keys(rows[0]) : [];
  const head = columns.map((c) => `<th style="text-align:right;padding:2px 8px">${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${columns.map((c) => `<td style="text-align:right;padding:2px 8px">${escapeHtml(format(row[c], digits))}</td>`).join('')}</tr>`)
    .join('');
  const caption = options.caption ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(options.caption)}</caption>` : '';
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => format(r[c], digits).length)));
  const text = [
    options.caption ?? '',
    columns.map((c, i) => c.padStart(widths[i])).join('  '),
    ...rows.map((r) => columns.map((c, i) => format(r[c], digits).padStart(widths[i])).join('  ')),
  ].filter(Boolean).join('\n');
  return {
    'text/html': `<table class="ae-table" style="border-collapse:collapse;font-family:sans-serif;font-size:13px">${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`,
    'text/plain': text,
  };
}
