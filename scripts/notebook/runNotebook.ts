/**
 * Executes a notebook top to bottom through the real tslab kernel and writes the executed copy.
 * Stops at the first failing cell and reports that cell's own error text (tslab sends errors only
 * as stderr, so a generic client would show an empty error). A cell fails when it throws, exceeds
 * its time limit, kills the kernel, or when an error is thrown by asynchronous work (a timer, a
 * promise nobody awaited) while it runs or after it finished. Every failure names the notebook
 * and the cell, and the executed copy is written with the outputs up to the failure.
 *
 * Parameters follow the papermill convention: the cell tagged "parameters" holds the defaults;
 * overrides are injected as a new cell, tagged "injected-parameters", right after it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../../src/files/atomicFiles';
import { collectRecords, RECORDS_KEY, RunRecords, writeRecords } from './records';
import { ExecuteResult, JupyterOutput, TslabKernel } from './kernel';

/** After the last cell, how long to wait for output of its timers (e.g. a late error). */
const LATE_OUTPUT_WAIT_MS = 300;
/** How many lines of a failing cell's source the error text shows. */
const SOURCE_LINES_SHOWN = 12;

export interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: { tags?: string[]; [key: string]: unknown };
  outputs?: JupyterOutput[];
  execution_count?: number | null;
  id?: string;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export type ParameterValue = string | number | boolean;

export interface RunOptions {
  /** Values injected after the "parameters" cell, e.g. { SEED: 3 }; each must be declared there. */
  parameters?: Record<string, ParameterValue>;
  /**
   * The run mode ('quick' or 'full'), injected as MODE only when the parameters cell declares
   * MODE: a notebook without it runs unchanged. An explicit parameters.MODE wins.
   */
  mode?: string;
  /** Where to write the executed notebook. */
  outputPath: string;
  /** Project root, for tslab's imports of ../src. */
  rootDir: string;
  /** Extra environment for the kernel (e.g. AE_BACKEND). */
  env?: NodeJS.ProcessEnv;
  /** Limit for one cell (default: the kernel's, 30 minutes). */
  cellTimeoutMs?: number;
  /** Progress lines (default: console.log). */
  log?: (line: string) => void;
  /** Where the run's claims and figures go as JSON (default <rootDir>/build/runs; see records.ts). */
  recordsDir?: string;
}

export interface RunResult {
  ok: boolean;
  seconds: number;
  /** Index (0-based, among all cells of the executed notebook) of the failing cell. */
  failedCell?: number;
  /** The notebook's name, the failing cell's number and source, and the error text. */
  error?: string;
  cellSeconds: number[];
  /** The lesson's claims and figures table, as its outputs recorded them. */
  records: RunRecords;
}

export function sourceText(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

export function readNotebook(file: string): Notebook {
  if (!fs.existsSync(file)) throw new Error(`No notebook at ${file}.`);
  let notebook: Notebook;
  try {
    notebook = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid notebook JSON: ${(error as Error).message}`);
  }
  if (notebook.nbformat !== 4 || !Array.isArray(notebook.cells)) throw new Error(`${file} is not an nbformat 4 notebook.`);
  return notebook;
}

/** A TypeScript literal for a parameter value. */
function literal(value: ParameterValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function parametersCell(notebook: Notebook): number {
  return notebook.cells.findIndex((cell) => cell.metadata?.tags?.includes('parameters'));
}

function declares(source: string, key: string): boolean {
  return new RegExp(`\\b(const|let)\\s+${key}\\b`).test(source);
}

/** The parameters to inject: options.parameters, plus MODE if the parameters cell declares it. */
export function runParameters(notebook: Notebook, options: Pick<RunOptions, 'parameters' | 'mode'>): Record<string, ParameterValue> {
  const at = parametersCell(notebook);
  const declaresMode = at >= 0 && declares(sourceText(notebook.cells[at]), 'MODE');
  return { ...(options.mode !== undefined && declaresMode ? { MODE: options.mode } : {}), ...options.parameters };
}

/** Returns a copy of the notebook with the overrides injected after its "parameters" cell. */
export function injectParameters(notebook: Notebook, parameters: Record<string, ParameterValue>, name: string): Notebook {
  const copy: Notebook = JSON.parse(JSON.stringify(notebook));
  if (Object.keys(parameters).length === 0) return copy;
  const at = parametersCell(copy);
  if (at < 0) throw new Error(`${name} has no cell tagged "parameters", so ${Object.keys(parameters).join(', ')} cannot be set.`);
  const declared = sourceText(copy.cells[at]);
  for (const key of Object.keys(parameters)) {
    if (!declares(declared, key)) {
      throw new Error(`${name}: the parameters cell does not declare ${key}; it declares: ${declared.match(/\b(?:const|let)\s+(\w+)/g)?.join(', ')}.`);
    }
  }
  const lines = Object.entries(parameters).map(([key, value]) => `const ${key} = ${literal(value)};`);
  copy.cells.splice(at + 1, 0, {
    cell_type: 'code',
    id: 'injected-parameters',
    source: ['// Parameters injected by the notebook runner\n', ...lines.map((l, i) => (i < lines.length - 1 ? l + '\n' : l))],
    metadata: { tags: ['injected-parameters'] },
    outputs: [],
    execution_count: null,
  });
  return copy;
}

function forSaving(output: JupyterOutput): JupyterOutput {
  const { transient: _transient, ...rest } = output;
  return rest;
}

/** Why the run stopped, at which cell (0-based, among all cells). */
interface Failure {
  cell: number;
  /** Completes "cell N …", e.g. "failed" or "did not finish within 5 s". */
  what: string;
  detail: string;
}

const TIMEOUT_NOTE = '(The runner interrupted the cell at its time limit: cellTimeoutMs, or --cell-timeout SECONDS.)';
const ASYNC_WORK = 'an error was thrown by asynchronous work (a timer, or a promise nobody awaited)';

function failureText(name: string, notebook: Notebook, failure: Failure): string {
  const lines = sourceText(notebook.cells[failure.cell]).split('\n');
  const shown = lines.slice(0, SOURCE_LINES_SHOWN).map((line, n) => `  ${String(n + 1).padStart(3)} | ${line}`);
  if (lines.length > SOURCE_LINES_SHOWN) shown.push(`      … ${lines.length - SOURCE_LINES_SHOWN} more line(s)`);
  return `${name}: cell ${failure.cell + 1} ${failure.what}.\n${shown.join('\n')}\n--- error ---\n${failure.detail.trim()}`;
}

/** The failure of a cell the kernel finished (or gave up on), if it failed. */
function cellFailure(cell: number, executed: ExecuteResult): Failure | undefined {
  const stderr = executed.stderr.trim();
  switch (executed.status) {
    case 'ok':
      return undefined;
    case 'timeout':
      return { cell, what: executed.problem!, detail: `${stderr || '(no error text: the cell did not stop when interrupted)'}\n${TIMEOUT_NOTE}` };
    case 'died':
      return { cell, what: 'failed: the kernel died', detail: [stderr, executed.problem].filter(Boolean).join('\n') };
    default:
      return { cell, what: 'failed', detail: stderr || `(the kernel reported status ${executed.status} without error text)` };
  }
}

/** Replaces the output with this display id in whichever cell holds it. */
function updateDisplay(notebook: Notebook, displayId: string, output: JupyterOutput): boolean {
  for (const cell of notebook.cells) {
    const target = cell.outputs?.find((o) => o.transient?.display_id === displayId);
    if (target) {
      Object.assign(target, output);
      return true;
    }
  }
  return false;
}

/**
 * Runs the code cells in order, recording outputs, execution counts and times in the notebook.
 * Returns the first failure. Errors of asynchronous work count too: tslab reports them under
 * the cell running at the time, or under the last cell that ran if none is.
 */
async function executeCells(kernel: TslabKernel, notebook: Notebook, options: RunOptions, cellSeconds: number[]): Promise<Failure | undefined> {
  const asyncErrors: Failure[] = [];
  const firstOf = (failure: Failure | undefined): Failure | undefined => {
    const all = [...(failure ? [failure] : []), ...asyncErrors];
    if (all.length > 1) all[0].detail += `\n(${all.length - 1} more error(s) were reported; see the executed copy)`;
    return all[0];
  };
  for (let i = 0; i < notebook.cells.length; i++) {
    const cell = notebook.cells[i];
    if (cell.cell_type !== 'code') continue;
    const cellStarted = Date.now();
    let executed: ExecuteResult;
    try {
      executed = await kernel.execute(sourceText(cell), {
        timeoutMs: options.cellTimeoutMs,
        onUpdate: (displayId, output) => updateDisplay(notebook, displayId, output),
        onAsyncError: (text, late) => asyncErrors.push(late
          ? { cell: i, what: `failed: ${ASYNC_WORK} after the cell finished`, detail: text }
          : { cell: i, what: `failed: ${ASYNC_WORK} while it ran (the work may have been started by an earlier cell)`, detail: text }),
      });
    } catch (error) {
      return firstOf({ cell: i, what: 'failed: the runner lost the kernel', detail: (error as Error).message });
    }
    cellSeconds[i] = (Date.now() - cellStarted) / 1000;
    cell.metadata.seconds = Math.round(cellSeconds[i] * 10) / 10;
    cell.outputs = executed.outputs;
    cell.execution_count = executed.executionCount;
    const failure = firstOf(cellFailure(i, executed));
    if (failure) return failure;
  }
  await new Promise((resolve) => setTimeout(resolve, LATE_OUTPUT_WAIT_MS));
  return firstOf(undefined);
}

export async function runNotebook(file: string, options: RunOptions): Promise<RunResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const name = path.basename(file);
  const original = readNotebook(file);
  const parameters = runParameters(original, options);
  const notebook = injectParameters(original, parameters, name);
  for (const cell of notebook.cells) {
    if (cell.cell_type === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
    }
  }
  const started = Date.now();
  const cellSeconds: number[] = [];
  let failure: Failure | undefined;
  let kernel: TslabKernel | undefined;
  const firstCode = notebook.cells.findIndex((cell) => cell.cell_type === 'code');
  try {
    // A notebook without code needs no kernel.
    if (firstCode >= 0) kernel = await TslabKernel.start({ cwd: path.dirname(path.resolve(file)), env: { TSLAB_ROOT_DIR: options.rootDir, ...options.env } });
  } catch (error) {
    failure = { cell: firstCode, what: 'did not run: the tslab kernel did not start', detail: (error as Error).message };
  }
  if (kernel) {
    try {
      failure = await executeCells(kernel, notebook, options, cellSeconds);
    } finally {
      await kernel.shutdown();
    }
  }
  const records = collectRecords(notebook, name, !failure);
  const result: RunResult = failure
    ? { ok: false, seconds: 0, failedCell: failure.cell, error: failureText(name, notebook, failure), cellSeconds, records }
    : { ok: true, seconds: 0, cellSeconds, records };
  result.seconds = (Date.now() - started) / 1000;
  for (const cell of notebook.cells) cell.outputs = cell.outputs?.map(forSaving);
  notebook.metadata.executed = {
    by: 'scripts/notebook/run-notebooks.ts', parameters, seconds: Math.round(result.seconds), ok: result.ok, ...(result.error ? { error: result.error } : {}),
  };
  notebook.metadata[RECORDS_KEY] = records;
  writeFileAtomic(options.outputPath, JSON.stringify(notebook, null, 1) + '\n');
  writeRecords(options.recordsDir ?? path.join(options.rootDir, 'build', 'runs'), records);
  log(`${result.ok ? 'ok    ' : 'FAILED'} ${name} in ${result.seconds.toFixed(1)} s → ${path.relative(process.cwd(), options.outputPath)}`);
  return result;
}
