/**
 * im2col and col2im: the data rearrangements that turn a 2-D convolution's gradients into one
 * matrix product each. Plain loops over typed arrays, for the cpu backend; on wasm the same
 * traversals run in our SIMD module inside the wasm heap (`wasmNative.ts`, `native/kernels.c`).
 *
 * The "columns" of an NHWC input x for a convolution with geometry `info` form a matrix with one
 * row per output position r = (b, oh, ow) and one column per filter tap t = (kh, kw, c), channels
 * fastest (the layout of a (kh, kw, C, ·) filter):
 *
 *   columns[r, t] = x[b, oh·sh + kh·dh − top, ow·sw + kw·dw − left, c]   (0 outside the input)
 *
 * col2im is the adjoint: it adds every column entry back onto the input pixel it came from.
 *
 * Why loops and not tfjs ops: a gather with strides needs `StridedSlice` or a rank-6 `Slice`,
 * both of which run element by element in JavaScript on wasm and cpu (measured at over a second
 * per call for a 128-image batch), while these loops take a few milliseconds for the same batch.
 */
import * as tf from '@tensorflow/tfjs';

/** The attributes tfjs passes to both conv gradient kernels. */
export type ConvGradientAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** The convolution's geometry, for an NHWC input of `inputShape` and a (kh, kw, Ci, Co) filter. */
export function convGeometry(inputShape: [number, number, number, number], filterShape: [number, number, number, number], attrs: ConvGradientAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(inputShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
}

type Geometry = Pick<
  tf.backend_util.Conv2DInfo,
  | 'batchSize' | 'inHeight' | 'inWidth' | 'inChannels' | 'outHeight' | 'outWidth'
  | 'strideHeight' | 'strideWidth' | 'dilationHeight' | 'dilationWidth' | 'filterHeight' | 'filterWidth' | 'padInfo'
>;

/** Plain numbers of a geometry, so that the loops below read locals, not object fields. */
function unpack(g: Geometry) {
  return {
    B: g.batchSize, H: g.inHeight, W: g.inWidth, C: g.inChannels, OH: g.outHeight, OW: g.outWidth,
    KH: g.filterHeight, KW: g.filterWidth, SH: g.strideHeight, SW: g.strideWidth,
    DH: g.dilationHeight, DW: g.dilationWidth, TOP: g.padInfo.top, LEFT: g.padInfo.left,
  };
}

/**
 * The one traversal behind both directions: for every output position and filter tap inside the
 * image, the C values of column row `col` and of pixel `pixel` are paired. `toColumns` copies
 * pixels into columns (im2col); otherwise columns are added onto pixels (col2im).
 */
function transfer(image: { [i: number]: number }, columns: { [i: number]: number }, g: Geometry, toColumns: boolean): void {
  const { B, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, TOP, LEFT } = unpack(g);
  let col = 0;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let i = 0; i < KH; i++) {
          const ih = oh * SH + i * DH - TOP;
          if (ih < 0 || ih >= H) {
            col += KW * C; // outside the image: these column entries stay zero
            continue;
          }
          for (let j = 0; j < KW; j++) {
            const iw = ow * SW + j * DW - LEFT;
            if (iw < 0 || iw >= W) {
              col += C;
              continue;
            }
            let pixel = ((b * H + ih) * W + iw) * C;
            if (toColumns) for (let c = 0; c < C; c++) columns[col++] = image[pixel++];
            else for (let c = 0; c < C; c++) image[pixel++] += columns[col++];
          }
        }
      }
    }
  }
}

/** im2col: (B·outH·outW) × (kh·kw·C), row-major, from NHWC values. */
export function im2col(x: ArrayLike<number>, g: Geometry): Float32Array {
  const columns = new Float32Array(g.batchSize * g.outHeight * g.outWidth * g.filterHeight * g.filterWidth * g.inChannels);
  transfer(x as { [i: number]: number }, columns, g, true);
  return columns;
}

/**
 * col2im: columns (B·outH·outW) × (kh·kw·C), row-major, summed back onto an NHWC image of the
 * input's shape. The adjoint of im2col, so it gives the input gradient of a convolution.
 */
export function col2im(columns: ArrayLike<number>, g: Geometry): Float32Array {
  const image = new Float32Array(g.batchSize * g.inHeight * g.inWidth * g.inChannels);
  transfer(image, columns as { [i: number]: number }, g, false);
  return image;
}
