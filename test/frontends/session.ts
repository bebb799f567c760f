/**
 * One front-end check's session: a work folder with a notebook, the front end's server on it, a
 * fresh Chromium page with the notebook open and its kernel ready; afterwards everything is closed
 * and the folder removed, however the check ended.
 */
import type { Page } from 'playwright-core';
import { waitForKernel } from './driver';
import { FrontEnd, launchBrowser, openPage, startServer, workFolder } from './harness';

export interface NotebookSession {
  page: Page;
  /** The page's script errors so far (filter with outputErrors). */
  errors: string[];
  /** The work folder, inside the project. */
  dir: string;
}

/** Writes the notebook with `write(dir)` (which returns its file name), opens it, and runs `check`. */
export async function withNotebookPage(
  frontEnd: FrontEnd, name: string, write: (dir: string) => string, check: (session: NotebookSession) => Promise<void>,
): Promise<void> {
  const work = workFolder(`${frontEnd.name}-${name}`);
  const file = write(work.dir);
  const server = await startServer(frontEnd, work.dir);
  const browser = await launchBrowser();
  try {
    const { page, errors } = await openPage(browser);
    await page.goto(server.url(file));
    await waitForKernel(page, frontEnd.name);
    await check({ page, errors, dir: work.dir });
  } finally {
    await browser.close();
    await server.stop();
    work.remove();
  }
}
