import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { jupyterEnv, localPrefix, lockFile, pipCacheDir, venvDir, venvPython } from '../../scripts/jupyter/paths.mjs';

const ROOT = '/project';

test('everything Jupyter, IPython and pip write goes inside the project', () => {
  const env = jupyterEnv(ROOT, { HOME: '/home/me', PATH: '/bin' }, '/home/me', 'linux');
  for (const key of ['JUPYTER_CONFIG_DIR', 'JUPYTER_DATA_DIR', 'JUPYTER_RUNTIME_DIR', 'IPYTHONDIR', 'PIP_CACHE_DIR'] as const) {
    assert.ok(env[key]?.startsWith(path.join(ROOT, '.jupyter-local')), `${key} = ${env[key]}`);
  }
  assert.equal(env.IPYTHONDIR, path.join(ROOT, '.jupyter-local', 'ipython'));
  assert.equal(env.PATH, '/bin', 'the rest of the environment is kept');
});

test("the user's own Jupyter folders are still read, after the project's", () => {
  const env = jupyterEnv(ROOT, { JUPYTER_PATH: '/extra' }, '/home/me', 'linux');
  assert.deepEqual(env.JUPYTER_PATH?.split(path.delimiter), [path.join(ROOT, '.jupyter-local', 'share', 'jupyter'), '/extra', '/home/me/.local/share/jupyter']);
  assert.equal(env.JUPYTER_CONFIG_PATH, '/home/me/.jupyter');
  assert.equal(jupyterEnv(ROOT, {}, '/Users/me', 'darwin').JUPYTER_PATH?.split(path.delimiter)[1], '/Users/me/Library/Jupyter');
});

test('the project environment, its Python, the cache and the lock file live where .gitignore expects', () => {
  assert.equal(localPrefix(ROOT), path.join(ROOT, '.jupyter-local'));
  assert.equal(venvDir(ROOT), path.join(ROOT, '.jupyter-local', 'venv'));
  assert.equal(pipCacheDir(ROOT), path.join(ROOT, '.jupyter-local', 'pip-cache'));
  assert.equal(venvPython('/v', 'linux'), path.join('/v', 'bin', 'python'));
  assert.equal(venvPython('/v', 'win32'), path.join('/v', 'Scripts', 'python.exe'));
  assert.equal(lockFile(ROOT), path.join(ROOT, 'scripts', 'jupyter', 'requirements.txt'));
});
