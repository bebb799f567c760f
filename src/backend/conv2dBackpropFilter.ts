/**
 * `Conv2DBackpropFilter` for backends that lack it (tfjs-backend-wasm 4.22 has no such kernel,
 * so any conv layer fails to train there with "Kernel 'Conv2DBackpropFilter' not registered").
 *
 * The filter gradient of a 2-D convolution is a correlation of the input with the output
 * gradient. We build it from operations every backend has (conv2d, matMul):
 *
 *   dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·s + kh, ow·s + kw, ci] · dy[b, oh, ow, co]
 *
 * First the im2col matrix: for every output position, the k×k×C input values its filter saw. A
 * convolution with a one-hot "identity" filter (output channel r copies input value r of the
 * patch) produces exactly that, with the forward pass's own padding and strides, on the backend's
 * fast convolution kernel. (Strided slices would be simpler but are very slow on wasm.) Then one
 * matrix product gives every filter weight at once.
 */
import * as tf from '@tensorflow/tfjs';

type Conv2DBackpropFilterAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

/**
 * Computes the filter gradient with ordinary ops on the active backend.
 * `x` is the layer input and `dy` the gradient of its output, both NHWC or both NCHW.
 */
export function conv2dBackpropFilterFromOps(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  attrs: Conv2DBackpropFilterAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
    const nhwc = attrs.dataFormat === 'NCHW';
    const input = nhwc ? tf.transpose(x, [0, 2, 3, 1]) : x;
    const gradient = nhwc ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
    const info = tf.backend_util.computeConv2DInfo(
      input.shape,
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const [batch, , , inChannels] = input.shape;
    const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    const patch = filterHeight * filterWidth * inChannels;
    // (kh, kw, C, kh·kw·C): output channel (kh·filterWidth + kw)·C + c copies input value (kh, kw, c).
    const identity = tf.oneHot(tf.range(0, patch, 1, 'int32'), patch).toFloat().reshape([filterHeight, filterWidth, inChannels, patch]) as tf.Tensor4D;
    // (B, outH, outW, kh·kw·C)
    const columnsImage = tf.conv2d(input, identity, [strideHeight, strideWidth], attrs.pad as 'same', 'NHWC', 1, attrs.dimRoundingMode);
    const rows = batch * outHeight * outWidth;
    // (B·outH·outW, kh·kw·Ci): im2col, taps in (kh, kw) order, channels fastest.
    const columns = columnsImage.reshape([rows, patch]);
    const dy2d = gradient.reshape([rows, info.outChannels]);
    // (kh·kw·Ci, Co) = columnsᵀ · dy. The explicit transpose keeps the product on the fast
    // untransposed matMul path of the wasm backend.
    const dW = tf.matMul(tf.transpose(columns), dy2d);
    return dW.reshape(attrs.filterShape) as tf.Tensor4D;
  });
}

/** Kernel function in the form `tf.registerKernel` expects. */
const kernelFunc: tf.KernelFunc = ({ inputs, attrs }) => {
  const { x, dy } = inputs as { x: tf.Tensor4D; dy: tf.Tensor4D };
  return conv2dBackpropFilterFromOps(x, dy, attrs as unknown as Conv2DBackpropFilterAttrs);
};

/**
 * Registers the op-built `Conv2DBackpropFilter` for `backendName` if that backend has none.
 * Returns true when it registered the kernel.
 */
export function registerConv2dBackpropFilter(backendName: string): boolean {
  if (tf.getKernel(tf.Conv2DBackpropFilter, backendName) !== undefined) return false;
  tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName, kernelFunc });
  return true;
}
