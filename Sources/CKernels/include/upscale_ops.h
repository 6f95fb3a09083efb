#ifndef ATELIER_UPSCALE_OPS_H
#define ATELIER_UPSCALE_OPS_H
/* Ops of the upscaling networks on float32 CHW planes, each on a channel range [c0, c1). */
#include <stddef.h>

/* Nearest upsampling by integer factors: out[c][y][x] = in[c][y / fy][x / fx],
 * in [C][h][w] -> out [C][h fy][w fx]. */
void ak_upsample_nearest(const float *in, int h, int w, int fy, int fx, float *out, int c0, int c1);

/* Pixel shuffle (PyTorch order): out[c][y r + i][x r + j] = in[c r^2 + i r + j][y][x],
 * in [C r^2][h][w] -> out [C][h r][w r]; channels c of the output. */
void ak_pixel_shuffle(const float *in, int h, int w, int r, float *out, int c0, int c1);

/* acc = a * acc + b * x over channels [c0, c1) of planes of n floats (the scaled residual add). */
void ak_scaled_add(float *acc, float a, const float *x, float b, size_t n, int c0, int c1);

/* Zero padding: in [C][h][w] -> out [C][h + top + bottom][w + left + right], the input at
 * (top, left), zeros elsewhere. */
void ak_pad_zero(const float *in, int h, int w, int top, int left, int bottom, int right,
                 float *out, int c0, int c1);
#endif
