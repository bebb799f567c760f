/**
 * Saves models to a directory and loads them back: `model.json` (what the model is, its layer
 * specs, the weight manifest, the SHA-256 of the weights) and `weights.bin` (the weights).
 *
 *   await saveModel(ae.encoderPart(), 'build/models/encoder');
 *   const encoder = await loadEncoder('build/models/encoder');
 *
 * saveModel replaces only an empty folder or a model it saved (a folder holding nothing but our
 * model.json and weights.bin); onto a file or any other folder it throws and touches nothing.
 *
 * A save of PARENT/NAME survives a kill at any point:
 *   0. mark: write the marker .NAME.save-STAMP (STAMP is PID-TIME-RAND), naming this process;
 *   1. stage: write .NAME.saving-STAMP/weights.bin, then model.json (each fsync'd), fsync the folder;
 *   2. rename NAME to .NAME.old-STAMP: the commit point, after which the new model wins;
 *   3. rename the staged folder to NAME;
 *   4. remove the old folder, file by file (never recursively), then the marker. The parent is
 *      fsync'd after each rename.
 * Every load and save of NAME first recovers the leftovers of a process that is no longer running
 * (or of this one): if NAME is missing (as after a kill between 2 and 3), the newest complete staged
 * model is renamed into place, else the newest old one; then the other leftovers are removed. A kill
 * before step 2 thus keeps the old model, a kill after it gives the new one. Leftovers of a save
 * still running elsewhere, and folders the library did not create, are left alone (how they are
 * told apart, also after a process id was reused: ./saveLeftovers.ts).
 *
 * A load that meets a save of another process waits for it (at most SAVE_WAIT_MS) and reads the
 * old or the new model, never a mix. When two saves to one folder overlap so that one cannot put
 * its model in place, that one throws, saying another save won, and leaves nothing behind. A
 * folder saveModel could not clean up afterwards (a read-only one) is refused before any change.
 *
 * Loading checks that model.json lists exactly the weights its layer specs need, with their shapes,
 * and (format 2) that weights.bin matches its SHA-256: a model never loads with a weight missing,
 * misplaced, freshly drawn or damaged.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { fsyncDirectory, sha256, writeFileSynced } from '../data/files';
import { Autoencoder, AutoencoderConfig } from './autoencoder';
import { CodeTransform } from './codeTransforms';
import { LayerSpec, Stack } from './layers';
import { Decoder, Encoder } from './parts';
import {
  findSaves, LeftoverRole, leftoverPath, newStamp, runsElsewhere, SaveTrace, writeSaveMarker,
} from './saveLeftovers';
import { ConvVaeShape, VaeOptions, VariationalAutoencoder } from './vae';

export const MODEL_FORMAT = 'autoencoder-lessons-model';
/** 2: model.json records the SHA-256 of weights.bin. Version 1 (no checksum) is still read. */
export const MODEL_FORMAT_VERSION = 2;
const OLDEST_READABLE_VERSION = 1;
const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const OUR_FILES: readonly string[] = [MODEL_FILE, WEIGHTS_FILE];
const BYTES_PER_WEIGHT = 4; // float32
const DAMAGED = 'the model directory is damaged; save the model again.';

/** The steps of a save, in order, as reported to writeModelDirectory's `onStep` (the crash tests stop at each). */
export const SAVE_STEPS = [
  'marked',
  'staging-created',
  'weights-written',
  'model-json-written',
  'staged',
  'old-moved-aside',
  'new-in-place',
  'old-partly-removed',
  'old-removed',
  'done',
] as const;
export type SaveStep = (typeof SAVE_STEPS)[number];

export type SavableModel = Autoencoder | VariationalAutoencoder | Encoder | Decoder;

/** What model.json's `modelTopology` holds: enough to rebuild the model around its weights. */
interface SavedTopology {
  format: typeof MODEL_FORMAT;
  version: number;
  kind: 'autoencoder' | 'vae' | 'encoder' | 'decoder';
  stacks: Record<string, LayerSpec[]>;
  autoencoder?: AutoencoderConfig;
  vae?: VaeOptions | ConvVaeShape;
  inputShape?: number[];
  outputShape?: number[];
  codeTransform?: CodeTransform;
}

/** The whole of model.json. */
interface ModelJson {
  modelTopology?: SavedTopology;
  weightsManifest?: tf.io.WeightsManifestConfig;
  /** Format 2: SHA-256 (hex) of weights.bin. */
  weightsSha256?: string;
}

/** The two files of a saved model, ready to write. */
export interface ModelFiles {
  modelJson: string;
  weights: Uint8Array;
}

/** One weight the layer specs call for, and the layer that needs it (for error messages). */
interface ExpectedWeight {
  name: string;
  shape: number[];
  layer: string;
}

function topologyOf(model: SavableModel): { topology: SavedTopology; stacks: Stack[] } {
  const base = { format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION } as const;
  if (model instanceof Autoencoder) {
    return {
      topology: { ...base, kind: 'autoencoder', autoencoder: model.config, stacks: { encoder: model.encoder.specs, decoder: model.decoder.specs } },
      stacks: [model.encoder, model.decoder],
    };
  }
  if (model instanceof VariationalAutoencoder) {
    const stacks = [model.body, model.meanHead, model.logVarHead, model.decoder];
    return {
      topology: { ...base, kind: 'vae', vae: model.options, stacks: Object.fromEntries(stacks.map((s) => [s.name, s.specs])) },
      stacks,
    };
  }
  if (model instanceof Encoder) {
    return {
      topology: { ...base, kind: 'encoder', inputShape: [...model.inputShape], codeTransform: model.codeTransform, stacks: { [model.stack.name]: model.stack.specs } },
      stacks: [model.stack],
    };
  }
  if (model instanceof Decoder) {
    return {
      topology: { ...base, kind: 'decoder', inputShape: [...model.inputShape], outputShape: [...model.outputShape], stacks: { [model.stack.name]: model.stack.specs } },
      stacks: [model.stack],
    };
  }
  throw new Error('saveModel: can save an Autoencoder, a VariationalAutoencoder, an Encoder or a Decoder.');
}

// ---------------------------------------------------------------------------------------------
// What a saved model must hold, computed from its layer specs (never taken from the manifest).

/** The stacks a model of this kind is made of, in the order their weights are saved. */
function stackNames(topology: SavedTopology, modelFile: string): string[] {
  if (typeof topology.stacks !== 'object' || topology.stacks === null) throw new Error(`${modelFile} lists no layer stacks: ${DAMAGED}`);
  const present = Object.keys(topology.stacks);
  const needed = (() => {
    switch (topology.kind) {
      case 'autoencoder':
        return ['encoder', 'decoder'];
      case 'vae':
        return ['body', 'mean', 'logVar', 'decoder'];
      case 'encoder':
      case 'decoder':
        if (present.length !== 1) {
          throw new Error(`${modelFile}: an ${topology.kind} has one stack, this file lists ${present.length}: ${DAMAGED}`);
        }
        return present;
      default:
        throw new Error(`${modelFile}: unknown model kind ${String((topology as { kind: unknown }).kind)}.`);
    }
  })();
  for (const name of needed) {
    if (!Array.isArray(topology.stacks[name])) throw new Error(`${modelFile} has no '${name}' stack: the file is damaged.`);
  }
  const extra = present.filter((name) => !needed.includes(name));
  if (extra.length > 0) throw new Error(`${modelFile} has stacks a ${topology.kind} does not have (${extra.join(', ')}): ${DAMAGED}`);
  return needed;
}

/** A size field of a layer spec: must be a positive integer. */
function size(spec: LayerSpec, field: string, layer: string, modelFile: string): number {
  const value = (spec as unknown as Record<string, unknown>)[field];
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new Error(`${modelFile}: layer ${layer} has ${field} ${JSON.stringify(value)}, not a positive integer: ${DAMAGED}`);
  }
  return value as number;
}

/**
 * Every weight the saved layer specs need, named `<stack>.<layer>.<kernel|bias>` in the order
 * saveModel writes them (the order of Stack.namedWeights). Mirrors buildLayer in ./layers.
 */
function expectedWeights(topology: SavedTopology, modelFile: string): ExpectedWeight[] {
  const expected: ExpectedWeight[] = [];
  for (const stack of stackNames(topology, modelFile)) {
    topology.stacks[stack].forEach((spec, i) => {
      const prefix = `${stack}.${i}`;
      const layer = `${prefix} (${String(spec?.type)})`;
      const dim = (field: string) => size(spec, field, layer, modelFile);
      const add = (key: string, shape: number[]) => expected.push({ name: `${prefix}.${key}`, shape, layer });
      switch (spec?.type) {
        case 'dense':
          if (spec.tiedTo === undefined) {
            add('kernel', [dim('inputs'), dim('units')]);
          } else {
            // A tied layer uses another stack's kernel, transposed: (units, inputs).
            const kernel = expected.find((w) => w.name === spec.tiedTo);
            const wanted = [dim('units'), dim('inputs')];
            if (topology.kind !== 'autoencoder' || !kernel || kernel.shape.join() !== wanted.join()) {
              const what = `is tied to ${spec.tiedTo}, which is not an earlier kernel of shape (${wanted.join(', ')})`;
              throw new Error(`${modelFile}: layer ${layer} ${what}: ${DAMAGED}`);
            }
          }
          add('bias', [dim('units')]);
          break;
        case 'conv2d':
          add('kernel', [dim('kernelSize'), dim('kernelSize'), dim('inChannels'), dim('filters')]);
          add('bias', [dim('filters')]);
          break;
        case 'conv2dTranspose':
          add('kernel', [dim('kernelSize'), dim('kernelSize'), dim('filters'), dim('inChannels')]);
          add('bias', [dim('filters')]);
          break;
        case 'lstm':
          add('kernel', [dim('inputs'), 4 * dim('units')]);
          add('recurrentKernel', [dim('units'), 4 * dim('units')]);
          add('bias', [4 * dim('units')]);
          break;
        case 'timeDense':
          add('kernel', [dim('inputs'), dim('units')]);
          add('bias', [dim('units')]);
          break;
        case 'conv1d':
          add('kernel', [dim('kernelSize'), dim('inChannels'), dim('filters')]);
          add('bias', [dim('filters')]);
          break;
        case 'conv1dTranspose':
          add('kernel', [dim('kernelSize'), dim('filters'), dim('inChannels')]);
          add('bias', [dim('filters')]);
          break;
        case 'flatten':
        case 'reshape':
        case 'repeat':
          break;
        default:
          throw new Error(`${modelFile}: layer ${layer} has an unknown type: ${DAMAGED}`);
      }
    });
  }
  return expected;
}

/** Throws, naming the weight, unless the manifest lists exactly the expected float32 weights, in order. */
function checkManifest(manifest: tf.io.WeightsManifestConfig | undefined, expected: ExpectedWeight[], modelFile: string): void {
  const group = Array.isArray(manifest) && manifest.length === 1 ? manifest[0] : undefined;
  if (!group || !Array.isArray(group.weights) || group.paths?.join() !== WEIGHTS_FILE) {
    throw new Error(`${modelFile} has no weight manifest (one group of weights in ${WEIGHTS_FILE}): ${DAMAGED}`);
  }
  const listed = group.weights;
  const byName = new Map<string, tf.io.WeightsManifestEntry>();
  for (const entry of listed) {
    if (byName.has(entry.name)) throw new Error(`${modelFile} lists weight '${entry.name}' twice: ${DAMAGED}`);
    byName.set(entry.name, entry);
  }
  for (const want of expected) {
    const entry = byName.get(want.name);
    if (!entry) throw new Error(`${modelFile} does not list weight '${want.name}', which layer ${want.layer} needs: ${DAMAGED}`);
    const shape = Array.isArray(entry.shape) ? entry.shape.join(', ') : String(entry.shape);
    if (shape !== want.shape.join(', ')) {
      const needs = `layer ${want.layer} needs (${want.shape.join(', ')})`;
      throw new Error(`${modelFile} lists weight '${want.name}' with shape (${shape}), but ${needs}: ${DAMAGED}`);
    }
    if (entry.dtype !== 'float32' || entry.quantization !== undefined) {
      const type = `${String(entry.dtype)}${entry.quantization ? ', quantised' : ''}`;
      throw new Error(`${modelFile} lists weight '${want.name}' as ${type}, not float32: ${DAMAGED}`);
    }
  }
  const wanted = new Set(expected.map((w) => w.name));
  const extra = listed.find((entry) => !wanted.has(entry.name));
  if (extra) throw new Error(`${modelFile} lists weight '${extra.name}', which no layer of the model has: ${DAMAGED}`);
  listed.forEach((entry, i) => {
    if (entry.name !== expected[i].name) {
      throw new Error(`${modelFile} lists weight '${entry.name}' at position ${i + 1}, but the layers put it elsewhere: ${DAMAGED}`);
    }
  });
}

/** Throws, naming it, when a file of a saved model is a folder or anything but a file. */
function checkIsFile(file: string): void {
  const stat = fs.statSync(file);
  if (!stat.isFile()) {
    const what = stat.isDirectory() ? 'a folder' : 'not a regular file';
    throw new Error(`${file} is ${what}, not the file saveModel wrote: ${DAMAGED}`);
  }
}

/** The model.json of `dir`, parsed, with its format and version checked. */
function readModelJson(dir: string): { json: ModelJson; topology: SavedTopology; modelFile: string } {
  const modelFile = path.join(dir, MODEL_FILE);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
    throw new Error(
      `${dir} is a file, not a saved model: saveModel writes a folder (with ${MODEL_FILE} and ` +
        `${WEIGHTS_FILE}). Pass the path of that folder.`,
    );
  }
  if (!fs.existsSync(modelFile)) {
    throw new Error(`No saved model in ${dir} (${MODEL_FILE} is missing). Save one first with saveModel(model, '${dir}').`);
  }
  checkIsFile(modelFile);
  let json: ModelJson;
  try {
    json = JSON.parse(fs.readFileSync(modelFile, 'utf8'));
  } catch (error) {
    throw new Error(`${modelFile} is not valid JSON (${(error as Error).message}): ${DAMAGED}`);
  }
  const topology = json?.modelTopology;
  if (!topology || topology.format !== MODEL_FORMAT) {
    throw new Error(`${modelFile} is not a model saved by autoencoder-lessons (format ${String(topology?.format)}).`);
  }
  if (!Number.isInteger(topology.version) || topology.version < OLDEST_READABLE_VERSION || topology.version > MODEL_FORMAT_VERSION) {
    throw new Error(
      `${modelFile} has format version ${topology.version}; this library reads versions ${OLDEST_READABLE_VERSION} ` +
        `to ${MODEL_FORMAT_VERSION}. Update autoencoder-lessons, or save the model again with this version.`,
    );
  }
  return { json, topology, modelFile };
}

/** A saved model read from disk and checked: its topology, and its weights in the layers' order. */
interface CheckedModel {
  topology: SavedTopology;
  modelFile: string;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

/** Reads `dir` and checks it is whole: the weights the specs need, the size of weights.bin, its checksum. */
function readCheckedModel(dir: string): CheckedModel {
  const { json, topology, modelFile } = readModelJson(dir);
  const expected = expectedWeights(topology, modelFile);
  checkManifest(json.weightsManifest, expected, modelFile);
  const weightsFile = path.join(dir, WEIGHTS_FILE);
  if (!fs.existsSync(weightsFile)) throw new Error(`${weightsFile} is missing: the model directory is incomplete; save the model again.`);
  checkIsFile(weightsFile);
  const bytes = fs.readFileSync(weightsFile);
  const length = expected.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * BYTES_PER_WEIGHT, 0);
  if (bytes.length !== length) {
    const fix = 'the file is truncated or damaged; save the model again.';
    throw new Error(`${weightsFile} holds ${bytes.length} bytes but ${MODEL_FILE} lists ${length}: ${fix}`);
  }
  if (topology.version >= 2) {
    if (typeof json.weightsSha256 !== 'string') throw new Error(`${modelFile} records no checksum of ${WEIGHTS_FILE}: ${DAMAGED}`);
    if (sha256(bytes) !== json.weightsSha256) {
      throw new Error(`${weightsFile} does not match its checksum: the file is damaged; save the model again.`);
    }
  }
  return {
    topology,
    modelFile,
    weightSpecs: expected.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' as const })),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing, replacing and recovering a model folder (the protocol in the header).

/** How long a load waits for a save that another process is making to the same folder. */
export const SAVE_WAIT_MS = 5000;
const SAVE_POLL_MS = 20;

function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return false;
    throw error;
  }
}

function isCompleteModel(dir: string): boolean {
  try {
    readCheckedModel(dir);
    return true;
  } catch {
    return false;
  }
}

/** The error codes of a file or folder that another process removed or replaced meanwhile. */
const RACED = ['ENOENT', 'ENOTEMPTY', 'EEXIST'];

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? '';
}

/** Removes a folder a save made: our two files, then the folder. Anything else in it stays, and so does the folder. */
function removeSavedFolder(dir: string, onStep: (step: SaveStep) => void = () => {}): void {
  for (const name of [WEIGHTS_FILE, MODEL_FILE]) {
    const file = path.join(dir, name);
    try {
      if (fs.lstatSync(file).isFile()) fs.unlinkSync(file);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
    if (name === WEIGHTS_FILE) onStep('old-partly-removed');
  }
  try {
    fs.rmdirSync(dir);
  } catch (error) {
    if (!RACED.includes(errorCode(error))) throw error;
  }
}

/** True when `dir` still holds a file of a saved model. */
function holdsModelFiles(dir: string): boolean {
  return OUR_FILES.some((name) => exists(path.join(dir, name)));
}

/**
 * Removes what a finished or abandoned save left: its folders (our files only), then its marker.
 * A folder whose files cannot be removed (a read-only one) stays, with its marker, for a later
 * attempt: it never keeps the model in place from loading. A folder that stays only because it
 * holds someone else's files is theirs from then on.
 */
function removeTraces(save: SaveTrace): void {
  for (const folder of save.folders) {
    try {
      if (exists(folder.path)) removeSavedFolder(folder.path);
    } catch {
      // Left for a later attempt.
    }
  }
  if (save.marker && !save.folders.some((folder) => holdsModelFiles(folder.path))) {
    fs.rmSync(save.marker.path, { force: true });
  }
}

/**
 * Finishes or undoes the saves of `target` that a dead process (or this one) left half done: if
 * the target is missing, renames the newest complete staged model into place, else the newest old
 * one; then removes the other leftovers. Leftovers of a save still running elsewhere, and folders
 * that are not recognisably ours (./saveLeftovers.ts), are left alone.
 */
function recoverInterruptedSave(target: string): void {
  const stale = findSaves(target, OUR_FILES).filter((save) => !runsElsewhere(save));
  if (stale.length === 0) return;
  const parent = path.dirname(target);
  if (!exists(target)) {
    const newestFirst = [...stale].sort((a, b) => b.time - a.time);
    const folders = (role: LeftoverRole) => newestFirst.flatMap((s) => s.folders.filter((f) => f.role === role));
    const [staged, old] = [folders('saving'), folders('old')];
    // An old model that does not check out is still the user's: put it back rather than delete it.
    const chosen = [...staged, ...old].find((folder) => isCompleteModel(folder.path)) ?? old[0];
    if (chosen) {
      try {
        fs.renameSync(chosen.path, target);
      } catch (error) {
        // Another process recovered it first: its result is the same.
        if (!RACED.includes(errorCode(error))) {
          throw new Error(
            `${target} is missing, but the model saved there is in ${chosen.path} and cannot be moved back ` +
              `(${(error as Error).message}). Make ${parent} writable and load again.`,
          );
        }
      }
      fsyncDirectory(parent);
    }
  }
  for (const save of stale) removeTraces(save);
  fsyncDirectory(parent);
}

/** True when another process is saving to `target` right now. */
function saveRunsElsewhere(target: string): boolean {
  return findSaves(target, OUR_FILES).some(runsElsewhere);
}

/**
 * Throws unless every folder on the way to `target` that exists is a folder (ENOTDIR otherwise),
 * naming the file that is in the way.
 */
function checkPathIsFolders(target: string, shown: string, what: string): void {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    if (exists(dir)) {
      if (!fs.statSync(dir).isDirectory()) {
        throw new Error(`${what}: ${shown} cannot be a folder, because ${dir} is a file. Choose a path under a folder.`);
      }
      return;
    }
    if (path.dirname(dir) === dir) return;
  }
}

/** Throws, naming `dir` and what it takes, unless it is a non-empty string. */
function checkFolderArgument(dir: unknown, what: string): asserts dir is string {
  if (typeof dir !== 'string' || dir.trim() === '') {
    const got = typeof dir === 'string' ? JSON.stringify(dir) : String(dir);
    throw new Error(`${what}: dir must be the path of a folder, such as 'build/models/encoder', got ${got}.`);
  }
}

/** Throws, naming `shown` and the fix, unless `target` is missing, an empty folder, or a model saveModel wrote. */
function checkReplaceable(target: string, shown: string): void {
  if (!exists(target)) return;
  const refuse = (why: string, fix = 'choose another folder or remove it yourself') =>
    new Error(`saveModel will not replace ${shown}: ${why}. Nothing was changed; ${fix}.`);
  const stat = fs.lstatSync(target);
  if (stat.isSymbolicLink()) throw refuse('it is a symbolic link, not a saved model');
  if (!stat.isDirectory()) throw refuse('it is a file, not a saved model');
  const entries = fs.readdirSync(target);
  const foreign = entries.filter((entry) => !OUR_FILES.includes(entry));
  if (foreign.length > 0) {
    const shownForeign = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ', …' : '');
    throw refuse(`the folder holds ${shownForeign}, which saveModel did not write`);
  }
  for (const entry of entries) if (!fs.lstatSync(path.join(target, entry)).isFile()) throw refuse(`its ${entry} is not a file`);
  if (entries.length > 0) {
    if (!entries.includes(MODEL_FILE)) throw refuse(`it holds ${WEIGHTS_FILE} but no ${MODEL_FILE}, so it is not recognisably a saved model`);
    let format: unknown;
    try {
      format = (JSON.parse(fs.readFileSync(path.join(target, MODEL_FILE), 'utf8')) as ModelJson)?.modelTopology?.format;
    } catch {
      format = undefined;
    }
    if (format !== MODEL_FORMAT) throw refuse(`its ${MODEL_FILE} is not one saveModel wrote (format ${String(format)})`);
  }
  // The old files are removed once the new model is in place: a folder whose files cannot be
  // removed would be left beside it for good, so it is refused before anything changes.
  try {
    fs.accessSync(target, fs.constants.W_OK);
  } catch {
    throw refuse('the folder is read-only', `make it writable (chmod u+w '${shown}') or choose another folder`);
  }
}

/** Throws, naming the folder and the fix, unless this process may create files in `parent`. */
function checkParentWritable(parent: string, shown: string): void {
  try {
    fs.accessSync(parent, fs.constants.W_OK);
  } catch {
    throw new Error(
      `saveModel cannot save to ${shown}: its folder ${parent} is read-only. Nothing was changed; ` +
        'make that folder writable or choose another one.',
    );
  }
}

/**
 * Writes a model's files as the folder `dir` by the protocol in the header: recovers an
 * interrupted save, refuses to replace what saveModel did not write, then marks the save, stages,
 * swaps and cleans up. Internal (not exported from src/index.ts): `onStep` lets the crash tests
 * stop a save at each step.
 */
export function writeModelDirectory(dir: string, files: ModelFiles, onStep: (step: SaveStep) => void = () => {}): void {
  checkFolderArgument(dir, 'saveModel');
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  checkPathIsFolders(target, dir, 'saveModel');
  fs.mkdirSync(parent, { recursive: true });
  checkParentWritable(parent, dir);
  recoverInterruptedSave(target);
  checkReplaceable(target, dir);
  const stamp = newStamp();
  const marker = writeSaveMarker(target, stamp);
  fsyncDirectory(parent);
  onStep('marked');
  const staging = leftoverPath(target, 'saving', stamp);
  const old = leftoverPath(target, 'old', stamp);
  /** Undoes what this save did, when another save to the same folder got there first. */
  const lostTo = (what: string): Error => {
    removeTraces({ stamp, pid: process.pid, time: 0, marker: { path: marker, owner: { pid: process.pid } }, folders: [
      { role: 'saving', path: staging }, { role: 'old', path: old },
    ] });
    return new Error(
      `saveModel: another save to ${dir} ${what} while this one ran, so this model was not saved; ` +
        `${dir} holds the other save's model. Save again if this one should replace it.`,
    );
  };
  try {
    fs.mkdirSync(staging);
    onStep('staging-created');
    writeFileSynced(path.join(staging, WEIGHTS_FILE), files.weights);
    onStep('weights-written');
    writeFileSynced(path.join(staging, MODEL_FILE), files.modelJson);
    onStep('model-json-written');
    fsyncDirectory(staging);
    fsyncDirectory(parent);
    onStep('staged');
    if (exists(target)) {
      try {
        fs.renameSync(target, old);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') throw lostTo('moved the old model away');
        throw error;
      }
      fsyncDirectory(parent);
      onStep('old-moved-aside');
    }
    try {
      fs.renameSync(staging, target);
    } catch (error) {
      if (['ENOTEMPTY', 'EEXIST'].includes(errorCode(error))) throw lostTo('put its model in place first');
      throw error;
    }
    fsyncDirectory(parent);
    onStep('new-in-place');
  } catch (error) {
    // Put things back as they were; what cannot be undone here, the next load or save recovers.
    try {
      if (exists(staging)) removeSavedFolder(staging);
      if (!exists(target) && exists(old)) fs.renameSync(old, target);
      if (!exists(staging) && !exists(old)) fs.rmSync(marker, { force: true });
    } catch {
      // The original error is the one to report.
    }
    throw error;
  }
  // The new model is in place: a failure to remove the old one no longer undoes the save (the
  // next load or save removes it), and the marker stays until it is gone.
  try {
    if (exists(old)) removeSavedFolder(old, onStep);
    if (!holdsModelFiles(old)) {
      fsyncDirectory(parent);
      onStep('old-removed');
      fs.rmSync(marker, { force: true });
    }
  } catch {
    // Left for the next load or save.
  }
  fsyncDirectory(parent);
  onStep('done');
}

/** The files of a saved model, from tf.io artifacts: model.json records the SHA-256 of weights.bin. */
function filesFromArtifacts(artifacts: tf.io.ModelArtifacts): ModelFiles {
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
  const json: ModelJson = {
    modelTopology: artifacts.modelTopology as unknown as SavedTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
    weightsSha256: sha256(weights),
  };
  return { modelJson: JSON.stringify(json, null, 1), weights };
}

/** The files saveModel writes for `model`. Internal (not exported from src/index.ts): for the crash tests. */
export async function modelFiles(model: SavableModel): Promise<ModelFiles> {
  const { topology, stacks } = topologyOf(model);
  const named: tf.NamedTensorMap = {};
  for (const stack of stacks) Object.assign(named, stack.namedWeights());
  const { data, specs } = await tf.io.encodeWeights(named);
  return filesFromArtifacts({ modelTopology: topology as unknown as object, weightSpecs: specs, weightData: data });
}

/** The identity of the folder at `dir` (a save puts a new folder in place), or undefined. */
function folderIdentity(dir: string): string | undefined {
  try {
    const stat = fs.statSync(dir, { bigint: true });
    return `${stat.dev}:${stat.ino}:${stat.ctimeNs}`;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Recovers an interrupted save of `dir`, then reads and checks the model there. A read that met
 * a save of another process (the folder was replaced while it read, or it is missing while that
 * save runs) is repeated until the save ends, for at most SAVE_WAIT_MS: a reader gets the old or
 * the new model, never a false "missing" or "damaged".
 */
async function loadChecked(dir: string, what = 'loadModel'): Promise<CheckedModel> {
  checkFolderArgument(dir, what);
  const target = path.resolve(dir);
  checkPathIsFolders(target, dir, what);
  const deadline = Date.now() + SAVE_WAIT_MS;
  for (;;) {
    recoverInterruptedSave(target);
    const before = folderIdentity(target);
    let failure: unknown;
    let model: CheckedModel | undefined;
    try {
      model = readCheckedModel(dir);
    } catch (error) {
      failure = error;
    }
    const after = folderIdentity(target);
    const unchanged = before === after;
    if (model && unchanged && before !== undefined) return model;
    if (unchanged && !saveRunsElsewhere(target)) throw failure;
    if (Date.now() > deadline) {
      if (failure === undefined) return model!;
      const waited = `another process was saving to ${dir} and had not finished after ${SAVE_WAIT_MS / 1000} s`;
      throw new Error(`${(failure as Error).message} (${waited}: load again once it has.)`);
    }
    await sleep(SAVE_POLL_MS);
  }
}

/**
 * A tf.io handler that keeps model artifacts in a directory on disk, with saveModel's safety:
 * it replaces only a model it saved, survives a kill, and checks what it loads.
 */
export function fileSystemHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      writeModelDirectory(dir, filesFromArtifacts(artifacts));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const { topology, weightSpecs, weightData } = await loadChecked(dir);
      return { modelTopology: topology as unknown as object, weightSpecs, weightData };
    },
  };
}

/**
 * Saves a model (or an encoder or decoder part) to the folder `dir`, replacing the model saved
 * there before. Throws, changing nothing, if `dir` is a file or a folder holding anything else;
 * an empty folder is fine. A kill during the save leaves the old or the new model (see the header).
 */
export async function saveModel(model: SavableModel, dir: string): Promise<void> {
  checkFolderArgument(dir, 'saveModel');
  writeModelDirectory(dir, await modelFiles(model));
}

/** Throws unless `value` (a field of model.json's topology) is present. */
function required<T>(value: T | undefined, field: string, modelFile: string): T {
  if (value === undefined || value === null) throw new Error(`${modelFile} has no '${field}' field: ${DAMAGED}`);
  return value;
}

/**
 * Loads whatever `saveModel` wrote to `dir`, first recovering a save that was interrupted there.
 * Throws, naming the file, if a weight is missing, extra, of the wrong shape, or damaged.
 */
export async function loadModel(dir: string): Promise<SavableModel> {
  const { topology, modelFile, weightSpecs, weightData } = await loadChecked(dir);
  const weights = tf.io.decodeWeights(weightData, weightSpecs);
  const built: Stack[] = [];
  const stack = (name: string, shared?: Record<string, tf.Variable>): Stack => {
    const made = new Stack(topology.stacks[name], 0, name, weights, shared);
    built.push(made);
    return made;
  };
  try {
    const model = ((): SavableModel => {
      switch (topology.kind) {
        case 'autoencoder': {
          const config = required(topology.autoencoder, 'autoencoder', modelFile);
          const encoder = stack('encoder');
          // Tied decoder layers use the encoder's kernels.
          return new Autoencoder(config, encoder, stack('decoder', encoder.namedWeights()));
        }
        case 'vae':
          return new VariationalAutoencoder(
            required(topology.vae, 'vae', modelFile), stack('body'), stack('mean'), stack('logVar'), stack('decoder'),
          );
        case 'encoder':
          return new Encoder(
            stack(Object.keys(topology.stacks)[0]), required(topology.inputShape, 'inputShape', modelFile), topology.codeTransform,
          );
        case 'decoder':
          return new Decoder(
            stack(Object.keys(topology.stacks)[0]),
            required(topology.inputShape, 'inputShape', modelFile),
            required(topology.outputShape, 'outputShape', modelFile),
          );
      }
    })();
    // Every weight the layers hold must come from the file: none drawn fresh, none left over.
    const held = built.flatMap((s) => Object.keys(s.namedWeights()));
    const fresh = held.find((name) => !(name in weights));
    const unused = weightSpecs.find((w) => !held.includes(w.name))?.name;
    if (fresh !== undefined || unused !== undefined) {
      const where = fresh !== undefined ? `'${fresh}' is in the layers but not in the file` : `'${unused}' is in the file but in no layer`;
      throw new Error(`${modelFile}: weight ${where} (expectedWeights in saving.ts is out of step with buildLayer in layers.ts).`);
    }
    return model;
  } catch (error) {
    built.forEach((s) => s.dispose());
    throw error;
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/** What a saved model is, in words: 'an encoder', 'a variational auto-encoder', ... */
function kindOf(model: SavableModel): string {
  if (model instanceof Encoder) return 'an encoder';
  if (model instanceof Decoder) return 'a decoder';
  if (model instanceof VariationalAutoencoder) return 'a variational auto-encoder';
  return 'an auto-encoder';
}

/** Loads a model of one class from `dir`, failing clearly if the directory holds another kind. */
async function loadPart<T extends SavableModel>(dir: string, kind: new (...args: never[]) => T, what: string, part: string): Promise<T> {
  const model = await loadModel(dir);
  if (!(model instanceof kind)) {
    model.dispose();
    throw new Error(`${dir} holds ${kindOf(model)}, not ${what}; save one with saveModel(ae.${part}(), dir).`);
  }
  return model;
}

/** Loads a saved encoder (fails clearly if `dir` holds something else). */
export function loadEncoder(dir: string): Promise<Encoder> {
  return loadPart(dir, Encoder, 'an encoder', 'encoderPart');
}

/** Loads a saved decoder. */
export function loadDecoder(dir: string): Promise<Decoder> {
  return loadPart(dir, Decoder, 'a decoder', 'decoderPart');
}
