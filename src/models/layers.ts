/**
 * The few layers our auto-encoders are made of, each a plain object with its own weights
 * (tf.Variable) and an `apply`. Written out rather than taken from tf.layers so that a learner
 * can read every multiplication, and so that tied weights, the contractive penalty's Jacobian
 * and k-sparse codes can reach the weights directly.
 *
 * A layer is described by a JSON-friendly spec; `buildLayer(spec, seed)` makes its weights
 * (Glorot-uniform kernels from a seed, zero biases) and `saveModel` stores spec + weights.
 */
import * as tf from '@tensorflow/tfjs';
import { lstmSequence, lstmSequenceOfRepeated, repeatSteps } from './lstm';

export { lstmStep } from './lstm';
export type { LstmWeights } from './lstm';

export type Activation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'elu';
export const ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'sigmoid', 'tanh', 'elu'];

export type LayerSpec =
  /**
   * Fully connected: (B, inputs) → (B, units). With `tiedTo`, the layer owns no kernel: it uses the
   * transpose of the named weight of another stack (tied weights: the decoder mirrors the encoder).
   */
  | { type: 'dense'; inputs: number; units: number; activation: Activation; tiedTo?: string }
  /** 2-D convolution, 'same' padding: (B, H, W, inChannels) → (B, H/stride, W/stride, filters). */
  | { type: 'conv2d'; inChannels: number; filters: number; kernelSize: number; strides: number; activation: Activation }
  /** Transposed convolution, 'same' padding: (B, H, W, inChannels) → (B, H·stride, W·stride, filters). */
  | { type: 'conv2dTranspose'; inChannels: number; filters: number; kernelSize: number; strides: number; activation: Activation }
  /** (B, ...) → (B, product of ...). */
  | { type: 'flatten' }
  /** (B, n) → (B, ...shape). */
  | { type: 'reshape'; shape: number[] }
  /**
   * LSTM over the time axis (lstmStep at each step): (B, T, inputs) → (B, units), the last state h,
   * or (B, T, units), every state, with `returnSequences`.
   */
  | { type: 'lstm'; inputs: number; units: number; returnSequences: boolean }
  /** (B, n) → (B, times, n): the same vector at every time step. */
  | { type: 'repeat'; times: number }
  /** A dense layer applied at every time step: (B, T, inputs) → (B, T, units). */
  | { type: 'timeDense'; inputs: number; units: number; activation: Activation }
  /** 1-D convolution along time, 'same' padding: (B, T, inChannels) → (B, T/stride, filters). */
  | { type: 'conv1d'; inChannels: number; filters: number; kernelSize: number; strides: number; activation: Activation }
  /** Transposed 1-D convolution, 'same' padding: (B, T, inChannels) → (B, T·stride, filters). */
  | { type: 'conv1dTranspose'; inChannels: number; filters: number; kernelSize: number; strides: number; activation: Activation };

export interface Layer {
  spec: LayerSpec;
  /** Weights the layer owns, by name ('kernel', 'bias'); empty for flatten/reshape. */
  weights: Record<string, tf.Variable>;
  /** For a tied dense layer: the other stack's kernel it uses transposed. */
  tiedKernel?: tf.Variable;
  apply(x: tf.Tensor): tf.Tensor;
  /** Dense layers only: the output before the activation, xW + b. */
  applyLinear?(x: tf.Tensor): tf.Tensor;
  /** LSTM layers only: apply(x repeated at every one of `times` steps), for x (B, inputs). */
  applyRepeated?(x: tf.Tensor, times: number): tf.Tensor;
}

/** Every layer type, for checking specs read from a file. */
export const LAYER_TYPES: readonly LayerSpec['type'][] = [
  'dense', 'conv2d', 'conv2dTranspose', 'flatten', 'reshape', 'lstm', 'repeat', 'timeDense', 'conv1d',
  'conv1dTranspose',
];

/**
 * The weights a layer owns, by name, with their shapes, in the order they are saved: the one
 * place these shapes are written (buildLayer draws them, loadModel checks a file against them).
 * A tied dense layer owns only its bias.
 */
export function weightShapes(spec: LayerSpec): Record<string, number[]> {
  switch (spec.type) {
    case 'dense':
      return spec.tiedTo === undefined
        ? { kernel: [spec.inputs, spec.units], bias: [spec.units] }
        : { bias: [spec.units] };
    case 'conv2d':
      return { kernel: [spec.kernelSize, spec.kernelSize, spec.inChannels, spec.filters], bias: [spec.filters] };
    case 'conv2dTranspose': // tf.conv2dTranspose filters are (k, k, outChannels, inChannels)
      return { kernel: [spec.kernelSize, spec.kernelSize, spec.filters, spec.inChannels], bias: [spec.filters] };
    case 'lstm': {
      const four = 4 * spec.units; // the gates i, f, g, o side by side
      return { kernel: [spec.inputs, four], recurrentKernel: [spec.units, four], bias: [four] };
    }
    case 'timeDense':
      return { kernel: [spec.inputs, spec.units], bias: [spec.units] };
    case 'conv1d':
      return { kernel: [spec.kernelSize, spec.inChannels, spec.filters], bias: [spec.filters] };
    case 'conv1dTranspose': // (k, outChannels, inChannels), used as a conv2dTranspose on a (B, 1, T, C) view
      return { kernel: [spec.kernelSize, spec.filters, spec.inChannels], bias: [spec.filters] };
    case 'flatten':
    case 'reshape':
    case 'repeat':
      return {};
  }
}

/** Applies an activation that tf.fused cannot fuse (or any, outside a fused op). */
export function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'elu':
      return tf.elu(x);
  }
}

/** The activations tf.fused.matMul / tf.fused.conv2d apply inside the kernel. */
const FUSABLE = new Set<Activation>(['linear', 'relu', 'sigmoid', 'elu']);

// Variables stay unnamed: tfjs names must be unique across every model in the process, and the
// stacks keep their own names (encoder.0.kernel, ...) for saving.
function glorot(shape: number[], seed: number): tf.Variable {
  const init = tf.initializers.glorotUniform({ seed });
  return tf.tidy(() => tf.variable(init.apply(shape) as tf.Tensor, true));
}

function zeros(size: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.zeros([size]), true));
}

/** Shared by conv2d and conv2dTranspose: checks that x is a batch of images with `inChannels` channels. */
function checkImage(x: tf.Tensor, inChannels: number, what: string): tf.Tensor4D {
  if (x.rank !== 4 || x.shape[3] !== inChannels) {
    throw new Error(`${what} expects (batch, height, width, ${inChannels}) input, got (${x.shape.join(', ')}).`);
  }
  return x as tf.Tensor4D;
}

/** Shared by the sequence layers: checks that x is (batch, time, `channels`). */
function checkSequence(x: tf.Tensor, channels: number, what: string): tf.Tensor3D {
  if (x.rank !== 3 || x.shape[2] !== channels) {
    throw new Error(`${what} expects (batch, time, ${channels}) input, got (${x.shape.join(', ')}).`);
  }
  return x as tf.Tensor3D;
}

/**
 * Creates the layer a spec describes. `weights` (from a saved model) are used as they are;
 * otherwise fresh ones are drawn from `seed`. `prefix` names the variables.
 */
export function buildLayer(
  spec: LayerSpec,
  seed: number,
  prefix: string,
  weights?: Record<string, tf.Tensor>,
  shared?: Record<string, tf.Variable>,
): Layer {
  const variable = (name: string, shape: number[], fresh: () => tf.Variable): tf.Variable => {
    const given = weights?.[name];
    if (!given) return fresh();
    if (given.shape.join() !== shape.join()) {
      throw new Error(`${prefix}.${name}: saved shape (${given.shape.join(', ')}) does not match the layer (${shape.join(', ')}).`);
    }
    return tf.variable(given, true);
  };
  const shapes = weightShapes(spec);
  /** The kernel (Glorot-uniform from the seed) and the zero bias: most layers' weights. */
  const kernelAndBias = () => {
    const kernel = variable('kernel', shapes.kernel, () => glorot(shapes.kernel, seed));
    const bias = variable('bias', shapes.bias, () => zeros(shapes.bias[0]));
    return { kernel, bias };
  };
  switch (spec.type) {
    case 'dense': {
      const tied = spec.tiedTo !== undefined;
      let kernel: tf.Variable;
      if (tied) {
        const other = shared?.[spec.tiedTo!];
        if (!other) throw new Error(`dense layer ${prefix} is tied to ${spec.tiedTo}, which was not given; build the encoder first.`);
        if (other.shape.join() !== `${spec.units},${spec.inputs}`) {
          throw new Error(`dense layer ${prefix}: tied kernel ${spec.tiedTo} has shape (${other.shape.join(', ')}), expected (${spec.units}, ${spec.inputs}).`);
        }
        kernel = other;
      } else {
        kernel = variable('kernel', shapes.kernel, () => glorot(shapes.kernel, seed));
      }
      const bias = variable('bias', shapes.bias, () => zeros(spec.units));
      const checkDenseInput = (x: tf.Tensor) => {
        if (x.rank !== 2 || x.shape[1] !== spec.inputs) {
          throw new Error(`dense layer ${prefix} expects (batch, ${spec.inputs}) input, got (${x.shape.join(', ')}).`);
        }
      };
      return {
        spec,
        weights: tied ? { bias } : { kernel, bias },
        tiedKernel: tied ? kernel : undefined,
        apply: (x) => {
          checkDenseInput(x);
          // (B, inputs) · (inputs, units) + bias → (B, units); a tied kernel is (units, inputs), used transposed.
          const a = x as tf.Tensor2D;
          const b = kernel as tf.Tensor2D;
          if (FUSABLE.has(spec.activation)) {
            return tf.fused.matMul({ a, b, transposeB: tied, bias, activation: spec.activation as tf.fused.Activation });
          }
          return activate(tf.fused.matMul({ a, b, transposeB: tied, bias }), spec.activation);
        },
        applyLinear: (x) => {
          checkDenseInput(x);
          return tf.fused.matMul({ a: x as tf.Tensor2D, b: kernel as tf.Tensor2D, transposeB: tied, bias });
        },
      };
    }
    case 'conv2d': {
      const { kernel, bias } = kernelAndBias();
      return {
        spec,
        weights: { kernel, bias },
        apply: (x) => {
          const input = checkImage(x, spec.inChannels, `conv2d layer ${prefix}`);
          const fusable = FUSABLE.has(spec.activation);
          const y = tf.fused.conv2d({
            x: input, filter: kernel as tf.Tensor4D, strides: spec.strides, pad: 'same', bias,
            activation: fusable ? (spec.activation as tf.fused.Activation) : 'linear',
          });
          return fusable ? y : activate(y, spec.activation);
        },
      };
    }
    case 'conv2dTranspose': {
      const { kernel, bias } = kernelAndBias();
      return {
        spec,
        weights: { kernel, bias },
        apply: (x) => {
          const input = checkImage(x, spec.inChannels, `conv2dTranspose layer ${prefix}`);
          const [batch, height, width] = input.shape;
          const outShape: [number, number, number, number] = [batch, height * spec.strides, width * spec.strides, spec.filters];
          const y = tf.conv2dTranspose(input, kernel as tf.Tensor4D, outShape, spec.strides, 'same').add(bias);
          return activate(y, spec.activation);
        },
      };
    }
    case 'lstm': {
      const kernel = variable('kernel', shapes.kernel, () => glorot(shapes.kernel, seed));
      const recurrentKernel = variable('recurrentKernel', shapes.recurrentKernel, () => glorot(shapes.recurrentKernel, seed + 1));
      // The forget gate's bias starts at 1 (Jozefowicz et al. 2015), so that the cell remembers at first.
      const bias = variable('bias', shapes.bias, () => tf.tidy(() => {
        const b = tf.concat([tf.zeros([spec.units]), tf.ones([spec.units]), tf.zeros([2 * spec.units])]);
        return tf.variable(b, true);
      }));
      const lastOrAll = (states: tf.Tensor3D) => {
        if (spec.returnSequences) return states;
        const [batch, steps] = states.shape;
        return states.slice([0, steps - 1, 0], [batch, 1, spec.units]).reshape([batch, spec.units]);
      };
      return {
        spec,
        weights: { kernel, recurrentKernel, bias },
        apply: (x) => lastOrAll(lstmSequence(checkSequence(x, spec.inputs, `lstm layer ${prefix}`), { kernel, recurrentKernel, bias })),
        applyRepeated: (x, times) => {
          if (x.rank !== 2 || x.shape[1] !== spec.inputs) {
            throw new Error(`lstm layer ${prefix} expects (batch, ${spec.inputs}) input to repeat, got (${x.shape.join(', ')}).`);
          }
          return lastOrAll(lstmSequenceOfRepeated(x as tf.Tensor2D, times, { kernel, recurrentKernel, bias }));
        },
      };
    }
    case 'repeat':
      return {
        spec,
        weights: {},
        apply: (x) => {
          if (x.rank !== 2) throw new Error(`repeat layer ${prefix} expects (batch, n) input, got (${x.shape.join(', ')}).`);
          return repeatSteps(x, spec.times);
        },
      };
    case 'timeDense': {
      const { kernel, bias } = kernelAndBias();
      return {
        spec,
        weights: { kernel, bias },
        apply: (x) => {
          const input = checkSequence(x, spec.inputs, `timeDense layer ${prefix}`);
          const [batch, steps] = input.shape;
          // (B·T, inputs) · (inputs, units): every time step through the same weights.
          const y = tf.fused.matMul({ a: input.reshape([batch * steps, spec.inputs]), b: kernel as tf.Tensor2D, bias });
          return activate(y, spec.activation).reshape([batch, steps, spec.units]);
        },
      };
    }
    case 'conv1d': {
      const { kernel, bias } = kernelAndBias();
      return {
        spec,
        weights: { kernel, bias },
        apply: (x) => {
          const input = checkSequence(x, spec.inChannels, `conv1d layer ${prefix}`);
          return activate(tf.conv1d(input, kernel as tf.Tensor3D, spec.strides, 'same').add(bias), spec.activation);
        },
      };
    }
    case 'conv1dTranspose': {
      const { kernel, bias } = kernelAndBias();
      return {
        spec,
        weights: { kernel, bias },
        apply: (x) => {
          const input = checkSequence(x, spec.inChannels, `conv1dTranspose layer ${prefix}`);
          const [batch, steps] = input.shape;
          const image = input.reshape([batch, 1, steps, spec.inChannels]) as tf.Tensor4D;
          const filter = kernel.expandDims(0) as tf.Tensor4D;
          const outShape: [number, number, number, number] = [batch, 1, steps * spec.strides, spec.filters];
          const y = tf.conv2dTranspose(image, filter, outShape, [1, spec.strides], 'same').add(bias);
          return activate(y, spec.activation).reshape([batch, steps * spec.strides, spec.filters]);
        },
      };
    }
    case 'flatten':
      return { spec, weights: {}, apply: (x) => x.reshape([x.shape[0], -1]) };
    case 'reshape':
      return { spec, weights: {}, apply: (x) => x.reshape([x.shape[0], ...spec.shape]) };
  }
}

/**
 * Offsets added to a model's seed for each of its stacks, and per layer within a stack, so that no
 * two layers of a model draw the same initial weights. Primes, so that the seeds of different
 * stacks and layers never coincide for small seeds; changing them changes every seeded figure.
 */
export const SEED_OFFSETS = { decoder: 104729, mean: 1299709, logVar: 15485863, layer: 7919 } as const;

/** Where a stack's weights come from, when not freshly drawn. */
export interface StackWeights {
  /** Saved weights by name (`<stack>.<layer>.<kernel|bias>`). */
  weights?: Record<string, tf.Tensor>;
  /** Another stack's weights by name, for layers tied to them (a tied decoder uses the encoder's kernels). */
  tiedTo?: Record<string, tf.Variable>;
}

/**
 * The layers applied in turn. A repeat layer feeding an LSTM hands the LSTM its input once
 * (applyRepeated): the same result, without computing x·W at every step.
 */
function run(layers: Layer[], x: tf.Tensor): tf.Tensor {
  let h = x;
  for (let i = 0; i < layers.length; i++) {
    const [layer, next] = [layers[i], layers[i + 1]];
    if (layer.spec.type === 'repeat' && next?.applyRepeated) {
      h = next.applyRepeated(h, layer.spec.times);
      i++; // the LSTM has been applied
    } else {
      h = layer.apply(h);
    }
  }
  return h;
}

/** A chain of layers applied in order: an encoder, a decoder, or one head of a VAE encoder. */
export class Stack {
  readonly layers: Layer[];

  /**
   * `from.weights` (a saved model's) are used as given, else fresh ones are drawn from `seed`;
   * `from.tiedTo` holds another stack's weights, for tied layers.
   */
  constructor(readonly specs: LayerSpec[], seed: number, readonly name: string, from: StackWeights = {}) {
    const { weights, tiedTo: shared } = from;
    this.layers = specs.map((spec, i) => {
      const prefix = `${name}.${i}`;
      const own = weights
        ? Object.fromEntries(
            Object.entries(weights).filter(([k]) => k.startsWith(`${prefix}.`)).map(([k, v]) => [k.slice(prefix.length + 1), v]),
          )
        : undefined;
      return buildLayer(spec, seed + i * SEED_OFFSETS.layer, prefix, own, shared);
    });
  }

  apply(x: tf.Tensor): tf.Tensor {
    return run(this.layers, x);
  }

  /** True when the last layer is dense with a sigmoid, so that applyLogits() exists. */
  endsInSigmoid(): boolean {
    const last = this.layers[this.layers.length - 1];
    return last?.spec.type === 'dense' && last.spec.activation === 'sigmoid' && last.applyLinear !== undefined;
  }

  /**
   * The stack's output before its final sigmoid: the logits z with apply(x) = σ(z). A Bernoulli
   * loss computed from z (see bceWithLogitsPerSample) needs fewer operations than one computed
   * from σ(z), and no clipping.
   */
  applyLogits(x: tf.Tensor): tf.Tensor {
    if (!this.endsInSigmoid()) throw new Error(`${this.name}: applyLogits needs a stack whose last layer is dense with a sigmoid.`);
    const body = run(this.layers.slice(0, -1), x);
    return this.layers[this.layers.length - 1].applyLinear!(body);
  }

  /** Every weight, named `<stack>.<layer index>.<kernel|bias>`. */
  namedWeights(): Record<string, tf.Variable> {
    const named: Record<string, tf.Variable> = {};
    this.layers.forEach((layer, i) => {
      for (const [key, value] of Object.entries(layer.weights)) named[`${this.name}.${i}.${key}`] = value;
    });
    return named;
  }

  /** Disposes the weights this stack owns (a tied kernel belongs to its own stack). */
  dispose(): void {
    for (const layer of this.layers) for (const w of Object.values(layer.weights)) w.dispose();
  }

  /**
   * A copy that owns all its weights: tied layers get their kernel, transposed, as their own.
   * The caller disposes the copy.
   */
  standalone(name = this.name): Stack {
    const specs: LayerSpec[] = this.specs.map((spec) => (spec.type === 'dense' && spec.tiedTo ? { ...spec, tiedTo: undefined } : spec));
    const weights: Record<string, tf.Tensor> = {};
    this.layers.forEach((layer, i) => {
      for (const [key, w] of Object.entries(layer.weights)) weights[`${name}.${i}.${key}`] = w.clone();
      if (layer.tiedKernel) weights[`${name}.${i}.kernel`] = layer.tiedKernel.transpose();
    });
    const copy = new Stack(specs.map((s) => JSON.parse(JSON.stringify(s))), 0, name, { weights });
    tf.dispose(Object.values(weights));
    return copy;
  }
}

/** Number of trainable numbers in a set of weights. */
export function countParameters(weights: Record<string, tf.Tensor>): number {
  return Object.values(weights).reduce((n, w) => n + w.size, 0);
}
