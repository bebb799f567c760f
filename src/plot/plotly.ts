/**
 * Plotly figures as notebook outputs. A figure goes out in three forms, and each front end draws
 * the one it can (measured live by test/frontends/):
 *
 * - `application/vnd.plotly.v1+json`, the figure as an object: drawn by the jupyterlab-plotly
 *   renderer in JupyterLab 4 and Notebook 7 (it comes with the `plotly` Python package, which
 *   `npm start` installs into the server's environment; JupyterLab itself has no renderer for it),
 *   in trusted and untrusted notebooks alike, and by VS Code's own renderer.
 * - `text/html`: a div and a script that calls Plotly.newPlot, for the classic Notebook, for
 *   JupyterLab without the renderer, and for exported write-ups. The Plotly library itself is
 *   injected once per notebook, by `plotlyLibraryBundle()` (startLesson shows it), not once per
 *   chart; the bundle is embedded, so exported lessons render offline. Scripts run only in trusted
 *   outputs: the div holds a message saying why the chart is missing and what to do, which the
 *   script replaces with the chart, so a chart never silently disappears.
 * - `text/plain`: a one-line description, for terminals and logs.
 *
 * The jupyterlab-plotly renderer draws an output once and ignores later updates of it (measured:
 * a live loss chart stayed at its first epoch), so a live chart's frames during training are sent
 * by `liveFigureBundle` (no plotly JSON, so JupyterLab draws them through the HTML) and its last
 * frame by `figureBundle` (the switch of type makes JupyterLab draw it afresh).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import { escapeHtml, MimeBundle } from './display';

export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

/** How long a chart script waits for the Plotly library before saying it is missing. */
const PLOTLY_WAIT_MS = 10_000;

/** The minified plotly.js bundle, wrapped so that a page's AMD loader (require.js) cannot capture it. */
export function plotlyLibraryScript(): string {
  const file = require.resolve('plotly.js-dist-min/plotly.min.js');
  const source = fs.readFileSync(file, 'utf8');
  return `<script>(function(){var define;window.PlotlyConfig={MathJaxConfig:'local'};\n${source}\n}).call(window);</script>`;
}

/** The output that loads Plotly into the page: shown once, in a lesson's first cell. */
export function plotlyLibraryBundle(): MimeBundle {
  return {
    'text/html': `${plotlyLibraryScript()}<div style="font-size:smaller;color:#666">Plotly ${plotlyVersion()} loaded for the charts below.</div>`,
    'text/plain': `Plotly ${plotlyVersion()} ready.`,
  };
}

export function plotlyVersion(): string {
  return (JSON.parse(fs.readFileSync(require.resolve('plotly.js-dist-min/package.json'), 'utf8')) as { version: string }).version;
}

/** What a chart's HTML shows where its script does not run (an untrusted notebook, a viewer without scripts). */
export function fallbackText(figure: Figure): string {
  return (
    `The chart "${figureTitle(figure)}" is not drawn here: its script did not run, because this notebook is not ` +
    'trusted (you did not run or save it here) or this viewer runs no scripts. Trust it (JupyterLab: ' +
    'command palette, "Trust Notebook"; classic Notebook: File → Trust Notebook; or ' +
    '`jupyter trust NOTEBOOK.ipynb`) and open it again, or run the lesson. Opened with `npm start`, ' +
    'JupyterLab and Notebook 7 draw charts without trust.'
  );
}

/**
 * HTML that draws `figure` once window.Plotly exists. Until then, and wherever the script does not
 * run, the div shows `fallbackText`.
 */
export function figureHtml(figure: Figure, id = `plot-${crypto.randomBytes(6).toString('hex')}`): string {
  const json = JSON.stringify(figure).replace(/</g, '\\u003c');
  const height = (figure.layout.height as number | undefined) ?? 380;
  const noPlotly = JSON.stringify(`The chart "${figureTitle(figure)}" is not drawn: Plotly is not loaded. Run the first cells of the lesson (startLesson loads it), then this cell again.`).replace(/</g, '\\u003c');
  return (
    `<div id="${id}" class="ae-plot" style="width:100%;min-height:${height}px">` +
    `<div class="ae-plot-fallback" style="font-family:sans-serif;font-size:13px;color:#8a4b00;border:1px dashed #d9a35b;padding:8px">${escapeHtml(fallbackText(figure))}</div></div>` +
    `<script>(function(){var figure=${json};var start=Date.now();` +
    `function draw(){var el=document.getElementById('${id}');if(!el)return;` +
    `if(window.Plotly){el.innerHTML='';el.style.height='${height}px';window.Plotly.newPlot(el,figure.data,figure.layout,{responsive:true,displaylogo:false});return;}` +
    `if(Date.now()-start<${PLOTLY_WAIT_MS}){setTimeout(draw,50);}else{el.firstChild.textContent=${noPlotly};}}draw();})();</script>`
  );
}

/** A figure as a bundle: plotly JSON, HTML and a short text description. */
export function figureBundle(figure: Figure, description: string): MimeBundle {
  return {
    'application/vnd.plotly.v1+json': figure,
    'text/html': figureHtml(figure),
    'text/plain': description,
  };
}

/**
 * A live chart's frame while training runs: HTML and text, no plotly JSON (see the top of this
 * file). Its last frame is a `figureBundle`.
 */
export function liveFigureBundle(figure: Figure, description: string): MimeBundle {
  return { 'text/html': figureHtml(figure), 'text/plain': description };
}

/** For text outputs (text/plain, never HTML): the title of a figure, if it has one, as written. */
export function figureTitle(figure: Figure): string {
  const title = figure.layout.title as { text?: string } | string | undefined;
  return typeof title === 'string' ? title : title?.text ?? 'chart';
}
