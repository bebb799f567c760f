/**
 * Plotly figures as notebook outputs.
 *
 * - JupyterLab and VS Code draw `application/vnd.plotly.v1+json` themselves.
 * - The classic Notebook and exported HTML draw the `text/html` part: a div and a script that
 *   calls Plotly.newPlot. The Plotly library itself is injected once per notebook, by
 *   `plotlyLibraryBundle()` (startLesson shows it), not once per chart; the bundle is embedded,
 *   so exported lessons render offline.
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

/** HTML that draws `figure` once window.Plotly exists. */
export function figureHtml(figure: Figure, id = `plot-${crypto.randomBytes(6).toString('hex')}`): string {
  const json = JSON.stringify(figure).replace(/</g, '\\u003c');
  const height = (figure.layout.height as number | undefined) ?? 380;
  return (
    `<div id="${id}" class="ae-plot" style="width:100%;height:${height}px"></div>` +
    `<script>(function(){var figure=${json};var start=Date.now();` +
    `function draw(){var el=document.getElementById('${id}');if(!el)return;` +
    `if(window.Plotly){window.Plotly.newPlot(el,figure.data,figure.layout,{responsive:true,displaylogo:false});return;}` +
    `if(Date.now()-start<${PLOTLY_WAIT_MS}){setTimeout(draw,50);}else{el.textContent='Plotly is not loaded: run the first cell of the lesson (startLesson) first.';}}draw();})();</script>`
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

/** For text outputs (text/plain, never HTML): the title of a figure, if it has one, as written. */
export function figureTitle(figure: Figure): string {
  const title = figure.layout.title as { text?: string } | string | undefined;
  return typeof title === 'string' ? title : title?.text ?? 'chart';
}
