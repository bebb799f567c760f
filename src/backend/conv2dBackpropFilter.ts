/**
 * `Conv2DBackpropFilter` built from ordinary ops. tfjs-backend-wasm 4.22 has no such kernel (any
 * conv layer fails to train there with "Kernel 'Conv2DBackpropFilter' not registered"), and the
 * cpu backend's own is a slow six-deep loop. This one is registered for both.
 *
 * The filter gradient of a 2-D convolution is a correlation of the input with the output gradient:
 *
 *   dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·s + kh, ow·s + kw, ci] · dy[b, oh, ow, co]
 *
 * First the im2col matrix (see `im2col.ts`): for every output position, the k×k×C input values its
 * filter saw. Then one matrix product, columnsᵀ · dy, on the backend's matMul kernel, gives every
 * filter weight at once. On wasm our native module computes the whole gradient in the heap
 * without the columns when Ci is a multiple of 4 and Co of 8, and otherwise builds columnsᵀ there
 * (`wasmNative.ts`); elsewhere a JavaScript loop builds the columns.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceKernel } from './replaceKernel';
import { ConvGradientAttrs, convGeometry, im2col } from './im2col';
import { convFilterGradientOnHeap, im2colTransposedOnHeap } from './wasmNative';

type Conv2DBackpropFilterAttrs = ConvGradientAttrs & { filterShape: [number, number, number, number] };

/**
 * Computes the filter gradient with ordinary ops on the active backend.
 * `x` is the layer input and `dy` the gradient of its output, both NHWC or both NCHW.
 */
export function conv2dBackpropFilterFromOps(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  attrs: Conv2DBackpropFilterAttrs,
  backend: tf.KernelBackend = tf.backend(),
): tf.Tensor4D {
  return tf.tidy(() => {
    const channelsFirst = attrs.dataFormat === 'NCHW';
    const input = channelsFirst ? tf.transpose(x, [0, 2, 3, 1]) : x;
    const gradient = channelsFirst ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
    const info = convGeometry(input.shape, attrs.filterShape, attrs);
    const direct = convFilterGradientOnHeap(input, gradient, info, backend);
    if (direct) return direct.reshape(attrs.filterShape) as tf.Tensor4D;
    const positions = info.batchSize * info.outHeight * info.outWidth;
    const taps = info.filterHeight * info.filterWidth * info.inChannels;
    const dy2d = gradient.reshape([positions, info.outChannels]);
    // On wasm, columnsᵀ (kh·kw·Ci, B·outH·outW) is built in the heap, so that the product has no
    // transposed operand; elsewhere the JavaScript loop builds columns (B·outH·outW, kh·kw·Ci).
    const columnsT = im2colTransposedOnHeap(input, info, backend);
    // (kh·kw·Ci, Co) = columnsᵀ · dy
    const dW = columnsT
      ? tf.matMul(columnsT, dy2d)
      : tf.matMul(tf.tensor2d(im2col(backend.readSync(input.dataId) as Float32Array, info), [positions, taps]), dy2d, true, false);
    return dW.reshape(attrs.filterShape) as tf.Tensor4D;
  });
}

/** Kernel function in the form `tf.registerKernel` expects. */
const kernelFunc: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const { x, dy } = inputs as { x: tf.Tensor4D; dy: tf.Tensor4D };
  return conv2dBackpropFilterFromOps(x, dy, attrs as unknown as Conv2DBackpropFilterAttrs, backend as tf.KernelBackend);
};

/**
 * Registers the op-built `Conv2DBackpropFilter` for `backendName`, replacing the backend's own if it has one.
 * Returns 'added' (the backend had none), 'replaced', or 'unchanged' (already ours).
 */
export function registerConv2dBackpropFilter(backendName: string): 'added' | 'replaced' | 'unchanged' {
  return replaceKernel(tf.Conv2DBackpropFilter, backendName, kernelFunc);
}
