/**
 * `Conv2DBackpropInput` built from one matrix product and col2im, for the wasm and cpu backends.
 *
 * This kernel computes the input gradient of a convolution, and it is also the forward pass of
 * every transposed convolution (a decoder's up-sampling layer). tfjs-backend-wasm 4.22 runs it as
 * a scalar loop; measured on a 128-image batch of a 7×7×8 → 14×14×16 stride-2 layer it took 15–18
 * ms, against about 7 ms here with col2im in JavaScript, and about 2 ms with col2im in our wasm
 * module (`wasmNative.ts`), which the wasm backend uses.
 *
 *   columns = dy · Wᵀ            (B·outH·outW, Co) · (Co, kh·kw·Ci): what each output position
 *                                 sends back to every input value its filter saw
 *   dx      = col2im(columns)     each column entry added onto the input pixel it came from
 */
import * as tf from '@tensorflow/tfjs';
import { replaceKernel } from './replaceKernel';
import { col2im, ConvGradientAttrs, convGeometry } from './im2col';
import { col2imOnHeap } from './wasmNative';

type Conv2DBackpropInputAttrs = ConvGradientAttrs & { inputShape: [number, number, number, number] };

/** The input gradient of a convolution with filter `filter` (kh, kw, Ci, Co), given the output gradient `dy`. */
export function conv2dBackpropInputFromOps(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  attrs: Conv2DBackpropInputAttrs,
  backend: tf.KernelBackend = tf.backend(),
): tf.Tensor4D {
  return tf.tidy(() => {
    const channelsFirst = attrs.dataFormat === 'NCHW';
    const gradient = channelsFirst ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
    const [b, c, h, w] = attrs.inputShape;
    const inputShape: [number, number, number, number] = channelsFirst ? [b, h, w, c] : attrs.inputShape;
    const info = convGeometry(inputShape, filter.shape, attrs);
    const positions = info.batchSize * info.outHeight * info.outWidth;
    const taps = info.filterHeight * info.filterWidth * info.inChannels;
    const columns = tf.matMul(gradient.reshape([positions, info.outChannels]), filter.reshape([taps, info.outChannels]), false, true);
    const dx = col2imOnHeap(columns, info, backend) ?? tf.tensor4d(col2im(backend.readSync(columns.dataId) as Float32Array, info), inputShape);
    return channelsFirst ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
  });
}

const kernelFunc: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const { dy, filter } = inputs as { dy: tf.Tensor4D; filter: tf.Tensor4D };
  return conv2dBackpropInputFromOps(dy, filter, attrs as unknown as Conv2DBackpropInputAttrs, backend as tf.KernelBackend);
};

/**
 * Registers the col2im `Conv2DBackpropInput` for `backendName`, replacing the backend's own if it has one.
 * Returns 'added' (the backend had none), 'replaced', or 'unchanged' (already ours).
 */
export function registerConv2dBackpropInput(backendName: string): 'added' | 'replaced' | 'unchanged' {
  return replaceKernel(tf.Conv2DBackpropInput, backendName, kernelFunc);
}
