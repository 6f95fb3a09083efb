#include "inverted_residual.h"
#include "isa.h"
#include "netops.h"
#include "depthwise_row.h"
#include <immintrin.h>
#include <string.h>

/* The block runs band by band: a band of output rows needs padded hidden rows
 * [y * s, (y + rows - 1) * s + 3); they live in a ring of hidden rows (padded row p in slot
 * p % ring, every row zero-padded left and right), so rows shared with the previous band are
 * never computed twice. Rows 16 or more wide are expanded straight into their slots, from a
 * contiguous copy of the input row in `fresh` (the map's own rows lie a plane apart, often a
 * multiple of 4 KiB, so the 1x1's input rows would all fall in one L1 set); narrower new rows
 * are expanded together (one 1x1 over their contiguous input rows into `fresh`, for wide enough
 * tiles), then copied into their slots. The ring is zeroed once per call: the zero columns are
 * never written afterwards, only rows outside the map are zeroed again. The depthwise layer
 * reads the ring into `dw`, and the projection writes the band's output rows. */

#define T256 __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

static int has_avx2(void) { return ak_isa() >= AK_ISA_AVX2; }

/* ---------------------------------------------------------------- 1x1 tiles */

typedef struct {
    const float *in;    /* x at (row 0, first column of the tile) */
    size_t in_plane;
    int k;
    const float *w;     /* weights of the tile's first output row: [k] each, rows k apart */
    const float *bias;  /* the tile's first bias, or NULL */
    const float *res;   /* residual at (first row, first column), or NULL */
    size_t res_plane;
    float *out;         /* out at (first row, first column) */
    size_t out_plane;
    int ncols;          /* columns of a masked tile: 1..8 */
    int act;
} pw_args;

static const int pw_masks[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

/* CO output rows x NV vectors of 8 columns (or one masked vector): every sum in a register,
 * per input row NV loads and CO broadcasts feed CO * NV fused multiply-adds. */
INLINE T256 void pw_tile(const int CO, const int NV, const int MASKED, const pw_args *a) {
    __m256 acc[6][3];
    __m256i mask = _mm256_loadu_si256((const __m256i *)(pw_masks + 8 - (MASKED ? a->ncols : 8)));
#pragma GCC unroll 6
    for (int c = 0; c < CO; c++) {
        __m256 b = _mm256_set1_ps(a->bias ? a->bias[c] : 0.0f);
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) acc[c][v] = b;
    }
    const float *x = a->in;
    for (int i = 0; i < a->k; i++, x += a->in_plane) {
        __m256 xv[3];
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) xv[v] = MASKED ? _mm256_maskload_ps(x, mask) : _mm256_loadu_ps(x + 8 * v);
#pragma GCC unroll 6
        for (int c = 0; c < CO; c++) {
            __m256 wv = _mm256_broadcast_ss(a->w + (size_t)c * a->k + i);
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++) acc[c][v] = _mm256_fmadd_ps(xv[v], wv, acc[c][v]);
        }
    }
    __m256 zero = _mm256_setzero_ps(), six = _mm256_set1_ps(6);
#pragma GCC unroll 6
    for (int c = 0; c < CO; c++) {
        float *d = a->out + c * a->out_plane;
        const float *r = a->res ? a->res + c * a->res_plane : NULL;
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) {
            __m256 y = acc[c][v];
            if (a->act == AK_ACT_RELU) y = _mm256_max_ps(y, zero);
            else if (a->act == AK_ACT_RELU6) y = _mm256_min_ps(_mm256_max_ps(y, zero), six);
            if (r) y = _mm256_add_ps(y, MASKED ? _mm256_maskload_ps(r, mask) : _mm256_loadu_ps(r + 8 * v));
            if (MASKED) _mm256_maskstore_ps(d, mask, y);
            else _mm256_storeu_ps(d + 8 * v, y);
        }
    }
}

typedef void (*pw_fn)(const pw_args *);
/* Up to 3 rows 3 vectors wide, 4 to 6 rows 2 wide: the sums, the loaded vectors and one
 * broadcast fit the 16 registers. */
#define PW_WIDE(CO) ((CO) >= 4 ? 2 : 3)
#define PW(CO) \
    static T256 void pw_##CO##_w(const pw_args *a) { pw_tile(CO, PW_WIDE(CO), 0, a); } \
    static T256 void pw_##CO##_1(const pw_args *a) { pw_tile(CO, 1, 0, a); } \
    static T256 void pw_##CO##_m(const pw_args *a) { pw_tile(CO, 1, 1, a); }
PW(1) PW(2) PW(3) PW(4) PW(5) PW(6)
/* [rows - 1]: widest tile, one vector, one masked vector */
static const pw_fn pw_tiles[6][3] = {{pw_1_w, pw_1_1, pw_1_m}, {pw_2_w, pw_2_1, pw_2_m}, {pw_3_w, pw_3_1, pw_3_m},
                                     {pw_4_w, pw_4_1, pw_4_m}, {pw_5_w, pw_5_1, pw_5_m}, {pw_6_w, pw_6_1, pw_6_m}};

/* Output rows in tiles of at most 6, as even as they divide (16 rows: 6 5 5), each tile over
 * every column: its weights stay in L1 while the columns stream past. */
static T256 void pointwise_avx2(const float *in, size_t in_plane, int k, int n, const float *weight,
                                const float *bias, int m, const float *res, size_t res_plane, float *out,
                                size_t out_plane, int act) {
    int tiles = (m + 5) / 6;
    pw_args a = {.in_plane = in_plane, .k = k, .res_plane = res_plane, .out_plane = out_plane, .act = act};
    for (int t = 0, co = 0; t < tiles; t++) {
        int nco = (m - co) / (tiles - t) + ((m - co) % (tiles - t) ? 1 : 0);
        a.w = weight + (size_t)co * k;
        a.bias = bias ? bias + co : NULL;
        for (int x = 0; x < n;) {
            int wide = 8 * PW_WIDE(nco), left = n - x, kind = left >= wide ? 0 : (left >= 8 ? 1 : 2);
            a.in = in + x;
            a.out = out + (size_t)co * out_plane + x;
            a.res = res ? res + (size_t)co * res_plane + x : NULL;
            a.ncols = left < 8 ? left : 8;
            pw_tiles[nco - 1][kind](&a);
            x += kind == 0 ? wide : a.ncols;
        }
        co += nco;
    }
}

int ak_pointwise(const float *in, size_t in_plane, int k, int n, const float *weight, const float *bias,
                 int m, const float *res, size_t res_plane, float *out, size_t out_plane, int act) {
    if (!has_avx2() || (act != AK_ACT_NONE && act != AK_ACT_RELU && act != AK_ACT_RELU6)) return 0;
    pointwise_avx2(in, in_plane, k, n, weight, bias, m, res, res_plane, out, out_plane, act);
    return 1;
}

/* ---------------------------------------------------------------- depthwise on the ring */

/* One output row of one channel from three zero-padded ring rows (each `avail` = the ring's row
 * stride floats long: readable to (wo - 1) s + 3 plus a vector of slack, so every full vector of
 * outputs takes the vector path), ReLU6 at the store: the shared kernel of depthwise_row.h. */
static T256 void depthwise_row(const float *r0, const float *r1, const float *r2, const float *k, float b,
                               int s, int avail, int wo, float *o) {
    ak_depthwise3_row_avx2(r0, r1, r2, k, b, s, avail, wo, AK_ACT_RELU6, o);
}

/* ---------------------------------------------------------------- the block */

/* Output rows per band: at least 32 output columns for the projection's tiles. */
static int band_rows(int wo) { return wo >= 32 ? 1 : (32 + wo - 1) / wo; }

/* The ring's geometry: padded width, row stride (one vector of slack for the stride-2 loads),
 * and slots. */
typedef struct { int wpad, stride, ring, band; } ring_shape;

static ring_shape shape_of(int s, int wo) {
    ring_shape r;
    r.band = band_rows(wo);
    r.wpad = (wo - 1) * s + 3;
    r.stride = r.wpad + 8;
    r.ring = (r.band - 1) * s + 3;
    return r;
}

size_t ak_inverted_residual_scratch(int hidden, int w, int s, int wo) {
    ring_shape r = shape_of(s, wo);
    /* ring + fresh rows (at most a ring's worth of input rows) + the band's depthwise output */
    return (size_t)hidden * ((size_t)r.ring * r.stride + (size_t)r.ring * w + (size_t)r.band * wo) + 8;
}

int ak_inverted_residual_rows(const float *in, int cin, int h, int w, const float *expand_w,
                              const float *expand_b, int hidden, const float *dw_w, const float *dw_b,
                              int s, int pad_top, int pad_left, const float *project_w,
                              const float *project_b, int cout, int residual, float *out, int ho, int wo,
                              int y0, int y1, float *scratch) {
    if (!has_avx2() || (s != 1 && s != 2) || (!expand_w && hidden != cin)) return 0;
    ring_shape r = shape_of(s, wo);
    size_t ring_plane = (size_t)r.ring * r.stride;
    float *ring = scratch, *fresh = ring + (size_t)hidden * ring_plane;
    float *dw = fresh + (size_t)hidden * r.ring * w;
    size_t plane = (size_t)h * w;
    int next = y0 * s;   /* the first padded row not yet in the ring */
    memset(ring, 0, sizeof(float) * hidden * ring_plane);
    for (int yb = y0; yb < y1; yb += r.band) {
        int ye = yb + r.band < y1 ? yb + r.band : y1;
        int p0 = yb * s > next ? yb * s : next, p1 = (ye - 1) * s + 3;
        /* input rows [ra, rb) of the new padded rows [p0, p1), expanded together */
        int ra = p0 - pad_top, rb = p1 - pad_top;
        ra = ra < 0 ? 0 : (ra > h ? h : ra);
        rb = rb < ra ? ra : (rb > h ? h : rb);
        /* rows 16 or more wide: each expanded straight into its slot (16 columns still fill the
         * 1x1's widest tile); narrower ones: together, then copied */
        int direct = expand_w && w >= 16;
        if (expand_w && !direct && rb > ra) {
            /* the channels' rows side by side in `dw` (free until the depthwise layer) when they fit */
            size_t n = (size_t)(rb - ra) * w;
            const float *rows = in + (size_t)ra * w;
            size_t rows_plane = plane;
            if ((size_t)cin * n <= (size_t)hidden * r.band * wo) {
                for (int c = 0; c < cin; c++) memcpy(dw + c * n, rows + c * plane, sizeof(float) * n);
                rows = dw;
                rows_plane = n;
            }
            pointwise_avx2(rows, rows_plane, cin, (int)n, expand_w, expand_b, hidden, NULL, 0, fresh, n, AK_ACT_RELU6);
        }
        for (int p = p0; p < p1; p++) {
            float *slot0 = ring + (size_t)(p % r.ring) * r.stride;
            int y = p - pad_top;
            if (y < 0 || y >= h) {
                for (int c = 0; c < hidden; c++) memset(slot0 + c * ring_plane, 0, sizeof(float) * r.stride);
                continue;
            }
            if (direct) {
                const float *row = in + (size_t)y * w;
                size_t row_plane = plane;
                if (cin <= hidden * r.ring) {   /* fits `fresh` (always, for an expansion) */
                    for (int c = 0; c < cin; c++) memcpy(fresh + (size_t)c * w, row + c * plane, sizeof(float) * w);
                    row = fresh;
                    row_plane = w;
                }
                pointwise_avx2(row, row_plane, cin, w, expand_w, expand_b, hidden, NULL, 0, slot0 + pad_left,
                               ring_plane, AK_ACT_RELU6);
                continue;
            }
            for (int c = 0; c < hidden; c++) {
                const float *src = expand_w ? fresh + ((size_t)c * (rb - ra) + (y - ra)) * w : in + c * plane + (size_t)y * w;
                memcpy(ring + c * ring_plane + (size_t)(p % r.ring) * r.stride + pad_left, src, sizeof(float) * w);
            }
        }
        next = p1;
        for (int c = 0; c < hidden; c++) {
            const float *base = ring + c * ring_plane;
            for (int y = yb; y < ye; y++) {
                int p = y * s;
                depthwise_row(base + (size_t)(p % r.ring) * r.stride, base + (size_t)((p + 1) % r.ring) * r.stride,
                              base + (size_t)((p + 2) % r.ring) * r.stride, dw_w + (size_t)c * 9,
                              dw_b ? dw_b[c] : 0.0f, s, r.stride, wo, dw + ((size_t)c * (ye - yb) + (y - yb)) * wo);
            }
        }
        pointwise_avx2(dw, (size_t)(ye - yb) * wo, hidden, (ye - yb) * wo, project_w, project_b, cout,
                       residual ? in + (size_t)yb * w : NULL, plane, out + (size_t)yb * wo, (size_t)ho * wo,
                       AK_ACT_NONE);
    }
    return 1;
}
