/**
 * The LSTM (Hochreiter & Schmidhuber 1997, with a forget gate): one step written out, and a whole
 * layer over a sequence.
 *
 * `lstmStep` is the idea, as lesson 09 teaches it. `lstmSequence` runs a layer over every step. On
 * the wasm backend with our module linked, it does so in two calls of our module, one forward and
 * one back (`lstm_forward` and `lstm_backward` in ../backend/native/kernels.c), where the steps
 * written out run about 14 small tfjs kernels a step forward and 30 back, most of whose time is
 * dispatch. Elsewhere (cpu, tfjs-node, our module switched off) it runs `lstmStep` at every step.
 * Both give the same states up to float32 rounding: test/models/lstm.test.ts compares them and
 * their gradients, and lstmAutoencoder.test.ts compares the encoder with tfjs's own LSTM layer.
 */
import * as tf from '@tensorflow/tfjs';
import { lstmBackwardOnHeap, lstmForwardOnHeap, nativeKernelsAvailable } from '../backend/wasmNative';

/** The weights of one LSTM layer: kernel (inputs, 4·units), recurrentKernel (units, 4·units), bias (4·units). */
export interface LstmWeights {
  kernel: tf.Tensor;
  recurrentKernel: tf.Tensor;
  bias: tf.Tensor;
}

/**
 * One step of an LSTM: from the input x_t (B, inputs), the state h (B, units) and the cell c
 * (B, units) to the next h and c. The four gates are the columns of one product, in the order
 * input i, forget f, candidate g, output o:
 *   z = x_t·W + h·U + b;  c' = σ(f)⊙c + σ(i)⊙tanh(g);  h' = σ(o)⊙tanh(c').
 */
export function lstmStep(x: tf.Tensor, h: tf.Tensor, c: tf.Tensor, w: LstmWeights): { h: tf.Tensor; c: tf.Tensor } {
  const z = tf.add(tf.add(tf.matMul(x as tf.Tensor2D, w.kernel as tf.Tensor2D), tf.matMul(h as tf.Tensor2D, w.recurrentKernel as tf.Tensor2D)), w.bias);
  const [i, f, g, o] = tf.split(z, 4, 1);
  const cNext = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
  return { h: tf.mul(tf.sigmoid(o), tf.tanh(cNext)), c: cNext };
}

/** Every state h_1 … h_T (B, T, units) of an LSTM layer over x (B, T, inputs), from h_0 = c_0 = 0, by lstmStep at each step. */
export function lstmSequenceStepByStep(x: tf.Tensor3D, w: LstmWeights): tf.Tensor3D {
  return tf.tidy(() => {
    const units = w.recurrentKernel.shape[0];
    let h: tf.Tensor = tf.zeros([x.shape[0], units]);
    let c: tf.Tensor = tf.zeros([x.shape[0], units]);
    const states: tf.Tensor[] = [];
    for (const step of tf.unstack(x, 1)) {
      ({ h, c } = lstmStep(step, h, c, w));
      states.push(h);
    }
    return tf.stack(states, 1) as tf.Tensor3D;
  });
}

/**
 * The recurrent part of a layer over `steps` steps as one differentiable operation: from xwb
 * (B, steps, 4U), x_t·W + b at every step, or (B, 1, 4U) for an input repeated at every step, and
 * U to every state (B, steps, U). Its gradient, with respect to both, is our module's
 * back-propagation through time.
 */
function recurrentPass(steps: number): (xwb: tf.Tensor3D, recurrentKernel: tf.Tensor) => tf.Tensor3D {
  return tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xwb, recurrentKernel, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.GradSaveFunc];
    const backend = tf.backend();
    const forward = lstmForwardOnHeap(xwb, recurrentKernel, backend, steps);
    if (!forward) throw new Error('lstmSequence: our wasm module was unlinked from the backend during the call.');
    save([forward.h, forward.c, forward.gates, recurrentKernel]);
    return {
      value: forward.h,
      gradFunc: (dh: tf.Tensor3D, saved?: tf.Tensor[]) => {
        const [h, c, gates, u] = saved! as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor2D];
        const grads = lstmBackwardOnHeap(dh, u, { h, c, gates }, backend, xwb.shape[1] === 1 && steps > 1);
        if (!grads) throw new Error('lstmSequence: our wasm module was unlinked from the backend during the call.');
        return [grads.dxwb, grads.du];
      },
    };
  }) as Parameters<typeof tf.customGrad<tf.Tensor3D>>[0]) as (xwb: tf.Tensor3D, recurrentKernel: tf.Tensor) => tf.Tensor3D;
}

/** True when lstmSequence takes our module's path on the active backend (the test and the benchmark ask). */
export function lstmFused(x: tf.Tensor): boolean {
  return x.dtype === 'float32' && nativeKernelsAvailable(tf.backend());
}

/**
 * Every state h_1 … h_T (B, T, units) of an LSTM layer over x (B, T, inputs), from h_0 = c_0 = 0:
 * lstmStep at every step, computed by our module on wasm (see above).
 */
export function lstmSequence(x: tf.Tensor3D, w: LstmWeights): tf.Tensor3D {
  if (!lstmFused(x) || x.shape[1] === 0) return lstmSequenceStepByStep(x, w);
  const [batch, steps, inputs] = x.shape;
  const units = w.recurrentKernel.shape[0];
  return tf.tidy(() => {
    // x_t·W + b for every step at once: one (B·T, inputs) × (inputs, 4U) product.
    const xwb = tf.fused.matMul({ a: x.reshape([batch * steps, inputs]), b: w.kernel as tf.Tensor2D, bias: w.bias });
    return recurrentPass(steps)(xwb.reshape([batch, steps, 4 * units]), w.recurrentKernel);
  });
}

/**
 * lstmSequence of x (B, inputs) repeated at every one of `steps` steps (a decoder fed its code at
 * each step): on wasm, x·W + b is computed once, not `steps` times, and so is its gradient.
 */
export function lstmSequenceOfRepeated(x: tf.Tensor2D, steps: number, w: LstmWeights): tf.Tensor3D {
  if (!lstmFused(x) || steps === 0) return tf.tidy(() => lstmSequenceStepByStep(repeatSteps(x, steps), w));
  const units = w.recurrentKernel.shape[0];
  return tf.tidy(() => {
    const xwb = tf.fused.matMul({ a: x, b: w.kernel as tf.Tensor2D, bias: w.bias });
    return recurrentPass(steps)(xwb.reshape([x.shape[0], 1, 4 * units]), w.recurrentKernel);
  });
}

/**
 * x (B, n) repeated at every one of `steps` steps: (B, steps, n). A product with ones by
 * broadcasting: the same values as tf.tile, whose wasm kernel and gradient (a slice and an add per
 * copy) took 4–8 ms at the lessons' sizes, against 0.7.
 */
export function repeatSteps(x: tf.Tensor, steps: number): tf.Tensor3D {
  return tf.tidy(() => x.expandDims(1).mul(tf.ones([1, steps, 1])) as tf.Tensor3D);
}
