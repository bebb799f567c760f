import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { parseCellTimeout } from '../../scripts/notebook/cli';
import { injectParameters, readNotebook, runNotebook, runParameters, sourceText } from '../../scripts/notebook/runNotebook';
import { percentToNotebook } from '../../scripts/notebook/from-percent';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'notebooks');
const RUNNER = path.join(ROOT, 'scripts', 'notebook', 'run-notebooks.ts');
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ae-nb-'));
const quiet = () => {};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A notebook from percent-format source, written to a temporary folder. */
function writeNotebook(name: string, percent: string): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, JSON.stringify(percentToNotebook(percent)));
  return file;
}

function allText(file: string, cell: number): string {
  return (readNotebook(file).cells[cell].outputs ?? []).map((o) => o.text ?? '').join('');
}

/** Starts `npm run lessons` (without npm and tsx's own parent process, so its pid is the runner's). */
function startRunner(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return Object.assign(child, { output: () => output });
}

async function runRunner(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = startRunner(args);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output: child.output() };
}

/** Whether a process runs; a zombie (dead, not yet reaped by its new parent) does not. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !fs.existsSync(stat) || !/^\d+ \(.*\) Z/.test(fs.readFileSync(stat, 'utf8'));
}

async function waitFor(what: () => string, limitMs: number, check: () => boolean): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what()}: not within ${limitMs / 1000} s`);
    await sleep(100);
  }
}

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

test('--cell-timeout: a hung cell fails naming notebook and cell; the executed copy keeps the outputs so far', { timeout: 120_000 }, async () => {
  const out = tempDir();
  const { code, output } = await runRunner([path.join(FIXTURES, 'hang.ipynb'), '--out', out, '--cell-timeout', '2']);
  assert.equal(code, 1, output);
  const executed = path.join(out, 'hang.ipynb');
  const cells = readNotebook(executed).cells;
  const hang = cells.findIndex((cell) => sourceText(cell).includes('while (true)'));
  assert.match(output, new RegExp(`hang\\.ipynb: cell ${hang + 1} did not finish within 2 s\\.`));
  assert.match(output, /6 \| while \(true\) \{\}/, 'the error shows the cell source');
  assert.match(allText(executed, hang - 1), /before the hang/);
  assert.match(allText(executed, hang), /hanging now/);
  assert.equal(cells[hang + 1].execution_count, null);
  assert.equal((readNotebook(executed).metadata.executed as { ok: boolean }).ok, false);
  assert.throws(() => parseCellTimeout('soon'), /--cell-timeout takes a number of seconds greater than 0, got soon/);
});

test('a runner killed with SIGKILL takes its kernel with it, even one stuck in a loop', { timeout: 120_000 }, async () => {
  const pidFile = path.join(tempDir(), 'kernel.pid');
  const runner = startRunner([path.join(FIXTURES, 'hang.ipynb'), '--out', tempDir()], { HANG_FIXTURE_PID_FILE: pidFile });
  let kernelPid = 0;
  try {
    await waitFor(() => `the hanging cell (runner output: ${runner.output()})`, 60_000, () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '');
    kernelPid = Number(fs.readFileSync(pidFile, 'utf8'));
    await sleep(500);
    assert.ok(running(kernelPid), 'the kernel runs its endless loop');
    runner.kill('SIGKILL');
    await waitFor(() => `kernel ${kernelPid} ending after its runner was killed`, 5000, () => !running(kernelPid));
  } finally {
    runner.kill('SIGKILL');
    if (kernelPid && running(kernelPid)) process.kill(kernelPid, 'SIGKILL');
  }
});

/** The parent of a process, from /proc; 0 if it has gone. */
function parentOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

test('killing npm run lessons (npm, its tsx, or the whole group) leaves no runner, no kernel, no connection file', {
  skip: fs.existsSync('/proc/self/stat') ? false : 'needs /proc to find the runner',
  timeout: 300_000,
}, async () => {
  /** The processes of one `npm run lessons`: npm (leading its own process group), tsx's wrapper. */
  interface Launched { npm: number; tsx: number }
  const kills: [string, (p: Launched) => void][] = [
    ['SIGTERM to npm', (p) => process.kill(p.npm, 'SIGTERM')],
    ['SIGKILL to npm', (p) => process.kill(p.npm, 'SIGKILL')],
    ['SIGKILL to tsx', (p) => process.kill(p.tsx, 'SIGKILL')],
    ['SIGTERM to the group', (p) => process.kill(-p.npm, 'SIGTERM')],
    ['SIGKILL to the group', (p) => process.kill(-p.npm, 'SIGKILL')],
  ];
  for (const [how, kill] of kills) {
    const tmp = tempDir(); // the run's TMPDIR: tslab's connection folder goes there
    const pidFile = path.join(tempDir(), 'kernel.pid');
    const args = ['run', '--silent', 'lessons', '--', path.join(FIXTURES, 'hang.ipynb'), '--out', tempDir()];
    const npm = spawn('npm', args, {
      cwd: ROOT, detached: true, stdio: 'ignore', env: { ...process.env, TMPDIR: tmp, HANG_FIXTURE_PID_FILE: pidFile },
    });
    let [runner, kernel] = [0, 0];
    try {
      await waitFor(() => `${how}: the hanging cell`, 60_000, () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '');
      kernel = Number(fs.readFileSync(pidFile, 'utf8'));
      runner = parentOf(kernel);
      const tsx = parentOf(runner);
      assert.ok(running(runner) && running(kernel) && running(tsx), `${how}: all run`);
      kill({ npm: npm.pid!, tsx });
      await waitFor(() => `${how}: runner ${runner} and kernel ${kernel} ending`, 10_000, () => !running(runner) && !running(kernel));
      assert.deepEqual(fs.readdirSync(tmp).filter((name) => name.startsWith('tslab-')), [], `${how}: no connection file is left`);
    } finally {
      for (const pid of [kernel, runner]) if (pid && running(pid)) process.kill(pid, 'SIGKILL');
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // The group has ended.
      }
    }
  }
});

test('a cell that sends hundreds of outputs quickly runs, and every one arrives in order (tslab patch)', async () => {
  // zeromq 6 lets one send be in flight per socket; unpatched tslab threw "Socket is busy writing"
  // here, and lost that error too: the cell failed without any text.
  const file = writeNotebook('many-outputs.ipynb', [
    '// %%',
    "import { liveTraining } from '../../src/plot/live';",
    '// Every epoch redrawn: 300 growing charts and progress lines, as fast as the kernel can send them.',
    'const live = liveTraining({ epochs: 300, redrawEveryMs: 0 });',
    'const rows = [];',
    'for (let epoch = 1; epoch <= 300; epoch++) {',
    '  const row = { epoch, seconds: 0.01, total: 1 / epoch, val_total: 1.1 / epoch };',
    '  rows.push(row);',
    '  live.onEpochEnd(row, rows);',
    '  console.log(`line ${epoch}`);',
    '  await new Promise((resolve) => setTimeout(resolve, 1));',
    '}',
  ].join('\n'));
  // The notebook imports the project's src/: it sits in build/test-notebooks.
  const inProject = path.join(ROOT, 'build', 'test-notebooks', `many-outputs-${process.pid}.ipynb`);
  fs.mkdirSync(path.dirname(inProject), { recursive: true });
  fs.copyFileSync(file, inProject);
  const out = path.join(tempDir(), 'out.ipynb');
  try {
    const result = await runNotebook(inProject, { rootDir: ROOT, outputPath: out, log: quiet });
    assert.equal(result.ok, true, result.error);
  } finally {
    fs.rmSync(inProject, { force: true });
  }
  const outputs = readNotebook(out).cells[0].outputs ?? [];
  const lines = outputs.filter((o) => o.output_type === 'stream').map((o) => o.text).join('').trim().split('\n');
  assert.deepEqual(lines, Array.from({ length: 300 }, (_, i) => `line ${i + 1}`));
  const displays = outputs.filter((o) => o.output_type === 'display_data').map((o) => String(o.data?.['text/plain']));
  assert.deepEqual(displays, ['epoch 300/300: loss 0.003333, test loss 0.003667 (0.0 s)', 'loss curves after epoch 300']);
});

test('an error thrown by a timer after its cell finished fails the run, naming that cell', async () => {
  const file = writeNotebook('late-timer.ipynb', "// %%\nconsole.log('first');\n// %%\nsetTimeout(() => {\n  throw new Error('thrown by a timer');\n}, 50);\n");
  const out = path.join(tempDir(), 'out.ipynb');
  const result = await runNotebook(file, { rootDir: ROOT, outputPath: out, log: quiet });
  assert.equal(result.ok, false, 'the late error fails the run');
  assert.equal(result.failedCell, 1);
  assert.match(result.error!, /late-timer\.ipynb: cell 2 failed: .* after the cell finished\./);
  assert.match(result.error!, /setTimeout\(\(\) => \{/);
  assert.match(result.error!, /--- error ---\nUncaughtException: Error: thrown by a timer/);
  assert.match(allText(out, 1), /UncaughtException: Error: thrown by a timer/, 'the late output is kept in its cell');
});

test('an error printed while a later cell runs is not lost', async () => {
  const file = writeNotebook('during-next.ipynb', [
    '// %%',
    "setTimeout(() => Promise.reject(new Error('rejected while the next cell runs')), 500);",
    '// %%',
    'await new Promise((resolve) => setTimeout(resolve, 2500));',
    '// %%',
    "console.log('not reached');",
  ].join('\n'));
  const out = path.join(tempDir(), 'out.ipynb');
  const result = await runNotebook(file, { rootDir: ROOT, outputPath: out, log: quiet });
  assert.equal(result.ok, false);
  assert.equal(result.failedCell, 1, result.error);
  assert.match(result.error!, /during-next\.ipynb: cell 2 failed: .* while it ran \(the work may have been started by an earlier cell\)\./);
  assert.match(result.error!, /UnhandledPromiseRejection: Error: rejected while the next cell runs/);
  assert.equal(readNotebook(out).cells[2].execution_count, null);
});

test('a notebook without a parameters cell runs: the mode is set only where MODE is declared', { timeout: 120_000 }, async () => {
  const out = tempDir();
  const notebook = path.join(FIXTURES, 'no-parameters.ipynb');
  const run = await runRunner([notebook, '--out', out, '--mode', 'quick']);
  assert.equal(run.code, 0, run.output);
  const executed = path.join(out, 'no-parameters.ipynb');
  assert.equal(readNotebook(executed).cells.length, 2, 'no parameters cell was injected');
  assert.match(allText(executed, 1), /ran without a parameters cell/);
  const refused = await runRunner([notebook, '--out', out, '--param', 'SEED=1']);
  assert.equal(refused.code, 1);
  assert.match(refused.output, /no-parameters\.ipynb has no cell tagged "parameters", so SEED cannot be set/);
  const declared = readNotebook(path.join(FIXTURES, 'failing.ipynb'));
  assert.deepEqual(runParameters(declared, { mode: 'quick', parameters: { MODE: 'full' } }), { MODE: 'full' });
  assert.deepEqual(runParameters(declared, { mode: 'quick' }), { MODE: 'quick' });
  assert.deepEqual(runParameters(readNotebook(notebook), { mode: 'quick' }), {});
});

test('a kernel that dies in a cell, or never starts, still gives a named failure and an executed copy', async () => {
  const dir = tempDir();
  const dies = writeNotebook('dies.ipynb', "// %%\nconsole.log('alive');\n// %%\nprocess.exit(3);\n");
  const died = await runNotebook(dies, { rootDir: ROOT, outputPath: path.join(dir, 'dies.ipynb'), log: quiet });
  assert.equal(died.failedCell, 1);
  assert.match(died.error!, /dies\.ipynb: cell 2 failed[:.][\s\S]*process\.exit\(3\)[\s\S]*code 3/);
  assert.match(allText(path.join(dir, 'dies.ipynb'), 0), /alive/);
  const noStart = await runNotebook(dies, { rootDir: ROOT, outputPath: path.join(dir, 'no-start.ipynb'), log: quiet, env: { NODE_OPTIONS: '--require ./no-such-preload.js' } });
  assert.equal(noStart.failedCell, 0);
  assert.match(noStart.error!, /dies\.ipynb: cell 1 did not run: the tslab kernel did not start\.[\s\S]*no-such-preload/);
  assert.equal((readNotebook(path.join(dir, 'no-start.ipynb')).metadata.executed as { ok: boolean }).ok, false);
});

/** After a cell's error tslab aborts (status abort) the cells it receives within 200 ms. */
const TSLAB_ABORT_AFTER_ERROR_MS = 300;

test('interrupt() stops a running cell and leaves the kernel usable; pid names its process', async () => {
  const { TslabKernel } = await import('../../scripts/notebook/kernel');
  const kernel = await TslabKernel.start({ cwd: tempDir() });
  try {
    assert.ok(running(kernel.pid));
    const looping = kernel.execute('while (true) {}');
    await sleep(1000);
    kernel.interrupt();
    const stopped = await looping;
    assert.equal(stopped.status, 'error');
    assert.match(stopped.stderr, /interrupted/);
    await sleep(TSLAB_ABORT_AFTER_ERROR_MS);
    const after = await kernel.execute('console.log(6 * 7);');
    assert.equal(after.status, 'ok', after.stderr);
    assert.equal(after.outputs[0].text, '42\n');
  } finally {
    await kernel.shutdown();
  }
});

/** The Python start.mjs would use, found its way; undefined if there is none. */
const jupyterMissing = ((): string | undefined => {
  const { spawnSync } = require('child_process') as typeof import('child_process');
  const candidates = [process.env.JUPYTER_PYTHON, 'python3', 'python', '/usr/bin/python3'].filter(Boolean) as string[];
  const found = candidates.some((python) => ['jupyterlab', 'notebook'].some((module) => spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0));
  return found ? undefined : 'no Jupyter (apt-get install jupyter-notebook, or pip install jupyterlab)';
})();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

test('npm start writes nothing to the home folder', { skip: jupyterMissing && process.env.CI !== 'true' ? jupyterMissing : false, timeout: 120_000 }, async () => {
  const home = tempDir();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, USERPROFILE: home };
  for (const name of ['XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'JUPYTER_CONFIG_DIR', 'JUPYTER_DATA_DIR', 'JUPYTER_RUNTIME_DIR', 'IPYTHONDIR']) delete env[name];
  // Its own process group, so that Jupyter goes too when the test stops it.
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs'), '--no-browser', `--port=${port}`], {
    cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  try {
    await waitFor(() => `Jupyter serving (output: ${output})`, 60_000, () => /running at/.test(output) && /token=[0-9a-f]+/.test(output));
    // Opening a lesson makes Jupyter check its signature, which it keeps in its data folder.
    const token = output.match(/token=([0-9a-f]+)/)![1];
    const response = await fetch(`http://127.0.0.1:${port}/api/contents/00-start-here.ipynb?token=${token}`);
    assert.equal(response.status, 200);
    await sleep(1000);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
  }
  assert.deepEqual(fs.readdirSync(home), [], `nothing in HOME (start.mjs said: ${output})`);
});

test('npm start makes IPython\'s folder inside .jupyter-local before any Python step, so IPython does not warn', {
  skip: process.platform === 'win32' ? 'a POSIX shell script stands in for Python' : false,
}, () => {
  // A fresh project: start.mjs and its helpers, a tslab whose `install` runs the kernel
  // registration with the Python it is given, and a stand-in Python.
  const project = tempDir();
  fs.mkdirSync(path.join(project, 'scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'start.mjs'), path.join(project, 'scripts', 'start.mjs'));
  const helpers = path.join(ROOT, 'scripts', 'jupyter');
  if (fs.existsSync(helpers)) fs.cpSync(helpers, path.join(project, 'scripts', 'jupyter'), { recursive: true });
  fs.mkdirSync(path.join(project, 'node_modules', '.bin'), { recursive: true });
  fs.mkdirSync(path.join(project, 'node_modules', 'tslab', 'bin'), { recursive: true });
  fs.writeFileSync(path.join(project, 'node_modules', '.bin', 'tslab'), '');
  fs.writeFileSync(path.join(project, 'node_modules', 'tslab', 'bin', 'tslab'), [
    "const python = process.argv.find((arg) => arg.startsWith('--python=')).slice('--python='.length);",
    "const run = require('child_process').spawnSync(python, ['-m', 'jupyter', 'kernelspec', 'install'], { stdio: 'inherit' });",
    'process.exit(run.status);',
  ].join('\n'));
  // Each run of this Python checks IPython's folder as IPython.paths.get_ipython_dir does: a
  // folder that does not exist and whose parent is not a writable folder gets the warning.
  const python = path.join(project, 'python3');
  fs.writeFileSync(python, [
    '#!/bin/sh',
    'dir="$IPYTHONDIR"; parent=$(dirname "$dir")',
    'if [ ! -d "$dir" ] && ! { [ -d "$parent" ] && [ -w "$parent" ]; }; then',
    '  echo "IPython parent \'$parent\' is not a writable location, using a temp directory." >&2',
    'fi',
    'exit 0',
  ].join('\n'), { mode: 0o755 });
  const home = tempDir();
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, JUPYTER_PYTHON: python };
  delete env.IPYTHONDIR;
  const run = spawnSync(process.execPath, [path.join(project, 'scripts', 'start.mjs'), '--setup-only', '--no-install'], {
    cwd: project, env, encoding: 'utf8', timeout: 60_000,
  });
  const output = run.stdout + run.stderr;
  assert.equal(run.status, 0, output);
  assert.doesNotMatch(output, /not a writable location/);
  assert.ok(fs.statSync(path.join(project, '.jupyter-local', 'ipython')).isDirectory(), 'IPython\'s folder is in the project');
});
