#include "inverted_residual.h"
#include "isa.h"
#include "netops.h"
#include "depthwise_row.h"
#include <immintrin.h>

/* A 3x3 stride-2 layer on few input channels (the style predictor's stem: 3 -> 32 on 256 x 256)
 * as a 1x1 layer over gathered taps: for a few output rows at a time, the cin x 9 tap rows
 * (input row 2y + ky, columns 2x + kx, zero past the bottom/right edge) are gathered into
 * `scratch` as a [cin 9][rows wo] matrix, and the 1x1 kernel of inverted_residual.c multiplies
 * it by the weights, [cout][cin][3][3] read as [cout][cin 9]. The direct kernel's tiles are
 * cut for many input channels; with 3 most of its loads feed a single multiply-add. */

#define T256 AK_T256

/* Output rows per gathered tile: at least 256 columns for the 1x1's tiles, small enough that
 * the tap matrix (cin 9 rows) stays in L1/L2. */
static int stem_rows(int wo) { return wo >= 256 ? 1 : (256 + wo - 1) / wo; }

size_t ak_stem_s2_zero_scratch(int cin, int wo) {
    return (size_t)cin * 9 * stem_rows(wo) * wo;
}

/* dst[x] = src[2 x] for x < n where 2 x < avail, else 0 (the columns past the right edge):
 * a vector of LANES at a time (P = _mm256 or _mm512, the even taps of depthwise_row.h), then
 * REST (AVX-512: the AVX2 gather; AVX2: one by one). */
#define GATHER_EVEN(P, LANES, TARGET, REST)                                                     \
    static TARGET void gather_even##P(const float *src, int avail, int n, float *dst) {        \
        int x = 0;                                                                             \
        for (; x + LANES <= n && 2 * x + 2 * LANES <= avail; x += LANES)                       \
            P##_storeu_ps(dst + x, ak_evens##P(src + 2 * x));                                  \
        REST;                                                                                  \
    }
GATHER_EVEN(_mm256, 8, AK_T256, for (; x < n; x++) dst[x] = 2 * x < avail ? src[2 * x] : 0.0f)
GATHER_EVEN(_mm512, 16, AK_T512, gather_even_mm256(src + 2 * x, avail - 2 * x, n - x, dst + x))

static T256 void gather_zero(int n, float *dst) {
    for (int x = 0; x < n; x++) dst[x] = 0.0f;
}

int ak_stem_s2_zero_rows(const float *in, int cin, int h, int w, const float *weight, const float *bias,
                         int cout, float *out, int ho, int wo, int y0, int y1, int act, float *scratch) {
    if (ak_isa() < AK_ISA_AVX2) return 0;
    if (act != AK_ACT_NONE && act != AK_ACT_RELU && act != AK_ACT_RELU6) return 0;
    if (2 * wo + 1 < w || 2 * ho + 1 < h) return 0;
    int tile = stem_rows(wo), k = cin * 9;
    void (*gather_even)(const float *, int, int, float *) = ak_isa() >= AK_ISA_AVX512 ? gather_even_mm512 : gather_even_mm256;
    for (int ya = y0; ya < y1; ya += tile) {
        int yb = ya + tile < y1 ? ya + tile : y1, n = (yb - ya) * wo;
        for (int c = 0; c < cin; c++)
            for (int ky = 0; ky < 3; ky++)
                for (int kx = 0; kx < 3; kx++) {
                    float *row = scratch + (size_t)((c * 3 + ky) * 3 + kx) * n;
                    for (int y = ya; y < yb; y++) {
                        int iy = 2 * y + ky;
                        float *d = row + (size_t)(y - ya) * wo;
                        if (iy < h) gather_even(in + ((size_t)c * h + iy) * w + kx, w - kx, wo, d);
                        else gather_zero(wo, d);
                    }
                }
        if (!ak_pointwise(scratch, (size_t)n, k, n, weight, bias, cout, NULL, 0, out + (size_t)ya * wo,
                          (size_t)ho * wo, act))
            return 0;
    }
    return 1;
}
