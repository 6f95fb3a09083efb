/* Direct convolution with AVX-512: each register tile is CO output channels x NV vectors of 16
 * consecutive pixels of one output row, accumulated over every input channel and tap, with
 * bias in the initial value and ReLU at the store. Reads the padded band (conv_band.c). */
#include "conv_layer.h"
#if AK_X86
#include <immintrin.h>

#define T512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma")))
#define INLINE static inline __attribute__((always_inline))

typedef struct {
    const float *src[3]; /* ring chunk of (tap row ky, this tile, channel 0) */
    int cstride;       /* floats between channels (the chunk) */
    int cin;
    const float *w;    /* weight block: [cin][kk][8] */
    const float *bias; /* this block's first bias */
    float *dst;        /* output at (first channel of the block, row, strip's first column) */
    size_t plane;      /* floats between output channels */
    int nco;           /* channels of the block to store (<= CO) */
    int ncols;         /* pixels of the strip to store (<= NV * 16) */
    int relu;
    const float *slope; /* this tile's first slope, or NULL */
} tile_args;

INLINE T512 void tile512(const int CO, const int NV, const int KK, const tile_args *a) {
    __m512 acc[8][12];
#pragma GCC unroll 8
    for (int c = 0; c < CO; c++) {
        __m512 b = _mm512_set1_ps(c < a->nco ? a->bias[c] : 0.0f);
#pragma GCC unroll 12
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
    __m512 x[12];
#pragma GCC unroll 12
    for (int v = 0; v < NV; v++) x[v] = _mm512_loadu_ps(row + 16 * v);
#pragma GCC unroll 8
    for (int c = 0; c < CO; c++) {
        __m512 wv = _mm512_set1_ps(wt[c]);
#pragma GCC unroll 12
        for (int v = 0; v < NV; v++) acc[c][v] = _mm512_fmadd_ps(x[v], wv, acc[c][v]);
    }
}
        }
    }
    __m512 zero = _mm512_setzero_ps();
#pragma GCC unroll 8
    for (int c = 0; c < CO; c++) {
        if (c >= a->nco) break;
        float *d = a->dst + c * a->plane;
#pragma GCC unroll 12
        for (int v = 0; v < NV; v++) {
__m512 y = acc[c][v];
if (a->slope)
    y = _mm512_fmadd_ps(_mm512_min_ps(y, zero), _mm512_set1_ps(a->slope[c]), _mm512_max_ps(y, zero));
else if (a->relu)
    y = _mm512_max_ps(y, zero);
int n = a->ncols - 16 * v;
if (n >= 16) _mm512_storeu_ps(d + 16 * v, y);
else if (n > 0) _mm512_mask_storeu_ps(d + 16 * v, (__mmask16)((1u << n) - 1), y);
        }
    }
}

typedef void (*tile_fn)(const tile_args *);

#define TILE(CO, NV, KK) \
    static T512 void tile_##CO##_##NV##_##KK(const tile_args *a) { tile512(CO, NV, KK, a); }
#define TILES_UP_TO_3(CO, KK) TILE(CO, 1, KK) TILE(CO, 2, KK) TILE(CO, 3, KK)
#define TILES_UP_TO_6(CO, KK) TILES_UP_TO_3(CO, KK) TILE(CO, 4, KK) TILE(CO, 5, KK) TILE(CO, 6, KK)
#define TILES_UP_TO_7(CO, KK) TILES_UP_TO_6(CO, KK) TILE(CO, 7, KK)
#define TILES_UP_TO_8(CO, KK) TILES_UP_TO_7(CO, KK) TILE(CO, 8, KK)
/* Shapes that keep accumulators + input vectors within the 32 registers (3 x 8 spilled). */
#define ALL_TILES(KK) TILES_UP_TO_3(8, KK) TILES_UP_TO_6(4, KK) TILES_UP_TO_7(3, KK) \
    TILES_UP_TO_8(2, KK) TILES_UP_TO_6(1, KK)
ALL_TILES(9)
ALL_TILES(1)

#define ROW3(CO, KK) {tile_##CO##_1_##KK, tile_##CO##_2_##KK, tile_##CO##_3_##KK}
#define ROW6(CO, KK) {tile_##CO##_1_##KK, tile_##CO##_2_##KK, tile_##CO##_3_##KK, \
          tile_##CO##_4_##KK, tile_##CO##_5_##KK, tile_##CO##_6_##KK}
#define ROW7(CO, KK) {tile_##CO##_1_##KK, tile_##CO##_2_##KK, tile_##CO##_3_##KK, \
          tile_##CO##_4_##KK, tile_##CO##_5_##KK, tile_##CO##_6_##KK, tile_##CO##_7_##KK}
#define ROW8(CO, KK) {tile_##CO##_1_##KK, tile_##CO##_2_##KK, tile_##CO##_3_##KK, \
          tile_##CO##_4_##KK, tile_##CO##_5_##KK, tile_##CO##_6_##KK, \
          tile_##CO##_7_##KK, tile_##CO##_8_##KK}

/* tiles[kk is 9][CO choice][vectors - 1]; CO choices 8, 4, 3, 2, 1. */
static const tile_fn tiles[2][5][8] = {
    {ROW3(8, 1), ROW6(4, 1), ROW7(3, 1), ROW8(2, 1), ROW6(1, 1)},
    {ROW3(8, 9), ROW6(4, 9), ROW7(3, 9), ROW8(2, 9), ROW6(1, 9)},
};
static const int tile_nv[5] = {3, 6, 7, 8, 6};

/* The tile shape for a block of nco channels: the smallest CO that holds them. */
static int tile_choice(int nco) {
    if (nco > 4) return 0;
    if (nco == 4) return 1;
    if (nco == 3) return 2;
    if (nco == 2) return 3;
    return 4;
}

/* Column tile width (pixels) of a layer: the widest tile of its first channel block. */
int ak_conv_span_avx512(const ak_conv *conv) {
    int nco = conv->cout < AK_CO_BLOCK ? conv->cout : AK_CO_BLOCK;
    return tile_nv[tile_choice(nco)] * 16;
}

T512 void ak_conv_rows_avx512(const ak_conv *conv, const float *in, int h, int w, float *out,
      int y0, int y1, int relu, float *scratch) {
    int kk = conv->k * conv->k, rows = y1 - y0;
    int k = conv->k;
    ak_band b = ak_band_layout(conv, w, ak_conv_span_avx512(conv), 16);
    size_t plane = (size_t)h * w;
    int blocks = (conv->cout + AK_CO_BLOCK - 1) / AK_CO_BLOCK;
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
for (int blk = 0; blk < blocks; blk++) {
    int co0 = blk * AK_CO_BLOCK;
    a.nco = conv->cout - co0 < AK_CO_BLOCK ? conv->cout - co0 : AK_CO_BLOCK;
    int choice = tile_choice(a.nco), nv = (a.ncols + 15) / 16;
    if (nv > tile_nv[choice]) nv = tile_nv[choice]; /* cannot happen: spans shrink */
    a.w = conv->wblock + (size_t)blk * conv->cin * kk * AK_CO_BLOCK;
    a.bias = conv->bias + co0;
    a.slope = conv->slope ? conv->slope + co0 : 0;
    a.dst = out + co0 * plane + (size_t)(y0 + r) * w + x0;
    tiles[kk == 9][choice][nv - 1](&a);
}
        }
    }
}
#endif /* AK_X86 */
