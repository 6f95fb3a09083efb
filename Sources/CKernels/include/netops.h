#ifndef ATELIER_NETOPS_H
#define ATELIER_NETOPS_H
/* Ops of the imported feed-forward networks (Magenta arbitrary style, CIN-26): general
 * convolution, depthwise 3x3, padding of any width, instance normalisation with per-channel or
 * per-pixel affine, activations. Float32 CHW planes; single-threaded, split by the caller. */
#include <stddef.h>

/* Activation applied in the same pass: 0 none, 1 ReLU, 2 ReLU6 (clip to [0, 6]), 3 sigmoid. */
enum { AK_ACT_NONE = 0, AK_ACT_RELU = 1, AK_ACT_RELU6 = 2, AK_ACT_SIGMOID = 3 };

/* Padding of any width: in [C][h][w] -> out [C][h+top+bottom][w+left+right]. mode 0 zeros,
 * 1 reflection (numpy 'reflect', the edge not repeated; any width, mirrored back and forth). */
void ak_pad(const float *in, int h, int w, int top, int left, int bottom, int right, int mode,
            float *out, int c0, int c1);

/* Whether ak_conv_valid_rows runs a k x k stride-s layer on its direct kernel (no im2col: its
 * bands may be as tall as the caller likes). */
int ak_conv_valid_direct(int k, int s);

/* Floats of scratch that ak_conv_valid_rows needs for `rows` output rows of width wo from an
 * input of width wp (0 when the layer needs none: 1x1 stride 1, or k >= 5 stride 1 on AVX2). */
size_t ak_conv_valid_scratch(int cin, int k, int s, int rows, int wp, int wo);

/* Unpadded ("valid") convolution, kernel k x k, stride s, of an already padded input
 * in [cin][hp][wp] into out [cout][ho][wo], ho = (hp - k) / s + 1; rows [y0, y1) only.
 * weight [cout][cin*k*k], bias [cout] or NULL, then activation `act`. On AVX2/FMA, k >= 5
 * stride 1 and 3x3 stride 2 run a direct kernel (stride 2 on rows split into even and odd
 * columns), every other layer im2col + sgemm. */
void ak_conv_valid_rows(const float *in, int cin, int hp, int wp, const float *weight,
                        const float *bias, int cout, int k, int s, float *out, int ho, int wo,
                        int y0, int y1, int act, float *scratch);

/* The 3x3 stride-2 layer of ak_conv_valid_rows on an UNPADDED input in [cin][h][w] read as if
 * reflect-padded by `pad` (h, w > pad; ho = (h + 2 pad - 3) / 2 + 1, likewise wo), with no
 * padded copy: the reflection happens as the rows are split. Needs ak_conv_s2_reflect_scratch
 * floats of scratch for y1 - y0 rows. With `norm` ([3][cin]: mean, scale, shift; or NULL) each
 * input value x is read as norm_act((x - mean) * scale + shift) (the previous layer's instance
 * norm, bit for bit as ak_instance_norm's AVX2 path applies it). Returns 0 (nothing done)
 * without AVX2/FMA or for an activation (either) other than none, ReLU and ReLU6: the caller
 * normalises, pads and calls ak_conv_valid_rows. */
size_t ak_conv_s2_reflect_scratch(int cin, int rows, int w, int pad);
int ak_conv_s2_reflect_rows(const float *in, int cin, int h, int w, int pad, const float *weight,
                            const float *bias, int cout, float *out, int ho, int wo, int y0, int y1,
                            int act, const float *norm, int norm_act, float *scratch);

/* The 3x3 stride-2 layer of ak_conv_valid_rows on an UNPADDED input in [cin][h][w] read as if
 * zero-padded only below and on the right to (2 ho + 1) x (2 wo + 1) (TF "SAME" on an even
 * map), with no padded copy: the same sums as padding first. Needs ak_conv_s2_zero_scratch
 * floats of scratch. Returns 0 (nothing done) without AVX2/FMA, for an activation other than
 * none, ReLU and ReLU6, or when the output does not cover the input. */
size_t ak_conv_s2_zero_scratch(int cin, int rows, int wo);
int ak_conv_s2_zero_rows(const float *in, int cin, int h, int w, const float *weight, const float *bias,
                         int cout, float *out, int ho, int wo, int y0, int y1, int act, float *scratch);

/* Nested Winograd (netops_nested.c) for k x k stride-1 layers with k = 3 s, 2 <= s <= 4 (the 9x9
 * layers): F(3x3, 3x3) per 3x3 sub-kernel on a shared grid of transformed input tiles, 3.24x
 * fewer multiplies than the direct kernel; sums within float rounding of it, not bit-equal.
 * ak_conv_nested_eligible: whether this CPU (AVX2/FMA) and layer can run it. The weights
 * ([cout][cin][k][k]) are transformed once by ak_conv_nested_pack into
 * ak_conv_nested_pack_floats floats. ak_conv_nested_rows computes output rows [y0, y1) as
 * ak_conv_valid_rows does (already padded input [cin][hp][wp], any activation), with
 * ak_conv_nested_scratch floats of scratch; the rows' 3-row tiles start at y0. */
int ak_conv_nested_eligible(int k, int s, int cin, int cout);
size_t ak_conv_nested_pack_floats(int cout, int cin, int k);
void ak_conv_nested_pack(const float *weight, int cout, int cin, int k, float *packed);
size_t ak_conv_nested_scratch(int cin, int k);
void ak_conv_nested_rows(const float *in, int cin, int hp, int wp, const float *packed, const float *bias,
                         int cout, int k, float *out, int ho, int wo, int y0, int y1, int act, float *scratch);

/* The 3x3 stride-1 convolution, reflection-padded by 1, of a nearest-2x-upsampled map, from the
 * map itself (netops_upconv.c): each output phase is a 2x2 convolution of the edge-repeated
 * input (4 multiply-adds per channel instead of 9, no upsampled map); sums within float
 * rounding of upsample-then-convolve, not bit-equal. Weights [cout][cin][3][3] are packed once
 * by ak_upconv3_pack into ak_upconv3_pack_floats floats. ak_upconv3_rows writes output rows
 * 2 i0 .. 2 i1 - 1 of out [cout][2h][2w] from in [cin][h][w], bias (or NULL) and act added;
 * ak_upconv3_scratch floats of scratch. Returns 0 (nothing done) without AVX2/FMA or for an
 * activation other than none, ReLU and ReLU6. */
int ak_upconv3_eligible(int cin, int cout);
size_t ak_upconv3_pack_floats(int cout, int cin);
void ak_upconv3_pack(const float *weight, int cout, int cin, float *packed);
size_t ak_upconv3_scratch(int cin, int cout, int w);
int ak_upconv3_rows(const float *in, int cin, int h, int w, const float *packed, const float *bias, int cout,
                    float *out, int i0, int i1, int act, float *scratch);

/* Depthwise 3x3 convolution, stride s (1 or 2), of an already padded input in [C][hp][wp] into
 * out [C][ho][wo]; weight [C][9], bias [C] or NULL; channels [c0, c1). */
void ak_depthwise3_valid(const float *in, int hp, int wp, const float *weight, const float *bias,
                         int s, float *out, int ho, int wo, int act, int c0, int c1);

/* Instance normalisation and affine, channels [c0, c1):
 * out = act((x - mean[c]) * invstd[c] * gamma + beta), where gamma/beta are gamma[c], beta[c]
 * when `per_pixel` is 0, else gamma[c * n + i], beta[c * n + i]. out may alias x. */
void ak_instance_norm(const float *x, size_t n, const double *mean, const double *invstd,
                      const float *gamma, const float *beta, int per_pixel, int act, float *out,
                      int c0, int c1);

/* Activation `act` in place over n values. */
void ak_activate(float *x, size_t n, int act);

/* Per-channel mean over n values (double), channels [c0, c1). */
void ak_channel_mean(const float *x, size_t n, double *mean, int c0, int c1);

/* out[i] = a[i] + b[i] over n values (out may alias a). */
void ak_add(const float *a, const float *b, size_t n, float *out);
#endif
