#ifndef ATELIER_BACKWARD_H
#define ATELIER_BACKWARD_H
/* Backward (adjoint) kernels of the encoder's ops with frozen weights: the gradient with respect
 * to the input, given the gradient with respect to the output. float32 CHW planes; each works
 * on a channel range [c0, c1) so the Swift runtime can split the work. */
#include <stddef.h>
#include "conv.h"

/* Writes the weights of the adjoint convolution of `conv` into `out`, laid out
 * [cin][cout][k][k]: out[ci][co][ky][kx] = w[co][ci][k-1-ky][k-1-kx] (transposed, flipped). */
void ak_conv_adjoint_weights(const ak_conv *conv, float *out);


/* The adjoint of 1-pixel reflection padding, read from a (h+4) x (w+4) map whose rows and
 * columns 1 .. h+2 (1 .. w+2) hold the gradient of the padded input: each padded row/column
 * adds onto the input row/column it reflects (-1 -> 1, h -> h-2). out [C][h][w]. */
void ak_reflect_pad_adjoint(const float *big, int h, int w, float *out, int c0, int c1);

/* The reflection border of a 3x3 reflection-padded layer's input gradient. The adjoint
 * convolution run with ZERO padding on dy (cout x h x w) gives rows/columns 1 .. h (1 .. w) of
 * the padded input's gradient; this adds the padded ring (rows 0 and h+1, columns 0 and w+1,
 * each a 1-D sum over one edge row/column of dy) onto the input rows/columns they reflect
 * (-1 -> 1, h -> h-2), for input channels [c0, c1) of dx (cin x h x w). Needs h, w >= 2.
 * With `gate` (cin x h x w, the previous layer's ReLU output) a sum lands only where the gate
 * is positive: the ReLU backward of dx applied to the ring's share (dx itself already gated). */
void ak_conv_adjoint_ring(const ak_conv *conv, const float *dy, int h, int w, float *dx,
                          const float *gate, int c0, int c1);

/* a . b summed in double over n floats, in a fixed order (eight running sums added at the end). */
double ak_dot_f64(const float *a, const float *b, size_t n);

/* out = clamp(x + t d, 0, 1) over n floats; returns g . (out - x) in double, summed like ak_dot_f64. */
double ak_project_box(const float *x, const float *d, float t, const float *g, float *out, size_t n);

/* dst[i] = gate[i] > 0 ? dst[i] + extra[i] : 0 over n floats; extra NULL adds nothing, gate
 * NULL keeps every element (ReLU backward fused with adding a tapped feature's gradient). */
void ak_backward_gate(float *dst, const float *extra, const float *gate, size_t n);

/* 2x2 max pool backward fused with what follows it: din = route(dout) + extra, where route
 * sends each output gradient to the element the forward pass took; with relu set, the result
 * is zeroed wherever the pool's input (a ReLU output) is <= 0. Writes every element of din
 * [c0, c1) (no memset needed). extra may be NULL. */
void ak_maxpool2_backward_fused(const float *in, int h, int w, const float *dout, const float *extra,
                                int relu, float *din, int c0, int c1);

/* ReLU backward in place: grad[i] = 0 where the layer's output y[i] <= 0. */
void ak_relu_backward(const float *y, float *grad, size_t n);

/* 2x2 max pool backward (stride 2, floor mode): every output gradient goes to the input
 * element the forward pass took (first of the window in row order on ties); the rest,
 * including a dropped trailing row/column, get 0. in [C][h][w], dout [C][h/2][w/2],
 * din [C][h][w]. */
void ak_maxpool2_backward(const float *in, int h, int w, const float *dout, float *din,
                          int c0, int c1);
#endif
