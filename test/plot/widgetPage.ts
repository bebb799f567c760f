/** Opens a widget's HTML output in headless Chromium (Debian's), offline, for the widget tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser, chromium, Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A reason to skip browser tests here, or false: `npm run test:unit` (AE_SKIP_BROWSER=1) leaves
 * them out, and a machine without Chromium skips them (never CI, which installs it).
 */
export const skipWithoutChromium: string | false = process.env.AE_SKIP_BROWSER === '1'
  ? 'npm run test:unit leaves browser tests out'
  : !fs.existsSync(CHROMIUM) && process.env.CI !== 'true' ? `no Chromium at ${CHROMIUM} (apt-get install chromium)` : false;

export interface WidgetPage {
  page: Page;
  errors: string[];
  requests: string[];
  close(): Promise<void>;
}

/** The HTML in a page of its own, scripts on (or off), every network request refused and counted. */
export async function openWidget(html: string, options: { scripts?: boolean; screenshot?: string } = {}): Promise<WidgetPage> {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 }, javaScriptEnabled: options.scripts ?? true });
  const requests: string[] = [];
  await context.route(/^https?:/, (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-widget-'));
  const file = path.join(dir, 'widget.html');
  fs.writeFileSync(file, `<!doctype html><html><body>${html}</body></html>`);
  await page.goto(`file://${file}`);
  return {
    page, errors, requests,
    close: async () => {
      if (options.screenshot) {
        const shots = path.resolve(__dirname, '..', '..', 'build', 'screenshots');
        fs.mkdirSync(shots, { recursive: true });
        await page.screenshot({ path: path.join(shots, options.screenshot), fullPage: true });
      }
      await browser.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
