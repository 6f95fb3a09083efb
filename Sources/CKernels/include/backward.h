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

/* ReLU backward in place: grad[i] = 0 where the layer's output y[i] <= 0. */
void ak_relu_backward(const float *y, float *grad, size_t n);

/* 2x2 max pool backward (stride 2, floor mode): every output gradient goes to the input
 * element the forward pass took (first of the window in row order on ties); the rest,
 * including a dropped trailing row/column, get 0. in [C][h][w], dout [C][h/2][w/2],
 * din [C][h][w]. */
void ak_maxpool2_backward(const float *in, int h, int w, const float *dout, float *din,
                          int c0, int c1);
#endif
