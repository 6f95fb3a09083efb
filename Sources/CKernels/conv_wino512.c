/* Winograd F(4x4, 3x3) with AVX-512 for 3x3 layers with wide channels: per 4x4 output tile,
 * 36 multiply-adds per channel pair instead of 144. For reflection- and zero-padded layers,
 * with ReLU or per-channel slopes (LeakyReLU, PReLU) at the store, and the polish backward's
 * extra and gate. Vector lanes hold 16 consecutive tiles of one tile row. For each block of
 * up to 16 * NV tiles:
 *   1. input transform, per input channel: the 6 input rows under the block (read in place;
 *      copied with the padding folded in only at the left/right edge), column transform
 *      on plain 16-column chunks, split by column phase (x mod 4) with permutes, row
 *      transform -> V = B^T d B, stored V[36][cin][tiles];
 *   2. per 8 output channels and the block's NV tile vectors: 36 register-tiled GEMMs
 *      M[pos] = U[pos] V[pos] (K = cin, up to 24 accumulators) into an L1/L2 buffer, then the
 *      output transform Y = A^T M A, bias, activation, re-interleave of the phases, the stores.
 * Tiles sit on absolute multiples of 4 rows and columns, so results never depend on the band
 * split; every sum is formed in conv_wino256.c's order, so the two give the same bits.
 * Transform points 0, +-1, +-2, +-1/2 (Lavin & Gray); U = G g G^T packed at create. */
#include "conv_layer.h"
#if AK_X86
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define T512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma")))
#define INLINE static inline __attribute__((always_inline))

int ak_wino_eligible(const ak_conv *conv, int w) {
    return conv->k == 3 && conv->cin >= 16 && conv->cout >= 16 && w >= AK_WINO_MIN_WIDTH;
}

/* Tile vectors per block: V (36 x cin x 16 NV floats) should stay well inside L2 (1 MiB on
 * Zen 5) next to the 8 channels' U. Measured there single-thread: above 128 input channels
 * one vector beats two (Real-ESRGAN's 160->32: 280 -> 343 GFLOP/s per core, 192->64 even);
 * at 128, two beat one (Magenta's 128->128 at 128^2: 640-690 vs 540-580). */
int ak_wino_vectors(const ak_conv *conv) {
    return conv->cin <= 64 ? 3 : conv->cin <= 128 ? 2 : 1;
}

/* Floats per channel row of the GEMM output M[pos][8][UNIT]: the widest block, 3 vectors. */
#define UNIT 48

/* floats of one input-row buffer: 64 NV columns plus the 2 overlap columns, rounded up. */
static int buf_row(int nv) { return 64 * nv + 32; }

size_t ak_wino_scratch_floats(const ak_conv *conv) {
    int nv = ak_wino_vectors(conv), nt = 16 * nv;
    return 7 * (size_t)buf_row(nv) + 36 * (size_t)conv->cin * nt + 36 * 8 * UNIT + 16;
}

/* U[block][36][cin][8] = G g G^T, zero past cout; computed in double. */
float *ak_wino_pack(const float *weight, int cout, int cin) {
    static const double G[6][3] = {{1 / 4.0, 0, 0}, {-1 / 6.0, -1 / 6.0, -1 / 6.0},
                                   {-1 / 6.0, 1 / 6.0, -1 / 6.0}, {1 / 24.0, 1 / 12.0, 1 / 6.0},
                                   {1 / 24.0, -1 / 12.0, 1 / 6.0}, {0, 0, 1}};
    int blocks = (cout + AK_CO_BLOCK - 1) / AK_CO_BLOCK;
    float *u = ak_alloc_floats((size_t)blocks * 36 * cin * AK_CO_BLOCK);
    if (!u) return NULL;
    memset(u, 0, (size_t)blocks * 36 * cin * AK_CO_BLOCK * sizeof(float));
    for (int co = 0; co < cout; co++) {
        for (int ci = 0; ci < cin; ci++) {
            const float *g = weight + ((size_t)co * cin + ci) * 9;
            double t[6][3];
            for (int a = 0; a < 6; a++)
                for (int j = 0; j < 3; j++)
                    t[a][j] = G[a][0] * g[j] + G[a][1] * g[3 + j] + G[a][2] * g[6 + j];
            for (int a = 0; a < 6; a++)
                for (int b = 0; b < 6; b++) {
                    double v = t[a][0] * G[b][0] + t[a][1] * G[b][1] + t[a][2] * G[b][2];
                    u[(((size_t)(co / AK_CO_BLOCK) * 36 + a * 6 + b) * cin + ci) * AK_CO_BLOCK +
                      co % AK_CO_BLOCK] = (float)v;
                }
        }
    }
    return u;
}

/* ---------------------------------------------------------------- phase split / merge */

static const int32_t even_idx[16] = {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30};
static const int32_t odd_idx[16] = {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31};
static const int32_t lo_idx[16] = {0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23};
static const int32_t hi_idx[16] = {8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31};

/* d[j] lane t = x[4t + j] for j = 0..5 (x holds at least 80 floats). */
INLINE T512 void split6(const float *x, __m512 d[6]) {
    __m512i ev = _mm512_loadu_si512(even_idx), od = _mm512_loadu_si512(odd_idx);
    __m512 a = _mm512_loadu_ps(x), b = _mm512_loadu_ps(x + 16);
    __m512 c = _mm512_loadu_ps(x + 32), e = _mm512_loadu_ps(x + 48);
    __m512 e1 = _mm512_permutex2var_ps(a, ev, b), o1 = _mm512_permutex2var_ps(a, od, b);
    __m512 e2 = _mm512_permutex2var_ps(c, ev, e), o2 = _mm512_permutex2var_ps(c, od, e);
    d[0] = _mm512_permutex2var_ps(e1, ev, e2);
    d[2] = _mm512_permutex2var_ps(e1, od, e2);
    d[1] = _mm512_permutex2var_ps(o1, ev, o2);
    d[3] = _mm512_permutex2var_ps(o1, od, o2);
    __m512 n = _mm512_loadu_ps(x + 64); /* lanes x[64..79]: lane 0 and 1 finish phases 4, 5 */
    d[4] = _mm512_castsi512_ps(_mm512_alignr_epi32(_mm512_castps_si512(n), _mm512_castps_si512(d[0]), 1));
    __m512 n1 = _mm512_permutexvar_ps(_mm512_set1_epi32(1), n);
    d[5] = _mm512_castsi512_ps(_mm512_alignr_epi32(_mm512_castps_si512(n1), _mm512_castps_si512(d[1]), 1));
}

/* The inverse for 4 phases: out[4t + j] = p[j] lane t, 64 floats in o[0..3]. */
INLINE T512 void merge4(const __m512 p[4], __m512 o[4]) {
    __m512i lo = _mm512_loadu_si512(lo_idx), hi = _mm512_loadu_si512(hi_idx);
    __m512 e1 = _mm512_permutex2var_ps(p[0], lo, p[2]), e2 = _mm512_permutex2var_ps(p[0], hi, p[2]);
    __m512 o1 = _mm512_permutex2var_ps(p[1], lo, p[3]), o2 = _mm512_permutex2var_ps(p[1], hi, p[3]);
    o[0] = _mm512_permutex2var_ps(e1, lo, o1);
    o[1] = _mm512_permutex2var_ps(e1, hi, o1);
    o[2] = _mm512_permutex2var_ps(e2, lo, o2);
    o[3] = _mm512_permutex2var_ps(e2, hi, o2);
}

/* ---------------------------------------------------------------- 1-D transforms */

/* u = B^T d for F(4, 3). */
INLINE T512 void bt6(const __m512 d[6], __m512 u[6]) {
    __m512 four = _mm512_set1_ps(4), five = _mm512_set1_ps(5), two = _mm512_set1_ps(2);
    __m512 t0 = _mm512_fnmadd_ps(four, d[2], d[4]); /* d4 - 4 d2 */
    __m512 t1 = _mm512_fnmadd_ps(four, d[1], d[3]); /* d3 - 4 d1 */
    __m512 t2 = _mm512_sub_ps(d[4], d[2]);
    __m512 t3 = _mm512_mul_ps(two, _mm512_sub_ps(d[3], d[1]));
    u[0] = _mm512_fmadd_ps(four, d[0], _mm512_fnmadd_ps(five, d[2], d[4]));
    u[1] = _mm512_add_ps(t0, t1);
    u[2] = _mm512_sub_ps(t0, t1);
    u[3] = _mm512_add_ps(t2, t3);
    u[4] = _mm512_sub_ps(t2, t3);
    u[5] = _mm512_fmadd_ps(four, d[1], _mm512_fnmadd_ps(five, d[3], d[5]));
}

/* y = A^T m for F(4, 3). */
INLINE T512 void at6(const __m512 m[6], __m512 y[4]) {
    __m512 p = _mm512_add_ps(m[1], m[2]), q = _mm512_sub_ps(m[1], m[2]);
    __m512 r = _mm512_add_ps(m[3], m[4]), s = _mm512_sub_ps(m[3], m[4]);
    y[0] = _mm512_add_ps(_mm512_add_ps(m[0], p), r);
    y[1] = _mm512_fmadd_ps(_mm512_set1_ps(2), s, q);
    y[2] = _mm512_fmadd_ps(_mm512_set1_ps(4), r, p);
    y[3] = _mm512_add_ps(_mm512_fmadd_ps(_mm512_set1_ps(8), s, q), m[5]);
}

/* ---------------------------------------------------------------- stages */

/* Pointers to the 6 input rows (of channel plane `src`) under tile row ty, each from input
 * column c0 on, `len` columns. Blocks inside the map point straight into the input; blocks at
 * the left or right edge get a copy in buf with the padding folded in (zero past column w,
 * which only feeds discarded outputs). Padded rows of zeros and rows past h (likewise
 * discarded) are `zeros`. */
static T512 void block_rows(const ak_conv *conv, const float *src, int h, int w, int ty, int c0, int len,
                            float *buf, int stride, const float *zeros, const float *rows[6]) {
    int interior = c0 >= 0 && c0 + len <= w;
    for (int i = 0; i < 6; i++, buf += stride) {
        int y = 4 * ty + i - 1;
        int sy = y > h ? -1 : ak_pad_row(conv, y, h);
        if (sy < 0) {
            rows[i] = zeros;
            continue;
        }
        const float *row = src + (size_t)sy * w;
        if (interior) {
            rows[i] = row + c0;
            continue;
        }
        rows[i] = buf;
        for (int c = 0; c < len; c += 16) {
            int lo = c0 + c, start = lo < 0 ? -lo : 0, stop = w - lo < 16 ? w - lo : 16;
            __mmask16 m = stop <= start ? 0 : (__mmask16)(((1u << stop) - 1) & ~((1u << start) - 1));
            _mm512_store_ps(buf + c, _mm512_maskz_loadu_ps(m, row + lo));
        }
        if (conv->zero_pad) continue;
        if (c0 < 0) buf[-c0 - 1] = row[1];       /* column -1 */
        if (w - c0 < len) buf[w - c0] = row[w - 2]; /* column w */
    }
}

/* Asks for the lines block_rows will hand out for a later tile block, so a block's input arrives
 * from memory while the previous block computes (input rows are read in short pieces that the
 * hardware prefetchers do not catch on wide maps). */
static T512 void prefetch_rows(const ak_conv *conv, const float *src, int h, int w, int ty, int c0, int len) {
    if (c0 < 0) c0 = 0;
    int end = c0 + len < w ? c0 + len : w;
    for (int i = 0; i < 6; i++) {
        int y = 4 * ty + i - 1;
        int sy = y > h ? -1 : ak_pad_row(conv, y, h);
        if (sy < 0) continue;
        const char *row = (const char *)(src + (size_t)sy * w);
        for (int c = c0 & ~15; c < end; c += 16) _mm_prefetch(row + 4 * c, _MM_HINT_T1);
        if (end > c0) _mm_prefetch(row + 4 * (end - 1), _MM_HINT_T1);
    }
}

/* V[pos][ci][16 v + lane] for v < nv from the 6 input rows. The column transform runs first,
 * on plain 16-column chunks (no permutes), into a small L1 buffer; then each transformed row
 * is split by phase and row-transformed (20% faster than rows first: no register spills). */
INLINE T512 void input_transform(const float *const rows[6], int nv, float *v, size_t pos_stride) {
    __attribute__((aligned(64))) float tb[6][80];
    for (int k = 0; k < nv; k++) {
        for (int q = 0; q < 5; q++) {
            __m512 d[6], u[6];
            for (int i = 0; i < 6; i++) d[i] = _mm512_loadu_ps(rows[i] + 64 * k + 16 * q);
            bt6(d, u);
            for (int i = 0; i < 6; i++) _mm512_store_ps(tb[i] + 16 * q, u[i]);
        }
        for (int i = 0; i < 6; i++) {
            __m512 d[6], u[6];
            split6(tb[i], d);
            bt6(d, u);
            for (int j = 0; j < 6; j++) _mm512_store_ps(v + (i * 6 + j) * pos_stride + 16 * k, u[j]);
        }
    }
}

/* M[c][16 nv tiles] = sum over ci of U[ci][c] V[ci][tiles] for 8 channels and one unit of
 * nv <= 3 tile vectors: 8 nv accumulators (24 of the 32 zmm registers for a full unit), nv
 * vector loads and 8 broadcasts (folded into the FMAs) per input channel. Every element is
 * the same chain of FMAs over ci = 0, 1, ... from zero whatever nv is, so the sums do not
 * depend on the unit's width. */
INLINE T512 void gemm_unit(const float *v, int nt, const float *u, int cin, float *m, int nv) {
    __m512 acc[8][3];
#pragma GCC unroll 8
    for (int c = 0; c < 8; c++)
#pragma GCC unroll 3
        for (int j = 0; j < nv; j++) acc[c][j] = _mm512_setzero_ps();
    for (int ci = 0; ci < cin; ci++, v += nt, u += 8) {
        __m512 x[3];
#pragma GCC unroll 3
        for (int j = 0; j < nv; j++) x[j] = _mm512_load_ps(v + 16 * j);
#pragma GCC unroll 8
        for (int c = 0; c < 8; c++) {
            __m512 wv = _mm512_set1_ps(u[c]);
#pragma GCC unroll 3
            for (int j = 0; j < nv; j++) acc[c][j] = _mm512_fmadd_ps(x[j], wv, acc[c][j]);
        }
    }
#pragma GCC unroll 8
    for (int c = 0; c < 8; c++)
#pragma GCC unroll 3
        for (int j = 0; j < nv; j++) _mm512_store_ps(m + UNIT * c + 16 * j, acc[c][j]);
}

/* The 36 GEMMs of one block (nv tile vectors, 8 channels) into M[pos][8][UNIT]. */
static T512 void gemm_positions(const float *v, size_t pos_stride, int nt, const float *u, int cin, float *m,
                                int nv) {
    for (int pos = 0; pos < 36; pos++) {
        const float *vp = v + pos * pos_stride, *up = u + (size_t)pos * cin * AK_CO_BLOCK;
        float *mp = m + pos * 8 * UNIT;
        if (nv == 3) gemm_unit(vp, nt, up, cin, mp, 3);
        else if (nv == 2) gemm_unit(vp, nt, up, cin, mp, 2);
        else gemm_unit(vp, nt, up, cin, mp, 1);
    }
}

typedef struct {
    float *out;     /* output tensor */
    size_t plane;
    int h, w, y0, y1, relu;
    const float *slope; /* the layer's slopes (LeakyReLU, PReLU), or NULL */
    const float *extra; /* added after the activation (same shape as out), or NULL */
    const float *gate;  /* the sum kept only where gate > 0 (same shape as out), or NULL */
} out_args;

/* Y = A^T M A for channel co and one vector of 16 tiles starting at output column x
 * (M[pos] at m + pos * 8 * UNIT), bias, ReLU or slopes, then extra and gate (conv_wino256.c's
 * order), stores of the rows inside [y0, y1), columns < w. */
INLINE T512 void output_transform(const float *m, float bias, int co, int ty, int x, const out_args *o) {
    __m512 b = _mm512_set1_ps(bias), zero = _mm512_setzero_ps();
    __m512 slope = _mm512_set1_ps(o->slope ? o->slope[co] : 0.0f);
    int n = o->w - x;
    __m512 t[4][6];
    for (int j = 0; j < 6; j++) { /* down the columns: t[a][j] = sum_i A^T[a][i] M[i][j] */
        __m512 col[6], y[4];
        for (int i = 0; i < 6; i++) col[i] = _mm512_load_ps(m + (i * 6 + j) * 8 * UNIT);
        at6(col, y);
        for (int a = 0; a < 4; a++) t[a][j] = y[a];
    }
    for (int a = 0; a < 4; a++) {
        int y = 4 * ty + a;
        if (y < o->y0 || y >= o->y1) continue;
        __m512 p[4], q[4];
        at6(t[a], p); /* along the row: phase b of output row a */
        for (int bb = 0; bb < 4; bb++) {
            p[bb] = _mm512_add_ps(p[bb], b);
            if (o->slope)
                p[bb] = _mm512_fmadd_ps(_mm512_min_ps(p[bb], zero), slope, _mm512_max_ps(p[bb], zero));
            else if (o->relu)
                p[bb] = _mm512_max_ps(p[bb], zero);
        }
        merge4(p, q);
        size_t at = (size_t)co * o->plane + (size_t)y * o->w + x;
        float *d = o->out + at;
        for (int j = 0; j < 4; j++) {
            int left = n - 16 * j;
            if (left <= 0) continue;
            __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
            if (o->extra) q[j] = _mm512_add_ps(q[j], _mm512_maskz_loadu_ps(mask, o->extra + at + 16 * j));
            if (o->gate)
                q[j] = _mm512_maskz_mov_ps(
                    _mm512_cmp_ps_mask(_mm512_maskz_loadu_ps(mask, o->gate + at + 16 * j), zero, _CMP_GT_OQ), q[j]);
            if (left >= 16) _mm512_storeu_ps(d + 16 * j, q[j]);
            else _mm512_mask_storeu_ps(d + 16 * j, mask, q[j]);
        }
    }
}

T512 void ak_conv_rows_wino512(const ak_conv *conv, const float *in, int h, int w, float *out,
                               int y0, int y1, int relu, float *scratch) {
    ak_conv_rows_wino512_gated(conv, in, h, w, out, y0, y1, relu, scratch, NULL, NULL);
}

T512 void ak_conv_rows_wino512_gated(const ak_conv *conv, const float *in, int h, int w, float *out,
                                     int y0, int y1, int relu, float *scratch,
                                     const float *extra, const float *gate) {
    int cin = conv->cin, nvmax = ak_wino_vectors(conv), nt = 16 * nvmax, stride = buf_row(nvmax);
    float *buf = (float *)(((uintptr_t)scratch + 63) & ~(uintptr_t)63);
    float *zeros = buf + 6 * stride, *v = zeros + stride, *m = v + (size_t)36 * cin * nt;
    memset(zeros, 0, (size_t)stride * sizeof(float));
    size_t plane = (size_t)h * w, pos_stride = (size_t)cin * nt;
    int tiles = (w + 3) / 4, blocks = (conv->cout + AK_CO_BLOCK - 1) / AK_CO_BLOCK;
    out_args o = {.out = out, .plane = plane, .h = h, .w = w, .y0 = y0, .y1 = y1 < h ? y1 : h, .relu = relu,
                  .slope = conv->slope, .extra = extra, .gate = gate};
    int ty_last = (y1 - 1) / 4;
    for (int ty = y0 / 4; ty <= ty_last; ty++) {
        for (int tx0 = 0; tx0 < tiles; tx0 += nt) {
            int nv = (tiles - tx0 < nt ? tiles - tx0 + 15 : nt + 15) / 16;
            /* The next block: further along this tile row, or the start of the next one. */
            int pty = tx0 + nt < tiles ? ty : ty + 1, ptx0 = tx0 + nt < tiles ? tx0 + nt : 0;
            for (int ci = 0; ci < cin; ci++) {
                if (pty <= ty_last) prefetch_rows(conv, in + ci * plane, h, w, pty, 4 * ptx0 - 1, 64 * nvmax + 17);
                const float *rows[6];
                block_rows(conv, in + ci * plane, h, w, ty, 4 * tx0 - 1, 64 * nv + 16, buf, stride, zeros, rows);
                input_transform(rows, nv, v + (size_t)ci * nt, pos_stride);
            }
            for (int blk = 0; blk < blocks; blk++) {
                const float *u = conv->wino + (size_t)blk * 36 * cin * AK_CO_BLOCK;
                int co0 = blk * AK_CO_BLOCK;
                int nco = conv->cout - co0 < AK_CO_BLOCK ? conv->cout - co0 : AK_CO_BLOCK;
                int x0 = 4 * tx0;
                /* Output lines are written whole below: fetch them for writing while the
                 * GEMMs run (on wide maps they come from memory). */
                for (int c = 0; c < nco; c++)
                    for (int y = 4 * ty < o.y0 ? o.y0 : 4 * ty; y < 4 * ty + 4 && y < o.y1; y++) {
                        const char *d = (const char *)(out + (size_t)(co0 + c) * plane + (size_t)y * w + x0);
                        for (int j = 0; j < 4 * nv && x0 + 16 * j < w; j++) _mm_prefetch(d + 64 * j, _MM_HINT_ET0);
                    }
                /* M for 8 channels x 16 nv tiles (18-55 KiB) stays in L1/L2 for the output transform. */
                gemm_positions(v, pos_stride, nt, u, cin, m, nv);
                for (int c = 0; c < nco; c++)
                    for (int k = 0; k < nv && x0 + 64 * k < w; k++)
                        output_transform(m + UNIT * c + 16 * k, conv->bias[co0 + c], co0 + c, ty, x0 + 64 * k, &o);
            }
        }
    }
}
#endif /* AK_X86 */
