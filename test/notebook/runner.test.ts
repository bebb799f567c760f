import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { injectParameters, readNotebook, runNotebook, sourceText } from '../../scripts/notebook/runNotebook';
import { percentToNotebook } from '../../scripts/notebook/from-percent';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'notebooks');
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ae-nb-'));
const quiet = () => {};

test('a notebook runs top to bottom through tslab; parameters are injected; rich outputs are kept', async () => {
  const out = path.join(tempDir(), 'chart.ipynb');
  const result = await runNotebook(path.join(FIXTURES, 'chart-and-images.ipynb'), { parameters: { MODE: 'quick' }, rootDir: ROOT, outputPath: out, log: quiet });
  assert.equal(result.ok, true, result.error);
  const executed = readNotebook(out);
  assert.equal(executed.cells[2].metadata.tags?.[0], 'injected-parameters');
  assert.match(sourceText(executed.cells[2]), /const MODE = "quick";/);
  const mimeTypes = executed.cells.flatMap((c) => c.outputs ?? []).flatMap((o) => Object.keys(o.data ?? {}));
  assert.ok(mimeTypes.includes('application/vnd.plotly.v1+json'));
  assert.ok(mimeTypes.includes('image/png'));
  const runTable = JSON.stringify(executed.cells[3].outputs);
  assert.match(runTable, /quick/, 'the run table states the mode the runner set');
  assert.ok(executed.cells.every((c) => c.cell_type !== 'code' || c.execution_count !== null));
});

test('a failing cell stops the run, and the report names the cell and its real error', async () => {
  const out = path.join(tempDir(), 'failing.ipynb');
  const result = await runNotebook(path.join(FIXTURES, 'failing.ipynb'), { rootDir: ROOT, outputPath: out, log: quiet });
  assert.equal(result.ok, false);
  assert.equal(result.failedCell, 2);
  assert.match(result.error!, /failing\.ipynb: cell 3 failed\./);
  assert.match(result.error!, /throw new Error\('this cell fails on purpose'\)/);
  assert.match(result.error!, /--- error ---[\s\S]*Error: this cell fails on purpose/);
  const executed = readNotebook(out);
  assert.equal(executed.cells[3].execution_count, null, 'cells after the failure are not run');
  assert.equal(executed.metadata.executed && (executed.metadata.executed as { ok: boolean }).ok, false);
});

test('a type error is reported with tslab\'s message', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'type-error.ipynb');
  fs.writeFileSync(file, JSON.stringify(percentToNotebook("// %%\nconst n: number = 'text';\n")));
  const result = await runNotebook(file, { rootDir: ROOT, outputPath: path.join(dir, 'out.ipynb'), log: quiet });
  assert.equal(result.ok, false);
  assert.match(result.error!, /Type 'string' is not assignable to type 'number'/);
});

test('parameters: refused when there is no parameters cell or the name is not declared', () => {
  const plain = percentToNotebook('// %%\nconst A = 1;\n');
  assert.throws(() => injectParameters(plain, { MODE: 'quick' }, 'x.ipynb'), /x\.ipynb has no cell tagged "parameters"/);
  const tagged = percentToNotebook('// %% tags=["parameters"]\nconst MODE = "full";\n');
  assert.throws(() => injectParameters(tagged, { EPOCHS: 3 }, 'y.ipynb'), /does not declare EPOCHS; it declares: const MODE/);
  assert.equal(injectParameters(tagged, {}, 'y').cells.length, 1);
});

test('the percent format converts to a clean tslab notebook', () => {
  const notebook = percentToNotebook('// %% [markdown]\n// # Title\n// text\n// %% tags=["parameters"]\nconst SEED = 1;\n// %%\nconsole.log(SEED);\n');
  assert.equal(notebook.cells.length, 3);
  assert.equal(notebook.cells[0].cell_type, 'markdown');
  assert.equal(sourceText(notebook.cells[0]), '# Title\ntext');
  assert.deepEqual(notebook.cells[1].metadata.tags, ['parameters']);
  assert.equal((notebook.metadata.kernelspec as { name: string }).name, 'tslab');
});

test('committed lessons are clean: no outputs, the tslab kernel, a parameters cell with MODE and SEED', () => {
  const dir = path.join(ROOT, 'notebooks');
  const lessons = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb'));
  assert.ok(lessons.length > 0, 'there are lessons');
  for (const name of lessons) {
    const notebook = readNotebook(path.join(dir, name));
    assert.equal((notebook.metadata.kernelspec as { name: string }).name, 'tslab', `${name}: kernel`);
    for (const cell of notebook.cells.filter((c) => c.cell_type === 'code')) {
      assert.deepEqual(cell.outputs, [], `${name}: outputs are committed empty`);
      assert.equal(cell.execution_count, null, `${name}: no execution counts`);
    }
    const parameters = notebook.cells.find((c) => c.metadata.tags?.includes('parameters'));
    assert.ok(parameters, `${name}: has a parameters cell`);
    assert.match(sourceText(parameters!), /const MODE\b/);
    assert.match(sourceText(parameters!), /const SEED\b/);
  }
});

test('an edited module under the project is picked up when a cell imports it again', async () => {
  const { TslabKernel } = await import('../../scripts/notebook/kernel');
  fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, 'build', 'reload-'));
  fs.mkdirSync(path.join(dir, 'nb'));
  fs.writeFileSync(path.join(dir, 'mod.ts'), 'export const value: number = 1;\n');
  const kernel = await TslabKernel.start({ cwd: path.join(dir, 'nb') });
  try {
    const read = async () => {
      const result = await kernel.execute("import { value } from '../mod';\nconsole.log(value);");
      assert.equal(result.status, 'ok', result.stderr);
      return result.outputs.map((o) => o.text).join('').trim();
    };
    assert.equal(await read(), '1');
    fs.writeFileSync(path.join(dir, 'mod.ts'), 'export const value: number = 2;\n');
    assert.equal(await read(), '2');
  } finally {
    await kernel.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
