// npm start: registers the TypeScript (tslab) kernel inside this project and opens the lessons
// in Jupyter (JupyterLab if installed, else Notebook), on 127.0.0.1 only.
// Nothing is written to your home or system directories: the kernelspec, and everything Jupyter
// would otherwise write under your home (config, data, runtime files, IPython's folder), goes to
// .jupyter-local/. Your own Jupyter config and kernels are still read.
// Set JUPYTER_PYTHON to choose the Python that has Jupyter.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const prefix = join(root, '.jupyter-local');
const windows = process.platform === 'win32';

// Jupyter's per-user folders (`jupyter --paths`): still read, so your settings and kernels apply,
// but no longer written.
const home = homedir();
const userConfig = process.env.JUPYTER_CONFIG_DIR || join(home, '.jupyter');
const userData = process.env.JUPYTER_DATA_DIR || (windows
  ? join(process.env.APPDATA || home, 'jupyter')
  : process.platform === 'darwin' ? join(home, 'Library', 'Jupyter') : join(process.env.XDG_DATA_HOME || join(home, '.local', 'share'), 'jupyter'));
const paths = (...dirs) => dirs.filter(Boolean).join(delimiter);
// Every Python step below (the kernel registration too: it creates IPython's folder) runs with
// these, so that nothing lands in your home folder.
const env = {
  ...process.env,
  JUPYTER_CONFIG_DIR: join(prefix, 'config'), // settings, JupyterLab workspaces, the "migrated" marker
  JUPYTER_CONFIG_PATH: paths(process.env.JUPYTER_CONFIG_PATH, userConfig),
  JUPYTER_DATA_DIR: join(prefix, 'share', 'jupyter'), // kernelspecs, notebook secret, signatures
  JUPYTER_PATH: paths(join(prefix, 'share', 'jupyter'), process.env.JUPYTER_PATH, userData),
  JUPYTER_RUNTIME_DIR: join(prefix, 'runtime'), // connection files, server info, cookie secret
  IPYTHONDIR: join(prefix, 'ipython'), // created by the registration and by the server
};

function has(python, module) {
  const result = spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore', env });
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
const install = spawnSync(process.execPath, [join(root, 'node_modules', 'tslab', 'bin', 'tslab'), 'install', `--python=${python}`, `--binary=${tslabBinary}`, `--prefix=${prefix}`], { stdio: 'inherit', env });
if (install.status !== 0) {
  console.error('Registering the tslab kernel failed (see above).');
  process.exit(install.status ?? 1);
}

const args = ['-m', app, '--ip=127.0.0.1', `--notebook-dir=${join(root, 'notebooks')}`];
// Jupyter refuses to run as root unless told; in a container root is the normal user.
if (process.getuid?.() === 0) args.push('--allow-root');
args.push(...process.argv.slice(2));
console.log(`Starting ${app} with ${python} (kernel "TypeScript" from ${prefix}). Stop it with Ctrl-C.`);
const child = spawn(python, args, { stdio: 'inherit', env });
// Ctrl-C reaches Jupyter too (it asks before stopping): wait for it rather than leave it behind.
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
