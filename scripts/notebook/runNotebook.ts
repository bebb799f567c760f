/**
 * Executes a notebook top to bottom through the real tslab kernel and writes the executed copy.
 * Stops at the first failing cell and reports that cell's own error text (tslab sends errors only
 * as stderr, so a generic client would show an empty error).
 *
 * Parameters follow the papermill convention: the cell tagged "parameters" holds the defaults;
 * overrides are injected as a new cell, tagged "injected-parameters", right after it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../../src/data/files';
import { JupyterOutput, TslabKernel } from './kernel';

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
  /** Values injected after the "parameters" cell, e.g. { MODE: 'quick' }. */
  parameters?: Record<string, ParameterValue>;
  /** Where to write the executed notebook. */
  outputPath: string;
  /** Project root, for tslab's imports of ../src. */
  rootDir: string;
  /** Extra environment for the kernel (e.g. AE_BACKEND). */
  env?: NodeJS.ProcessEnv;
  /** Limit for one cell. */
  cellTimeoutMs?: number;
  /** Progress lines (default: console.log). */
  log?: (line: string) => void;
}

export interface RunResult {
  ok: boolean;
  seconds: number;
  /** Index (0-based, among all cells of the executed notebook) of the failing cell. */
  failedCell?: number;
  /** The failing cell's source and error text. */
  error?: string;
  cellSeconds: number[];
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

/** Returns a copy of the notebook with the overrides injected after its "parameters" cell. */
export function injectParameters(notebook: Notebook, parameters: Record<string, ParameterValue>, name: string): Notebook {
  const copy: Notebook = JSON.parse(JSON.stringify(notebook));
  if (Object.keys(parameters).length === 0) return copy;
  const at = copy.cells.findIndex((cell) => cell.metadata?.tags?.includes('parameters'));
  if (at < 0) throw new Error(`${name} has no cell tagged "parameters", so ${Object.keys(parameters).join(', ')} cannot be set.`);
  const declared = sourceText(copy.cells[at]);
  for (const key of Object.keys(parameters)) {
    if (!new RegExp(`\\b(const|let)\\s+${key}\\b`).test(declared)) {
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

export async function runNotebook(file: string, options: RunOptions): Promise<RunResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const name = path.basename(file);
  const notebook = injectParameters(readNotebook(file), options.parameters ?? {}, name);
  for (const cell of notebook.cells) {
    if (cell.cell_type === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
    }
  }
  const started = Date.now();
  const cellSeconds: number[] = [];
  const kernel = await TslabKernel.start({ cwd: path.dirname(path.resolve(file)), env: { TSLAB_ROOT_DIR: options.rootDir, ...options.env } });
  let result: RunResult = { ok: true, seconds: 0, cellSeconds };
  try {
    for (let i = 0; i < notebook.cells.length; i++) {
      const cell = notebook.cells[i];
      if (cell.cell_type !== 'code') continue;
      const cellStarted = Date.now();
      const executed = await kernel.execute(sourceText(cell), {
        timeoutMs: options.cellTimeoutMs,
        onUpdate: (displayId, output) => {
          for (const earlier of notebook.cells) {
            const target = earlier.outputs?.find((o) => o.transient?.display_id === displayId);
            if (target) {
              Object.assign(target, output);
              return true;
            }
          }
          return false;
        },
      });
      cellSeconds[i] = (Date.now() - cellStarted) / 1000;
      cell.metadata.seconds = Math.round(cellSeconds[i] * 10) / 10;
      cell.outputs = executed.outputs;
      cell.execution_count = executed.executionCount;
      if (executed.status !== 'ok') {
        const source = sourceText(cell).split('\n').map((line, n) => `  ${String(n + 1).padStart(3)} | ${line}`).join('\n');
        const error = `${name}: cell ${i + 1} failed.\n${source}\n--- error ---\n${executed.stderr.trim() || `(the kernel reported status ${executed.status} without error text)`}`;
        result = { ok: false, seconds: 0, failedCell: i, error, cellSeconds };
        break;
      }
    }
  } finally {
    await kernel.shutdown();
  }
  result.seconds = (Date.now() - started) / 1000;
  for (const cell of notebook.cells) cell.outputs = cell.outputs?.map(forSaving);
  notebook.metadata.executed = { by: 'scripts/notebook/run-notebooks.ts', parameters: options.parameters ?? {}, seconds: Math.round(result.seconds), ok: result.ok };
  writeFileAtomic(options.outputPath, JSON.stringify(notebook, null, 1) + '\n');
  log(`${result.ok ? 'ok    ' : 'FAILED'} ${name} in ${result.seconds.toFixed(1)} s → ${path.relative(process.cwd(), options.outputPath)}`);
  return result;
}
