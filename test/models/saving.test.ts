import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { convAutoencoder } from '../../src/models/conv';
import { denseAutoencoder, DenseAutoencoderOptions } from '../../src/models/dense';
import { Autoencoder } from '../../src/models/autoencoder';
import { Decoder, Encoder } from '../../src/models/parts';
import { loadDecoder, loadEncoder, loadModel, MODEL_FORMAT, SAVE_STEPS, saveModel } from '../../src/models/saving';
import { SAVE_MARKER_FORMAT } from '../../src/files/saveLeftovers';
import { variationalAutoencoder, VariationalAutoencoder } from '../../src/models/vae';
import { train } from '../../src/train/train';
import { useBackend } from '../helpers';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ae-save-'));
/** The user and group id of `nobody`, for the tests that need permissions to apply. */
const NOBODY = 65534;

function same(a: tf.Tensor, b: tf.Tensor): boolean {
  return tf.tidy(() => a.shape.join() === b.shape.join() && a.sub(b).abs().max().dataSync()[0] === 0);
}

test('save → load → predict gives identical outputs (dense, k-sparse, conv, VAE)', async () => {
  await useBackend('cpu');
  const x = tf.randomUniform([4, 784], 0, 1, 'float32', 1);
  const images = x.reshape([4, 28, 28, 1]);
  const dir = tempDir();
  for (const [name, model, input] of [
    ['dense', denseAutoencoder({ code: 8, seed: 1 }), x],
    ['tied', denseAutoencoder({ code: 8, tiedWeights: true, seed: 6 }), x],
    ['ksparse', denseAutoencoder({ hidden: [], code: 64, codeActivation: 'linear', kSparse: 5, penalties: [{ type: 'activity', l1: 0.1 }], seed: 2 }), x],
    ['conv', convAutoencoder({ code: 8, seed: 3 }), images],
  ] as const) {
    await train(model, input, { epochs: 1, batchSize: 4 });
    await saveModel(model, path.join(dir, name));
    const loaded = (await loadModel(path.join(dir, name))) as Autoencoder;
    assert.ok(loaded instanceof Autoencoder);
    assert.deepEqual(loaded.config, JSON.parse(JSON.stringify(model.config)));
    const [a, b] = [model.reconstruct(input), loaded.reconstruct(input)];
    assert.ok(same(a, b), `${name}: identical reconstructions`);
    tf.dispose([a, b]);
    loaded.dispose();
    model.dispose();
  }
  const vae = variationalAutoencoder({ hidden: [16], latent: 3, seed: 4 });
  await saveModel(vae, path.join(dir, 'vae'));
  const loadedVae = (await loadModel(path.join(dir, 'vae'))) as VariationalAutoencoder;
  assert.ok(loadedVae instanceof VariationalAutoencoder);
  const [c, d] = [vae.encode(x), loadedVae.encode(x)];
  assert.ok(same(c, d));
  tf.dispose([c, d]);
  vae.dispose();
  loadedVae.dispose();
  tf.dispose([x, images]);
});

test('keep only the encoder: it encodes like the trained model, alone and after reloading', async () => {
  await useBackend('cpu');
  const ae = denseAutoencoder({ code: 8, seed: 5 });
  const x = tf.randomUniform([6, 784], 0, 1, 'float32', 2);
  await train(ae, x, { epochs: 2, batchSize: 3 });
  const expected = ae.encode(x);
  const encoder = ae.encoderPart();
  const decoder = ae.decoderPart();
  ae.dispose(); // the parts hold their own copies
  const dir = tempDir();
  await saveModel(encoder, path.join(dir, 'encoder'));
  await saveModel(decoder, path.join(dir, 'decoder'));
  const loaded = await loadEncoder(path.join(dir, 'encoder'));
  assert.ok(loaded instanceof Encoder);
  const codes = loaded.encode(x);
  assert.ok(same(codes, expected));
  const loadedDecoder = await loadDecoder(path.join(dir, 'decoder'));
  assert.ok(loadedDecoder instanceof Decoder);
  assert.deepEqual(loadedDecoder.decode(codes).shape, [6, 784]);
  await assert.rejects(loadDecoder(path.join(dir, 'encoder')), /holds an encoder, not a decoder/);
  tf.dispose([x, expected, codes]);
  [encoder, decoder, loaded, loadedDecoder].forEach((m) => m.dispose());
});

test('a missing, corrupt or truncated model directory gets a clear error', async () => {
  await useBackend('cpu');
  const dir = tempDir();
  await assert.rejects(loadModel(path.join(dir, 'nothing')), /No saved model in .*nothing \(model\.json is missing\)/);
  const ae = denseAutoencoder({ code: 4, hidden: [], seed: 1 });
  const target = path.join(dir, 'ae');
  await saveModel(ae, target);
  const weights = path.join(target, 'weights.bin');
  const bytes = fs.readFileSync(weights);
  fs.writeFileSync(weights, bytes.subarray(0, 100));
  await assert.rejects(loadModel(target), /weights\.bin holds 100 bytes but model\.json lists \d+: the file is truncated/);
  fs.rmSync(weights);
  await assert.rejects(loadModel(target), /weights\.bin is missing/);
  fs.writeFileSync(path.join(target, 'model.json'), '{"modelTopology": {');
  await assert.rejects(loadModel(target), /model\.json is not valid JSON/);
  fs.writeFileSync(path.join(target, 'model.json'), '{"modelTopology": {"format": "keras"}}');
  await assert.rejects(loadModel(target), /not a model saved by autoencoder-lessons/);
  ae.dispose();
});

test('saving is atomic: a second save replaces the first, and no temporary files remain', async () => {
  await useBackend('cpu');
  const dir = tempDir();
  const target = path.join(dir, 'model');
  const first = denseAutoencoder({ code: 4, hidden: [], seed: 1 });
  const second = denseAutoencoder({ code: 4, hidden: [], seed: 2 });
  await saveModel(first, target);
  await saveModel(second, target);
  assert.deepEqual(fs.readdirSync(dir), ['model']);
  const loaded = (await loadModel(target)) as Autoencoder;
  const x = tf.ones([1, 784]);
  const [a, b] = [second.reconstruct(x), loaded.reconstruct(x)];
  assert.ok(same(a, b));
  tf.dispose([x, a, b]);
  [first, second, loaded].forEach((m) => m.dispose());
});

// ---------------------------------------------------------------------------------------------
// saveModel never replaces what it did not write, survives a kill, and loads only whole models.

/** A small model with two layers per stack; `seed` tells the models apart. */
const small = (seed: number): Partial<DenseAutoencoderOptions> => ({ code: 4, hidden: [8], seed });
const probe = () => tf.randomUniform([3, 784], 0, 1, 'float32', 9);

/** Whether `loaded` computes exactly what `model` does. */
function behavesLike(loaded: Autoencoder, model: Autoencoder): boolean {
  const x = probe();
  const [a, b] = [loaded.reconstruct(x), model.reconstruct(x)];
  const result = same(a, b);
  tf.dispose([x, a, b]);
  return result;
}

/** Every file and folder under `root`, with the SHA-256 of each file's bytes. */
function snapshot(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (at: string) => {
    const stat = fs.lstatSync(at);
    if (stat.isDirectory()) {
      entries[path.relative(root, at) || '.'] = 'folder';
      for (const name of fs.readdirSync(at)) walk(path.join(at, name));
    } else {
      entries[path.relative(root, at)] = crypto.createHash('sha256').update(fs.readFileSync(at)).digest('hex');
    }
  };
  walk(root);
  return entries;
}

/** Expects `promise` to reject with a message that contains every one of `parts`. */
async function rejectsWith(promise: Promise<unknown>, ...parts: string[]): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    for (const part of parts) assert.ok(error.message.includes(part), `expected "${part}" in: ${error.message}`);
    return true;
  });
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

/** Writes `model` to `dir` the way version 1 of the format did (no checksum), without the library's saving code. */
async function writeVersion1(model: Autoencoder, dir: string): Promise<void> {
  const topology = {
    format: MODEL_FORMAT, version: 1, kind: 'autoencoder', autoencoder: model.config,
    stacks: { encoder: model.encoder.specs, decoder: model.decoder.specs },
  };
  const { data, specs } = await tf.io.encodeWeights({ ...model.encoder.namedWeights(), ...model.decoder.namedWeights() });
  fs.mkdirSync(dir, { recursive: true });
  const modelJson = { modelTopology: topology, weightsManifest: [{ paths: ['weights.bin'], weights: specs }] };
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson, null, 1));
  fs.writeFileSync(path.join(dir, 'weights.bin'), new Uint8Array(tf.io.CompositeArrayBuffer.join(data)));
}

interface Manifest {
  weightsManifest: { weights: { name: string; shape: number[]; dtype: string }[] }[];
  weightsSha256?: string;
}

/**
 * Edits a saved model as a careless tool might: `edit` changes model.json's weight list and returns
 * the new weights.bin; the checksum is then recomputed, so that only the weight checks can notice.
 */
function tamper(dir: string, edit: (weights: Manifest['weightsManifest'][0]['weights'], bytes: Buffer) => Buffer): void {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as Manifest;
  const bytes = edit(json.weightsManifest[0].weights, fs.readFileSync(path.join(dir, 'weights.bin')));
  if (json.weightsSha256 !== undefined) json.weightsSha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  fs.writeFileSync(path.join(dir, 'weights.bin'), bytes);
}

/** Removes weight `name` from the list and its bytes from weights.bin. */
function removeWeight(weights: Manifest['weightsManifest'][0]['weights'], bytes: Buffer, name: string): Buffer {
  const index = weights.findIndex((w) => w.name === name);
  const offset = weights.slice(0, index).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  const length = weights[index].shape.reduce((a, b) => a * b, 1) * 4;
  weights.splice(index, 1);
  return Buffer.concat([bytes.subarray(0, offset), bytes.subarray(offset + length)]);
}

test('saveModel onto a file throws, naming the path and the fix, and leaves the file as it was', async () => {
  await useBackend('cpu');
  const dir = tempDir();
  const target = path.join(dir, 'notes.txt');
  fs.writeFileSync(target, 'my notes, not a model\n');
  const before = snapshot(dir);
  const model = denseAutoencoder(small(1));
  await rejectsWith(saveModel(model, target), target, 'is a file', 'choose another folder or remove it yourself');
  assert.deepEqual(snapshot(dir), before);
  model.dispose();
});

test('saveModel onto a folder holding anything but a saved model throws and touches nothing', async () => {
  await useBackend('cpu');
  const model = denseAutoencoder(small(1));
  const project = (dir: string) => {
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src', 'index.ts'), 'export const answer = 42;\n');
    fs.writeFileSync(path.join(dir, 'README.md'), '# My project\n');
  };
  const cases: [string, (dir: string) => Promise<void> | void, string][] = [
    ['a project (src/ and a README)', project, 'README.md, src'],
    ['our model plus a file of the user', async (dir) => {
      await saveModel(model, dir);
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'keep me');
    }, 'notes.txt'],
    ['a model.json of another library', (dir) => {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'model.json'), '{"modelTopology": {"format": "layers-model"}}');
      fs.writeFileSync(path.join(dir, 'weights.bin'), 'bytes');
    }, 'format layers-model'],
    ['a lone weights.bin', (dir) => {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'weights.bin'), 'bytes');
    }, 'no model.json'],
  ];
  for (const [what, make, reason] of cases) {
    const parent = tempDir();
    const target = path.join(parent, 'target');
    await make(target);
    const before = snapshot(parent);
    await rejectsWith(saveModel(model, target), target, reason, 'choose another folder or remove it yourself');
    assert.deepEqual(snapshot(parent), before, `${what}: untouched, and no hidden folders beside it`);
  }
  model.dispose();
});

test('saveModel replaces its own earlier model (format 1 or 2) and fills an empty folder, writing format 2 with a checksum', async () => {
  await useBackend('cpu');
  const dir = tempDir();
  const [first, second] = [denseAutoencoder(small(1)), denseAutoencoder(small(2))];
  const targets = { ours: path.join(dir, 'ours'), version1: path.join(dir, 'version1'), empty: path.join(dir, 'empty') };
  await saveModel(first, targets.ours);
  await writeVersion1(first, targets.version1);
  fs.mkdirSync(targets.empty);
  for (const target of Object.values(targets)) {
    await saveModel(second, target);
    const loaded = (await loadModel(target)) as Autoencoder;
    assert.ok(behavesLike(loaded, second), `${target} holds the second model`);
    loaded.dispose();
    const json = JSON.parse(fs.readFileSync(path.join(target, 'model.json'), 'utf8'));
    assert.equal(json.modelTopology.version, 2);
    assert.equal(json.weightsSha256, crypto.createHash('sha256').update(fs.readFileSync(path.join(target, 'weights.bin'))).digest('hex'));
  }
  assert.deepEqual(fs.readdirSync(dir).sort(), ['empty', 'ours', 'version1']);
  [first, second].forEach((m) => m.dispose());
});

test('a save killed (SIGKILL) at any step leaves the old or the new model whole; the next load recovers it and cleans up', async () => {
  await useBackend('cpu');
  const child = path.join(__dirname, 'fixtures', 'save-child.ts');
  const [first, second, third] = [denseAutoencoder(small(1)), denseAutoencoder(small(2)), denseAutoencoder(small(3))];
  for (const step of SAVE_STEPS) {
    const dir = tempDir();
    const target = path.join(dir, 'model');
    await saveModel(first, target);
    const args = ['--require', 'tsx/cjs', child, target, step, JSON.stringify(small(2))];
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.signal, 'SIGKILL', `the child should have killed itself at step ${step} (status ${run.status}): ${run.stderr}`);
    // The commit point is moving the old model aside: from there on, the new one is recovered.
    const newWins = SAVE_STEPS.indexOf(step) >= SAVE_STEPS.indexOf('old-moved-aside');
    const loaded = (await loadModel(target)) as Autoencoder;
    assert.ok(behavesLike(loaded, newWins ? second : first), `killed at ${step}: loads the ${newWins ? 'new' : 'old'} model`);
    loaded.dispose();
    assert.deepEqual(fs.readdirSync(dir), ['model'], `killed at ${step}: the load removed the leftovers`);
    await saveModel(third, target);
    assert.deepEqual(fs.readdirSync(dir), ['model'], `killed at ${step}: the next save leaves nothing behind`);
    const reloaded = (await loadModel(target)) as Autoencoder;
    assert.ok(behavesLike(reloaded, third), `killed at ${step}: the next save is what loads`);
    reloaded.dispose();
  }
  [first, second, third].forEach((m) => m.dispose());
});

/** A stamp as saveModel writes it: PID-TIME-RAND, RAND 8 hex digits. */
const stampOf = (pid: number, time: number, rand: string) => `${pid}-${time}-${rand.padStart(8, '0')}`;

/** Writes the marker file a save writes first, naming the process `owner` as the saver. */
function writeMarker(dir: string, name: string, stamp: string, owner: { pid: number; started?: string; boot?: string }): string {
  const file = path.join(dir, `.${name}.save-${stamp}`);
  fs.writeFileSync(file, JSON.stringify({ format: SAVE_MARKER_FORMAT, owner }));
  return file;
}

test('recovery puts the old model back when the staged one is damaged, saveModel recovers too, and live leftovers stay', async () => {
  await useBackend('cpu');
  const dir = tempDir();
  const target = path.join(dir, 'model');
  const [first, second, third] = [denseAutoencoder(small(1)), denseAutoencoder(small(2)), denseAutoencoder(small(3))];
  const dead = deadPid();
  const now = Date.now();
  // A save by a dead process of this version from before markers existed, which moved the old
  // model aside, but whose staged copy is damaged.
  await saveModel(second, path.join(dir, 'scratch'));
  const staged = path.join(dir, `.model.saving-${stampOf(dead, now, 'aa')}`);
  fs.renameSync(path.join(dir, 'scratch'), staged);
  fs.truncateSync(path.join(staged, 'weights.bin'), 1000);
  await saveModel(first, target);
  fs.renameSync(target, path.join(dir, `.model.old-${stampOf(dead, now, 'aa')}`));
  // A save still running in another process (the test runner's parent): not ours to touch.
  const live = path.join(dir, `.model.saving-${stampOf(process.ppid, now + 1, 'bb')}`);
  await saveModel(third, path.join(dir, 'scratch'));
  fs.renameSync(path.join(dir, 'scratch'), live);
  // A dead save's marked leftover that someone put a file into: our files go, theirs stays.
  const marked = path.join(dir, `.model.old-${stampOf(dead, now - 1, 'cc')}`);
  await saveModel(third, marked);
  fs.writeFileSync(path.join(marked, 'notes.txt'), 'keep me');
  const marker = writeMarker(dir, 'model', stampOf(dead, now - 1, 'cc'), { pid: dead });
  // The same without a marker is not recognisably ours: untouched, our files too.
  const unmarked = path.join(dir, `.model.old-${stampOf(dead, now - 2, 'ee')}`);
  await saveModel(third, unmarked);
  fs.writeFileSync(path.join(unmarked, 'notes.txt'), 'keep me');
  const unmarkedBefore = snapshot(unmarked);

  const loaded = (await loadModel(target)) as Autoencoder;
  assert.ok(behavesLike(loaded, first), 'the old model is back');
  loaded.dispose();
  const left = [path.basename(marked), path.basename(unmarked), path.basename(live), 'model'];
  assert.deepEqual(fs.readdirSync(dir).sort(), left.sort());
  assert.deepEqual(fs.readdirSync(marked), ['notes.txt']);
  assert.ok(!fs.existsSync(marker), 'the marker went with its save');
  assert.deepEqual(snapshot(unmarked), unmarkedBefore);
  for (const folder of [live, marked, unmarked]) fs.rmSync(folder, { recursive: true });

  // A save that finds the old model moved aside by a dead process recovers it first, then replaces it.
  fs.renameSync(target, path.join(dir, `.model.old-${stampOf(dead, now, 'dd')}`));
  writeMarker(dir, 'model', stampOf(dead, now, 'dd'), { pid: dead });
  await saveModel(second, target);
  assert.deepEqual(fs.readdirSync(dir), ['model']);
  const reloaded = (await loadModel(target)) as Autoencoder;
  assert.ok(behavesLike(reloaded, second));
  reloaded.dispose();
  [first, second, third].forEach((m) => m.dispose());
});

test('folders with leftover-style names that saveModel did not create are never touched', async () => {
  await useBackend('cpu');
  const model = denseAutoencoder(small(1));
  const dir = tempDir();
  // A user's folders named like an earlier version's leftovers, one holding a saved model, one a
  // file of the user; and a file named like a marker that is not one.
  const results = path.join(dir, '.results.old-999999-1');
  await saveModel(model, results);
  const mine = path.join(dir, '.mymodel.old-999999-1');
  fs.mkdirSync(mine);
  fs.writeFileSync(path.join(mine, 'model.json'), '{"my": "own file"}');
  fs.writeFileSync(path.join(dir, `.mymodel.save-${stampOf(deadPid(), Date.now(), '1')}`), 'my notes');
  const before = snapshot(dir);
  await rejectsWith(loadModel(path.join(dir, 'results')), 'No saved model in', 'Save one first');
  assert.deepEqual(snapshot(dir), before, 'loading results renamed nothing');
  await saveModel(model, path.join(dir, 'mymodel'));
  const after = snapshot(dir);
  for (const [entry, hash] of Object.entries(before)) assert.equal(after[entry], hash, `${entry} is as it was`);
  const added = Object.keys(after).filter((entry) => !(entry in before)).sort();
  assert.deepEqual(added, ['mymodel', 'mymodel/model.json', 'mymodel/weights.bin']);
  model.dispose();
});

test('a save killed after moving the old model aside is recovered although its process id now names a live process', async () => {
  await useBackend('cpu');
  const model = denseAutoencoder(small(1));
  // A process started now, with an id that a killed save had (the system reuses process ids).
  const reused = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  try {
    const minuteAgo = Date.now() - 60_000;
    for (const marked of [true, false]) {
      const dir = tempDir();
      const stamp = stampOf(reused.pid!, minuteAgo, 'abc');
      await saveModel(model, path.join(dir, `.model.old-${stamp}`));
      // The marker records the saver's start time, which is not the live process's.
      if (marked) writeMarker(dir, 'model', stamp, { pid: reused.pid!, started: '1' });
      const loaded = (await loadModel(path.join(dir, 'model'))) as Autoencoder;
      assert.ok(behavesLike(loaded, model), `${marked ? 'with' : 'without'} a marker: the old model is back`);
      loaded.dispose();
      assert.deepEqual(fs.readdirSync(dir), ['model']);
    }
  } finally {
    reused.kill('SIGKILL');
  }
  model.dispose();
});

test('a read-only saved model folder: saveModel refuses before changing anything, and the model still loads', {
  skip: process.platform === 'win32' ? 'POSIX permissions' : false,
}, async () => {
  // Root ignores permissions: the child then runs as `nobody`, in a folder it owns.
  const dir = tempDir();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) fs.chownSync(dir, NOBODY, NOBODY);
  const child = path.join(__dirname, 'fixtures', 'read-only-save-child.ts');
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', child, dir], {
    encoding: 'utf8', timeout: 120_000, cwd: path.resolve(__dirname, '..', '..'),
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  const target = path.join(dir, 'model');
  assert.match(report.saveOntoReadOnly, new RegExp(`will not replace ${target}: the folder is read-only\\. Nothing was changed`));
  assert.match(report.saveOntoReadOnly, /make it writable \(chmod u\+w/);
  assert.equal(report.afterwardsLoads, 0, 'the first model still loads');
  assert.deepEqual(report.entries, ['model'], 'nothing was left beside it');
  assert.equal(report.saveBesideStuckLeftover, 'ok', 'a leftover that cannot be removed does not stop a save');
  assert.equal(report.besideStuckLeftoverLoads, 2, '... nor a load');
});

/** Starts a test child under tsx; resolves with its exit code and what it printed. */
function startChild(file: string, args: string[]): { done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'fixtures', file), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let [stdout, stderr] = ['', ''];
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { done };
}

test('loads while another process saves get the old or the new model, never a false error', { timeout: 60_000 }, async () => {
  await useBackend('cpu');
  const target = path.join(tempDir(), 'model');
  const [first, second] = [denseAutoencoder(small(1)), denseAutoencoder(small(2))];
  await saveModel(first, target);
  const { seed: _seed, ...shape } = small(0); // the child saves seeds 1 and 2 of this shape
  const writer = startChild('save-loop-child.ts', [target, '5', JSON.stringify(shape)]);
  let finished = false;
  void writer.done.then(() => (finished = true));
  const loads = { first: 0, second: 0, other: 0 };
  const errors = new Map<string, number>();
  while (!finished) {
    try {
      const loaded = (await loadModel(target)) as Autoencoder;
      loads[behavesLike(loaded, first) ? 'first' : behavesLike(loaded, second) ? 'second' : 'other']++;
      loaded.dispose();
    } catch (error) {
      const message = (error as Error).message;
      errors.set(message, (errors.get(message) ?? 0) + 1);
    }
    await new Promise((resolve) => setImmediate(resolve)); // let the writer's exit be noticed
  }
  const { code, stdout, stderr } = await writer.done;
  assert.equal(code, 0, stderr);
  const saves = Number(stdout);
  console.log(`${saves} saves, loads: ${JSON.stringify(loads)}`);
  assert.ok(saves >= 10, `the writer saved ${saves} times`);
  assert.deepEqual([...errors], [], 'no load failed');
  assert.equal(loads.other, 0, 'every load gave one of the two models');
  assert.ok(loads.first > 0 && loads.second > 0, `both models were loaded: ${JSON.stringify(loads)}`);
  [first, second].forEach((m) => m.dispose());
});

test('of two overlapping saves to one folder, the one that cannot put its model in place says another save won', async () => {
  await useBackend('cpu');
  const dir = tempDir();
  const target = path.join(dir, 'model');
  const [first, third] = [denseAutoencoder(small(1)), denseAutoencoder(small(3))];
  await saveModel(first, target);
  const go = path.join(tempDir(), 'go');
  // The child's save stops between moving the old model aside and putting its own in place ...
  const child = startChild('save-pause-child.ts', [target, 'old-moved-aside', go, JSON.stringify(small(2))]);
  const deadline = Date.now() + 60_000;
  while (!fs.existsSync(`${go}.waiting`)) {
    assert.ok(Date.now() < deadline, 'the child reached the step');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // ... while this process saves to the same folder.
  await saveModel(third, target);
  fs.writeFileSync(go, '');
  const { code, stdout, stderr } = await child.done;
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim(), `saveModel: another save to ${target} put its model in place first while this one ran, ` +
    `so this model was not saved; ${target} holds the other save's model. Save again if this one should replace it.`);
  assert.deepEqual(fs.readdirSync(dir), ['model'], 'the losing save left nothing behind');
  const loaded = (await loadModel(target)) as Autoencoder;
  assert.ok(behavesLike(loaded, third), 'the winner is what loads');
  loaded.dispose();
  [first, third].forEach((m) => m.dispose());
});

test('bad paths get a message that names the problem and the fix', async () => {
  await useBackend('cpu');
  const model = denseAutoencoder(small(1));
  const dir = tempDir();
  await rejectsWith(saveModel(model, ''), "saveModel: dir must be the path of a folder, such as 'build/models/encoder', got \"\"");
  await rejectsWith(loadModel(''), 'loadModel: dir must be the path of a folder');
  const file = path.join(dir, 'notes.txt');
  fs.writeFileSync(file, 'my notes');
  await rejectsWith(loadModel(file), `${file} is a file, not a saved model: saveModel writes a folder`, 'Pass the path of that folder');
  const inside = path.join(file, 'model');
  for (const call of [saveModel(model, inside), loadModel(inside)]) {
    await rejectsWith(call, `${inside} cannot be a folder, because ${file} is a file. Choose a path under a folder.`);
  }
  const target = path.join(dir, 'model');
  await saveModel(model, target);
  fs.rmSync(path.join(target, 'weights.bin'));
  fs.mkdirSync(path.join(target, 'weights.bin'));
  await rejectsWith(loadModel(target), `${path.join(target, 'weights.bin')} is a folder, not the file saveModel wrote`, 'save the model again');
  assert.equal(fs.readFileSync(file, 'utf8'), 'my notes');
  model.dispose();
});

test('model.json must list exactly the weights the layers need: a removed, renamed, extra or reshaped weight is named', async () => {
  await useBackend('cpu');
  const model = denseAutoencoder(small(1));
  const cases: [string, Parameters<typeof tamper>[1], string][] = [
    ['removed', (weights, bytes) => removeWeight(weights, bytes, 'decoder.0.kernel'),
      "does not list weight 'decoder.0.kernel', which layer decoder.0 (dense) needs"],
    ['renamed', (weights, bytes) => {
      weights.find((w) => w.name === 'encoder.1.kernel')!.name = 'encoder.1.kernal';
      return bytes;
    }, "does not list weight 'encoder.1.kernel'"],
    ['extra', (weights, bytes) => {
      weights.push({ name: 'encoder.1.scale', shape: [4], dtype: 'float32' });
      return Buffer.concat([bytes, Buffer.alloc(16)]);
    }, "lists weight 'encoder.1.scale', which no layer of the model has"],
    ['reshaped', (weights, bytes) => {
      weights.find((w) => w.name === 'encoder.1.kernel')!.shape = [4, 8];
      return bytes;
    }, "lists weight 'encoder.1.kernel' with shape (4, 8), but layer encoder.1 (dense) needs (8, 4)"],
  ];
  const tensors = tf.memory().numTensors;
  for (const [what, edit, message] of cases) {
    const dir = path.join(tempDir(), what);
    await saveModel(model, dir);
    tamper(dir, edit);
    await rejectsWith(loadModel(dir), path.join(dir, 'model.json'), message, 'save the model again');
  }
  assert.equal(tf.memory().numTensors, tensors, 'a refused load leaves no tensors behind');
  model.dispose();
});

test('weights.bin must match its checksum: one flipped bit or same-size garbage is refused', async () => {
  await useBackend('cpu');
  const model = denseAutoencoder(small(1));
  const damages: [string, (bytes: Buffer) => Buffer][] = [
    ['flipped bit', (bytes) => {
      bytes[1234] ^= 0b100;
      return bytes;
    }],
    ['garbage', (bytes) => crypto.randomBytes(bytes.length)],
  ];
  for (const [what, damage] of damages) {
    const dir = path.join(tempDir(), what.replace(' ', '-'));
    await saveModel(model, dir);
    const weights = path.join(dir, 'weights.bin');
    fs.writeFileSync(weights, damage(fs.readFileSync(weights)));
    await rejectsWith(loadModel(dir), `${weights} does not match its checksum: the file is damaged; save the model again`);
  }
  const dir = path.join(tempDir(), 'no-checksum');
  await saveModel(model, dir);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  delete json.weightsSha256;
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  await rejectsWith(loadModel(dir), path.join(dir, 'model.json'), 'records no checksum of weights.bin');
  model.dispose();
});

test('a version-1 model (no checksum) still loads, with the same check of its weights', async () => {
  await useBackend('cpu');
  const model = denseAutoencoder({ ...small(1), tiedWeights: true });
  const dir = tempDir();
  await writeVersion1(model, path.join(dir, 'whole'));
  const loaded = (await loadModel(path.join(dir, 'whole'))) as Autoencoder;
  assert.ok(behavesLike(loaded, model));
  loaded.dispose();
  await writeVersion1(model, path.join(dir, 'short'));
  tamper(path.join(dir, 'short'), (weights, bytes) => removeWeight(weights, bytes, 'encoder.1.kernel'));
  await rejectsWith(loadModel(path.join(dir, 'short')), "does not list weight 'encoder.1.kernel'");
  model.dispose();
});
