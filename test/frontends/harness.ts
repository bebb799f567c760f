/**
 * Drives the Jupyter front ends learners use, live, in headless Chromium (Debian's; never a
 * downloaded browser): starts a Jupyter server on 127.0.0.1 with a token and the tslab kernel, in a
 * throwaway Jupyter home, opens a notebook, runs it and measures what the page drew.
 *
 * Front ends: JupyterLab 4 and Notebook 7 from the project environment (.jupyter-local/venv, made by
 * `npm start` or CI from scripts/jupyter/requirements.txt), and Debian's classic Notebook 6 when
 * /usr/bin/python3 has it.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import { environmentState } from '../../scripts/jupyter/environment.mjs';
import { lockFile, venvDir, venvPython } from '../../scripts/jupyter/paths.mjs';
import { freePort } from '../../scripts/jupyter/port.mjs';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'build', 'frontends');
const TSLAB = path.join(ROOT, 'node_modules', '.bin', 'tslab');

export type FrontEndName = 'jupyterlab4' | 'notebook7' | 'classic';

export interface FrontEnd {
  name: FrontEndName;
  label: string;
  python: string;
  /** The URL path of a notebook, relative to the server's root. */
  notebookPath: (file: string) => string;
  args: (port: number, token: string, root: string) => string[];
}

function pythonVersionOf(python: string, module: string): string | undefined {
  const probe = spawnSync(python, ['-c', `import ${module}; print(${module}.__version__)`], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

const serverArgs = (port: number, token: string, root: string) => [
  '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--ServerApp.port_retries=0', `--IdentityProvider.token=${token}`,
  `--ServerApp.root_dir=${root}`, ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
];

/** The front ends installed here, and why the others are missing. */
export function frontEnds(): { available: FrontEnd[]; missing: string[] } {
  const available: FrontEnd[] = [];
  const missing: string[] = [];
  const venv = venvDir(ROOT);
  const state = environmentState(venv, lockFile(ROOT));
  if (state === 'ready') {
    const python = venvPython(venv);
    available.push({
      name: 'jupyterlab4', label: `JupyterLab ${pythonVersionOf(python, 'jupyterlab')}`, python,
      notebookPath: (file) => `/lab/tree/${file}`,
      args: (port, token, root) => ['-m', 'jupyterlab', ...serverArgs(port, token, root), '--LabApp.expose_app_in_browser=True'],
    });
    available.push({
      name: 'notebook7', label: `Notebook ${pythonVersionOf(python, 'notebook')}`, python,
      notebookPath: (file) => `/notebooks/${file}`,
      args: (port, token, root) => ['-m', 'notebook', ...serverArgs(port, token, root), '--JupyterNotebookApp.expose_app_in_browser=True'],
    });
  } else {
    missing.push(`JupyterLab 4 and Notebook 7: the project environment is ${state} (node scripts/start.mjs --project-env --setup-only)`);
  }
  const classic = pythonVersionOf('/usr/bin/python3', 'notebook');
  if (classic && Number(classic.split('.')[0]) < 7) {
    available.push({
      name: 'classic', label: `classic Notebook ${classic}`, python: '/usr/bin/python3',
      notebookPath: (file) => `/notebooks/${file}`,
      args: (port, token, root) => ['-m', 'notebook', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--NotebookApp.port_retries=0',
        `--NotebookApp.token=${token}`, `--NotebookApp.notebook_dir=${root}`, ...(process.getuid?.() === 0 ? ['--allow-root'] : [])],
    });
  } else {
    missing.push("the classic Notebook 6: /usr/bin/python3 has none (apt-get install --no-install-recommends jupyter-notebook)");
  }
  // AE_FRONTENDS=jupyterlab4,classic narrows a run to those (while working on one).
  const only = process.env.AE_FRONTENDS?.split(',');
  return { available: only ? available.filter((f) => only.includes(f.name)) : available, missing };
}

/** Why the front-end tests cannot run here, or false. In CI nothing may be missing. */
export function skipReason(): string | false {
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (frontEnds().available.length === 0) return frontEnds().missing.join('; ');
  return false;
}

/** A folder inside the project (so that a notebook's `../../../src` is the library), removed by `remove()`. */
export function workFolder(name: string): { dir: string; remove: () => void } {
  const dir = path.join(ROOT, 'build', 'frontends', `${name}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true });
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface Server {
  url: (file: string) => string;
  home: string;
  env: NodeJS.ProcessEnv;
  stop: () => Promise<void>;
  log: () => string;
}

/**
 * Starts `frontEnd`'s server on `root` in a throwaway Jupyter home (config, data, runtime, IPython's
 * folder) under root/.jupyter, with the tslab kernel registered there.
 */
export async function startServer(frontEnd: FrontEnd, root: string, { settings = true } = {}): Promise<Server> {
  const home = path.join(root, '.jupyter');
  const kernelDir = path.join(home, 'data', 'kernels', 'tslab');
  fs.mkdirSync(kernelDir, { recursive: true });
  fs.writeFileSync(path.join(kernelDir, 'kernel.json'), JSON.stringify({
    argv: [TSLAB, 'kernel', '--config-path', '{connection_file}'], display_name: 'TypeScript', language: 'typescript',
  }));
  // No news or update checks, and every cell in the page (JupyterLab 4 and Notebook 7 draw only the
  // cells near the viewport by default): the test counts what the page holds.
  const userSettings = path.join(home, 'config', 'lab', 'user-settings', '@jupyterlab');
  if (settings) {
    fs.mkdirSync(path.join(userSettings, 'notebook-extension'), { recursive: true });
    fs.writeFileSync(path.join(userSettings, 'notebook-extension', 'tracker.jupyterlab-settings'), JSON.stringify({ windowingMode: 'none' }));
  }
  if (settings && frontEnd.name === 'jupyterlab4') {
    fs.mkdirSync(path.join(userSettings, 'apputils-extension'), { recursive: true });
    fs.writeFileSync(path.join(userSettings, 'apputils-extension', 'notification.jupyterlab-settings'), JSON.stringify({ fetchNews: 'false', checkForUpdates: false }));
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_CONFIG_DIR: path.join(home, 'config'),
    JUPYTER_CONFIG_PATH: '',
    JUPYTER_DATA_DIR: path.join(home, 'data'),
    JUPYTER_PATH: path.join(home, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(home, 'runtime'),
    IPYTHONDIR: path.join(home, 'ipython'),
    TSLAB_ROOT_DIR: ROOT,
  };
  const port = await freePort(18888 + (process.pid % 1000));
  const token = crypto.randomBytes(16).toString('hex');
  const child: ChildProcess = spawn(frontEnd.python, frontEnd.args(port, token, root), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => { output += chunk; });
  child.stderr?.on('data', (chunk) => { output += chunk; });
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM'); // Jupyter shuts its kernels down on SIGTERM
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${frontEnd.label} exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(`${base}/api/status?token=${token}`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${frontEnd.label} did not answer within 90 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url: (file) => `${base}${frontEnd.notebookPath(file)}?token=${token}`, home, env, stop, log: () => output };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** A page that refuses every request not to 127.0.0.1 and records its script errors. */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

/**
 * Script errors that come from the front end itself, whatever the notebook: Notebook 7.6.5 throws
 * this one while loading its settings, with an empty notebook and no settings of ours (measured).
 */
const OWN_ERRORS: Partial<Record<FrontEndName, string[]>> = {
  notebook7: ["Cannot read properties of undefined (reading 'schema')"],
};

/** The page's script errors less the front end's own (above). */
export function outputErrors(errors: string[], frontEnd: FrontEndName): string[] {
  return errors.filter((error) => !(OWN_ERRORS[frontEnd] ?? []).includes(error));
}
