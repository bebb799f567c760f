/*
 * The wasm backend's kernels of our own (see ../README.md): the matrix product, the conv
 * gradients' im2colᵀ/col2im and direct filter gradient, a leading-axes sum, a bias add, an Adam
 * step and an LSTM layer over a whole sequence, compiled to a small WebAssembly module that works in tfjs-backend-wasm's own memory (it
 * imports that memory and has no data and no stack of its own). The layouts are those of ../im2col.ts, whose JavaScript loops
 * the cpu backend uses; the tests compare both with a plain-loop oracle. Build:
 * scripts/build-wasm-kernels.sh. Pointers are byte offsets into tfjs's heap.
 *
 * The script builds this file twice: once with plain 128-bit SIMD, and once with relaxed SIMD,
 * where MADD below is a fused multiply-add (one rounding; on x86 with FMA, one instruction). The
 * products (matmul and the LSTM's) and the LSTM's exp and tanh polynomials use MADD; everything
 * else is the same in both builds (and -ffp-contract=off keeps the compiler from fusing anything
 * itself, which would change Adam's tfjs-identical rounding).
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

/* ---- A whole LSTM layer over a sequence: lstm_forward and lstm_backward ----
 *
 * Written out step by step (../../models/lstm.ts, lstmStep), one LSTM layer over T steps is about
 * 14 small tfjs kernels a step forward and 30 backward; at the lessons' sizes each takes
 * microseconds of work and more of dispatch. Here the whole sequence is one call each way. The
 * input's product x_t·W + b is not done here: the caller computes it for every step at once (one
 * large product) and passes it as `xwb`. Layouts are batch-major, as the layer's tensors:
 *   xwb, G: (B, T, 4U)   H, Cs, dH: (B, T, U)   U: (U, 4U), the recurrent kernel.
 * The gates are the columns of z in the order input i, forget f, candidate g, output o. With
 * `repeated`, xwb is (B, 1, 4U): the same input at every step (a decoder fed its code at each
 * step), whose product need not be computed T times. */

/* exp, to within about 2 float32 ulps (Cephes's expf: x = n·ln 2 + r, a degree-5 polynomial for
 * e^r, then 2^n put in the exponent bits). The input is clamped to [−87.3, 88.3], where 2^n stays
 * a normal float. n is rounded by adding 1.5·2^23, whose float then holds n in its low bits (the
 * wasm instructions for rounding and converting, and min and max with their NaN rules, take
 * several x86 instructions each; pmin and pmax one). */
static inline v128_t exp4(v128_t x) {
  const v128_t magic = wasm_f32x4_splat(12582912.0f);
  x = wasm_f32x4_pmin(wasm_f32x4_pmax(x, wasm_f32x4_splat(-87.3f)), wasm_f32x4_splat(88.3f));
  const v128_t shifted = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)), magic);
  const v128_t n = wasm_f32x4_sub(shifted, magic);
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t y = wasm_f32x4_splat(1.9875691500e-4f);
  y = MADD(y, x, wasm_f32x4_splat(1.3981999507e-3f));
  y = MADD(y, x, wasm_f32x4_splat(8.3334519073e-3f));
  y = MADD(y, x, wasm_f32x4_splat(4.1665795894e-2f));
  y = MADD(y, x, wasm_f32x4_splat(1.6666665459e-1f));
  y = MADD(y, x, wasm_f32x4_splat(5.0000001201e-1f));
  y = wasm_f32x4_add(MADD(y, wasm_f32x4_mul(x, x), x), wasm_f32x4_splat(1.0f));
  /* 2^n: n + 127 in the exponent bits. The low bits of `shifted` are n (two's complement). */
  const v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_sub(shifted, magic), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(y, scale);
}

/* σ(x) = 1 / (1 + e^−x). */
static inline v128_t sigmoid4(v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  return wasm_f32x4_div(one, wasm_f32x4_add(one, exp4(wasm_f32x4_neg(x))));
}

/* tanh, as Cephes's tanhf: an odd polynomial below |x| = 0.625 (where 1 − 2/(e^2x + 1) would lose
 * digits to cancellation), that formula above it, with x's sign. */
static inline v128_t tanh4(v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  const v128_t a = wasm_f32x4_abs(x);
  const v128_t large = wasm_f32x4_sub(one, wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(exp4(wasm_f32x4_add(a, a)), one)));
  const v128_t z = wasm_f32x4_mul(x, x);
  v128_t p = wasm_f32x4_splat(-5.70498872745e-3f);
  p = MADD(p, z, wasm_f32x4_splat(2.06390887954e-2f));
  p = MADD(p, z, wasm_f32x4_splat(-5.37397155531e-2f));
  p = MADD(p, z, wasm_f32x4_splat(1.33314422036e-1f));
  p = MADD(p, z, wasm_f32x4_splat(-3.33332819422e-1f));
  const v128_t small = MADD(wasm_f32x4_mul(p, z), x, x);
  const v128_t signed_large = wasm_v128_or(large, wasm_v128_and(x, wasm_f32x4_splat(-0.0f)));
  return wasm_v128_bitselect(small, signed_large, wasm_f32x4_lt(a, wasm_f32x4_splat(0.625f)));
}

/* 4 floats from p, of which only the first n (1 to 4) are read; the rest are 0. Lane by lane, not
 * through a local array: the module must not use a stack (it would sit in tfjs's heap). */
static inline v128_t load_n(const float *p, int n) {
  if (n >= 4) return wasm_v128_load(p);
  v128_t v = wasm_f32x4_splat(0.0f);
  v = wasm_f32x4_replace_lane(v, 0, p[0]);
  if (n > 1) v = wasm_f32x4_replace_lane(v, 1, p[1]);
  if (n > 2) v = wasm_f32x4_replace_lane(v, 2, p[2]);
  return v;
}

/* The first n (1 to 4) floats of v to p. */
static inline void store_n(float *p, v128_t v, int n) {
  if (n >= 4) {
    wasm_v128_store(p, v);
    return;
  }
  p[0] = wasm_f32x4_extract_lane(v, 0);
  if (n > 1) p[1] = wasm_f32x4_extract_lane(v, 1);
  if (n > 2) p[2] = wasm_f32x4_extract_lane(v, 2);
}

/* Half h (columns 4h to 4h + 3) of row r of a 4 × 8 block of C (rows ldc floats apart), of which
 * only the first `height` rows and `width` columns are C's; the rest read as 0. */
static inline v128_t block_load(const float *C, int ldc, int r, int h, int height, int width) {
  if (r >= height || width <= 4 * h) return wasm_f32x4_splat(0.0f);
  return load_n(C + r * ldc + 4 * h, width - 4 * h);
}

/* Row r of such a block, its two halves lo and hi, back to C (nothing past height or width). */
static inline void block_store(float *C, int ldc, int r, v128_t lo, v128_t hi, int height, int width) {
  if (r >= height) return;
  store_n(C + r * ldc, lo, width);
  if (width > 4) store_n(C + r * ldc + 4, hi, width - 4);
}

/* Declares UPDATE_4x8's accumulators c00 … c31, loaded from a 4 × 8 block of C (rows ldc apart)
 * of which only the first `height` rows and `width` columns are C's (the rest start at 0); and
 * stores them back. gemm_acc and gemm_tn_acc add to what C holds. */
#define LOAD_4x8(block, ldc, height, width) \
  v128_t c00 = block_load(block, ldc, 0, 0, height, width), c01 = block_load(block, ldc, 0, 1, height, width); \
  v128_t c10 = block_load(block, ldc, 1, 0, height, width), c11 = block_load(block, ldc, 1, 1, height, width); \
  v128_t c20 = block_load(block, ldc, 2, 0, height, width), c21 = block_load(block, ldc, 2, 1, height, width); \
  v128_t c30 = block_load(block, ldc, 3, 0, height, width), c31 = block_load(block, ldc, 3, 1, height, width)
#define STORE_4x8(block, ldc, height, width) \
  do { \
    block_store(block, ldc, 0, c00, c01, height, width); \
    block_store(block, ldc, 1, c10, c11, height, width); \
    block_store(block, ldc, 2, c20, c21, height, width); \
    block_store(block, ldc, 3, c30, c31, height, width); \
  } while (0)

/* B's K × N matrix (row-major, or N × K stored when trans) as panels of 8 columns, each K × 8 and
 * contiguous, zero past N: the layout gemm_acc reads. */
static void pack_panels(const float *restrict B, float *restrict P, int K, int N, int trans) {
  for (int j0 = 0; j0 < N; j0 += 8)
    for (int k = 0; k < K; k++)
      for (int j = 0; j < 8; j++) *P++ = j0 + j < N ? (trans ? B[(j0 + j) * K + k] : B[k * N + j0 + j]) : 0.0f;
}

/* C += A·B, with C M × N (rows ldc floats apart), A M × K (rows lda apart) and B packed by
 * pack_panels: matmul's 4 × 8 blocks, but with row strides and adding to what C holds. */
static void gemm_acc(const float *restrict A, int lda, const float *restrict P, float *restrict C, int ldc, int M, int K, int N) {
  for (int j0 = 0; j0 < N; j0 += 8, P += 8 * K) {
    const int width = N - j0 < 8 ? N - j0 : 8;
    for (int i0 = 0; i0 < M; i0 += 4) {
      const int height = M - i0 < 4 ? M - i0 : 4;
      float *block = C + i0 * ldc + j0;
      LOAD_4x8(block, ldc, height, width);
      /* Rows past M repeat row i0 (computed, never stored). */
      const float *a0 = A + i0 * lda, *a1 = A + (i0 + (height > 1 ? 1 : 0)) * lda;
      const float *a2 = A + (i0 + (height > 2 ? 2 : 0)) * lda, *a3 = A + (i0 + (height > 3 ? 3 : 0)) * lda;
      const float *b = P;
      for (int k = 0; k < K; k++, b += 8) {
        const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
        UPDATE_4x8(wasm_f32x4_splat(a0[k]), wasm_f32x4_splat(a1[k]), wasm_f32x4_splat(a2[k]), wasm_f32x4_splat(a3[k]), b0, b1);
      }
      STORE_4x8(block, ldc, height, width);
    }
  }
}

/* C += Aᵀ·B summed over `count` blocks, with C M × N (contiguous) and, in block q, A K × M (rows
 * lda apart, starting at A + q·block_a) and B K × N (rows ldb apart, at B + q·block_b): a weight
 * gradient Σ xᵀ·dy over the rows of several blocks. The blocks are the outer loop, so that one
 * block's rows (an image's steps) stay in the L1 cache while every 4 × 8 block of C goes through
 * them. A's 4 values for one row of C's block are adjacent: one load, then a lane each. */
static void gemm_tn_acc(const float *restrict A, int lda, int block_a, const float *restrict Bm, int ldb, int block_b, int count,
                        float *restrict C, int M, int K, int N) {
  for (int q = 0; q < count; q++) {
    for (int i0 = 0; i0 < M; i0 += 4) {
      const int height = M - i0 < 4 ? M - i0 : 4;
      for (int j0 = 0; j0 < N; j0 += 8) {
        const int width = N - j0 < 8 ? N - j0 : 8;
        float *block = C + i0 * N + j0;
        LOAD_4x8(block, N, height, width);
        const float *a = A + q * block_a + i0, *b = Bm + q * block_b + j0;
        if (height == 4 && width == 8) {
          for (int k = 0; k < K; k++, a += lda, b += ldb) {
            const v128_t a4 = wasm_v128_load(a), b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
            UPDATE_4x8(wasm_i32x4_shuffle(a4, a4, 0, 0, 0, 0), wasm_i32x4_shuffle(a4, a4, 1, 1, 1, 1),
                       wasm_i32x4_shuffle(a4, a4, 2, 2, 2, 2), wasm_i32x4_shuffle(a4, a4, 3, 3, 3, 3), b0, b1);
          }
        } else {
          for (int k = 0; k < K; k++, a += lda, b += ldb) {
            const v128_t a4 = load_n(a, height), b0 = load_n(b, width), b1 = width > 4 ? load_n(b + 4, width - 4) : wasm_f32x4_splat(0.0f);
            UPDATE_4x8(wasm_i32x4_shuffle(a4, a4, 0, 0, 0, 0), wasm_i32x4_shuffle(a4, a4, 1, 1, 1, 1),
                       wasm_i32x4_shuffle(a4, a4, 2, 2, 2, 2), wasm_i32x4_shuffle(a4, a4, 3, 3, 3, 3), b0, b1);
          }
        }
        STORE_4x8(block, N, height, width);
      }
    }
  }
}

/* Forward over the whole sequence, from h_0 = c_0 = 0:
 *   z_t = xwb_t + h_{t−1}·U;  i, f, o = σ(z's gates), g = tanh(z's candidate);
 *   c_t = f⊙c_{t−1} + i⊙g;    h_t = o⊙tanh(c_t).
 * Writes every h_t to H, every c_t to Cs and the activated gates (i, f, g, o) to G, which the
 * backward pass reads. `panel` is scratch for ⌈4U/8⌉·8·U floats. */
__attribute__((export_name("lstm_forward"))) void lstm_forward(const float *restrict xwb, const float *restrict Uw, float *restrict H, float *restrict Cs,
                                                               float *restrict G, float *restrict panel, int B, int T, int U, int repeated) {
  const int U4 = 4 * U;
  pack_panels(Uw, panel, U, U4, 0);
  for (int t = 0; t < T; t++) {
    for (int b = 0; b < B; b++) {
      const float *from = xwb + (repeated ? b : b * T + t) * U4;
      float *to = G + (b * T + t) * U4;
      for (int k = 0; k < U4; k++) to[k] = from[k];
    }
    if (t > 0) gemm_acc(H + (t - 1) * U, T * U, panel, G + t * U4, T * U4, B, U, U4);
    for (int b = 0; b < B; b++) {
      float *gates = G + (b * T + t) * U4;
      const float *c_prev = t > 0 ? Cs + (b * T + t - 1) * U : 0;
      float *c = Cs + (b * T + t) * U, *h = H + (b * T + t) * U;
      for (int j = 0; j < U; j += 4) {
        const int n = U - j < 4 ? U - j : 4;
        const v128_t i = sigmoid4(load_n(gates + j, n)), f = sigmoid4(load_n(gates + U + j, n));
        const v128_t g = tanh4(load_n(gates + 2 * U + j, n)), o = sigmoid4(load_n(gates + 3 * U + j, n));
        const v128_t ig = wasm_f32x4_mul(i, g);
        const v128_t c_next = c_prev ? wasm_f32x4_add(wasm_f32x4_mul(f, load_n(c_prev + j, n)), ig) : ig;
        store_n(gates + j, i, n);
        store_n(gates + U + j, f, n);
        store_n(gates + 2 * U + j, g, n);
        store_n(gates + 3 * U + j, o, n);
        store_n(c + j, c_next, n);
        store_n(h + j, wasm_f32x4_mul(o, tanh4(c_next)), n);
      }
    }
  }
}

/* Back-propagation through time: from dH, the loss's gradient with respect to every h_t, and the
 * forward pass's H, Cs and G, the gradient with respect to every z_t, into dZ (B, T, 4U), and with
 * respect to U, into dU (U, 4U). Walking back from the last step, with dh and dc carried from step
 * t + 1:
 *   dh = dH_t + dz_{t+1}·Uᵀ;   dc = dc_{t+1}⊙f_{t+1} + dh⊙o⊙(1 − tanh²c_t);
 *   dz's gates: di = dc⊙g⊙i(1−i), df = dc⊙c_{t−1}⊙f(1−f), dg = dc⊙i⊙(1−g²), do = dh⊙tanh(c_t)⊙o(1−o).
 * Then dU = Σ_t h_{t−1}ᵀ·dz_t over all steps and the batch, one product. (The input's W and b get
 * theirs from dZ, by products the caller computes.) When dZsum is not null, it gets Σ_t dz_t for
 * every image, (B, 4U): the gradient of a repeated xwb. `scratch` holds ⌈U/8⌉·8·4U floats for
 * Uᵀ's panels, then 2·B·U for dh and dc. */
__attribute__((export_name("lstm_backward"))) void lstm_backward(const float *restrict dH, const float *restrict Uw, const float *restrict H,
                                                                 const float *restrict Cs, const float *restrict G, float *restrict dZ,
                                                                 float *restrict dU, float *restrict dZsum, float *restrict scratch, int B, int T, int U) {
  const int U4 = 4 * U;
  float *panel = scratch, *dh_next = scratch + ((U + 7) / 8) * 8 * U4, *dc_next = dh_next + B * U;
  pack_panels(Uw, panel, U4, U, 1);
  for (int k = 0; k < 2 * B * U; k++) dh_next[k] = 0.0f;
  const v128_t one = wasm_f32x4_splat(1.0f);
  for (int t = T - 1; t >= 0; t--) {
    for (int b = 0; b < B; b++) {
      const float *gates = G + (b * T + t) * U4, *c = Cs + (b * T + t) * U;
      const float *c_prev = t > 0 ? Cs + (b * T + t - 1) * U : 0;
      const float *dh_in = dH + (b * T + t) * U;
      float *dz = dZ + (b * T + t) * U4, *dhn = dh_next + b * U, *dcn = dc_next + b * U;
      for (int j = 0; j < U; j += 4) {
        const int n = U - j < 4 ? U - j : 4;
        const v128_t i = load_n(gates + j, n), f = load_n(gates + U + j, n);
        const v128_t g = load_n(gates + 2 * U + j, n), o = load_n(gates + 3 * U + j, n);
        const v128_t tc = tanh4(load_n(c + j, n));
        const v128_t dh = wasm_f32x4_add(load_n(dh_in + j, n), load_n(dhn + j, n));
        const v128_t dc = wasm_f32x4_add(load_n(dcn + j, n), wasm_f32x4_mul(wasm_f32x4_mul(dh, o), wasm_f32x4_sub(one, wasm_f32x4_mul(tc, tc))));
        const v128_t di = wasm_f32x4_mul(wasm_f32x4_mul(dc, g), wasm_f32x4_mul(i, wasm_f32x4_sub(one, i)));
        const v128_t cp = c_prev ? load_n(c_prev + j, n) : wasm_f32x4_splat(0.0f);
        const v128_t df = wasm_f32x4_mul(wasm_f32x4_mul(dc, cp), wasm_f32x4_mul(f, wasm_f32x4_sub(one, f)));
        const v128_t dg = wasm_f32x4_mul(wasm_f32x4_mul(dc, i), wasm_f32x4_sub(one, wasm_f32x4_mul(g, g)));
        const v128_t dout = wasm_f32x4_mul(wasm_f32x4_mul(dh, tc), wasm_f32x4_mul(o, wasm_f32x4_sub(one, o)));
        store_n(dz + j, di, n);
        store_n(dz + U + j, df, n);
        store_n(dz + 2 * U + j, dg, n);
        store_n(dz + 3 * U + j, dout, n);
        store_n(dcn + j, wasm_f32x4_mul(dc, f), n);
        store_n(dhn + j, wasm_f32x4_splat(0.0f), n);
      }
    }
    /* dh for step t − 1: dz_t·Uᵀ (dh_next was cleared above). */
    if (t > 0) gemm_acc(dZ + t * U4, T * U4, panel, dh_next, U, B, U4, U);
  }
  for (int k = 0; k < U * U4; k++) dU[k] = 0.0f;
  /* Per image b: rows h_0 … h_{T−2} of H against rows dz_1 … dz_{T−1} of dZ. */
  if (T > 1) gemm_tn_acc(H, U, T * U, dZ + U4, U4, T * U4, B, dU, U, T - 1, U4);
  if (dZsum) {
    for (int b = 0; b < B; b++) {
      float *sum = dZsum + b * U4;
      const float *dz = dZ + b * T * U4;
      for (int k = 0; k < U4; k++) sum[k] = dz[k];
      for (int t = 1; t < T; t++)
        for (int k = 0; k < U4; k++) sum[k] += dz[t * U4 + k];
    }
  }
}
