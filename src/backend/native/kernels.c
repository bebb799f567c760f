/*
 * The wasm backend's kernels of our own (see ../README.md): the matrix product, the conv
 * gradients' im2colᵀ/col2im and direct filter gradient, a leading-axes sum, a bias add and an Adam
 * step, compiled to a small WebAssembly module that works in tfjs-backend-wasm's own memory (it
 * imports that memory and has no data and no stack of its own). The layouts are those of ../im2col.ts, whose JavaScript loops
 * the cpu backend uses; the tests compare both with a plain-loop oracle. Build:
 * scripts/build-wasm-kernels.sh. Pointers are byte offsets into tfjs's heap.
 *
 * The script builds this file twice: once with plain 128-bit SIMD, and once with relaxed SIMD,
 * where MADD below is a fused multiply-add (one rounding; on x86 with FMA, one instruction). Only
 * matmul uses MADD; everything else is the same in both builds (and -ffp-contract=off keeps the
 * compiler from fusing anything itself, which would change Adam's tfjs-identical rounding).
 */
#include <wasm_simd128.h>

#ifdef RELAXED_SIMD
#define MADD(a, b, c) __builtin_wasm_relaxed_madd_f32x4(a, b, c)
#else
#define MADD(a, b, c) wasm_f32x4_add(wasm_f32x4_mul(a, b), c)
#endif

/* One step of a 4 × 8 block of sums held in 8 SIMD accumulators c00 … c31 (row r, half h: crh):
 * row r gains x_r · (g0, g1), where x_r holds one value in all four lanes. matmul and
 * conv_filter_grad both work in such blocks. */
#define UPDATE_4x8(x0, x1, x2, x3, g0, g1) \
  do { \
    const v128_t u0 = (x0), u1 = (x1), u2 = (x2), u3 = (x3); \
    c00 = MADD(u0, g0, c00); c01 = MADD(u0, g1, c01); \
    c10 = MADD(u1, g0, c10); c11 = MADD(u1, g1, c11); \
    c20 = MADD(u2, g0, c20); c21 = MADD(u2, g1, c21); \
    c30 = MADD(u3, g0, c30); c31 = MADD(u3, g1, c31); \
  } while (0)

/* The geometry, as in ../im2col.ts: batch, input height, width, channels, output height, width,
 * filter height, width, strides, dilations, and the padding before the first row and column. */
#define GEOMETRY int B, int H, int W, int C, int OH, int OW, int KH, int KW, int SH, int SW, int DH, int DW, int TOP, int LEFT

/* col2im: the NHWC image (cleared first) as the sum of the columns, (B·OH·OW) × (KH·KW·C) row-major,
 * sent back onto the pixels they were taken from. The input gradient of a convolution. For each
 * output row and filter tap, the output columns whose pixel lies in the image are found first, so
 * the inner loop has no bounds tests (with one channel, testing every entry took 2 ms a call on
 * the lessons' last transposed conv). */
__attribute__((export_name("col2im"))) void col2im(const float *restrict columns, float *restrict image, GEOMETRY) {
  const int size = B * H * W * C;
  for (int k = 0; k < size; k++) image[k] = 0.0f;
  const int taps = KH * KW * C; /* one row of columns */
  for (int b = 0; b < B; b++) {
    for (int oh = 0; oh < OH; oh++) {
      for (int i = 0; i < KH; i++) {
        const int ih = oh * SH + i * DH - TOP;
        if (ih < 0 || ih >= H) continue; /* this row of taps fell outside the image */
        for (int j = 0; j < KW; j++) {
          int first = 0, last = OW;
          while (first < OW && first * SW + j * DW - LEFT < 0) first++;
          while (last > first && (last - 1) * SW + j * DW - LEFT >= W) last--;
          const float *col = columns + ((b * OH + oh) * OW + first) * taps + (i * KW + j) * C;
          float *pixel = image + ((b * H + ih) * W + first * SW + j * DW - LEFT) * C;
          if (C == 1) {
            for (int ow = first; ow < last; ow++, col += taps, pixel += SW) *pixel += *col;
          } else {
            for (int ow = first; ow < last; ow++, col += taps, pixel += SW * C)
              for (int c = 0; c < C; c++) pixel[c] += col[c];
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

/* out = x + row, with the cols values of `row` added to every row of the rows × cols matrix x: a
 * bias added to every position of a batch. (tfjs's broadcasting Add took 0.9 ms on a
 * 128×14×14×16 conv output.) One rounding per entry, so the sums are tfjs's exactly. */
__attribute__((export_name("add_rows"))) void add_rows(const float *restrict x, const float *restrict row, float *restrict out, int rows, int cols) {
  if (cols == 1) {
    const float r = row[0];
    for (int k = 0; k < rows; k++) out[k] = x[k] + r;
    return;
  }
  for (int i = 0; i < rows; i++, x += cols, out += cols)
    for (int c = 0; c < cols; c++) out[c] = x[c] + row[c];
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

/* C = op(A)·op(B) (+ bias) (then max(·, 0) when relu), float32, row-major, C of M × N.
 * op(A) is M × K: A is stored M × K, or K × M when transA. op(B) is K × N: B is stored K × N, or
 * N × K when transB. bias is null or N values. `panel` is scratch for K × 8 floats, and, when
 * transA, 4·⌈M/4⌉·K more. Only C's rows [row0, row1) and columns [col0, col1) are computed
 * (row0 a multiple of 4, col0 of 8): the product can be split between threads, and each value is
 * computed the same way, bit for bit, whichever share it falls in.
 *
 * For each block of 8 columns, B's columns are first copied into a contiguous K × 8 panel (the
 * loads then run through memory in order, and a transposed B costs nothing extra); then each
 * block of 4 rows of C is 8 SIMD accumulators (4 rows × 2 vectors of 4), summed over k. More
 * accumulators would not fit V8's 16 SIMD registers on x86 and spill (measured: 6 × 8 is 30%
 * slower than 4 × 8). A transposed A is first copied into blocks of 4 rows, each K × 4 contiguous:
 * read in place, its 4 values for one k sit M floats after those for the previous k, and with M a
 * multiple of 1,024 every k falls in the same L1 cache set (a 1024 × 128 · 128 × 784 weight
 * gradient ran at half speed). */
__attribute__((export_name("matmul"))) void matmul(const float *restrict A, const float *restrict B, const float *restrict bias,
                                                   float *restrict C, float *restrict panel, int M, int K, int N, int transA,
                                                   int transB, int relu, int row0, int row1, int col0, int col1) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  float *const a_blocks = panel + 8 * K;
  if (transA) {
    float *p = a_blocks;
    for (int i0 = row0; i0 < row1; i0 += 4) {
      const int height = row1 - i0 < 4 ? row1 - i0 : 4;
      for (int k = 0; k < K; k++, p += 4) {
        if (height == 4) wasm_v128_store(p, wasm_v128_load(A + k * M + i0));
        else for (int r = 0; r < 4; r++) p[r] = r < height ? A[k * M + i0 + r] : 0.0f;
      }
    }
  }
  for (int j0 = col0; j0 < col1; j0 += 8) {
    const int width = col1 - j0 < 8 ? col1 - j0 : 8;
    float *p = panel;
    if (!transB && width == 8) {
      for (int k = 0; k < K; k++, p += 8) {
        wasm_v128_store(p, wasm_v128_load(B + k * N + j0));
        wasm_v128_store(p + 4, wasm_v128_load(B + k * N + j0 + 4));
      }
    } else {
      for (int k = 0; k < K; k++)
        for (int j = 0; j < 8; j++) *p++ = j < width ? (transB ? B[(j0 + j) * K + k] : B[k * N + j0 + j]) : 0.0f;
    }
    float start[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    if (bias)
      for (int j = 0; j < width; j++) start[j] = bias[j0 + j];
    const v128_t start0 = wasm_v128_load(start), start1 = wasm_v128_load(start + 4);
    for (int i0 = row0; i0 < row1; i0 += 4) {
      const int height = row1 - i0 < 4 ? row1 - i0 : 4;
      v128_t c00 = start0, c01 = start1, c10 = start0, c11 = start1, c20 = start0, c21 = start1, c30 = start0, c31 = start1;
      const float *b = panel;
      if (transA) {
        /* The 4 rows' values at each k are adjacent in their block: one load, then a lane each. */
        const float *a = a_blocks + (i0 - row0) * K;
        for (int k = 0; k < K; k++, a += 4, b += 8) {
          const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4), a4 = wasm_v128_load(a);
          UPDATE_4x8(wasm_i32x4_shuffle(a4, a4, 0, 0, 0, 0), wasm_i32x4_shuffle(a4, a4, 1, 1, 1, 1),
                     wasm_i32x4_shuffle(a4, a4, 2, 2, 2, 2), wasm_i32x4_shuffle(a4, a4, 3, 3, 3, 3), b0, b1);
        }
      } else {
        /* Rows past M repeat row i0 (computed, never stored), so the loop has no branches. */
        const float *a0 = A + i0 * K, *a1 = A + (i0 + (height > 1 ? 1 : 0)) * K;
        const float *a2 = A + (i0 + (height > 2 ? 2 : 0)) * K, *a3 = A + (i0 + (height > 3 ? 3 : 0)) * K;
        for (int at = 0; at < K; at++, b += 8) {
          const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
          UPDATE_4x8(wasm_f32x4_splat(a0[at]), wasm_f32x4_splat(a1[at]), wasm_f32x4_splat(a2[at]), wasm_f32x4_splat(a3[at]), b0, b1);
        }
      }
      v128_t rows[8] = {c00, c01, c10, c11, c20, c21, c30, c31};
      if (relu)
        for (int r = 0; r < 8; r++) rows[r] = wasm_f32x4_max(rows[r], zero);
      for (int r = 0; r < height; r++) {
        float *out = C + (i0 + r) * N + j0;
        if (width == 8) {
          wasm_v128_store(out, rows[2 * r]);
          wasm_v128_store(out + 4, rows[2 * r + 1]);
        } else {
          float last[8];
          wasm_v128_store(last, rows[2 * r]);
          wasm_v128_store(last + 4, rows[2 * r + 1]);
          for (int j = 0; j < width; j++) out[j] = last[j];
        }
      }
    }
  }
}

/* The filter gradient of a convolution, without an im2col matrix:
 *   dw[i, j, c, f] = Σ_{b, oh, ow} x[b, oh·SH + i·DH − TOP, ow·SW + j·DW − LEFT, c] · dy[b, oh, ow, f]
 * x is NHWC, dy is (B, OH, OW, F), dw is (KH, KW, C, F); F must be a multiple of 8 (C need not be
 * a multiple of 4, but the caller keeps small C for im2col, which wastes less). For each tap
 * (i, j), blocks of 4 channels × 8 filters are 8 SIMD accumulators summed over the output
 * positions whose input pixel lies in the image (as in matmul). The batch is taken a few images
 * at a time, so that the images stay in the L1 cache across the taps and channel blocks that
 * read them again. Building the im2col matrix first took most of the time: its reads are strided
 * (1.9 ms of 2.1 ms for a 128×14×14×16 input). */
__attribute__((export_name("conv_filter_grad"))) void conv_filter_grad(const float *restrict x, const float *restrict dy, float *restrict dw,
                                                                       GEOMETRY, int F) {
  const int size = KH * KW * C * F;
  for (int k = 0; k < size; k++) dw[k] = 0.0f;
  const int image = H * W * C;
  const int chunk = image * 4 * 2 <= 24576 ? 24576 / (image * 4) : 1; /* images per pass: about 24 KB */
  for (int b0 = 0; b0 < B; b0 += chunk) {
    const int b1 = b0 + chunk < B ? b0 + chunk : B;
    for (int i = 0; i < KH; i++) {
      /* The output rows oh whose input row lies in the image, and below the columns. */
      int oh_first = 0, oh_last = OH;
      while (oh_first < OH && oh_first * SH + i * DH - TOP < 0) oh_first++;
      while (oh_last > oh_first && (oh_last - 1) * SH + i * DH - TOP >= H) oh_last--;
      for (int j = 0; j < KW; j++) {
        int ow_first = 0, ow_last = OW;
        while (ow_first < OW && ow_first * SW + j * DW - LEFT < 0) ow_first++;
        while (ow_last > ow_first && (ow_last - 1) * SW + j * DW - LEFT >= W) ow_last--;
        if (oh_first >= oh_last || ow_first >= ow_last) continue; /* the tap never lands in the image */
        for (int c0 = 0; c0 < C; c0 += 4) {
          const int height = C - c0 < 4 ? C - c0 : 4;
          /* Channels past C repeat channel c0 (computed, never stored). */
          const int o0 = c0, o1 = c0 + (height > 1 ? 1 : 0), o2 = c0 + (height > 2 ? 2 : 0), o3 = c0 + (height > 3 ? 3 : 0);
          for (int f0 = 0; f0 < F; f0 += 8) {
            float *const out = dw + ((i * KW + j) * C + c0) * F + f0;
            v128_t rows[8];
            for (int r = 0; r < 4; r++) {
              rows[2 * r] = r < height ? wasm_v128_load(out + r * F) : wasm_f32x4_splat(0.0f);
              rows[2 * r + 1] = r < height ? wasm_v128_load(out + r * F + 4) : wasm_f32x4_splat(0.0f);
            }
            v128_t c00 = rows[0], c01 = rows[1], c10 = rows[2], c11 = rows[3], c20 = rows[4], c21 = rows[5], c30 = rows[6], c31 = rows[7];
            for (int b = b0; b < b1; b++) {
              for (int oh = oh_first; oh < oh_last; oh++) {
                const int ih = oh * SH + i * DH - TOP;
                const float *in = x + ((b * H + ih) * W + ow_first * SW + j * DW - LEFT) * C;
                const float *g = dy + ((b * OH + oh) * OW + ow_first) * F + f0;
                for (int ow = ow_first; ow < ow_last; ow++, in += SW * C, g += F) {
                  const v128_t g0 = wasm_v128_load(g), g1 = wasm_v128_load(g + 4);
                  UPDATE_4x8(wasm_f32x4_splat(in[o0]), wasm_f32x4_splat(in[o1]), wasm_f32x4_splat(in[o2]), wasm_f32x4_splat(in[o3]), g0, g1);
                }
              }
            }
            const v128_t sums[8] = {c00, c01, c10, c11, c20, c21, c30, c31};
            for (int r = 0; r < height; r++) {
              wasm_v128_store(out + r * F, sums[2 * r]);
              wasm_v128_store(out + r * F + 4, sums[2 * r + 1]);
            }
          }
        }
      }
    }
  }
}
