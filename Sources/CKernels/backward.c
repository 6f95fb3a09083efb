/* Backward kernels of the encoder ops (see backward.h). */
#include "conv_layer.h"
#include "backward.h"
#include <string.h>

void ak_conv_adjoint_weights(const ak_conv *conv, float *out) {
    int cout = conv->cout, cin = conv->cin, k = conv->k, kk = k * k;
    for (int ci = 0; ci < cin; ci++)
        for (int co = 0; co < cout; co++)
            for (int t = 0; t < kk; t++)
                out[((size_t)ci * cout + co) * kk + t] = conv->weight[((size_t)co * cin + ci) * kk + (kk - 1 - t)];
}

void ak_reflect_pad_adjoint(const float *big, int h, int w, float *out, int c0, int c1) {
    int bw = w + 4, bh = h + 4;
    for (int c = c0; c < c1; c++) {
        const float *b = big + (size_t)c * bh * bw;
        float *o = out + (size_t)c * h * w;
        /* Padded row r (0 .. h+1) is big row r + 1; it lands on input row reflect(r - 1). */
        for (int y = 0; y < h; y++) {
            const float *src = b + (size_t)(y + 2) * bw;
            float *dst = o + (size_t)y * w;
            for (int x = 0; x < w; x++) dst[x] = src[x + 2];
            dst[1] += src[1];               /* padded column 0 reflects onto column 1 */
            dst[w - 2] += src[w + 2];       /* padded column w + 1 onto column w - 2 */
        }
        const int rows[2][2] = { {1, 1}, {h + 2, h - 2} };  /* big row -> input row */
        for (int i = 0; i < 2; i++) {
            const float *src = b + (size_t)rows[i][0] * bw;
            float *dst = o + (size_t)rows[i][1] * w;
            for (int x = 0; x < w; x++) dst[x] += src[x + 2];
            dst[1] += src[1];
            dst[w - 2] += src[w + 2];
        }
    }
}

void ak_relu_backward(const float *y, float *grad, size_t n) {
    for (size_t i = 0; i < n; i++) grad[i] = y[i] > 0 ? grad[i] : 0;
}

void ak_maxpool2_backward(const float *in, int h, int w, const float *dout, float *din,
                          int c0, int c1) {
    int oh = h / 2, ow = w / 2;
    for (int c = c0; c < c1; c++) {
        const float *src = in + (size_t)c * h * w;
        const float *g = dout + (size_t)c * oh * ow;
        float *d = din + (size_t)c * h * w;
        memset(d, 0, (size_t)h * w * sizeof(float));
        for (int y = 0; y < oh; y++) {
            const float *r0 = src + (size_t)(2 * y) * w, *r1 = r0 + w;
            float *d0 = d + (size_t)(2 * y) * w, *d1 = d0 + w;
            for (int x = 0; x < ow; x++) {
                float v[4] = { r0[2 * x], r0[2 * x + 1], r1[2 * x], r1[2 * x + 1] };
                float *t[4] = { d0 + 2 * x, d0 + 2 * x + 1, d1 + 2 * x, d1 + 2 * x + 1 };
                int best = 0;
                for (int i = 1; i < 4; i++) if (v[i] > v[best]) best = i;
                *t[best] = g[(size_t)y * ow + x];
            }
        }
    }
}
