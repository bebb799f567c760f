/**
 * The project environment's install, with a real Python and pip but an offline lock file: an
 * empty one installs (nothing), one naming a package pip cannot find fails like a broken network.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { environmentState, installEnvironment, lockDigest, MARKER } from '../../scripts/jupyter/environment.mjs';
import { lockFile, venvPython } from '../../scripts/jupyter/paths.mjs';
import { describePythons, choosePythonForVenv, pythonCandidates, pythonProbe } from '../../scripts/jupyter/python.mjs';

const ROOT = path.resolve(__dirname, '..', '..');
const chosen = choosePythonForVenv(describePythons(pythonCandidates(process.env), pythonProbe(process.env)));
const skip = 'problem' in chosen ? 'no Python 3.9+ with venv' : false;
const python = 'problem' in chosen ? '' : chosen.python;
const quiet = { log: () => {} };
const offline = { ...process.env, PIP_NO_INDEX: '1', PIP_FIND_LINKS: '', PIP_CACHE_DIR: '' };

function workspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-env-'));
  const lock = path.join(dir, 'requirements.txt');
  fs.writeFileSync(lock, '# nothing\n');
  return { venv: path.join(dir, 'venv'), lock };
}

test('an install that finishes is ready; an updated lock file makes it outdated', { skip, timeout: 120_000 }, () => {
  const { venv, lock } = workspace();
  assert.equal(environmentState(venv, lock, ['json']), 'missing');
  installEnvironment({ python, dir: venv, lock, env: offline, ...quiet });
  assert.ok(fs.existsSync(venvPython(venv)));
  assert.equal(JSON.parse(fs.readFileSync(path.join(venv, MARKER), 'utf8')).lock, lockDigest(lock));
  assert.equal(environmentState(venv, lock, ['json']), 'ready');
  assert.equal(environmentState(venv, lock, ['no_such_module_here']), 'broken', 'a module missing is not ready');
  fs.appendFileSync(lock, '# changed\n');
  assert.equal(environmentState(venv, lock, ['json']), 'outdated');
});

test('a failed install leaves no marker, so the next start removes it and installs again', { skip, timeout: 120_000 }, () => {
  const { venv, lock } = workspace();
  fs.writeFileSync(lock, 'no-such-package-ae==1.0 --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n');
  assert.throws(() => installEnvironment({ python, dir: venv, lock, env: offline, log: () => {}, run: (c, a, o) => ({ status: spawnSync(c, a, { env: o.env, stdio: 'ignore' }).status }) }),
    /Installing Jupyter into .* failed .* next npm start installs again/s);
  assert.equal(fs.existsSync(path.join(venv, MARKER)), false);
  assert.equal(environmentState(venv, lock, ['json']), 'partial');
  fs.writeFileSync(path.join(venv, 'left-over'), '');
  fs.writeFileSync(lock, '# fixed\n');
  const said: string[] = [];
  installEnvironment({ python, dir: venv, lock, env: offline, log: (line) => said.push(line) });
  assert.match(said.join('\n'), /Removing .* did not finish/);
  assert.equal(fs.existsSync(path.join(venv, 'left-over')), false, 'the partial install was removed first');
  assert.equal(environmentState(venv, lock, ['json']), 'ready');
});

test('a Python that cannot make a venv fails with the Debian package to install', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ae-env-'));
  assert.throws(() => installEnvironment({ python: '/nonexistent/python3', dir: path.join(dir, 'venv'), lock: lockFile(ROOT), env: process.env, log: () => {}, run: () => ({ status: 1 }) }),
    /python3-venv/);
});

test('the committed lock file pins every package with hashes and covers JupyterLab 4, Notebook 7, plotly 6, nbconvert 7', () => {
  const text = fs.readFileSync(lockFile(ROOT), 'utf8');
  const pins = [...text.matchAll(/^([a-z0-9_.-]+)==([^\s;]+)(?: ;[^\\]*)? \\\n((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)/gm)];
  assert.ok(pins.length > 60, `${pins.length} pins`);
  const requirementLines = text.split('\n').filter((line) => /^[a-z0-9]/i.test(line));
  assert.equal(requirementLines.length, pins.length, 'every requirement has hashes');
  const versions = (name: string) => pins.filter((p) => p[1] === name).map((p) => p[2]);
  assert.ok(versions('jupyterlab').every((v) => v.startsWith('4.')), `jupyterlab ${versions('jupyterlab')}`);
  assert.ok(versions('notebook').every((v) => v.startsWith('7.')));
  assert.ok(versions('plotly').every((v) => Number(v.split('.')[0]) >= 6));
  assert.ok(versions('nbconvert').every((v) => v.startsWith('7.')));
  assert.match(text, /--universal --python-version 3\.9/, 'resolved for every Python from 3.9 on');
});
