/**
 * A small dense network carried inside a notebook output and evaluated by the page itself, so that
 * an interactive figure (a latent explorer, a drawing to encode) answers the pointer with no round
 * trip to the kernel, in the live notebook and in an offline HTML write-up alike.
 *
 * `pageNetwork(stacks)` reads the weights of dense layers (one stack, or several run one after the
 * other, e.g. a VAE's body then its mean head) into plain arrays, base64-encoded as float32 or, at
 * half the size, float16. `PAGE_NETWORK_JS` is the page's side: plain JavaScript that decodes the
 * weights once and runs the layers in float64. Node's tests run the same script (in a vm) against
 * the library's own outputs.
 */
import * as vm from 'vm';
import type { Activation, Stack } from '../models/layers';

export type PagePrecision = 'float32' | 'float16';

/** One dense layer: y = activation(x · kernel + bias); kernel row-major (inputs × units). */
export interface PageLayer {
  inputs: number;
  units: number;
  activation: Activation;
  /** base64 of the kernel's little-endian float32 or float16 values. */
  kernel: string;
  bias: string;
}

export interface PageNetwork {
  precision: PagePrecision;
  inputs: number;
  outputs: number;
  layers: PageLayer[];
}

/** float32 → IEEE 754 half precision bits, rounded to nearest even. */
export function toHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // Inf, NaN
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // too large: Inf
  if (e <= 0) {
    if (e < -10) return sign; // too small: 0
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half++; // may round up into Inf: right
  return sign | half;
}

function encode(values: Float32Array, precision: PagePrecision): string {
  if (precision === 'float32') return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
  const halves = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) halves[i] = toHalf(values[i]);
  return Buffer.from(halves.buffer).toString('base64');
}

/** The dense layers of `stacks`, run in order, as a network the page can evaluate. */
export function pageNetwork(stacks: Stack[], precision: PagePrecision = 'float32'): PageNetwork {
  if (precision !== 'float32' && precision !== 'float16') {
    throw new Error(`pageNetwork: precision must be 'float32' or 'float16', got ${String(precision)}.`);
  }
  const layers: PageLayer[] = [];
  for (const stack of stacks) {
    for (const layer of stack.layers) {
      const spec = layer.spec;
      if (spec.type !== 'dense') {
        throw new Error(`pageNetwork: ${stack.name} has a ${spec.type} layer; the page runs dense layers only (a dense model).`);
      }
      const kernel = layer.tiedKernel ? layer.tiedKernel.transpose() : layer.weights.kernel;
      const values = kernel.dataSync() as Float32Array;
      if (layer.tiedKernel) kernel.dispose();
      const bias = layer.weights.bias.dataSync() as Float32Array;
      layers.push({
        inputs: spec.inputs, units: spec.units, activation: spec.activation,
        kernel: encode(Float32Array.from(values), precision), bias: encode(Float32Array.from(bias), precision),
      });
    }
  }
  if (layers.length === 0) throw new Error('pageNetwork: the stacks have no layers.');
  return { precision, inputs: layers[0].inputs, outputs: layers[layers.length - 1].units, layers };
}

/** Bytes the weights take in an output (base64 characters). */
export function pageNetworkSize(network: PageNetwork): number {
  return network.layers.reduce((sum, layer) => sum + layer.kernel.length + layer.bias.length, 0);
}

/**
 * Runs `network` on `inputs` with the page's own code (PAGE_NETWORK_JS, in a sandbox), as a browser
 * would: how a notebook measures what its page will draw, e.g. the error float16 weights bring.
 */
export function runAsPage(network: PageNetwork, inputs: number[][]): Float64Array[] {
  const sandbox: { atob: (text: string) => string; aeNetwork?: { load(n: PageNetwork): unknown; run(l: unknown, x: number[]): Float64Array } } = {
    atob: (text) => Buffer.from(text, 'base64').toString('latin1'),
  };
  vm.runInNewContext(PAGE_NETWORK_JS.replace("typeof window !== 'undefined' ? window : globalThis", 'this'), sandbox);
  const loaded = sandbox.aeNetwork!.load(network);
  return inputs.map((input) => sandbox.aeNetwork!.run(loaded, input));
}

/**
 * The page's side, plain JavaScript (no modules, no dependencies): defines
 * `window.aeNetwork = { load(network), run(loaded, input) }`. `load` decodes the base64 weights
 * once; `run` maps an array of `inputs` numbers to a Float64Array of `outputs` numbers.
 */
export const PAGE_NETWORK_JS = `(function (root) {
  if (root.aeNetwork) return;
  function bytes(base64) {
    var text = atob(base64), out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }
  function half(h) {
    var s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
    if (e === 0) return s * m * Math.pow(2, -24);
    if (e === 0x1f) return m ? NaN : s * Infinity;
    return s * (1 + m / 1024) * Math.pow(2, e - 15);
  }
  function values(base64, precision) {
    var b = bytes(base64), view = new DataView(b.buffer), n, out, i;
    if (precision === 'float16') {
      n = b.length / 2; out = new Float64Array(n);
      for (i = 0; i < n; i++) out[i] = half(view.getUint16(2 * i, true));
    } else {
      n = b.length / 4; out = new Float64Array(n);
      for (i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
    }
    return out;
  }
  function activate(x, kind) {
    if (kind === 'relu') return x > 0 ? x : 0;
    if (kind === 'sigmoid') return 1 / (1 + Math.exp(-x));
    if (kind === 'tanh') return Math.tanh(x);
    if (kind === 'elu') return x > 0 ? x : Math.exp(x) - 1;
    return x;
  }
  root.aeNetwork = {
    load: function (network) {
      return network.layers.map(function (l) {
        return { inputs: l.inputs, units: l.units, activation: l.activation,
          kernel: values(l.kernel, network.precision), bias: values(l.bias, network.precision) };
      });
    },
    run: function (layers, input) {
      var x = Float64Array.from(input);
      for (var k = 0; k < layers.length; k++) {
        var l = layers[k], y = new Float64Array(l.units);
        for (var j = 0; j < l.units; j++) y[j] = l.bias[j];
        for (var i = 0; i < l.inputs; i++) {
          var xi = x[i];
          if (xi === 0) continue;
          var row = i * l.units;
          for (var u = 0; u < l.units; u++) y[u] += xi * l.kernel[row + u];
        }
        for (var v = 0; v < l.units; v++) y[v] = activate(y[v], l.activation);
        x = y;
      }
      return x;
    }
  };
})(typeof window !== 'undefined' ? window : globalThis);`;
