// npm start: registers the TypeScript (tslab) kernel inside this project and opens the lessons
// in Jupyter (JupyterLab if installed, else Notebook), on 127.0.0.1 only.
// Nothing is written to your home or system directories: the kernelspec goes to .jupyter-local/.
// Set JUPYTER_PYTHON to choose the Python that has Jupyter.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const prefix = join(root, '.jupyter-local');
const windows = process.platform === 'win32';

function has(python, module) {
  const result = spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

const candidates = [process.env.JUPYTER_PYTHON, windows ? 'python' : 'python3', 'python', '/usr/bin/python3'].filter(Boolean);
let python;
let app;
for (const candidate of candidates) {
  if (has(candidate, 'jupyterlab')) { python = candidate; app = 'jupyterlab'; break; }
  if (!python && has(candidate, 'notebook')) { python = candidate; app = 'notebook'; }
}
if (!python) {
  console.error(`No Jupyter found (looked for the Python modules jupyterlab and notebook in: ${candidates.join(', ')}).
Install one, then run npm start again:
  pip:    python3 -m pip install jupyterlab
  Debian/Ubuntu: sudo apt-get install -y --no-install-recommends jupyter-notebook jupyter-nbconvert jupyter-client jupyter-nbformat
  conda:  conda install -c conda-forge jupyterlab
  macOS:  brew install jupyterlab
If Jupyter lives in another Python, point to it: JUPYTER_PYTHON=/path/to/python npm start`);
  process.exit(1);
}

const tslabBinary = join(root, 'node_modules', '.bin', windows ? 'tslab.cmd' : 'tslab');
if (!existsSync(tslabBinary)) {
  console.error(`tslab is not installed (${tslabBinary} is missing). Run npm ci first.`);
  process.exit(1);
}
const install = spawnSync(process.execPath, [join(root, 'node_modules', 'tslab', 'bin', 'tslab'), 'install', `--python=${python}`, `--binary=${tslabBinary}`, `--prefix=${prefix}`], { stdio: 'inherit' });
if (install.status !== 0) {
  console.error('Registering the tslab kernel failed (see above).');
  process.exit(install.status ?? 1);
}

const jupyterPath = [join(prefix, 'share', 'jupyter'), process.env.JUPYTER_PATH].filter(Boolean).join(delimiter);
const args = ['-m', app, '--ip=127.0.0.1', `--notebook-dir=${join(root, 'notebooks')}`];
// Jupyter refuses to run as root unless told; in a container root is the normal user.
if (process.getuid?.() === 0) args.push('--allow-root');
args.push(...process.argv.slice(2));
console.log(`Starting ${app} with ${python} (kernel "TypeScript" from ${prefix}). Stop it with Ctrl-C.`);
const env = { ...process.env, JUPYTER_PATH: jupyterPath, JUPYTER_RUNTIME_DIR: join(prefix, 'runtime') };
const child = spawn(python, args, { stdio: 'inherit', env });
child.on('exit', (code) => process.exit(code ?? 0));
