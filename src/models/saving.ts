/**
 * Saves models to a directory and loads them back: `model.json` (what the model is, its layer
 * specs, the weight manifest) and `weights.bin` (the weights), through a TensorFlow.js io handler
 * over the file system. A save is atomic: it writes a temporary directory and renames it into
 * place, so an interrupted save never leaves a half-written model.
 *
 *   await saveModel(ae.encoderPart(), 'build/models/encoder');
 *   const encoder = await loadEncoder('build/models/encoder');
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Autoencoder, AutoencoderConfig } from './autoencoder';
import { CodeTransform } from './codeTransforms';
import { LayerSpec, Stack } from './layers';
import { Decoder, Encoder } from './parts';
import { VaeOptions, VariationalAutoencoder } from './vae';

export const MODEL_FORMAT = 'autoencoder-lessons-model';
export const MODEL_FORMAT_VERSION = 1;
const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

export type SavableModel = Autoencoder | VariationalAutoencoder | Encoder | Decoder;

/** What model.json's `modelTopology` holds: enough to rebuild the model around its weights. */
interface SavedTopology {
  format: typeof MODEL_FORMAT;
  version: number;
  kind: 'autoencoder' | 'vae' | 'encoder' | 'decoder';
  stacks: Record<string, LayerSpec[]>;
  autoencoder?: AutoencoderConfig;
  vae?: VaeOptions;
  inputShape?: number[];
  outputShape?: number[];
  codeTransform?: CodeTransform;
}

function describe(model: SavableModel): { topology: SavedTopology; stacks: Stack[] } {
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

/** Writes `files` as the directory `dir`, atomically (old contents replaced only when all is written). */
function writeDirectoryAtomic(dir: string, files: Record<string, Uint8Array | string>): void {
  const parent = path.dirname(path.resolve(dir));
  fs.mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const temporary = path.join(parent, `.${path.basename(dir)}.saving-${stamp}`);
  const old = path.join(parent, `.${path.basename(dir)}.old-${stamp}`);
  try {
    fs.mkdirSync(temporary);
    for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(temporary, name), data);
    if (fs.existsSync(dir)) fs.renameSync(dir, old);
    fs.renameSync(temporary, dir);
    fs.rmSync(old, { recursive: true, force: true });
  } catch (error) {
    fs.rmSync(temporary, { recursive: true, force: true });
    if (fs.existsSync(old) && !fs.existsSync(dir)) fs.renameSync(old, dir);
    throw error;
  }
}

/** A tf.io handler that keeps model artifacts in a directory on disk. */
export function fileSystemHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      writeDirectoryAtomic(dir, { [MODEL_FILE]: JSON.stringify(modelJson, null, 1), [WEIGHTS_FILE]: new Uint8Array(weightData) });
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const modelFile = path.join(dir, MODEL_FILE);
      if (!fs.existsSync(modelFile)) {
        throw new Error(`No saved model in ${dir} (${MODEL_FILE} is missing). Save one first with saveModel(model, '${dir}').`);
      }
      let json: { modelTopology?: SavedTopology; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
      try {
        json = JSON.parse(fs.readFileSync(modelFile, 'utf8'));
      } catch (error) {
        throw new Error(`${modelFile} is not valid JSON (${(error as Error).message}): the model directory is damaged; save the model again.`);
      }
      const topology = json.modelTopology;
      if (!topology || topology.format !== MODEL_FORMAT) {
        throw new Error(`${modelFile} is not a model saved by autoencoder-lessons (format ${String(topology?.format)}).`);
      }
      if (topology.version !== MODEL_FORMAT_VERSION) {
        throw new Error(`${modelFile} has format version ${topology.version}; this library reads version ${MODEL_FORMAT_VERSION}.`);
      }
      const weightSpecs = json.weightsManifest?.[0]?.weights ?? [];
      const weightsFile = path.join(dir, WEIGHTS_FILE);
      if (!fs.existsSync(weightsFile)) throw new Error(`${weightsFile} is missing: the model directory is incomplete; save the model again.`);
      const bytes = fs.readFileSync(weightsFile);
      const expected = weightSpecs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
      if (bytes.length !== expected) {
        throw new Error(`${weightsFile} holds ${bytes.length} bytes but ${MODEL_FILE} lists ${expected}: the file is truncated or damaged; save the model again.`);
      }
      const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return { modelTopology: topology as unknown as object, weightSpecs, weightData };
    },
  };
}

/** Saves a model (or an encoder or decoder part) to `dir`, replacing what was there. */
export async function saveModel(model: SavableModel, dir: string): Promise<void> {
  const { topology, stacks } = describe(model);
  const named: tf.NamedTensorMap = {};
  for (const stack of stacks) Object.assign(named, stack.namedWeights());
  const { data, specs } = await tf.io.encodeWeights(named);
  await fileSystemHandler(dir).save!({ modelTopology: topology as unknown as object, weightSpecs: specs, weightData: data });
}

/** Loads whatever `saveModel` wrote to `dir`. */
export async function loadModel(dir: string): Promise<SavableModel> {
  const artifacts = await fileSystemHandler(dir).load!();
  const topology = artifacts.modelTopology as unknown as SavedTopology;
  const weights = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  try {
    const stack = (name: string) => {
      const specs = topology.stacks[name];
      if (!specs) throw new Error(`${path.join(dir, MODEL_FILE)} has no '${name}' stack: the file is damaged.`);
      return new Stack(specs, 0, name, weights);
    };
    switch (topology.kind) {
      case 'autoencoder': {
        const encoder = stack('encoder');
        // Tied decoder layers use the encoder's kernels.
        const decoder = new Stack(topology.stacks.decoder, 0, 'decoder', weights, encoder.namedWeights());
        return new Autoencoder(topology.autoencoder!, encoder, decoder);
      }
      case 'vae':
        return new VariationalAutoencoder(topology.vae!, stack('body'), stack('mean'), stack('logVar'), stack('decoder'));
      case 'encoder':
        return new Encoder(stack(Object.keys(topology.stacks)[0]), topology.inputShape!, topology.codeTransform);
      case 'decoder':
        return new Decoder(stack(Object.keys(topology.stacks)[0]), topology.inputShape!, topology.outputShape!);
      default:
        throw new Error(`${path.join(dir, MODEL_FILE)}: unknown model kind ${String((topology as { kind: unknown }).kind)}.`);
    }
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/** Loads a model of one class from `dir`, failing clearly if the directory holds another kind. */
async function loadPart<T extends SavableModel>(dir: string, kind: new (...args: never[]) => T, what: string, part: string): Promise<T> {
  const model = await loadModel(dir);
  if (!(model instanceof kind)) {
    model.dispose();
    throw new Error(`${dir} holds a ${model.constructor.name}, not ${what}; save one with saveModel(ae.${part}(), dir).`);
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
