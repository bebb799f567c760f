// npm start: registers the TypeScript (tslab) kernel inside this project and opens the lessons
// in Jupyter on 127.0.0.1 only. Which Jupyter, in this order: the one in JUPYTER_PYTHON; the
// project environment (.jupyter-local/venv) if npm start made one; JupyterLab, else Notebook, from
// python3, python or /usr/bin/python3; else npm start makes the project environment itself from
// the lock file scripts/jupyter/requirements.txt (JupyterLab 4, Notebook 7, plotly's renderer,
// nbconvert 7; versions pinned, hashes checked), once.
// Nothing is written to your home or system directories: the kernelspec, and everything Jupyter
// would otherwise write under your home (config, data, runtime files, IPython's folder, pip's
// cache), goes to .jupyter-local/. Your own Jupyter config and kernels are still read.
//
//   npm start                      as above
//   npm start -- --no-install      never install: fail with what to do if no Jupyter is found
//   npm start -- --project-env     use (and make if needed) the project environment even if
//                                  another Jupyter is found
//   npm start -- --setup-only      set up (install, register the kernel) and stop
// Anything else is passed to Jupyter (e.g. --port=9999).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { environmentState, installEnvironment, WHAT_IS_INSTALLED } from './jupyter/environment.mjs';
import { withLock } from './jupyter/installLock.mjs';
import { jupyterEnv, localPrefix, lockFile, venvDir, venvPython } from './jupyter/paths.mjs';
import { freePort, requestedPort } from './jupyter/port.mjs';
import { choosePythonForVenv, describePythons, findJupyter, pythonCandidates, pythonProbe } from './jupyter/python.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const prefix = localPrefix(root);
const windows = process.platform === 'win32';
const OWN_FLAGS = ['--no-install', '--project-env', '--setup-only'];
const flags = new Set(process.argv.slice(2).filter((arg) => OWN_FLAGS.includes(arg)));
const jupyterArgs = process.argv.slice(2).filter((arg) => !OWN_FLAGS.includes(arg));

// Every Python step below (the kernel registration too: it creates IPython's folder) runs with
// this environment, so that nothing lands in your home folder.
const env = jupyterEnv(root, process.env, homedir());
mkdirSync(env.IPYTHONDIR, { recursive: true }); // else IPython warns and takes a temporary folder
const probe = pythonProbe(env);

function fail(message) {
  console.error(message);
  process.exit(1);
}

const tslabBinary = join(root, 'node_modules', '.bin', windows ? 'tslab.cmd' : 'tslab');
if (!existsSync(tslabBinary)) fail(`tslab is not installed (${tslabBinary} is missing). Run npm ci first.`);

const candidates = pythonCandidates(process.env);
const venv = venvDir(root);
const lock = lockFile(root);
const projectEnv = { python: venvPython(venv), app: 'jupyterlab' };
let jupyter;
if (!flags.has('--project-env')) {
  if (process.env.JUPYTER_PYTHON) jupyter = findJupyter([process.env.JUPYTER_PYTHON], probe);
  if (!jupyter && environmentState(venv, lock) === 'ready') jupyter = projectEnv;
  jupyter ??= findJupyter(candidates, probe);
}
if (!jupyter) {
  if (flags.has('--no-install')) {
    fail(`No Jupyter found (looked for the Python modules jupyterlab and notebook in: ${candidates.join(', ')}), and --no-install forbids making the project environment.
Run npm start without --no-install to install ${WHAT_IS_INSTALLED} into ${venv}, or install Jupyter yourself and point to it: JUPYTER_PYTHON=/path/to/python npm start`);
  }
  try {
    await withLock(join(prefix, 'install.lock'), () => {
      const state = environmentState(venv, lock);
      if (state === 'ready') return;
      const chosen = choosePythonForVenv(describePythons(candidates, probe));
      if ('problem' in chosen) fail(chosen.problem);
      console.log(`No Jupyter found${state === 'missing' ? '' : ` (the project environment is ${state})`}: installing ${WHAT_IS_INSTALLED}
into ${venv} with ${chosen.python} (Python ${chosen.version}), from the lock file ${lock} (pinned versions, hashes checked).
This downloads about 60 MB and takes 1 to 5 minutes, once; later starts reuse it. (npm start -- --no-install refuses this.)`);
      const started = Date.now();
      installEnvironment({ python: chosen.python, dir: venv, lock, env });
      console.log(`Installed in ${Math.round((Date.now() - started) / 1000)} s.`);
    }, { onWait: (pid) => console.log(`Another npm start${pid ? ` (process ${pid})` : ''} is installing the project's Jupyter; waiting for it to finish.`) });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  jupyter = projectEnv;
}

const install = spawnSync(process.execPath, [join(root, 'node_modules', 'tslab', 'bin', 'tslab'), 'install', `--python=${jupyter.python}`, `--binary=${tslabBinary}`, `--prefix=${prefix}`], { stdio: 'inherit', env });
if (install.status !== 0) {
  console.error('Registering the tslab kernel failed (see above).');
  process.exit(install.status ?? 1);
}
if (flags.has('--setup-only')) {
  console.log(`Set up: ${jupyter.app} in ${jupyter.python}, kernel "TypeScript" in ${prefix}.`);
  process.exit(0);
}

const args = ['-m', jupyter.app, '--ip=127.0.0.1', `--notebook-dir=${join(root, 'notebooks')}`];
if (requestedPort(jupyterArgs) === undefined) {
  // Jupyter's own retries stay on too, in case another start takes the port in between.
  const port = await freePort(8888);
  if (port !== 8888) console.log(`Port 8888 is in use (another Jupyter?): using ${port}.`);
  args.push(`--port=${port}`);
}
// Jupyter refuses to run as root unless told; in a container root is the normal user.
if (process.getuid?.() === 0) args.push('--allow-root');
args.push(...jupyterArgs);
console.log(`Starting ${jupyter.app} with ${jupyter.python} (kernel "TypeScript" from ${prefix}). Stop it with Ctrl-C.`);
const child = spawn(jupyter.python, args, { stdio: 'inherit', env });
// Ctrl-C reaches Jupyter too (it asks before stopping): wait for it rather than leave it behind.
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
