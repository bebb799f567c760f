/**
 * The multi-seed summary of one lesson (`npm run report -- --seeds 1,2,3`): every figure of the
 * lesson's "figures of this run" table as mean ± standard deviation over the seeds (with each
 * seed's value), every claim with the number of seeds it held on, the run settings, and links to
 * each seed's write-up. A self-contained HTML page: no script, no network.
 */
import * as path from 'path';
import { formatFigure } from '../../src/claims';
import { escapeHtml } from '../../src/plot/display';
import { summariseFigures, tallyClaims } from './records';
import { LessonRuns } from './seeds';

const STYLE = `body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em}th,td{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.held{color:#1a7f37}.failed{color:#cf222e}.muted{color:#777;font-size:smaller}`;

/** The HTML of the summary page; `reports` maps each seed to its write-up's path relative to the page. */
export function summaryHtml(lesson: LessonRuns, seeds: number[], reports: Map<number, string>, generatedAt = new Date()): string {
  const runs = lesson.runs.filter((r) => r.figures || r.claims.length);
  const first = runs[0]?.figures ?? runs[0]?.claims[0];
  const title = first?.lesson ?? path.basename(lesson.file, '.ipynb');
  const figures = summariseFigures(lesson.runs);
  const claims = tallyClaims(lesson.runs);
  const settings = [
    ['lesson', title],
    ['notebook', path.basename(lesson.file)],
    ['mode', first?.mode ?? '?'],
    ['backend', [...new Set(runs.map((r) => (r.figures ?? r.claims[0]).backend))].join(', ')],
    ['seeds', seeds.join(', ')],
    ['runs that completed', `${lesson.executed.filter((r) => r.ok).length} of ${lesson.executed.length}`],
    ['generated', generatedAt.toISOString()],
  ];
  const figureRows = figures.map((f) => {
    const value = f.mean === undefined
      ? [...new Set(f.values.map(String))].map((v) => `${escapeHtml(v)} (${f.values.filter((x) => String(x) === v).length}×)`).join(', ')
      : `${escapeHtml(formatFigure(f.mean))} ± ${escapeHtml(formatFigure(f.sd ?? 0))}`;
    const perSeed = f.values.map((v) => escapeHtml(formatFigure(v))).join(', ');
    return `<tr><td>${escapeHtml(f.figure)}</td><td class="n">${value}</td><td class="n">${f.n}</td><td class="muted">${perSeed}</td></tr>`;
  });
  const claimRows = claims.map((c) => {
    const all = c.held === c.runs;
    const role = c.key ? 'key' : c.keyIn === 'full' ? 'key in full mode' : 'either outcome';
    const failed = c.failedSeeds.length ? ` (not on seed ${c.failedSeeds.join(', ')})` : '';
    return (
      `<tr><td class="n ${all ? 'held' : c.key ? 'failed' : ''}">${c.held} of ${c.runs}</td><td>${escapeHtml(c.statement)}` +
      `<div class="muted">${escapeHtml(c.id)}${escapeHtml(failed)}</div></td><td>${role}</td></tr>`
    );
  });
  const links = seeds.map((seed) => {
    const report = reports.get(seed);
    const run = lesson.executed.find((r) => r.seed === seed);
    const status = run?.ok ? `${run.seconds.toFixed(0)} s` : 'failed';
    return `<li>${report ? `<a href="${escapeHtml(report)}">seed ${seed}</a>` : `seed ${seed}`} <span class="muted">(${status})</span></li>`;
  });
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}: ${seeds.length} seeds</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>The same lesson run on ${seeds.length} seeds: every figure of its "figures of this run" table as mean ± standard deviation (sample, n − 1), and every claim the lesson checks with the number of seeds it held on.</p>
<table>${settings.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
<h2>Figures</h2>
<table><thead><tr><th>figure</th><th>mean ± sd</th><th>n</th><th>per seed</th></tr></thead><tbody>${figureRows.join('') || '<tr><td colspan="4">(no figures table)</td></tr>'}</tbody></table>
<h2>Claims</h2>
<table><thead><tr><th>held</th><th>claim</th><th>role</th></tr></thead><tbody>${claimRows.join('') || '<tr><td colspan="3">(no claims)</td></tr>'}</tbody></table>
<h2>Each seed's write-up</h2><ul>${links.join('')}</ul>
</body></html>
`;
}
