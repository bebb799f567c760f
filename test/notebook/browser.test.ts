/**
 * The whole chain a reader sees: a notebook executed headless, exported to HTML by nbconvert,
 * opened in headless Chromium with no network. Checks that the plotly chart drew (its SVG exists
 * and holds the data) and that the PNG images decoded; saves a screenshot under build/.
 * Needs Debian's chromium and nbconvert; CI installs both, so there it never skips.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { exportHtml, findNbconvert } from '../../scripts/notebook/exportHtml';
import { runNotebook } from '../../scripts/notebook/runNotebook';

const ROOT = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const missing = !fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : !findNbconvert() ? 'no nbconvert' : undefined;
const skip = missing && process.env.CI !== 'true' ? `${missing} (apt-get install chromium jupyter-nbconvert)` : false;

test('an exported lesson draws its chart and images in a browser, offline', { skip, timeout: 180_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-browser-'));
  const executed = path.join(dir, 'chart-and-images.ipynb');
  const run = await runNotebook(path.join(__dirname, '..', 'fixtures', 'notebooks', 'chart-and-images.ipynb'), {
    parameters: { MODE: 'quick' }, rootDir: ROOT, outputPath: executed, log: () => {},
  });
  assert.equal(run.ok, true, run.error);
  const html = exportHtml(executed, dir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
    // No network: any request that is not a local file is refused.
    await context.route(/^https?:/, (route) => route.abort());
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`file://${html}`);
    await page.waitForSelector('.ae-plot .main-svg', { timeout: 30_000 });
    const chart = await page.evaluate(() => {
      const plot = document.querySelector('.ae-plot') as HTMLElement & { data?: { y: number[] }[] };
      return {
        svgs: plot.querySelectorAll('svg.main-svg').length,
        y: plot.data?.[0]?.y,
        points: plot.querySelectorAll('.scatterlayer .trace .point').length,
        title: plot.querySelector('.gtitle')?.textContent,
      };
    });
    assert.ok(chart.svgs > 0, 'the chart drew an SVG');
    assert.deepEqual(chart.y, [1, 4, 9, 16], 'the chart holds the data');
    assert.equal(chart.points, 4, 'one marker per data point');
    assert.equal(chart.title, 'Squares');
    const images = await page.evaluate(() =>
      Array.from(document.querySelectorAll('img.ae-image')).map((img) => ({ complete: (img as HTMLImageElement).complete, width: (img as HTMLImageElement).naturalWidth })),
    );
    assert.equal(images.length, 2);
    assert.ok(images.every((i) => i.complete && i.width > 0), `images decoded: ${JSON.stringify(images)}`);
    assert.deepEqual(errors, [], 'no script errors on the page');
    const shots = path.join(ROOT, 'build', 'screenshots');
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'chart-and-images.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
