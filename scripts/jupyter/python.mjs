// @ts-check
// Finding a Python that has Jupyter, or one that can make the project environment.
import { spawnSync } from 'node:child_process';

/** The oldest Python the lock file supports. */
export const MIN_PYTHON = { major: 3, minor: 9 };

/**
 * Runs `python -c code`; its stdout, or undefined when it cannot run or fails.
 * @typedef {(python: string, code: string) => string | undefined} Probe
 * @param {NodeJS.ProcessEnv} env
 * @returns {Probe}
 */
export function pythonProbe(env) {
  return (python, code) => {
    const result = spawnSync(python, ['-c', code], { encoding: 'utf8', env, timeout: 60_000 });
    return !result.error && result.status === 0 ? result.stdout : undefined;
  };
}

/** The Pythons to look at, in order: JUPYTER_PYTHON first. */
export function pythonCandidates(/** @type {NodeJS.ProcessEnv} */ env, platform = process.platform) {
  const names = [env.JUPYTER_PYTHON, platform === 'win32' ? 'python' : 'python3', 'python', platform === 'win32' ? undefined : '/usr/bin/python3'];
  return [...new Set(names.filter(/** @returns {name is string} */ (name) => Boolean(name)))];
}

/**
 * The first candidate with JupyterLab, else the first with Notebook, or undefined.
 * @param {string[]} candidates @param {Probe} probe
 * @returns {{ python: string, app: 'jupyterlab' | 'notebook' } | undefined}
 */
export function findJupyter(candidates, probe) {
  /** @type {{ python: string, app: 'jupyterlab' | 'notebook' } | undefined} */
  let notebook;
  for (const python of candidates) {
    if (probe(python, 'import jupyterlab') !== undefined) return { python, app: 'jupyterlab' };
    if (!notebook && probe(python, 'import notebook') !== undefined) notebook = { python, app: 'notebook' };
  }
  return notebook;
}

/**
 * What each candidate is: its version, and whether it can make a virtual environment with pip
 * (Debian's and Ubuntu's Python needs python3-venv for ensurepip).
 * @param {string[]} candidates @param {Probe} probe
 * @returns {{ python: string, version?: string, ok: boolean, venv: boolean }[]}
 */
export function describePythons(candidates, probe) {
  return candidates.map((python) => {
    const out = probe(python, 'import sys; print("%d.%d.%d" % sys.version_info[:3])');
    if (out === undefined) return { python, ok: false, venv: false };
    const version = out.trim();
    const [major, minor] = version.split('.').map(Number);
    const ok = major > MIN_PYTHON.major || (major === MIN_PYTHON.major && minor >= MIN_PYTHON.minor);
    const venv = ok && probe(python, 'import venv, ensurepip') !== undefined;
    return { python, version, ok, venv };
  });
}

/**
 * The Python to make the project environment with, or a message saying why there is none and
 * what to do.
 * @param {{ python: string, version?: string, ok: boolean, venv: boolean }[]} pythons
 * @returns {{ python: string, version: string } | { problem: string }}
 */
export function choosePythonForVenv(pythons, platform = process.platform) {
  const usable = pythons.find((p) => p.ok && p.venv);
  if (usable) return { python: usable.python, version: /** @type {string} */ (usable.version) };
  const found = pythons.filter((p) => p.version);
  const looked = pythons.map((p) => p.python).join(', ');
  const min = `${MIN_PYTHON.major}.${MIN_PYTHON.minor}`;
  const withoutVenv = found.find((p) => p.ok && !p.venv);
  if (withoutVenv) {
    const [major, minor] = /** @type {string} */ (withoutVenv.version).split('.');
    return { problem: `${withoutVenv.python} (Python ${withoutVenv.version}) cannot create a virtual environment: its venv module (with ensurepip) is missing.
Install it, then run npm start again:
  Debian/Ubuntu: sudo apt-get install -y python3-venv   (or python${major}.${minor}-venv)
  other systems: install Python ${min} or newer from python.org, or point to one: JUPYTER_PYTHON=/path/to/python npm start` };
  }
  const versions = found.length > 0 ? ` (found ${found.map((p) => `${p.python}: ${p.version}`).join(', ')}: older than ${min})` : '';
  return { problem: `No Jupyter and no Python ${min} or newer found${versions}; looked for: ${looked}.
npm start installs JupyterLab and Notebook into the project by itself once it finds a Python ${min}+. Install Python, then run npm start again:
  Debian/Ubuntu: sudo apt-get install -y python3 python3-venv
  macOS:         brew install python
  Windows:       winget install Python.Python.3.12   (or python.org)
Or use a Jupyter you already have: JUPYTER_PYTHON=/path/to/python npm start` };
}
