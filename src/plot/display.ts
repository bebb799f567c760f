/**
 * Sends rich outputs to the notebook. tslab's public `display` sends one MIME type per call; a
 * chart needs several at once (plotly's own JSON for JupyterLab and VS Code, HTML for the classic
 * Notebook and exported HTML, plain text for terminals), so we write the whole bundle through
 * tslab's internal writer (reached in ../backend/internals.ts). Outside a notebook (tests,
 * scripts) the plain text is printed.
 */
import * as crypto from 'crypto';
import { tslabDisplayWriter } from '../backend/internals';

/** MIME type → content: strings, or JSON objects for JSON MIME types. */
export type MimeBundle = Record<string, unknown> & { 'text/plain': string };

/** Where bundles go. `update` replaces the earlier output with the same display id. */
export type DisplaySink = (bundle: MimeBundle, displayId: string | undefined, update: boolean) => void;

/** The default sink: tslab inside a notebook, else the console. */
export const notebookSink: DisplaySink = (bundle, displayId, update) => {
  const writer = tslabDisplayWriter();
  if (writer) {
    writer({ data: bundle, metadata: {}, transient: displayId ? { display_id: displayId } : {} }, update);
  } else {
    console.log(bundle['text/plain']);
  }
};

/** Shows a bundle as a new output. */
export function show(bundle: MimeBundle, sink: DisplaySink = notebookSink): void {
  sink(bundle, undefined, false);
}

/**
 * One output that can be replaced in place: a live loss chart or a progress line updates this
 * way instead of adding an output per epoch.
 */
export class LiveOutput {
  private shown = false;
  readonly displayId = crypto.randomBytes(8).toString('hex');

  constructor(private readonly sink: DisplaySink = notebookSink) {}

  update(bundle: MimeBundle): void {
    this.sink(bundle, this.displayId, this.shown);
    this.shown = true;
  }
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
