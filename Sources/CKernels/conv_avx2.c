/* Direct convolution with AVX2 + FMA (CPUs without AVX-512): the AVX-512 scheme at 8 lanes,
 * register tiles of up to 4 output channels x NV vectors of 8 pixels. */
#include "conv_layer.h"
#if AK_X86
#include <immintrin.h>

#define T256 __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

typedef struct {
    const float *src[3]; /* ring chunk of (tap row ky, this tile, channel 0) */
    int cstride;       /* floats between channels (the chunk) */
    int cin;
    const float *w;    /* weight block: [cin][kk][8], already offset to the first channel */
    const float *bias; /* this tile's first bias */
    float *dst;        /* output at (first channel, row, strip's first column) */
    size_t plane;      /* floats between output channels */
    int nco;           /* channels to store (<= CO) */
    int ncols;         /* pixels of the strip to store (<= NV * 8) */
    int relu;
    const float *slope; /* this tile's first slope, or NULL */
} tile_args;

static const int lane_masks[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

INLINE T256 void tile256(const int CO, const int NV, const int KK, const tile_args *a) {
    __m256 acc[4][6];
#pragma GCC unroll 4
    for (int c = 0; c < CO; c++) {
        __m256 b = _mm256_set1_ps(c < a->nco ? a->bias[c] : 0.0f);
#pragma GCC unroll 6
        for (int v = 0; v < NV; v++) acc[c][v] = b;
    }
    const float *w = a->w;
    for (int ci = 0; ci < a->cin; ci++, w += KK * 8) {
#pragma GCC unroll 3
        for (int ky = 0; ky < (KK == 9 ? 3 : 1); ky++) {
#pragma GCC unroll 3
            for (int kx = 0; kx < (KK == 9 ? 3 : 1); kx++) {
                const float *row = a->src[ky] + (size_t)ci * a->cstride + kx;
                const float *wt = w + (ky * (KK == 9 ? 3 : 1) + kx) * 8;
                __m256 x[6];
#pragma GCC unroll 6
                for (int v = 0; v < NV; v++) x[v] = _mm256_loadu_ps(row + 8 * v);
#pragma GCC unroll 4
                for (int c = 0; c < CO; c++) {
                    __m256 wv = _mm256_broadcast_ss(wt + c);
#pragma GCC unroll 6
                    for (int v = 0; v < NV; v++) acc[c][v] = _mm256_fmadd_ps(x[v], wv, acc[c][v]);
                }
            }
        }
    }
    __m256 zero = _mm256_setzero_ps();
#pragma GCC unroll 4
    for (int c = 0; c < CO; c++) {
        if (c >= a->nco) break;
        float *d = a->dst + c * a->plane;
#pragma GCC unroll 6
        for (int v = 0; v < NV; v++) {
            __m256 y = acc[c][v];
            if (a->slope)
                y = _mm256_fmadd_ps(_mm256_min_ps(y, zero), _mm256_broadcast_ss(a->slope + c), _mm256_max_ps(y, zero));
            else if (a->relu)
                y = _mm256_max_ps(y, zero);
            int n = a->ncols - 8 * v;
            if (n >= 8) _mm256_storeu_ps(d + 8 * v, y);
            else if (n > 0) {
                __m256i m = _mm256_loadu_si256((const __m256i *)(lane_masks + 8 - n));
                _mm256_maskstore_ps(d + 8 * v, m, y);
            }
        }
    }
}

typedef void (*tile_fn)(const tile_args *);

#define TILE(CO, NV, KK) \
    static T256 void tile_##CO##_##NV##_##KK(const tile_args *a) { tile256(CO, NV, KK, a); }
#define TILES_UP_TO_3(CO, KK) TILE(CO, 1, KK) TILE(CO, 2, KK) TILE(CO, 3, KK)
#define TILES_UP_TO_6(CO, KK) TILES_UP_TO_3(CO, KK) TILE(CO, 4, KK) TILE(CO, 5, KK) TILE(CO, 6, KK)
#define ALL_TILES(KK) TILES_UP_TO_3(4, KK) TILES_UP_TO_3(3, KK) TILES_UP_TO_6(2, KK) TILES_UP_TO_6(1, KK)
ALL_TILES(9)
ALL_TILES(1)

#define ROW3(CO, KK) {tile_##CO##_1_##KK, tile_##CO##_2_##KK, tile_##CO##_3_##KK, 0, 0, 0}
#define ROW6(CO, KK) {tile_##CO##_1_##KK, tile_##CO##_2_##KK, tile_##CO##_3_##KK, \
                      tile_##CO##_4_##KK, tile_##CO##_5_##KK, tile_##CO##_6_##KK}

/* tiles[kk is 9][CO - 1][vectors - 1] */
static const tile_fn tiles[2][4][6] = {
    {ROW6(1, 1), ROW6(2, 1), ROW3(3, 1), ROW3(4, 1)},
    {ROW6(1, 9), ROW6(2, 9), ROW3(3, 9), ROW3(4, 9)},
};
static const int tile_nv[4] = {6, 6, 3, 3};

/* Column tile width (pixels) of a layer: the widest tile of its first channel group. */
int ak_conv_span_avx2(const ak_conv *conv) {
    int co = conv->cout < 4 ? conv->cout : 4;
    return tile_nv[co - 1] * 8;
}

T256 void ak_conv_rows_avx2(const ak_conv *conv, const float *in, int h, int w, float *out,
                            int y0, int y1, int relu, float *scratch) {
    int kk = conv->k * conv->k, rows = y1 - y0;
    int k = conv->k;
    ak_band b = ak_band_layout(conv, w, ak_conv_span_avx2(conv), 8);
    size_t plane = (size_t)h * w;
    tile_args a = {.cstride = b.chunk, .cin = conv->cin, .plane = plane, .relu = relu};
    /* Ring row i % k holds padded row i, i.e. input row ak_pad_row(y0 - k/2 + i). */
    for (int i = 0; i < k - 1; i++)
        ak_band_fill_row(conv, &b, in, h, w, ak_pad_row(conv, y0 - k / 2 + i, h), scratch + (i % k) * b.row);
    for (int r = 0; r < rows; r++) {
        int i = r + k - 1;
        ak_band_fill_row(conv, &b, in, h, w, ak_pad_row(conv, y0 - k / 2 + i, h), scratch + (i % k) * b.row);
        int next = r + 1 < rows ? ak_pad_row(conv, y0 - k / 2 + i + 1, h) : -1;
        for (int t = 0; t < b.tiles; t++) {
            int x0 = t * b.span;
            a.ncols = w - x0 < b.span ? w - x0 : b.span;
            if (next >= 0) ak_band_prefetch_row(conv, in, h, w, next, x0, a.ncols);
            for (int ky = 0; ky < k; ky++)
                a.src[ky] = scratch + ((r + ky) % k) * b.row + (size_t)t * conv->cin * b.chunk;
            for (int co0 = 0; co0 < conv->cout; co0 += 4) {
                int co = conv->cout - co0 < 4 ? conv->cout - co0 : 4, nv = (a.ncols + 7) / 8;
                if (nv > tile_nv[co - 1]) nv = tile_nv[co - 1]; /* cannot happen: spans shrink */
                a.nco = co;
                a.w = conv->wblock + (size_t)(co0 / AK_CO_BLOCK) * conv->cin * kk * AK_CO_BLOCK +
                      co0 % AK_CO_BLOCK;
                a.bias = conv->bias + co0;
                a.slope = conv->slope ? conv->slope + co0 : 0;
                a.dst = out + co0 * plane + (size_t)(y0 + r) * w + x0;
                tiles[kk == 9][co - 1][nv - 1](&a);
            }
        }
    }
}
#endif /* AK_X86 */
