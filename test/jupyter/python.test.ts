import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { choosePythonForVenv, describePythons, findJupyter, pythonCandidates, pythonProbe } from '../../scripts/jupyter/python.mjs';

/** A fake probe: which code each Python can run, and what it prints. */
function fakeProbe(pythons: Record<string, { version?: string; modules?: string[]; venv?: boolean }>) {
  return (python: string, code: string): string | undefined => {
    const p = pythons[python];
    if (!p?.version) return undefined;
    if (code.includes('sys.version_info')) return `${p.version}\n`;
    if (code.includes('ensurepip')) return p.venv ? '' : undefined;
    const module = /^import (\w+)$/.exec(code)?.[1];
    return module && p.modules?.includes(module) ? '' : undefined;
  };
}

test('JUPYTER_PYTHON is looked at first, then python3, python and Debian\'s', () => {
  assert.deepEqual(pythonCandidates({ JUPYTER_PYTHON: '/opt/py' }, 'linux'), ['/opt/py', 'python3', 'python', '/usr/bin/python3']);
  assert.deepEqual(pythonCandidates({}, 'win32'), ['python']);
});

test('JupyterLab anywhere wins over Notebook earlier in the list', () => {
  const probe = fakeProbe({ a: { version: '3.11.2', modules: ['notebook'] }, b: { version: '3.12.1', modules: ['jupyterlab', 'notebook'] } });
  assert.deepEqual(findJupyter(['a', 'b'], probe), { python: 'b', app: 'jupyterlab' });
  assert.deepEqual(findJupyter(['a'], probe), { python: 'a', app: 'notebook' });
  assert.equal(findJupyter(['missing'], probe), undefined);
});

test('the project environment is made with the first Python 3.9+ that has venv and ensurepip', () => {
  const probe = fakeProbe({ old: { version: '3.8.18', venv: true }, nopip: { version: '3.11.2', venv: false }, good: { version: '3.13.0', venv: true } });
  assert.deepEqual(choosePythonForVenv(describePythons(['old', 'nopip', 'good'], probe)), { python: 'good', version: '3.13.0' });
});

test('without venv, one message names the Debian package to install', () => {
  const chosen = choosePythonForVenv(describePythons(['/usr/bin/python3'], fakeProbe({ '/usr/bin/python3': { version: '3.11.2', venv: false } })));
  assert.ok('problem' in chosen);
  assert.match(chosen.problem, /apt-get install -y python3-venv/);
  assert.match(chosen.problem, /python3\.11-venv/);
});

test('without a Python, or with one too old, the message says what was found and how to install one', () => {
  const none = choosePythonForVenv(describePythons(['python3', 'python'], fakeProbe({})));
  assert.ok('problem' in none);
  assert.match(none.problem, /No Jupyter and no Python 3\.9 or newer found; looked for: python3, python/);
  assert.match(none.problem, /apt-get install -y python3 python3-venv/);
  assert.match(none.problem, /JUPYTER_PYTHON=/);
  const old = choosePythonForVenv(describePythons(['python3'], fakeProbe({ python3: { version: '3.8.18', venv: true } })));
  assert.ok('problem' in old);
  assert.match(old.problem, /python3: 3\.8\.18: older than 3\.9/);
});

test('the real probe runs a Python and reports one that cannot run as missing', () => {
  const probe = pythonProbe(process.env);
  assert.equal(probe('/nonexistent/python', 'print(1)'), undefined);
  const described = describePythons(['python3'], probe)[0];
  if (described.version) assert.match(described.version, /^\d+\.\d+\.\d+$/);
});
