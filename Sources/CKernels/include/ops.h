#ifndef ATELIER_OPS_H
#define ATELIER_OPS_H
/* Small tensor ops on float32 CHW planes. Each works on a range of channels [c0, c1) so the
 * Swift runtime can split the work across its pool. */
#include <stddef.h>

/* 2x2 max pool, stride 2, floor mode: in [C][h][w] -> out [C][h/2][w/2]. */
void ak_maxpool2(const float *in, int h, int w, float *out, int c0, int c1);

/* Nearest-neighbour 2x upsample: in [C][h][w] -> out [C][2h][2w]. */
void ak_upsample2(const float *in, int h, int w, float *out, int c0, int c1);

/* Reflection padding (numpy 'reflect', edge not repeated) of the bottom and right edges:
 * in [C][h][w] -> out [C][h+pb][w+pr]. */
void ak_pad_reflect(const float *in, int h, int w, int pb, int pr, float *out, int c0, int c1);

/* Per-channel weighted mean and population standard deviation, accumulated in double:
 * mean = sum(m x) / sum(m), var = sum(m (x - mean)^2) / sum(m). `mask` may be NULL (all ones). */
void ak_channel_stats(const float *x, const float *mask, size_t n, double *mean, double *std,
                      int c0, int c1);

/* out[c] = scale[c] * x[c] + shift[c] for every element of channel c (out may alias x). */
void ak_channel_affine(const float *x, const float *scale, const float *shift, size_t n,
                       float *out, int c0, int c1);

/* acc[c][i] += mask[i] * t[c][i]  (mask NULL: acc += t). */
void ak_masked_accumulate(float *acc, const float *t, const float *mask, size_t n, int c0, int c1);

/* out = alpha * a + (1 - alpha) * b, elementwise over n values. */
void ak_mix(const float *a, const float *b, float alpha, size_t n, float *out);

/* Converts columns [j0, j1) of a float [C][n] matrix to double, minus `mean` per row, into
 * dst [C][j1 - j0], each element multiplied by sqrt(mask[j]) when mask is not NULL. */
void ak_center_columns(const float *x, const double *mean, const float *mask, size_t n,
                       int channels, size_t j0, size_t j1, double *dst);
#endif
