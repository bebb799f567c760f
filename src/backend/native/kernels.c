/*
 * Conv-gradient data movement and a leading-axes sum for the wasm backend, compiled to a small
 * WebAssembly module that works in tfjs-backend-wasm's own memory (it imports that memory and has
 * no data and no stack of its own). The layouts are those of ../im2col.ts, whose JavaScript loops
 * the cpu backend uses; the tests compare both with a plain-loop oracle. Build:
 * scripts/build-wasm-kernels.sh. Pointers are byte offsets into tfjs's heap.
 */

/* The geometry, as in ../im2col.ts: batch, input height, width, channels, output height, width,
 * filter height, width, strides, dilations, and the padding before the first row and column. */
#define GEOMETRY int B, int H, int W, int C, int OH, int OW, int KH, int KW, int SH, int SW, int DH, int DW, int TOP, int LEFT

/* col2im: the NHWC image (cleared first) as the sum of the columns, (B·OH·OW) × (KH·KW·C) row-major,
 * sent back onto the pixels they were taken from. The input gradient of a convolution. */
__attribute__((export_name("col2im"))) void col2im(const float *restrict columns, float *restrict image, GEOMETRY) {
  const int size = B * H * W * C;
  for (int k = 0; k < size; k++) image[k] = 0.0f;
  const float *col = columns;
  for (int b = 0; b < B; b++) {
    for (int oh = 0; oh < OH; oh++) {
      for (int ow = 0; ow < OW; ow++) {
        for (int i = 0; i < KH; i++) {
          const int ih = oh * SH + i * DH - TOP;
          if (ih < 0 || ih >= H) {
            col += KW * C; /* these taps fell outside the image */
            continue;
          }
          for (int j = 0; j < KW; j++) {
            const int iw = ow * SW + j * DW - LEFT;
            if (iw >= 0 && iw < W) {
              float *pixel = image + ((b * H + ih) * W + iw) * C;
              for (int c = 0; c < C; c++) pixel[c] += col[c];
            }
            col += C;
          }
        }
      }
    }
  }
}

/* The transpose of im2col's matrix, (KH·KW·C) × (B·OH·OW): the left operand of the filter
 * gradient columnsᵀ·dy, written directly so that the product needs no transposed operand. */
__attribute__((export_name("im2col_t"))) void im2col_t(const float *restrict image, float *restrict columns_t, GEOMETRY) {
  /* One output row per filter tap (i, j, c), written front to back. */
  float *out = columns_t;
  for (int i = 0; i < KH; i++) {
    for (int j = 0; j < KW; j++) {
      /* The output columns ow whose input column ow·SW + j·DW − LEFT lies in [0, W). */
      int first = 0, last = OW;
      while (first < OW && first * SW + j * DW - LEFT < 0) first++;
      while (last > first && (last - 1) * SW + j * DW - LEFT >= W) last--;
      for (int c = 0; c < C; c++) {
        for (int b = 0; b < B; b++) {
          for (int oh = 0; oh < OH; oh++) {
            const int ih = oh * SH + i * DH - TOP;
            if (ih < 0 || ih >= H) {
              for (int ow = 0; ow < OW; ow++) *out++ = 0.0f;
              continue;
            }
            const float *row = image + (b * H + ih) * W * C + c;
            for (int ow = 0; ow < first; ow++) *out++ = 0.0f; /* left of the image */
            const float *in = row + (first * SW + j * DW - LEFT) * C;
            for (int ow = first; ow < last; ow++, in += SW * C) *out++ = *in;
            for (int ow = last; ow < OW; ow++) *out++ = 0.0f; /* right of it */
          }
        }
      }
    }
  }
}

/* Sums of the columns of a rows × cols matrix: a sum over a tensor's leading axes. */
__attribute__((export_name("sum_rows"))) void sum_rows(const float *restrict matrix, float *restrict sums, int rows, int cols) {
  for (int c = 0; c < cols; c++) sums[c] = 0.0f;
  for (int r = 0; r < rows; r++) {
    const float *row = matrix + r * cols;
    for (int c = 0; c < cols; c++) sums[c] += row[c];
  }
}

/* One Adam step over n weights, in tfjs's order of float32 operations (so results match
 * tf.train.adam's): m ← m·β₁ + g·(1−β₁), v ← v·β₂ + g²·(1−β₂),
 * out = (m/c₁) / (√(v/c₂) + ε) · (−lr) + w, with c₁ = 1−β₁ᵗ and c₂ = 1−β₂ᵗ.
 * m and v are updated in place; the new weights go to `out`. */
__attribute__((export_name("adam"))) void adam(const float *restrict w, const float *restrict g, float *restrict m, float *restrict v,
                                               float *restrict out, int n, float beta1, float one_minus_beta1, float beta2,
                                               float one_minus_beta2, float c1, float c2, float epsilon, float negative_rate) {
  for (int i = 0; i < n; i++) {
    const float gi = g[i];
    const float mi = m[i] * beta1 + gi * one_minus_beta1;
    const float vi = v[i] * beta2 + (gi * gi) * one_minus_beta2;
    m[i] = mi;
    v[i] = vi;
    out[i] = ((mi / c1) / (__builtin_sqrtf(vi / c2) + epsilon)) * negative_rate + w[i];
  }
}
