/* Winograd F(4x4, 3x3) with AVX2 + FMA (CPUs without AVX-512): the scheme of conv_wino512.c
 * at 8 lanes, for reflection- and zero-padded layers, with ReLU or per-channel slopes (LeakyReLU,
 * PReLU) at the store. Vector lanes hold 8 tiles of one tile row, in the order 0 2 4 6 1 3 5 7
 * that an in-lane 4x4 transpose of 32 consecutive columns gives (the same transpose puts the
 * outputs back in column order). For each block of up to 24 tiles (a row's tiles spread evenly):
 *   1. input transform, per input channel: the 6 input rows under the block (read in place;
 *      only a 40-column chunk at an edge is copied, with the padding folded in), column
 *      transform on 8-column chunks, split by column phase (x mod 4), row transform ->
 *      V = B^T d B as V[36][cin][tiles];
 *   2. per 4 output channels and up to 24 tiles: 36 register-tiled GEMMs M[pos] = U[pos] V[pos]
 *      (K = cin, 12 accumulators) into an L1 buffer, then Y = A^T M A, bias, activation and
 *      the stores.
 * Tiles sit on absolute multiples of 4 rows and columns, so results never depend on the band
 * split. Each block asks for the next block's input and output lines while it computes (the
 * 16-32-channel layers were waiting on memory). U = G g G^T comes from ak_wino_pack (conv_wino512.c). */
#include "conv_layer.h"
#if AK_X86
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define T256 __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

/* Tiles per GEMM unit (three vectors) and per block: a block of one unit keeps V (36 x cin x
 * 24 tiles, 55-440 KiB at 16-128 channels) as small as the GEMM allows. Measured single-thread
 * on UST-16x's layers (16->16 at 640x360 ... 128->128 at 80x45): 24-tile blocks beat 48 (and
 * the old 16-tile units in 32- and 16-tile blocks) by 7-40%, most at 64-128 channels. */
#define UNIT 24
static int block_tiles(const ak_conv *conv) { (void)conv; return UNIT; }
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
INLINE T256 void chunk_rows(const ak_conv *conv, const float *const rows[6], int w, int c0, float *buf,
                       const float *zeros, const float *chunk[6]) {
    int interior = c0 >= 0 && c0 + CHUNK <= w;
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
        /* Columns c0 + 8 q + lane inside [0, w) by masked loads (the others read as zero and
         * are not touched); cheaper than a memset and a memcpy call per row. */
        for (int q = 0; q < CHUNK / 8; q++) {
            __m256i x = _mm256_add_epi32(_mm256_set1_epi32(c0 + 8 * q), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
            __m256i in = _mm256_and_si256(_mm256_cmpgt_epi32(x, _mm256_set1_epi32(-1)),
                                          _mm256_cmpgt_epi32(_mm256_set1_epi32(w), x));
            const float *at = (const float *)((uintptr_t)row + (intptr_t)(c0 + 8 * q) * (intptr_t)sizeof(float));
            _mm256_store_ps(buf + 8 * q, _mm256_maskload_ps(at, in));
        }
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

/* M[c][8 nv tiles] for 4 channels (u already offset to the first) of one unit of nv <= 3
 * tile vectors: 4 nv accumulators (12 for a full unit, enough to cover the FMA latency on two
 * ports), nv vector loads and four broadcasts per input channel. */
INLINE T256 void gemm_unit(const float *v, int nt, const float *u, int cin, float *m, int nv) {
    __m256 acc[4][3];
#pragma GCC unroll 4
    for (int c = 0; c < 4; c++)
#pragma GCC unroll 3
        for (int j = 0; j < nv; j++) acc[c][j] = _mm256_setzero_ps();
    for (int ci = 0; ci < cin; ci++, v += nt, u += 8) {
        __m256 x[3];
#pragma GCC unroll 3
        for (int j = 0; j < nv; j++) x[j] = _mm256_load_ps(v + 8 * j);
#pragma GCC unroll 4
        for (int c = 0; c < 4; c++) {
            __m256 wv = _mm256_broadcast_ss(u + c);
#pragma GCC unroll 3
            for (int j = 0; j < nv; j++) acc[c][j] = _mm256_fmadd_ps(x[j], wv, acc[c][j]);
        }
    }
#pragma GCC unroll 4
    for (int c = 0; c < 4; c++)
#pragma GCC unroll 3
        for (int j = 0; j < nv; j++) _mm256_store_ps(m + UNIT * c + 8 * j, acc[c][j]);
}

/* gemm_unit for a full unit (3 tile vectors), written out: 12 accumulators, 3 vector loads and
 * a broadcast register, 16 ymm registers in all (arrays made the compiler spill). */
static T256 void gemm_unit3(const float *v, int nt, const float *u, int cin, float *m) {
    __m256 a00 = _mm256_setzero_ps(), a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00;
    __m256 a20 = a00, a21 = a00, a22 = a00, a30 = a00, a31 = a00, a32 = a00;
    __m256 x0, x1, x2, w;
    long step = 4L * nt, n = cin;
    __asm__("1:\n\t"
            "vmovaps (%[v]), %[x0]\n\t"
            "vmovaps 32(%[v]), %[x1]\n\t"
            "vmovaps 64(%[v]), %[x2]\n\t"
            "vbroadcastss (%[u]), %[w]\n\t"
            "vfmadd231ps %[x0], %[w], %[a00]\n\t"
            "vfmadd231ps %[x1], %[w], %[a01]\n\t"
            "vfmadd231ps %[x2], %[w], %[a02]\n\t"
            "vbroadcastss 4(%[u]), %[w]\n\t"
            "vfmadd231ps %[x0], %[w], %[a10]\n\t"
            "vfmadd231ps %[x1], %[w], %[a11]\n\t"
            "vfmadd231ps %[x2], %[w], %[a12]\n\t"
            "vbroadcastss 8(%[u]), %[w]\n\t"
            "vfmadd231ps %[x0], %[w], %[a20]\n\t"
            "vfmadd231ps %[x1], %[w], %[a21]\n\t"
            "vfmadd231ps %[x2], %[w], %[a22]\n\t"
            "vbroadcastss 12(%[u]), %[w]\n\t"
            "vfmadd231ps %[x0], %[w], %[a30]\n\t"
            "vfmadd231ps %[x1], %[w], %[a31]\n\t"
            "vfmadd231ps %[x2], %[w], %[a32]\n\t"
            "add $32, %[u]\n\t"
            "add %[step], %[v]\n\t"
            "dec %[n]\n\t"
            "jnz 1b"
            : [a00] "+x"(a00), [a01] "+x"(a01), [a02] "+x"(a02), [a10] "+x"(a10), [a11] "+x"(a11),
              [a12] "+x"(a12), [a20] "+x"(a20), [a21] "+x"(a21), [a22] "+x"(a22), [a30] "+x"(a30),
              [a31] "+x"(a31), [a32] "+x"(a32), [x0] "=&x"(x0), [x1] "=&x"(x1), [x2] "=&x"(x2),
              [w] "=&x"(w), [v] "+r"(v), [u] "+r"(u), [n] "+r"(n)
            : [step] "r"(step)
            : "cc", "memory");
    _mm256_store_ps(m, a00), _mm256_store_ps(m + 8, a01), _mm256_store_ps(m + 16, a02);
    _mm256_store_ps(m + UNIT, a10), _mm256_store_ps(m + UNIT + 8, a11), _mm256_store_ps(m + UNIT + 16, a12);
    _mm256_store_ps(m + 2 * UNIT, a20), _mm256_store_ps(m + 2 * UNIT + 8, a21), _mm256_store_ps(m + 2 * UNIT + 16, a22);
    _mm256_store_ps(m + 3 * UNIT, a30), _mm256_store_ps(m + 3 * UNIT + 8, a31), _mm256_store_ps(m + 3 * UNIT + 16, a32);
}

/* The 36 GEMMs of one unit (nv tile vectors) for nco <= 8 channels into M[pos][8][UNIT]; both
 * halves of a position in turn, so the second reads V[pos] from L1. */
static T256 void gemm_positions(const float *v, size_t pos_stride, int nt, const float *u, int cin, float *m,
                                int nv, int nco) {
    for (int pos = 0; pos < 36; pos++) {
        const float *vp = v + pos * pos_stride, *up = u + (size_t)pos * cin * AK_CO_BLOCK;
        float *mp = m + pos * 8 * UNIT;
        for (int c4 = 0; c4 < nco; c4 += 4, up += 4, mp += 4 * UNIT) {
            if (nv == 3) gemm_unit3(vp, nt, up, cin, mp);
            else if (nv == 2) gemm_unit(vp, nt, up, cin, mp, 2);
            else gemm_unit(vp, nt, up, cin, mp, 1);
        }
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

/* Asks for the input lines (of one channel plane) that block (ty, tx0, nv) will read: the
 * transform reads 6 rows x 4 lines per tile vector spread over 16 ch x 6 rows = 96 streams,
 * more than the hardware prefetchers follow, so without this each line waits for L3/DRAM. */
static void prefetch_block(const ak_conv *conv, const float *src, int h, int w, int ty, int tx0, int nv) {
    const float *rows[6];
    block_rows(conv, src, h, w, ty, rows);
    int lo = 4 * tx0 - 1, hi = 4 * tx0 + 32 * nv + 2;
    if (lo < 0) lo = 0;
    if (hi > w) hi = w;
    for (int i = 0; i < 6; i++) {
        if (!rows[i]) continue;
        for (int x = lo & ~15; x < hi; x += 16) __builtin_prefetch(rows[i] + x, 0, 3);
    }
}

/* Asks for the output lines of channel plane `dst` that block (ty, tx0, nv) will write. */
static void prefetch_block_out(float *dst, int w, int y0, int y1, int ty, int tx0, int nv) {
    int lo = 4 * tx0, hi = 4 * tx0 + 32 * nv;
    if (hi > w) hi = w;
    for (int y = 4 * ty; y < 4 * ty + 4; y++) {
        if (y < y0 || y >= y1) continue;
        for (int x = lo & ~15; x < hi; x += 16) __builtin_prefetch(dst + (size_t)y * w + x, 1, 3);
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
    size_t plane = (size_t)h * w;
    int tiles = (w + 3) / 4, blocks = (conv->cout + AK_CO_BLOCK - 1) / AK_CO_BLOCK;
    /* The row's tile vectors spread evenly over the fewest blocks of <= 3 (32 tiles: 2 + 2,
     * not 3 + 1: a 1-vector unit has too few accumulators). */
    int nvec = (tiles + 7) / 8, nblocks = (nvec + 2) / 3;
    out_args o = {.out = out, .plane = plane, .w = w, .y0 = y0, .y1 = y1 < h ? y1 : h, .relu = relu,
                  .slope = conv->slope, .extra = extra, .gate = gate};
    int ty_last = (o.y1 - 1) / 4;
    for (int ty = y0 / 4; ty <= ty_last; ty++) {
        for (int b = 0; b < nblocks; b++) {
            int tx0 = 8 * (b * nvec / nblocks), nv = (b + 1) * nvec / nblocks - b * nvec / nblocks;
            int nt = 8 * nv; /* V[pos][ci][nt]: no unused columns in a short block */
            size_t pos_stride = (size_t)cin * nt;
            /* The next block (the next tile row's first after the last), read a block ahead. */
            int nb = b + 1 < nblocks ? b + 1 : 0, nty = b + 1 < nblocks ? ty : ty + 1;
            int ntx0 = 8 * (nb * nvec / nblocks), nnv = (nb + 1) * nvec / nblocks - nb * nvec / nblocks;
            for (int ci = 0; ci < cin; ci++) {
                const float *rows[6];
                block_rows(conv, in + ci * plane, h, w, ty, rows);
                input_transform(conv, rows, w, 4 * tx0 - 1, nv, buf, zeros, v + (size_t)ci * nt, pos_stride);
                if (nty <= ty_last) prefetch_block(conv, in + ci * plane, h, w, nty, ntx0, nnv);
            }
            for (int blk = 0; blk < blocks; blk++) {
                const float *u = conv->wino + (size_t)blk * 36 * cin * AK_CO_BLOCK;
                int co0 = blk * AK_CO_BLOCK;
                int nco = conv->cout - co0 < AK_CO_BLOCK ? conv->cout - co0 : AK_CO_BLOCK;
                int x = 4 * tx0;
                /* M for 8 channels x 24 tiles (27 KiB) stays in L1 for the output transform. */
                gemm_positions(v, pos_stride, nt, u, cin, m, nv, nco);
                for (int c = 0; c < nco; c++) {
                    for (int j = 0; j < nv && x + 32 * j < w; j++)
                        output_transform(m + UNIT * c + 8 * j, conv->bias[co0 + c], co0 + c, ty, x + 32 * j, &o);
                    if (nty <= ty_last)
                        prefetch_block_out(out + (co0 + c) * plane, w, o.y0, o.y1, nty, ntx0, nnv);
                }
            }
        }
    }
}
#endif /* AK_X86 */
