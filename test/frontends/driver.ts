/**
 * What each front end's page is asked, in its own terms: JupyterLab 4 and Notebook 7 share
 * JupyterLab's application (exposed as window.jupyterapp by the server flag), the classic Notebook
 * has window.Jupyter. Every function here runs the way a learner's click does: the commands the
 * menus call, the toolbar's interrupt button.
 */
import type { Page } from 'playwright-core';
import type { FrontEndName } from './harness';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Win = any;

export interface NotebookJson {
  cells: { cell_type: string; source: string | string[]; outputs?: { output_type: string; data?: Record<string, unknown>; text?: string | string[]; ename?: string; evalue?: string }[] }[];
}

/** Waits until the notebook is open and its kernel is idle. */
export async function waitForKernel(page: Page, frontEnd: FrontEndName, timeout = 120_000): Promise<void> {
  if (frontEnd === 'classic') {
    await page.waitForFunction(() => {
      const J = (window as Win).Jupyter;
      return J?.notebook?.kernel?.is_connected?.() && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
    }, undefined, { timeout, polling: 200 });
    return;
  }
  await page.waitForFunction(() => {
    const panel = (window as Win).jupyterapp?.shell?.currentWidget;
    return panel?.sessionContext?.session?.kernel?.status === 'idle' && panel?.content?.widgets?.length > 0;
  }, undefined, { timeout, polling: 200 });
}

/** Run All, as Run → Run All Cells does. */
export async function runAll(page: Page, frontEnd: FrontEndName): Promise<void> {
  if (frontEnd === 'classic') await page.evaluate(() => (window as Win).Jupyter.notebook.execute_all_cells());
  else await page.evaluate(() => { void (window as Win).jupyterapp.commands.execute('notebook:run-all-cells'); });
}

/** Runs one code cell (selects it, then Run → Run Selected Cell). */
export async function runCell(page: Page, frontEnd: FrontEndName, index: number): Promise<void> {
  if (frontEnd === 'classic') {
    await page.evaluate((i) => { const nb = (window as Win).Jupyter.notebook; nb.select(i); nb.execute_cell_and_select_below(); }, index);
    return;
  }
  await page.evaluate((i) => {
    const app = (window as Win).jupyterapp;
    app.shell.currentWidget.content.activeCellIndex = i;
    void app.commands.execute('notebook:run-cell');
  }, index);
}

/** True when no cell is queued or running and the kernel is idle. */
export async function idle(page: Page, frontEnd: FrontEndName): Promise<boolean> {
  if (frontEnd === 'classic') {
    return page.evaluate(() => {
      const J = (window as Win).Jupyter;
      const busy = J.notebook.get_cells().some((c: Win) => c.cell_type === 'code' && c.input_prompt_number === '*');
      return !busy && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
    });
  }
  return page.evaluate(() => {
    const panel = (window as Win).jupyterapp.shell.currentWidget;
    const busy = Array.from(panel.node.querySelectorAll('.jp-InputPrompt') as NodeListOf<HTMLElement>).some((p) => p.textContent?.includes('*'));
    return !busy && panel.sessionContext.session?.kernel?.status === 'idle';
  });
}

/** Waits until idle has held for `settleMs` (a cell's last outputs arrive just after idle). */
export async function waitUntilIdle(page: Page, frontEnd: FrontEndName, timeout: number, settleMs = 1500): Promise<void> {
  const deadline = Date.now() + timeout;
  let since: number | undefined;
  for (;;) {
    if (await idle(page, frontEnd)) {
      since ??= Date.now();
      if (Date.now() - since >= settleMs) return;
    } else {
      since = undefined;
    }
    if (Date.now() > deadline) throw new Error(`the notebook still runs after ${timeout / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The notebook as the front end holds it: every output the kernel sent, as received. */
export async function notebookJson(page: Page, frontEnd: FrontEndName): Promise<NotebookJson> {
  if (frontEnd === 'classic') return page.evaluate(() => (window as Win).Jupyter.notebook.toJSON());
  return page.evaluate(() => (window as Win).jupyterapp.shell.currentWidget.content.model.toJSON());
}

/**
 * Clicks the toolbar's interrupt button (■) and returns the milliseconds until the kernel is idle
 * with no cell running, measured in the page.
 */
export async function interruptWithButton(page: Page, frontEnd: FrontEndName): Promise<number> {
  const button = frontEnd === 'classic'
    ? page.locator('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]')
    : page.locator('.jp-NotebookPanel-toolbar [data-command="notebook:interrupt-kernel"]').first();
  const started = Date.now();
  await button.click();
  const deadline = started + 30_000;
  while (!(await idle(page, frontEnd))) {
    if (Date.now() > deadline) throw new Error('the kernel still runs 30 s after the interrupt');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

/** Starts recording, every 100 ms, how many points each drawn chart's first trace has. */
export async function recordCharts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as Win;
    w.__aeChartStates = new Set<string>();
    setInterval(() => {
      document.querySelectorAll('.js-plotly-plot').forEach((el: Win) => {
        const title = el.layout?.title?.text ?? el.layout?.title ?? '';
        const points = el.data?.[0]?.y?.length ?? el.data?.[0]?.x?.length;
        if (points !== undefined) w.__aeChartStates.add(`${title}\u0000${points}`);
      });
    }, 100);
  });
}

/** Every chart title recorded, with the point counts it was seen drawn with. */
export async function recordedCharts(page: Page): Promise<Record<string, number[]>> {
  const states: string[] = await page.evaluate(() => Array.from((window as Win).__aeChartStates as Set<string>));
  const byTitle: Record<string, number[]> = {};
  for (const state of states) {
    const [title, points] = state.split('\u0000');
    (byTitle[title] ??= []).push(Number(points));
  }
  for (const list of Object.values(byTitle)) list.sort((a, b) => a - b);
  return byTitle;
}

export interface Drawn {
  /** Chart divs plotly drew into (an SVG exists), the extension's and our HTML's alike. */
  charts: number;
  /** Our chart HTML's fallback text still showing: the chart did not draw. */
  fallbacks: string[];
  images: { total: number; decoded: number };
  claims: { total: number; visible: number };
}

/**
 * What the page shows now. (Page code is a string: tsx names the functions a test passes, and the
 * page has no `__name`.)
 */
export async function measure(page: Page): Promise<Drawn> {
  return page.evaluate(`(() => {
    function visible(el) { return el.offsetHeight > 0 && el.offsetWidth > 0; }
    const charts = Array.from(document.querySelectorAll('.js-plotly-plot')).filter((el) => el.querySelector('svg.main-svg') && visible(el)).length;
    const fallbacks = Array.from(document.querySelectorAll('.ae-plot-fallback')).filter(visible).map((el) => el.textContent || '');
    const images = Array.from(document.querySelectorAll('img.ae-image'));
    const claims = Array.from(document.querySelectorAll('.ae-claim'));
    return {
      charts,
      fallbacks,
      images: { total: images.length, decoded: images.filter((img) => img.complete && img.naturalWidth > 0 && visible(img)).length },
      claims: { total: claims.length, visible: claims.filter(visible).length },
    };
  })()`);
}

/** What the kernel sent, counted from the notebook's outputs. */
export function sent(notebook: NotebookJson): { charts: number; images: number; claims: number; errors: string[] } {
  let charts = 0;
  let images = 0;
  let claims = 0;
  const errors: string[] = [];
  for (const cell of notebook.cells) {
    for (const output of cell.outputs ?? []) {
      if (output.output_type === 'error') errors.push(`${output.ename}: ${output.evalue}`);
      const data = output.data ?? {};
      if ('application/vnd.plotly.v1+json' in data) charts++;
      const html = [data['text/html'] ?? ''].flat().join('');
      images += (html.match(/<img class="ae-image"/g) ?? []).length;
      claims += (html.match(/class="ae-claim"/g) ?? []).length;
    }
  }
  return { charts, images, claims, errors };
}
