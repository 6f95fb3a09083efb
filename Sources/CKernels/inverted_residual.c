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

#define T256 AK_T256
#define T512 AK_T512

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
    int ncols;          /* columns of a masked tile: 1..lanes - 1 */
    int act;
} pw_args;

static const int pw_masks[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

/* The first n of 8 (AVX2) or 16 (AVX-512) floats: loaded (the rest zero) and stored. */
AK_ALWAYS_INLINE T256 __m256 pw_maskload_mm256(const float *p, int n) {
    return _mm256_maskload_ps(p, _mm256_loadu_si256((const __m256i *)(pw_masks + 8 - n)));
}
AK_ALWAYS_INLINE T256 void pw_maskstore_mm256(float *p, int n, __m256 v) {
    _mm256_maskstore_ps(p, _mm256_loadu_si256((const __m256i *)(pw_masks + 8 - n)), v);
}
AK_ALWAYS_INLINE T512 __m512 pw_maskload_mm512(const float *p, int n) {
    return _mm512_maskz_loadu_ps((__mmask16)((1u << n) - 1), p);
}
AK_ALWAYS_INLINE T512 void pw_maskstore_mm512(float *p, int n, __m512 v) {
    _mm512_mask_storeu_ps(p, (__mmask16)((1u << n) - 1), v);
}

/* CO output rows x NV vectors of LANES columns (or one masked vector), P = _mm256 or _mm512:
 * every sum in a register, per input row NV loads and CO broadcasts feed CO * NV fused
 * multiply-adds. Each output is the same chain (from the bias, input rows in order) at either
 * width, so AVX2 and AVX-512 give the same bits. */
#define PW_TILE(P, VEC, LANES, TARGET)                                                                   \
    AK_ALWAYS_INLINE TARGET void pw_tile##P(const int CO, const int NV, const int MASKED, const pw_args *a) { \
        VEC acc[8][4];                                                                                   \
        _Pragma("GCC unroll 8") for (int c = 0; c < CO; c++) {                                           \
            VEC b = P##_set1_ps(a->bias ? a->bias[c] : 0.0f);                                            \
            _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++) acc[c][v] = b;                          \
        }                                                                                                \
        const float *x = a->in;                                                                          \
        for (int i = 0; i < a->k; i++, x += a->in_plane) {                                               \
            VEC xv[4];                                                                                   \
            _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++)                                         \
                xv[v] = MASKED ? pw_maskload##P(x, a->ncols) : P##_loadu_ps(x + LANES * v);              \
            _Pragma("GCC unroll 8") for (int c = 0; c < CO; c++) {                                       \
                VEC wv = P##_set1_ps(a->w[(size_t)c * a->k + i]);                                        \
                _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++) acc[c][v] = P##_fmadd_ps(xv[v], wv, acc[c][v]); \
            }                                                                                            \
        }                                                                                                \
        VEC zero = P##_setzero_ps(), six = P##_set1_ps(6);                                               \
        _Pragma("GCC unroll 8") for (int c = 0; c < CO; c++) {                                           \
            float *d = a->out + c * a->out_plane;                                                        \
            const float *r = a->res ? a->res + c * a->res_plane : NULL;                                  \
            _Pragma("GCC unroll 4") for (int v = 0; v < NV; v++) {                                       \
                VEC y = acc[c][v];                                                                       \
                if (a->act == AK_ACT_RELU) y = P##_max_ps(y, zero);                                      \
                else if (a->act == AK_ACT_RELU6) y = P##_min_ps(P##_max_ps(y, zero), six);               \
                if (r) y = P##_add_ps(y, MASKED ? pw_maskload##P(r, a->ncols) : P##_loadu_ps(r + LANES * v)); \
                if (MASKED) pw_maskstore##P(d, a->ncols, y);                                             \
                else P##_storeu_ps(d + LANES * v, y);                                                    \
            }                                                                                            \
        }                                                                                                \
    }
PW_TILE(_mm256, __m256, 8, T256)
PW_TILE(_mm512, __m512, 16, T512)

typedef void (*pw_fn)(const pw_args *);

/* A width's tiles: [rows - 1][widest, two vectors, one vector, one masked vector], and the vectors of the
 * widest tile of each row count. AVX2 (16 registers): up to 3 rows 3 vectors wide, 4 to 6 rows 2
 * wide. AVX-512 (32 registers): up to 5 rows 4 wide, 6 to 8 rows 3 wide. The sums, the loaded
 * vectors and one broadcast fit the registers. */
typedef struct {
    int lanes, max_rows;
    const pw_fn (*tiles)[4];
    const int *wide;
} pw_family;

#define PW_WIDE256(CO) ((CO) >= 4 ? 2 : 3)
#define PW_WIDE512(CO) ((CO) >= 6 ? 3 : 4)
#define PW(P, TARGET, WIDE, CO) \
    static TARGET void pw##P##_##CO##_w(const pw_args *a) { pw_tile##P(CO, WIDE(CO), 0, a); } \
    static TARGET void pw##P##_##CO##_2(const pw_args *a) { pw_tile##P(CO, 2, 0, a); } \
    static TARGET void pw##P##_##CO##_1(const pw_args *a) { pw_tile##P(CO, 1, 0, a); } \
    static TARGET void pw##P##_##CO##_m(const pw_args *a) { pw_tile##P(CO, 1, 1, a); }
#define PW_ROW(P, CO) {pw##P##_##CO##_w, pw##P##_##CO##_2, pw##P##_##CO##_1, pw##P##_##CO##_m}
PW(_mm256, T256, PW_WIDE256, 1) PW(_mm256, T256, PW_WIDE256, 2) PW(_mm256, T256, PW_WIDE256, 3)
PW(_mm256, T256, PW_WIDE256, 4) PW(_mm256, T256, PW_WIDE256, 5) PW(_mm256, T256, PW_WIDE256, 6)
PW(_mm512, T512, PW_WIDE512, 1) PW(_mm512, T512, PW_WIDE512, 2) PW(_mm512, T512, PW_WIDE512, 3)
PW(_mm512, T512, PW_WIDE512, 4) PW(_mm512, T512, PW_WIDE512, 5) PW(_mm512, T512, PW_WIDE512, 6)
PW(_mm512, T512, PW_WIDE512, 7) PW(_mm512, T512, PW_WIDE512, 8)

static const pw_fn pw_tiles256[6][4] = {PW_ROW(_mm256, 1), PW_ROW(_mm256, 2), PW_ROW(_mm256, 3),
                                        PW_ROW(_mm256, 4), PW_ROW(_mm256, 5), PW_ROW(_mm256, 6)};
static const pw_fn pw_tiles512[8][4] = {PW_ROW(_mm512, 1), PW_ROW(_mm512, 2), PW_ROW(_mm512, 3), PW_ROW(_mm512, 4),
                                        PW_ROW(_mm512, 5), PW_ROW(_mm512, 6), PW_ROW(_mm512, 7), PW_ROW(_mm512, 8)};
static const int pw_wide256[6] = {PW_WIDE256(1), PW_WIDE256(2), PW_WIDE256(3), PW_WIDE256(4), PW_WIDE256(5), PW_WIDE256(6)};
static const int pw_wide512[8] = {PW_WIDE512(1), PW_WIDE512(2), PW_WIDE512(3), PW_WIDE512(4),
                                  PW_WIDE512(5), PW_WIDE512(6), PW_WIDE512(7), PW_WIDE512(8)};
static const pw_family pw_avx2 = {8, 6, pw_tiles256, pw_wide256}, pw_avx512 = {16, 8, pw_tiles512, pw_wide512};

/* The widest family ak_isa() allows (AVX2 at least: callers check). */
static const pw_family *pw_best(void) { return ak_isa() >= AK_ISA_AVX512 ? &pw_avx512 : &pw_avx2; }

/* Output rows in tiles of at most max_rows, as even as they divide (AVX2, 16 rows: 6 5 5), each
 * tile over every column: its weights stay in L1 while the columns stream past. */
static void pointwise_tiles(const pw_family *f, const float *in, size_t in_plane, int k, int n,
                            const float *weight, const float *bias, int m, const float *res, size_t res_plane,
                            float *out, size_t out_plane, int act) {
    int tiles = (m + f->max_rows - 1) / f->max_rows, lanes = f->lanes;
    pw_args a = {.in_plane = in_plane, .k = k, .res_plane = res_plane, .out_plane = out_plane, .act = act};
    for (int t = 0, co = 0; t < tiles; t++) {
        int nco = (m - co) / (tiles - t) + ((m - co) % (tiles - t) ? 1 : 0);
        a.w = weight + (size_t)co * k;
        a.bias = bias ? bias + co : NULL;
        for (int x = 0; x < n;) {
            int wide = lanes * f->wide[nco - 1], left = n - x;
            int kind = left >= wide ? 0 : (left >= 2 * lanes ? 1 : (left >= lanes ? 2 : 3));
            a.in = in + x;
            a.out = out + (size_t)co * out_plane + x;
            a.res = res ? res + (size_t)co * res_plane + x : NULL;
            a.ncols = left < lanes ? left : lanes;
            f->tiles[nco - 1][kind](&a);
            x += kind == 0 ? wide : (kind == 1 ? 2 * lanes : a.ncols);
        }
        co += nco;
    }
}

int ak_pointwise(const float *in, size_t in_plane, int k, int n, const float *weight, const float *bias,
                 int m, const float *res, size_t res_plane, float *out, size_t out_plane, int act) {
    if (!has_avx2() || (act != AK_ACT_NONE && act != AK_ACT_RELU && act != AK_ACT_RELU6)) return 0;
    pointwise_tiles(pw_best(), in, in_plane, k, n, weight, bias, m, res, res_plane, out, out_plane, act);
    return 1;
}

/* ---------------------------------------------------------------- depthwise on the ring */

/* One output row of one channel from three zero-padded ring rows (each `avail` = the ring's row
 * stride floats long: readable to (wo - 1) s + 3 plus a vector of slack, so every full vector of
 * outputs takes the vector path), ReLU6 at the store: the shared kernel of depthwise_row.h. */
typedef void (*dw_row_fn)(const float *, const float *, const float *, const float *, float, int, int, int, float *);
static T256 void depthwise_row_avx2(const float *r0, const float *r1, const float *r2, const float *k, float b,
                                    int s, int avail, int wo, float *o) {
    ak_depthwise3_row_avx2(r0, r1, r2, k, b, s, avail, wo, AK_ACT_RELU6, o);
}
static T512 void depthwise_row_avx512(const float *r0, const float *r1, const float *r2, const float *k, float b,
                                      int s, int avail, int wo, float *o) {
    ak_depthwise3_row_avx512(r0, r1, r2, k, b, s, avail, wo, AK_ACT_RELU6, o);
}

/* ---------------------------------------------------------------- the block */

/* Output rows per band: at least 32 output columns for the projection's tiles. */
static int band_rows(int wo) { return wo >= 32 ? 1 : (32 + wo - 1) / wo; }

/* The ring's geometry: padded width, row stride (an AVX-512 vector of slack for the stride-2 loads),
 * and slots. */
typedef struct { int wpad, stride, ring, band; } ring_shape;

static ring_shape shape_of(int s, int wo) {
    ring_shape r;
    r.band = band_rows(wo);
    r.wpad = (wo - 1) * s + 3;
    r.stride = r.wpad + 16;
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
    const pw_family *pw = pw_best();
    dw_row_fn depthwise_row = ak_isa() >= AK_ISA_AVX512 ? depthwise_row_avx512 : depthwise_row_avx2;
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
            pointwise_tiles(pw, rows, rows_plane, cin, (int)n, expand_w, expand_b, hidden, NULL, 0, fresh, n, AK_ACT_RELU6);
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
                pointwise_tiles(pw, row, row_plane, cin, w, expand_w, expand_b, hidden, NULL, 0, slot0 + pad_left,
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
        pointwise_tiles(pw, dw, (size_t)(ye - yb) * wo, hidden, (ye - yb) * wo, project_w, project_b, cout,
                       residual ? in + (size_t)yb * w : NULL, plane, out + (size_t)yb * wo, (size_t)ho * wo,
                       AK_ACT_NONE);
    }
    return 1;
}
