// @ts-check
// The project environment: a virtual environment in .jupyter-local/venv with JupyterLab 4,
// Notebook 7, plotly (its jupyterlab-plotly renderer) and nbconvert 7, installed from the lock file
// with every hash checked. A marker file, written last, says the install finished and from which
// lock file; a folder without it (a failed or interrupted install) is removed and installed again.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { venvPython } from './paths.mjs';

export const MARKER = 'ae-install-complete.json';

/** What npm start says before it installs. */
export const WHAT_IS_INSTALLED = 'JupyterLab 4, Notebook 7, plotly 6 (its JupyterLab renderer for the charts) and nbconvert 7';

/** The lock file's SHA-256: the marker records it, so an updated lock file installs again. */
export function lockDigest(/** @type {string} */ lock) {
  return createHash('sha256').update(readFileSync(lock)).digest('hex');
}

/** What a finished install can import. */
export const MODULES = ['jupyterlab', 'notebook', 'nbconvert', 'plotly'];

/**
 * 'ready' (installed from this lock file), 'missing', 'partial' (a folder without the marker: an
 * install failed or was stopped), 'outdated' (installed from another lock file) or 'broken' (its
 * Python is gone, e.g. the Python it was made from was removed).
 * @param {string} dir @param {string} lock @param {string[]} [modules]
 * @returns {'ready' | 'missing' | 'partial' | 'outdated' | 'broken'}
 */
export function environmentState(dir, lock, modules = MODULES) {
  if (!existsSync(dir)) return 'missing';
  const marker = join(dir, MARKER);
  if (!existsSync(marker)) return 'partial';
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(marker, 'utf8')).lock;
  } catch {
    return 'partial';
  }
  if (!existsSync(venvPython(dir))) return 'broken';
  const ran = spawnSync(venvPython(dir), ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore', timeout: 60_000 });
  if (ran.error || ran.status !== 0) return 'broken';
  return recorded === lockDigest(lock) ? 'ready' : 'outdated';
}

/**
 * @typedef {(command: string, args: string[], options: { env: NodeJS.ProcessEnv }) => { status: number | null, error?: Error }} Runner
 * @type {Runner}
 */
export const runInherit = (command, args, options) => spawnSync(command, args, { stdio: 'inherit', env: options.env });

/**
 * Creates the environment from scratch with `python` and installs the lock file into it
 * (hash-checked, wheels only); writes the marker last. Throws with what to do when a step fails;
 * what a failed step left has no marker, so the next start removes it and installs again.
 * `what`, `command` and `otherwise` name what is installed, the command that installs it and the
 * way round a failed install, for messages.
 * @param {{ python: string, dir: string, lock: string, env: NodeJS.ProcessEnv, log?: (line: string) => void, run?: Runner, what?: string, command?: string, otherwise?: string }} options
 */
export function installEnvironment({
  python, dir, lock, env, log = console.log, run = runInherit, what = 'Jupyter', command = 'npm start',
  otherwise = 'install Jupyter yourself and point to it: JUPYTER_PYTHON=/path/to/python npm start',
}) {
  if (existsSync(dir)) {
    log(`Removing ${dir} (an earlier install did not finish, or the lock file changed).`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(join(dir, '..'), { recursive: true });
  const made = run(python, ['-m', 'venv', dir], { env });
  if (made.error || made.status !== 0) {
    throw new Error(`Creating the virtual environment ${dir} with ${python} failed (see above).
On Debian/Ubuntu install python3-venv (sudo apt-get install -y python3-venv), then run ${command} again.`);
  }
  const pip = run(venvPython(dir), ['-m', 'pip', 'install', '--quiet', '--require-hashes', '--only-binary=:all:', '--no-input', '-r', lock], { env });
  if (pip.error || pip.status !== 0) {
    throw new Error(`Installing ${what} into ${dir} failed (see pip's message above). Nothing half-installed is kept: the next ${command} installs again.
Without internet, or behind a proxy pip cannot pass, ${otherwise}`);
  }
  const marker = join(dir, MARKER);
  writeFileSync(`${marker}.tmp`, `${JSON.stringify({ lock: lockDigest(lock), python, installed: new Date().toISOString() }, null, 2)}\n`);
  renameSync(`${marker}.tmp`, marker);
}
