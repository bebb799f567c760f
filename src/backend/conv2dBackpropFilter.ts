/**
 * `Conv2DBackpropFilter` for backends that lack it (tfjs-backend-wasm 4.22 has no such kernel,
 * so any conv layer fails to train there with "Kernel 'Conv2DBackpropFilter' not registered").
 *
 * The filter gradient of a 2-D convolution is a correlation of the input with the output
 * gradient. We build it from operations every backend has (pad, strided slice, concat, matMul):
 *
 *   dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·s + kh, ow·s + kw, ci] · dy[b, oh, ow, co]
 *
 * For each filter tap (kh, kw) a strided slice of the padded input lines up with dy; the taps are
 * concatenated into an im2col matrix, and one matrix product gives every filter weight at once.
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
    const { top, bottom, left, right } = info.padInfo;
    const [batch, , , inChannels] = input.shape;
    const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    // (B, H + top + bottom, W + left + right, Ci)
    const padded = tf.pad(input, [[0, 0], [top, bottom], [left, right], [0, 0]]);
    const taps: tf.Tensor4D[] = [];
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        // (B, outH, outW, Ci): the input pixels that filter tap (kh, kw) saw.
        taps.push(
          tf.stridedSlice(
            padded,
            [0, kh, kw, 0],
            [batch, kh + (outHeight - 1) * strideHeight + 1, kw + (outWidth - 1) * strideWidth + 1, inChannels],
            [1, strideHeight, strideWidth, 1],
          ) as tf.Tensor4D,
        );
      }
    }
    const rows = batch * outHeight * outWidth;
    // (B·outH·outW, kh·kw·Ci): im2col, taps in (kh, kw) order, channels fastest.
    const columns = tf.concat(taps, 3).reshape([rows, filterHeight * filterWidth * inChannels]);
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
