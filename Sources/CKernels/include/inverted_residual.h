#ifndef ATELIER_INVERTED_RESIDUAL_H
#define ATELIER_INVERTED_RESIDUAL_H
/* MobileNetV2's inverted-residual block (the Magenta style predictor) in one pass over bands
 * of output rows, so the expanded map never leaves the cache:
 *   hidden = ReLU6(We x + be)             (1x1 expansion; skipped when We is NULL: hidden = x)
 *   d      = ReLU6(depthwise3x3_s(hidden zero-padded TF "SAME": pad_top/pad_left before,
 *                                  the rest after) + bd)
 *   out    = Wp d + bp (+ x when `residual`: stride 1 and cout == cin)
 * Float32 CHW planes; single-threaded, the caller splits the output rows. */
#include <stddef.h>

/* Floats of scratch ak_inverted_residual_rows needs per call (per thread). */
size_t ak_inverted_residual_scratch(int hidden, int w, int s, int wo);

/* Output rows [y0, y1) of the block on in [cin][h][w] into out [cout][ho][wo]:
 * expand_w [hidden][cin] and expand_b [hidden] (both NULL: no expansion, hidden == cin),
 * dw_w [hidden][9], dw_b [hidden], stride s (1 or 2), pad_top / pad_left (the SAME padding
 * before the map), project_w [cout][hidden], project_b [cout]; biases may be NULL.
 * Returns 0 and does nothing without AVX2/FMA (the caller runs the layers one by one). */
int ak_inverted_residual_rows(const float *in, int cin, int h, int w, const float *expand_w,
                              const float *expand_b, int hidden, const float *dw_w, const float *dw_b,
                              int s, int pad_top, int pad_left, const float *project_w,
                              const float *project_b, int cout, int residual, float *out, int ho, int wo,
                              int y0, int y1, float *scratch);

/* out [m][n] (row stride out_plane) = act(W x + b) (+ res, row stride res_plane, when not NULL)
 * for x [k][n] (row stride in_plane), W [m][k], b [m] or NULL; act none, ReLU or ReLU6 (see
 * netops.h). Sums start from the bias and add k terms in order with fused multiply-adds.
 * Returns 0 and does nothing without AVX2/FMA. */
int ak_pointwise(const float *in, size_t in_plane, int k, int n, const float *weight, const float *bias,
                 int m, const float *res, size_t res_plane, float *out, size_t out_plane, int act);

/* The style predictor's stem: a 3x3 stride-2 layer (weight [cout][cin][3][3], bias [cout] or
 * NULL) on an UNPADDED in [cin][h][w] read as zero-padded only below and on the right (TF "SAME"
 * on an even map), output rows [y0, y1) of out [cout][ho][wo], act none, ReLU or ReLU6: the
 * cin x 9 taps of a few output rows gathered into ak_stem_s2_zero_scratch floats of scratch,
 * then ak_pointwise over them (sums from the bias, the taps in weight order). For few input
 * channels. Returns 0 (nothing done, or rows half done: rerun another way) without AVX2/FMA,
 * for another activation, or when the output does not cover the input. */
size_t ak_stem_s2_zero_scratch(int cin, int wo);
int ak_stem_s2_zero_rows(const float *in, int cin, int h, int w, const float *weight, const float *bias,
                         int cout, float *out, int ho, int wo, int y0, int y1, int act, float *scratch);
#endif
