// @ts-check
// Where npm start keeps everything Jupyter would otherwise write under your home folder, and the
// environment every Python step runs with. Jupyter's per-user folders (`jupyter --paths`) are still
// read, so your settings and kernels apply, but never written.
import { delimiter, join } from 'node:path';

/** The project's Jupyter folder: kernelspec, config, data, runtime, IPython's folder, the venv. */
export function localPrefix(/** @type {string} */ root) {
  return join(root, '.jupyter-local');
}

/** The project environment that npm start creates when no Jupyter is found. */
export function venvDir(/** @type {string} */ root) {
  return join(localPrefix(root), 'venv');
}

/** The Python inside a virtual environment. */
export function venvPython(/** @type {string} */ dir, platform = process.platform) {
  return platform === 'win32' ? join(dir, 'Scripts', 'python.exe') : join(dir, 'bin', 'python');
}

/** pip's download cache, inside the project. */
export function pipCacheDir(/** @type {string} */ root) {
  return join(localPrefix(root), 'pip-cache');
}

/** The lock file the project environment is installed from (pinned versions, hashes). */
export function lockFile(/** @type {string} */ root) {
  return join(root, 'scripts', 'jupyter', 'requirements.txt');
}

/**
 * Jupyter's per-user folders, as Jupyter itself finds them.
 * @param {NodeJS.ProcessEnv} env @param {string} home
 */
export function userJupyterDirs(env, home, platform = process.platform) {
  const config = env.JUPYTER_CONFIG_DIR || join(home, '.jupyter');
  const data = env.JUPYTER_DATA_DIR || (platform === 'win32'
    ? join(env.APPDATA || home, 'jupyter')
    : platform === 'darwin' ? join(home, 'Library', 'Jupyter') : join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'jupyter'));
  return { config, data };
}

/**
 * The environment for every Python step (the kernel registration too: it creates IPython's folder):
 * config, data, runtime files and IPython's folder inside the project; pip's cache too, and npm's
 * (JupyterLab's language-server lookup runs `npm prefix -g` at start, which writes ~/.npm) unless
 * the user chose one.
 * @param {string} root @param {NodeJS.ProcessEnv} env @param {string} home
 * @returns {NodeJS.ProcessEnv}
 */
export function jupyterEnv(root, env, home, platform = process.platform) {
  const prefix = localPrefix(root);
  const user = userJupyterDirs(env, home, platform);
  const paths = (/** @type {(string | undefined)[]} */ ...dirs) => dirs.filter(Boolean).join(delimiter);
  return {
    ...env,
    JUPYTER_CONFIG_DIR: join(prefix, 'config'), // settings, JupyterLab workspaces, the "migrated" marker
    JUPYTER_CONFIG_PATH: paths(env.JUPYTER_CONFIG_PATH, user.config),
    JUPYTER_DATA_DIR: join(prefix, 'share', 'jupyter'), // kernelspecs, notebook secret, signatures
    JUPYTER_PATH: paths(join(prefix, 'share', 'jupyter'), env.JUPYTER_PATH, user.data),
    JUPYTER_RUNTIME_DIR: join(prefix, 'runtime'), // connection files, server info, cookie secret
    IPYTHONDIR: join(prefix, 'ipython'), // created by the registration and by the server
    PIP_CACHE_DIR: pipCacheDir(root),
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    ...(env.npm_config_cache || env.NPM_CONFIG_CACHE ? {} : { npm_config_cache: join(prefix, 'npm-cache') }),
  };
}
