/* Winograd F(4x4, 3x3) with AVX2 + FMA (CPUs without AVX-512): the scheme of conv_wino512.c
 * at 8 lanes, for reflection- and zero-padded layers, with ReLU or per-channel slopes (LeakyReLU,
 * PReLU) at the store. Vector lanes hold 8 tiles of one tile row, in the order 0 2 4 6 1 3 5 7
 * that an in-lane 4x4 transpose of 32 consecutive columns gives (the same transpose puts the
 * outputs back in column order). For each block of up to 8 * NV tiles:
 *   1. input transform, per input channel: the 6 input rows under the block (read in place;
 *      only a 40-column chunk at an edge is copied, with the padding folded in), column
 *      transform on 8-column chunks, split by column phase (x mod 4), row transform ->
 *      V = B^T d B as V[36][cin][tiles];
 *   2. per 8 output channels and 16 tiles: 36 register-tiled GEMMs M[pos] = U[pos] V[pos]
 *      (K = cin) into an L1 buffer, then Y = A^T M A, bias, activation and the stores.
 * Tiles sit on absolute multiples of 4 rows and columns, so results never depend on the band
 * split. U = G g G^T comes from ak_wino_pack (conv_wino512.c). */
#include "conv_layer.h"
#if AK_X86
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define T256 __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

/* Tiles per GEMM unit (two vectors) and per block: V (36 x cin x tiles) and U must share a
 * 512 KiB L2 (measured per core on 64->64 and 160->32 layers: 32 and 16 tiles beat 48 by
 * 30% and 50%). */
#define UNIT 16
static int block_tiles(const ak_conv *conv) { return conv->cin <= 64 ? 32 : 16; }
/* floats of one input-row buffer: 4 columns per tile plus the 8 read past the last vector. */
static int buf_row(int nt) { return 4 * nt + 16; }

size_t ak_wino256_scratch_floats(const ak_conv *conv) {
    int nt = block_tiles(conv);
    return 7 * (size_t)buf_row(nt) + 36 * (size_t)conv->cin * nt + 36 * 8 * UNIT + 16;
}

/* ---------------------------------------------------------------- phase split / merge */

/* In-lane 4x4 transpose of four vectors. */
INLINE T256 void transpose4(const __m256 a[4], __m256 d[4]) {
    __m256 t0 = _mm256_unpacklo_ps(a[0], a[1]), t1 = _mm256_unpacklo_ps(a[2], a[3]);
    __m256 t2 = _mm256_unpackhi_ps(a[0], a[1]), t3 = _mm256_unpackhi_ps(a[2], a[3]);
    d[0] = _mm256_shuffle_ps(t0, t1, 0x44);
    d[1] = _mm256_shuffle_ps(t0, t1, 0xEE);
    d[2] = _mm256_shuffle_ps(t2, t3, 0x44);
    d[3] = _mm256_shuffle_ps(t2, t3, 0xEE);
}

/* d[j] lane l = x[4 T(l) + j] for j = 0..5, T = (0 2 4 6 1 3 5 7); x holds at least 34 floats. */
INLINE T256 void split6(const float *x, __m256 d[6]) {
    __m256 a[4] = {_mm256_loadu_ps(x), _mm256_loadu_ps(x + 8), _mm256_loadu_ps(x + 16), _mm256_loadu_ps(x + 24)};
    transpose4(a, d);
    /* Phases 4 and 5 are phases 0 and 1 of the next tile; lane 7 (tile 7) reads x[32], x[33]. */
    __m256i next = _mm256_setr_epi32(4, 5, 6, 7, 1, 2, 3, 0);
    d[4] = _mm256_blend_ps(_mm256_permutevar8x32_ps(d[0], next), _mm256_broadcast_ss(x + 32), 0x80);
    d[5] = _mm256_blend_ps(_mm256_permutevar8x32_ps(d[1], next), _mm256_broadcast_ss(x + 33), 0x80);
}

/* ---------------------------------------------------------------- 1-D transforms */

/* u = B^T d for F(4, 3). */
INLINE T256 void bt6(const __m256 d[6], __m256 u[6]) {
    __m256 four = _mm256_set1_ps(4), five = _mm256_set1_ps(5), two = _mm256_set1_ps(2);
    __m256 t0 = _mm256_fnmadd_ps(four, d[2], d[4]); /* d4 - 4 d2 */
    __m256 t1 = _mm256_fnmadd_ps(four, d[1], d[3]); /* d3 - 4 d1 */
    __m256 t2 = _mm256_sub_ps(d[4], d[2]);
    __m256 t3 = _mm256_mul_ps(two, _mm256_sub_ps(d[3], d[1]));
    u[0] = _mm256_fmadd_ps(four, d[0], _mm256_fnmadd_ps(five, d[2], d[4]));
    u[1] = _mm256_add_ps(t0, t1);
    u[2] = _mm256_sub_ps(t0, t1);
    u[3] = _mm256_add_ps(t2, t3);
    u[4] = _mm256_sub_ps(t2, t3);
    u[5] = _mm256_fmadd_ps(four, d[1], _mm256_fnmadd_ps(five, d[3], d[5]));
}

/* y = A^T m for F(4, 3). */
INLINE T256 void at6(const __m256 m[6], __m256 y[4]) {
    __m256 p = _mm256_add_ps(m[1], m[2]), q = _mm256_sub_ps(m[1], m[2]);
    __m256 r = _mm256_add_ps(m[3], m[4]), s = _mm256_sub_ps(m[3], m[4]);
    y[0] = _mm256_add_ps(_mm256_add_ps(m[0], p), r);
    y[1] = _mm256_fmadd_ps(_mm256_set1_ps(2), s, q);
    y[2] = _mm256_fmadd_ps(_mm256_set1_ps(4), r, p);
    y[3] = _mm256_add_ps(_mm256_fmadd_ps(_mm256_set1_ps(8), s, q), m[5]);
}

/* ---------------------------------------------------------------- stages */

/* The 6 input rows (of channel plane `src`) under tile row ty, as pointers to their column 0;
 * NULL for a padded row of zeros or a row past h. */
static void block_rows(const ak_conv *conv, const float *src, int h, int w, int ty, const float *rows[6]) {
    for (int i = 0; i < 6; i++) {
        int y = 4 * ty + i - 1;
        int sy = y > h ? -1 : ak_pad_row(conv, y, h);
        rows[i] = sy < 0 ? NULL : src + (size_t)sy * w;
    }
}

/* Columns c0 ... c0 + CHUNK - 1 of the 6 rows, as one chunk of the input transform reads them:
 * in place inside the map; at an edge a copy in buf (6 rows of CHUNK floats) with the padding
 * folded in (zero past column w, which only feeds discarded outputs). Rows of zeros: `zeros`. */
#define CHUNK 40
INLINE void chunk_rows(const ak_conv *conv, const float *const rows[6], int w, int c0, float *buf,
                       const float *zeros, const float *chunk[6]) {
    int interior = c0 >= 0 && c0 + CHUNK <= w;
    int lo = c0 < 0 ? 0 : c0, hi = c0 + CHUNK < w ? c0 + CHUNK : w;
    for (int i = 0; i < 6; i++, buf += CHUNK) {
        const float *row = rows[i];
        if (!row) {
            chunk[i] = zeros;
            continue;
        }
        if (interior) {
            chunk[i] = row + c0;
            continue;
        }
        chunk[i] = buf;
        memset(buf, 0, CHUNK * sizeof(float));
        if (hi > lo) memcpy(buf + (lo - c0), row + lo, (size_t)(hi - lo) * sizeof(float));
        if (!conv->zero_pad) {
            if (c0 < 0 && c0 + CHUNK > 0) buf[-c0 - 1] = row[1];                   /* column -1 */
            if (w >= c0 && w - c0 < CHUNK && w >= 2) buf[w - c0] = row[w - 2];   /* column w */
        }
    }
}

/* V[pos][ci][8 v + lane] for v < nv from the 6 input rows (column c0 = the block's first
 * tile's column - 1): per 32 columns, the column transform on plain 8-column chunks into an
 * L1 buffer, then each transformed row split by phase and row-transformed. */
INLINE T256 void input_transform(const ak_conv *conv, const float *const rows[6], int w, int c0, int nv,
                                 float *buf, const float *zeros, float *v, size_t pos_stride) {
    __attribute__((aligned(32))) float tb[6][40];
    for (int k = 0; k < nv; k++) {
        const float *chunk[6];
        chunk_rows(conv, rows, w, c0 + 32 * k, buf, zeros, chunk);
        for (int q = 0; q < 5; q++) {
            __m256 d[6], u[6];
            for (int i = 0; i < 6; i++) d[i] = _mm256_loadu_ps(chunk[i] + 8 * q);
            bt6(d, u);
            for (int i = 0; i < 6; i++) _mm256_store_ps(tb[i] + 8 * q, u[i]);
        }
        for (int i = 0; i < 6; i++) {
            __m256 d[6], u[6];
            split6(tb[i], d);
            bt6(d, u);
            for (int j = 0; j < 6; j++) _mm256_store_ps(v + (i * 6 + j) * pos_stride + 8 * k, u[j]);
        }
    }
}

/* M[c][16 tiles] for 4 channels (u already offset to the first) of one 16-tile unit:
 * 8 accumulators, two vector loads and four broadcasts per input channel. */
static T256 void gemm_unit(const float *v, int nt, const float *u, int cin, float *m) {
    __m256 acc[4][2];
#pragma GCC unroll 4
    for (int c = 0; c < 4; c++) acc[c][0] = acc[c][1] = _mm256_setzero_ps();
    for (int ci = 0; ci < cin; ci++, v += nt, u += 8) {
        __m256 x0 = _mm256_load_ps(v), x1 = _mm256_load_ps(v + 8);
#pragma GCC unroll 4
        for (int c = 0; c < 4; c++) {
            __m256 wv = _mm256_broadcast_ss(u + c);
            acc[c][0] = _mm256_fmadd_ps(x0, wv, acc[c][0]);
            acc[c][1] = _mm256_fmadd_ps(x1, wv, acc[c][1]);
        }
    }
#pragma GCC unroll 4
    for (int c = 0; c < 4; c++) {
        _mm256_store_ps(m + UNIT * c, acc[c][0]);
        _mm256_store_ps(m + UNIT * c + 8, acc[c][1]);
    }
}

typedef struct {
    float *out; /* output tensor */
    size_t plane;
    int w, y0, y1, relu;
    const float *slope; /* the layer's slopes, or NULL */
    const float *extra; /* added after the activation (same shape as out), or NULL */
    const float *gate;  /* the sum kept only where gate > 0 (same shape as out), or NULL */
} out_args;

static const int lane_masks[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

/* Y = A^T M A for channel co and one vector of 8 tiles starting at output column x
 * (M[pos] at m + pos * 8 * UNIT), bias, activation, stores of the rows inside [y0, y1),
 * columns < w. */
INLINE T256 void output_transform(const float *m, float bias, int co, int ty, int x, const out_args *o) {
    __m256 b = _mm256_set1_ps(bias), zero = _mm256_setzero_ps();
    __m256 slope = _mm256_set1_ps(o->slope ? o->slope[co] : 0.0f);
    int n = o->w - x;
    __m256 t[4][6];
    for (int j = 0; j < 6; j++) { /* down the columns: t[a][j] = sum_i A^T[a][i] M[i][j] */
        __m256 col[6], y[4];
        for (int i = 0; i < 6; i++) col[i] = _mm256_load_ps(m + (i * 6 + j) * 8 * UNIT);
        at6(col, y);
        for (int a = 0; a < 4; a++) t[a][j] = y[a];
    }
    for (int a = 0; a < 4; a++) {
        int y = 4 * ty + a;
        if (y < o->y0 || y >= o->y1) continue;
        __m256 p[4], q[4];
        at6(t[a], p); /* along the row: phase b of output row a */
        for (int bb = 0; bb < 4; bb++) {
            p[bb] = _mm256_add_ps(p[bb], b);
            if (o->slope)
                p[bb] = _mm256_fmadd_ps(_mm256_min_ps(p[bb], zero), slope, _mm256_max_ps(p[bb], zero));
            else if (o->relu)
                p[bb] = _mm256_max_ps(p[bb], zero);
        }
        transpose4(p, q); /* back to column order: q[j] = columns x + 8 j .. x + 8 j + 7 */
        size_t at = (size_t)co * o->plane + (size_t)y * o->w + x;
        float *d = o->out + at;
        for (int j = 0; j < 4; j++) {
            int left = n - 8 * j;
            if (left <= 0) continue;
            __m256i mask = _mm256_loadu_si256((const __m256i *)(lane_masks + (left >= 8 ? 0 : 8 - left)));
            if (o->extra) q[j] = _mm256_add_ps(q[j], _mm256_maskload_ps(o->extra + at + 8 * j, mask));
            if (o->gate)
                q[j] = _mm256_and_ps(q[j], _mm256_cmp_ps(_mm256_maskload_ps(o->gate + at + 8 * j, mask), zero, _CMP_GT_OQ));
            if (left >= 8) _mm256_storeu_ps(d + 8 * j, q[j]);
            else _mm256_maskstore_ps(d + 8 * j, mask, q[j]);
        }
    }
}

T256 void ak_conv_rows_wino256(const ak_conv *conv, const float *in, int h, int w, float *out,
                               int y0, int y1, int relu, float *scratch) {
    ak_conv_rows_wino256_gated(conv, in, h, w, out, y0, y1, relu, scratch, NULL, NULL);
}

T256 void ak_conv_rows_wino256_gated(const ak_conv *conv, const float *in, int h, int w, float *out,
                                     int y0, int y1, int relu, float *scratch,
                                     const float *extra, const float *gate) {
    int cin = conv->cin, ntmax = block_tiles(conv), stride = buf_row(ntmax);
    float *buf = (float *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
    float *zeros = buf + 6 * stride, *v = zeros + stride, *m = v + (size_t)36 * cin * ntmax;
    memset(zeros, 0, (size_t)stride * sizeof(float));
    size_t plane = (size_t)h * w, pos_stride = (size_t)cin * ntmax;
    int tiles = (w + 3) / 4, blocks = (conv->cout + AK_CO_BLOCK - 1) / AK_CO_BLOCK;
    out_args o = {.out = out, .plane = plane, .w = w, .y0 = y0, .y1 = y1 < h ? y1 : h, .relu = relu,
                  .slope = conv->slope, .extra = extra, .gate = gate};
    int ty_last = (o.y1 - 1) / 4;
    for (int ty = y0 / 4; ty <= ty_last; ty++) {
        for (int tx0 = 0; tx0 < tiles; tx0 += ntmax) {
            int units = ((tiles - tx0 < ntmax ? tiles - tx0 : ntmax) + UNIT - 1) / UNIT;
            for (int ci = 0; ci < cin; ci++) {
                const float *rows[6];
                block_rows(conv, in + ci * plane, h, w, ty, rows);
                input_transform(conv, rows, w, 4 * tx0 - 1, 2 * units, buf, zeros, v + (size_t)ci * ntmax, pos_stride);
            }
            for (int blk = 0; blk < blocks; blk++) {
                const float *u = conv->wino + (size_t)blk * 36 * cin * AK_CO_BLOCK;
                int co0 = blk * AK_CO_BLOCK;
                int nco = conv->cout - co0 < AK_CO_BLOCK ? conv->cout - co0 : AK_CO_BLOCK;
                for (int k = 0; k < units; k++) {
                    int x = 4 * (tx0 + UNIT * k);
                    /* M for 8 channels x 16 tiles (18 KiB) stays in L1 for the output transform. */
                    for (int pos = 0; pos < 36; pos++) {
                        const float *vp = v + pos * pos_stride + UNIT * k, *up = u + (size_t)pos * cin * AK_CO_BLOCK;
                        gemm_unit(vp, ntmax, up, cin, m + pos * 8 * UNIT);
                        if (nco > 4) gemm_unit(vp, ntmax, up + 4, cin, m + pos * 8 * UNIT + 4 * UNIT);
                    }
                    for (int c = 0; c < nco; c++)
                        for (int half = 0; half < 2 && x + 32 * half < w; half++)
                            output_transform(m + UNIT * c + 8 * half, conv->bias[co0 + c], co0 + c, ty,
                                             x + 32 * half, &o);
                }
            }
        }
    }
}
#endif /* AK_X86 */
