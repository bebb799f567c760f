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
 * A save survives a kill at any point, and a load never reads half of a save: the protocol is
 * ../files/folderSave.ts's.
 *
 * Loading checks that model.json lists exactly the weights its layer specs need, with their shapes,
 * and (format 2) that weights.bin matches its SHA-256: a model never loads with a weight missing,
 * misplaced, freshly drawn or damaged.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { sha256 } from '../files/atomicFiles';
import { checkFolderArgument, FolderFormat, readFolder, SAVE_STEPS, SaveStep, writeFolder } from '../files/folderSave';
import { Autoencoder, AutoencoderConfig } from './autoencoder';
import { CodeTransform } from './codeTransforms';
import { LAYER_TYPES, LayerSpec, Stack, weightShapes } from './layers';
import { Decoder, Encoder } from './parts';
import { ConvVaeCoreOptions, VaeOptions, VariationalAutoencoder } from './vae';

export const MODEL_FORMAT = 'autoencoder-lessons-model';
/** 2: model.json records the SHA-256 of weights.bin. Version 1 (no checksum) is still read. */
export const MODEL_FORMAT_VERSION = 2;
const OLDEST_READABLE_VERSION = 1;
const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const BYTES_PER_WEIGHT = 4; // float32
const DAMAGED = 'the model directory is damaged; save the model again.';

export { SAVE_STEPS };
export type { SaveStep };

export type SavableModel = Autoencoder | VariationalAutoencoder | Encoder | Decoder;

/** What model.json's `modelTopology` holds: enough to rebuild the model around its weights. */
interface SavedTopology {
  format: typeof MODEL_FORMAT;
  version: number;
  kind: 'autoencoder' | 'vae' | 'encoder' | 'decoder';
  stacks: Record<string, LayerSpec[]>;
  autoencoder?: AutoencoderConfig;
  vae?: VaeOptions | ConvVaeCoreOptions;
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

/**
 * Every weight the saved layer specs need, named `<stack>.<layer>.<kernel|bias|...>` in the order
 * saveModel writes them (the order of Stack.namedWeights), with the shapes layers.ts's
 * weightShapes gives: computed from the specs, never taken from the manifest.
 */
function expectedWeights(topology: SavedTopology, modelFile: string): ExpectedWeight[] {
  const expected: ExpectedWeight[] = [];
  for (const stack of stackNames(topology, modelFile)) {
    topology.stacks[stack].forEach((spec, i) => {
      const prefix = `${stack}.${i}`;
      const layer = `${prefix} (${String(spec?.type)})`;
      if (!LAYER_TYPES.includes(spec?.type)) throw new Error(`${modelFile}: layer ${layer} has an unknown type: ${DAMAGED}`);
      for (const [key, shape] of Object.entries(weightShapes(spec))) {
        if (!shape.every((n) => Number.isInteger(n) && n > 0)) {
          const sizes = `a weight of shape (${shape.join(', ')})`;
          throw new Error(`${modelFile}: layer ${layer} has sizes that make ${sizes}, not positive integers: ${DAMAGED}`);
        }
        expected.push({ name: `${prefix}.${key}`, shape, layer });
      }
      if (spec.type === 'dense' && spec.tiedTo !== undefined) {
        // A tied layer uses an earlier stack's kernel, transposed: (units, inputs).
        const kernel = expected.find((w) => w.name === spec.tiedTo);
        const wanted = [spec.units, spec.inputs];
        if (topology.kind !== 'autoencoder' || !kernel || kernel.shape.join() !== wanted.join()) {
          const what = `is tied to ${spec.tiedTo}, which is not an earlier kernel of shape (${wanted.join(', ')})`;
          throw new Error(`${modelFile}: layer ${layer} ${what}: ${DAMAGED}`);
        }
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
// Writing and reading the folder, by the crash-safe protocol of ../files/folderSave.ts.

/** A saved model's folder, as the protocol sees it. */
const MODEL_FOLDER: FolderFormat = {
  writer: 'saveModel',
  what: 'a saved model',
  noun: 'model',
  files: [WEIGHTS_FILE, MODEL_FILE],
  notOurs(dir: string): string | undefined {
    let format: unknown;
    try {
      format = (JSON.parse(fs.readFileSync(path.join(dir, MODEL_FILE), 'utf8')) as ModelJson)?.modelTopology?.format;
    } catch {
      format = undefined;
    }
    return format === MODEL_FORMAT ? undefined : `its ${MODEL_FILE} is not one saveModel wrote (format ${String(format)})`;
  },
  isComplete(dir: string): boolean {
    try {
      readCheckedModel(dir);
      return true;
    } catch {
      return false;
    }
  },
};

/**
 * Writes a model's files as the folder `dir` (../files/folderSave.ts). Internal (not exported from
 * src/index.ts): `onStep` lets the crash tests stop a save at each step.
 */
export function writeModelDirectory(dir: string, files: ModelFiles, onStep: (step: SaveStep) => void = () => {}): void {
  writeFolder(dir, MODEL_FOLDER, [files.weights, files.modelJson], onStep);
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

/** Recovers an interrupted save of `dir`, then reads and checks the model there (waiting out a save running elsewhere). */
function loadChecked(dir: string, what = 'loadModel'): Promise<CheckedModel> {
  return readFolder(dir, MODEL_FOLDER, readCheckedModel, what);
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
    const made = new Stack(topology.stacks[name], 0, name, { weights, tiedTo: shared });
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
