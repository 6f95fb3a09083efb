/* Nested Winograd for k x k stride-1 layers with k = 3 s (the 9x9 input and output layers of the
 * style networks). The k x k kernel is s x s sub-kernels of 3x3 at offsets (3a, 3b); each runs as
 * Winograd F(3x3, 3x3) on 5x5 input tiles taken at a stride of 3, so sub-kernel (a, b) of output
 * tile (ty, tx) reads the transformed input tile (ty + a, tx + b): every input tile is
 * transformed once, and in the transformed domain the layer is, for each of the 25 positions of
 * a tile, an s x s stride-1 convolution over the tile grid with cin channels in and cout out.
 * 25 s^2 cin cout multiply-adds per 9 outputs instead of 9 k^2 cin cout: 3.24x fewer.
 *
 * F(3, 3) on the points 0, 1, -1, 2 and infinity: input  B^T d, weights G g, output A^T m with
 *   B^T = [2 -1 -2 1 0; 0 -2 -1 1 0; 0 2 -3 1 0; 0 -1 0 1 0; 0 2 -1 -2 1]
 *   G   = [1/2 0 0; -1/2 -1/2 -1/2; -1/6 1/6 -1/6; 1/6 1/3 2/3; 0 0 1]
 *   A^T = [1 1 1 1 0; 0 1 -1 2 0; 0 1 1 4 1]
 * (the same rows in both directions of a tile). AVX2/FMA, callers check; on AVX-512 CPUs the
 * products of a register tile run in 16 lanes (the same sums, so the same bits). */
#include "netops.h"
#include "isa.h"
#include "tap_tile.h"
#include <immintrin.h>
#include <string.h>

#define T256 __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

/* Tiles per column strip; transformed tile columns kept per strip (the strip, the s - 1 tiles
 * its last sub-kernels reach, and whole vectors past its end); phase-row floats. */
enum { NW_STRIP = 48, NW_VLEN = NW_STRIP + 8, NW_PH = NW_VLEN + 8, NW_MAX_S = 4, NW_TILE = 6 * NW_STRIP };

static int has_avx2_fma(void) { return ak_isa() >= AK_ISA_AVX2; }

int ak_conv_nested_eligible(int k, int s, int cin, int cout) {
    return s == 1 && k % 3 == 0 && k / 3 >= 2 && k / 3 <= NW_MAX_S && cin > 0 && cout > 0 && has_avx2_fma();
}

size_t ak_conv_nested_pack_floats(int cout, int cin, int k) { return (size_t)25 * cin * (k / 3) * (k / 3) * cout; }

/* U = G g G^T for every 3x3 sub-kernel, in double, laid out [pos 25][cin][a][b][cout]. */
void ak_conv_nested_pack(const float *weight, int cout, int cin, int k, float *packed) {
    static const double G[5][3] = {{0.5, 0, 0}, {-0.5, -0.5, -0.5}, {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                   {1.0 / 6, 1.0 / 3, 2.0 / 3}, {0, 0, 1}};
    int s = k / 3;
    for (int o = 0; o < cout; o++)
        for (int c = 0; c < cin; c++)
            for (int a = 0; a < s; a++)
                for (int b = 0; b < s; b++) {
                    double g[3][3], t[5][3];
                    for (int i = 0; i < 3; i++)
                        for (int j = 0; j < 3; j++)
                            g[i][j] = weight[(((size_t)o * cin + c) * k + 3 * a + i) * k + 3 * b + j];
                    for (int p = 0; p < 5; p++)
                        for (int j = 0; j < 3; j++) t[p][j] = G[p][0] * g[0][j] + G[p][1] * g[1][j] + G[p][2] * g[2][j];
                    for (int p = 0; p < 5; p++)
                        for (int q = 0; q < 5; q++) {
                            double u = t[p][0] * G[q][0] + t[p][1] * G[q][1] + t[p][2] * G[q][2];
                            packed[((((size_t)(5 * p + q) * cin + c) * s + a) * s + b) * cout + o] = (float)u;
                        }
                }
}

/* Floats of transformed input rows (a ring of s), the products of one register tile (25 x 288:
 * 6 channels x 48 tiles, the AVX-512 tile; AVX2's takes 25 x 96 of it),
 * the phase rows (5 input rows x 3 phases) and one input line. */
size_t ak_conv_nested_scratch(int cin, int k) {
    return (size_t)(k / 3) * 25 * cin * NW_VLEN + 25 * NW_TILE + 15 * NW_PH + 3 * NW_PH + 8;
}

/* x[0], x[3], x[6] ... (phase 0), x[1], x[4] ... (phase 1) and x[2], x[5] ... of 24 floats. */
INLINE T256 void split3(const float *x, float *p0, float *p1, float *p2) {
    __m256 a = _mm256_loadu_ps(x), b = _mm256_loadu_ps(x + 8), c = _mm256_loadu_ps(x + 16);
    __m256 v0 = _mm256_blend_ps(_mm256_blend_ps(a, b, 0x92), c, 0x24);
    __m256 v1 = _mm256_blend_ps(_mm256_blend_ps(c, a, 0x92), b, 0x24);
    __m256 v2 = _mm256_blend_ps(_mm256_blend_ps(b, c, 0x92), a, 0x24);
    _mm256_storeu_ps(p0, _mm256_permutevar8x32_ps(v0, _mm256_setr_epi32(0, 3, 6, 1, 4, 7, 2, 5)));
    _mm256_storeu_ps(p1, _mm256_permutevar8x32_ps(v1, _mm256_setr_epi32(1, 4, 7, 2, 5, 0, 3, 6)));
    _mm256_storeu_ps(p2, _mm256_permutevar8x32_ps(v2, _mm256_setr_epi32(2, 5, 0, 3, 6, 1, 4, 7)));
}

/* The inverse of split3: 8 values of each phase interleaved into 24 floats. */
INLINE T256 void merge3(__m256 y0, __m256 y1, __m256 y2, float *d) {
    __m256 a0 = _mm256_permutevar8x32_ps(y0, _mm256_setr_epi32(0, 0, 0, 1, 0, 0, 2, 0));
    __m256 b0 = _mm256_permutevar8x32_ps(y1, _mm256_setr_epi32(0, 0, 0, 0, 1, 0, 0, 2));
    __m256 c0 = _mm256_permutevar8x32_ps(y2, _mm256_setr_epi32(0, 0, 0, 0, 0, 1, 0, 0));
    _mm256_storeu_ps(d, _mm256_blend_ps(_mm256_blend_ps(a0, b0, 0x92), c0, 0x24));
    __m256 a1 = _mm256_permutevar8x32_ps(y0, _mm256_setr_epi32(0, 3, 0, 0, 4, 0, 0, 5));
    __m256 b1 = _mm256_permutevar8x32_ps(y1, _mm256_setr_epi32(0, 0, 3, 0, 0, 4, 0, 0));
    __m256 c1 = _mm256_permutevar8x32_ps(y2, _mm256_setr_epi32(2, 0, 0, 3, 0, 0, 4, 0));
    _mm256_storeu_ps(d + 8, _mm256_blend_ps(_mm256_blend_ps(c1, a1, 0x92), b1, 0x24));
    __m256 a2 = _mm256_permutevar8x32_ps(y0, _mm256_setr_epi32(0, 0, 6, 0, 0, 7, 0, 0));
    __m256 b2 = _mm256_permutevar8x32_ps(y1, _mm256_setr_epi32(5, 0, 0, 6, 0, 0, 7, 0));
    __m256 c2 = _mm256_permutevar8x32_ps(y2, _mm256_setr_epi32(0, 5, 0, 0, 6, 0, 0, 7));
    _mm256_storeu_ps(d + 16, _mm256_blend_ps(_mm256_blend_ps(b2, c2, 0x92), a2, 0x24));
}

/* v = B^T d for five vectors d0 .. d4. */
INLINE T256 void input_1d(__m256 d0, __m256 d1, __m256 d2, __m256 d3, __m256 d4, __m256 *v) {
    __m256 two = _mm256_set1_ps(2), three = _mm256_set1_ps(3);
    __m256 d31 = _mm256_sub_ps(d3, d1);
    v[0] = _mm256_fmadd_ps(two, _mm256_sub_ps(d0, d2), d31);
    v[1] = _mm256_fnmadd_ps(two, d1, _mm256_sub_ps(d3, d2));
    v[2] = _mm256_fmadd_ps(three, _mm256_sub_ps(d1, d2), d31);
    v[3] = d31;
    v[4] = _mm256_fnmadd_ps(two, d31, _mm256_sub_ps(d4, d2));
}

/* Transformed input row `t` of a band starting at output row y0 (input rows y0 + 3t .. + 4) for
 * the strip of tiles starting at tile column x0: dst [pos 25][cin][NW_VLEN]. Input past the
 * padded map's bottom or right edge reads as zero (it only reaches outputs past the map). */
static T256 void transform_row(const float *in, int cin, int hp, int wp, int y0, int t, int x0,
                               float *ph, float *line, float *dst) {
    for (int c = 0; c < cin; c++) {
        for (int r = 0; r < 5; r++) {
            float *p = ph + (size_t)r * 3 * NW_PH;
            int iy = y0 + 3 * t + r;
            if (iy >= hp) {
                memset(p, 0, sizeof(float) * 3 * NW_PH);
                continue;
            }
            const float *src = in + ((size_t)c * hp + iy) * wp + 3 * x0;
            int n = wp - 3 * x0;
            if (n < 3 * NW_PH) {   /* the row ends inside the window: a zero-padded copy */
                memcpy(line, src, sizeof(float) * n);
                memset(line + n, 0, sizeof(float) * (3 * NW_PH - n));
                src = line;
            }
            for (int g = 0; g < NW_PH; g += 8) split3(src + 3 * g, p + g, p + NW_PH + g, p + 2 * NW_PH + g);
        }
        for (int x = 0; x < NW_VLEN; x += 8) {
            __m256 w[5][5];   /* w[i][j]: B^T over the rows, for column j of the tile */
            __m256 d[5][5];
            for (int r = 0; r < 5; r++) {
                const float *p = ph + (size_t)r * 3 * NW_PH + x;
                d[r][0] = _mm256_loadu_ps(p);
                d[r][1] = _mm256_loadu_ps(p + NW_PH);
                d[r][2] = _mm256_loadu_ps(p + 2 * NW_PH);
                d[r][3] = _mm256_loadu_ps(p + 1);
                d[r][4] = _mm256_loadu_ps(p + NW_PH + 1);
            }
            for (int j = 0; j < 5; j++) {
                __m256 v[5];
                input_1d(d[0][j], d[1][j], d[2][j], d[3][j], d[4][j], v);
                for (int i = 0; i < 5; i++) w[i][j] = v[i];
            }
            for (int i = 0; i < 5; i++) {
                __m256 v[5];
                input_1d(w[i][0], w[i][1], w[i][2], w[i][3], w[i][4], v);
                for (int j = 0; j < 5; j++)
                    _mm256_storeu_ps(dst + ((size_t)(5 * i + j) * cin + c) * NW_VLEN + x, v[j]);
            }
        }
    }
}

typedef struct {
    const float *vrow[NW_MAX_S]; /* transformed rows t .. t + s - 1 at the register tile's first column */
    int s, cin, cout;
    const float *u;              /* packed weights at the tile's first output channel */
    const float *bias;           /* at the tile's first channel, or NULL */
    float *m;                    /* products: [25][CO][NV * 8] */
    float *out;                  /* output at (first channel, first row, first column) */
    size_t plane;                /* floats between output channels */
    int wo, rows, cols;          /* output row stride; rows (1..3) and columns (> 0) to store */
    int act;                     /* none, ReLU or ReLU6 */
} nested_args;

#define T512 __attribute__((target("avx512f,avx2,fma")))
AK_TAP_TILES

/* The products of one register tile (tap_tile.h), for each of the 25 positions: CO output
 * channels x NV vectors of LANES tiles, the s x s sub-kernels' sums over the transformed rows,
 * stored to a->m as [25][CO][NV * LANES]. The same sums at either width, so the same bits. */
#define NESTED_PRODUCTS(NAME, TARGET, TILE, LANES)                                                   \
    INLINE TARGET void NAME(const int CO, const int NV, const nested_args *a) {                       \
        int s = a->s, cin = a->cin;                                                                   \
        for (int pos = 0; pos < 25; pos++) {                                                          \
            const float *rows[NW_MAX_S];                                                              \
            for (int i = 0; i < s; i++) rows[i] = a->vrow[i] + (size_t)pos * cin * NW_VLEN;           \
            TILE(CO, NV, s, rows, NW_VLEN, cin, a->u + (size_t)pos * cin * s * s * a->cout, a->cout,  \
                 a->m + (size_t)pos * CO * NV * LANES, (size_t)NV * LANES);                           \
        }                                                                                             \
    }
NESTED_PRODUCTS(products256, T256, tap_tile256, 8)
NESTED_PRODUCTS(products512, T512, tap_tile512, 16)

/* The output transform of one register tile's products (a->m, [25][CO][NV * 8]): CO channels
 * x NV vectors of 8 tiles (3 NV x 8 x 3 outputs a row), A^T m A, bias and activation, stored. */
INLINE T256 void nested_output(const int CO, const int NV, const nested_args *a) {
    __m256 zero = _mm256_setzero_ps(), six = _mm256_set1_ps(6), two = _mm256_set1_ps(2), four = _mm256_set1_ps(4);
    const size_t row = (size_t)5 * CO * NV * 8;   /* floats between rows i of the 5 x 5 products */
#pragma GCC unroll 6
    for (int k = 0; k < CO; k++) {
        __m256 b = _mm256_set1_ps(a->bias ? a->bias[k] : 0.0f);
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) {
            int cols = a->cols - 24 * v;
            if (cols <= 0) break;
            const float *p = a->m + (size_t)k * NV * 8 + 8 * v;
#pragma GCC unroll 3
            for (int r = 0; r < 3; r++) {
                if (r >= a->rows) break;
                /* t[j] = row r of A^T times column j of the products, then y = t A */
                __m256 t[5];
#pragma GCC unroll 5
                for (int j = 0; j < 5; j++) {
                    const float *q = p + (size_t)j * CO * NV * 8;
                    __m256 m1 = _mm256_loadu_ps(q + row), m2 = _mm256_loadu_ps(q + 2 * row), m3 = _mm256_loadu_ps(q + 3 * row);
                    if (r == 0) t[j] = _mm256_add_ps(_mm256_add_ps(_mm256_loadu_ps(q), _mm256_add_ps(m1, m2)), m3);
                    else if (r == 1) t[j] = _mm256_fmadd_ps(two, m3, _mm256_sub_ps(m1, m2));
                    else t[j] = _mm256_add_ps(_mm256_fmadd_ps(four, m3, _mm256_add_ps(m1, m2)), _mm256_loadu_ps(q + 4 * row));
                }
                __m256 s12 = _mm256_add_ps(t[1], t[2]);
                __m256 y[3];
                y[0] = _mm256_add_ps(_mm256_add_ps(t[0], s12), t[3]);
                y[1] = _mm256_fmadd_ps(two, t[3], _mm256_sub_ps(t[1], t[2]));
                y[2] = _mm256_add_ps(_mm256_fmadd_ps(four, t[3], s12), t[4]);
#pragma GCC unroll 3
                for (int q = 0; q < 3; q++) {
                    y[q] = _mm256_add_ps(y[q], b);
                    if (a->act != AK_ACT_NONE) y[q] = _mm256_max_ps(y[q], zero);
                    if (a->act == AK_ACT_RELU6) y[q] = _mm256_min_ps(y[q], six);
                }
                float *d = a->out + (size_t)k * a->plane + (size_t)r * a->wo + 24 * v;
                if (cols >= 24) {
                    merge3(y[0], y[1], y[2], d);
                } else {
                    float tmp[24];
                    merge3(y[0], y[1], y[2], tmp);
                    memcpy(d, tmp, sizeof(float) * cols);
                }
            }
        }
    }
}

typedef void (*nested_fn)(const nested_args *);
#define WIDE(CO) ((CO) >= 4 ? 2 : 3)
/* AVX2: CO channels x WIDE(CO) vectors of 8 tiles. AVX-512: CO channels x NV vectors of 16 tiles
 * (NV 1 to 3: a whole 48-tile strip, or its tail), whose products the AVX2 output transform
 * reads as 2 NV vectors of 8. */
#define NESTED(CO) \
    static T256 void nested_##CO(const nested_args *a) { products256(CO, WIDE(CO), a); nested_output(CO, WIDE(CO), a); } \
    static T512 void nested512_##CO##_1(const nested_args *a) { products512(CO, 1, a); nested_output(CO, 2, a); } \
    static T512 void nested512_##CO##_2(const nested_args *a) { products512(CO, 2, a); nested_output(CO, 4, a); } \
    static T512 void nested512_##CO##_3(const nested_args *a) { products512(CO, 3, a); nested_output(CO, 6, a); }
NESTED(1) NESTED(2) NESTED(3) NESTED(4) NESTED(5) NESTED(6)
static const nested_fn nested_tiles[6] = {nested_1, nested_2, nested_3, nested_4, nested_5, nested_6};
/* [CO - 1][NV - 1] */
static const nested_fn nested512_tiles[6][3] = {
    {nested512_1_1, nested512_1_2, nested512_1_3}, {nested512_2_1, nested512_2_2, nested512_2_3},
    {nested512_3_1, nested512_3_2, nested512_3_3}, {nested512_4_1, nested512_4_2, nested512_4_3},
    {nested512_5_1, nested512_5_2, nested512_5_3}, {nested512_6_1, nested512_6_2, nested512_6_3}};

void ak_conv_nested_rows(const float *in, int cin, int hp, int wp, const float *packed, const float *bias,
                         int cout, int k, float *out, int ho, int wo, int y0, int y1, int act, float *scratch) {
    int s = k / 3;
    int fused = act == AK_ACT_RELU || act == AK_ACT_RELU6 ? act : AK_ACT_NONE;
    int tile_rows = (y1 - y0 + 2) / 3, tile_cols = (wo + 2) / 3;
    size_t slot = (size_t)25 * cin * NW_VLEN;
    float *ring = scratch, *m = ring + s * slot, *ph = m + 25 * NW_TILE, *line = ph + 15 * NW_PH;
    int tiles = (cout + 5) / 6;
    int most = (cout + tiles - 1) / tiles, least = cout / tiles;
    int chunk = WIDE(most) == WIDE(least) ? 8 * WIDE(most) : 48;
    int wide512 = ak_isa() >= AK_ISA_AVX512;
    if (wide512) chunk = NW_STRIP;   /* one register tile per strip and channel tile */
    nested_args a = {.s = s, .cin = cin, .cout = cout, .m = m, .plane = (size_t)ho * wo, .wo = wo, .act = fused};
    for (int x0 = 0; x0 < tile_cols; x0 += NW_STRIP) {
        int nx = tile_cols - x0 < NW_STRIP ? tile_cols - x0 : NW_STRIP;
        for (int t = 0; t < s - 1; t++) transform_row(in, cin, hp, wp, y0, t, x0, ph, line, ring + (size_t)t * slot);
        for (int t = 0; t < tile_rows; t++) {
            transform_row(in, cin, hp, wp, y0, t + s - 1, x0, ph, line, ring + (size_t)((t + s - 1) % s) * slot);
            int y = y0 + 3 * t;
            a.rows = y1 - y < 3 ? y1 - y : 3;
            for (int xc = 0; xc < nx; xc += chunk) {
                for (int tile = 0, co = 0, nco; tile < tiles; tile++, co += nco) {
                    nco = (cout - co) / (tiles - tile) + ((cout - co) % (tiles - tile) ? 1 : 0);
                    a.u = packed + co;
                    a.bias = bias ? bias + co : NULL;
                    int step = wide512 ? NW_STRIP : 8 * WIDE(nco);
                    for (int x = xc; x < xc + chunk && x < nx; x += step) {
                        for (int i = 0; i < s; i++) a.vrow[i] = ring + (size_t)((t + i) % s) * slot + x;
                        int col = 3 * (x0 + x);
                        a.out = out + (size_t)co * ho * wo + (size_t)y * wo + col;
                        a.cols = wo - col;
                        if (wide512) nested512_tiles[nco - 1][(nx - x + 15) / 16 - 1](&a);
                        else nested_tiles[nco - 1](&a);
                    }
                }
            }
        }
    }
    if (act != fused)
        for (int o = 0; o < cout; o++) ak_activate(out + (size_t)o * ho * wo + (size_t)y0 * wo, (size_t)(y1 - y0) * wo, act);
}
