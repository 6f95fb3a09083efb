/* Backward kernels of the encoder ops (see backward.h). */
#include "conv_layer.h"
#include "backward.h"
#include <stdlib.h>
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

/* Adds src[q] (q = 0 .. n+1, padded coordinates) onto dst[reflect(q - 1)]. */
static void fold_line(const float *src, int n, float *dst, size_t stride) {
    for (int q = 1; q <= n; q++) dst[(size_t)(q - 1) * stride] += src[q];
    dst[stride] += src[0];
    dst[(size_t)(n - 2) * stride] += src[n + 1];
}

void ak_conv_adjoint_ring(const ak_conv *conv, const float *dy, int h, int w, float *dx, int c0, int c1) {
    if (conv->k != 3 || conv->zero_pad || h < 2 || w < 2) return;
    int cout = conv->cout, cin = conv->cin;
    size_t plane = (size_t)h * w;
    int n = (w > h ? w : h) + 2;
    float *t = ak_alloc_floats((size_t)n);
    if (!t) return;
    for (int ci = c0; ci < c1; ci++) {
        float *o = dx + (size_t)ci * plane;
        /* Padded rows 0 and h+1 (tap rows a = 0 and 2 over dy rows 0 and h-1), all padded
         * columns 0 .. w+1: P[p][q] = sum_b W[a][b] dy[row][q - b]. */
        for (int side = 0; side < 2; side++) {
            int a = side ? 2 : 0, row = side ? h - 1 : 0, target = side ? h - 2 : 1;
            memset(t, 0, (size_t)(w + 2) * sizeof(float));
            for (int co = 0; co < cout; co++) {
                const float *wk = conv->weight + ((size_t)co * cin + ci) * 9 + 3 * a;
                const float *src = dy + (size_t)co * plane + (size_t)row * w;
                for (int b = 0; b < 3; b++) {
                    float wv = wk[b];
                    for (int x = 0; x < w; x++) t[x + b] += wv * src[x];
                }
            }
            fold_line(t, w, o + (size_t)target * w, 1);
        }
        /* Padded columns 0 and w+1 over padded rows 1 .. h (the corners came with the rows):
         * P[p][q] = sum_a W[a][b] dy[p - a][col]. */
        for (int side = 0; side < 2; side++) {
            int b = side ? 2 : 0, col = side ? w - 1 : 0, target = side ? w - 2 : 1;
            memset(t, 0, (size_t)(h + 2) * sizeof(float));
            for (int co = 0; co < cout; co++) {
                const float *wk = conv->weight + ((size_t)co * cin + ci) * 9 + b;
                const float *src = dy + (size_t)co * plane + col;
                for (int a = 0; a < 3; a++) {
                    float wv = wk[3 * a];
                    for (int y = 0; y < h; y++) t[y + a] += wv * src[(size_t)y * w];
                }
            }
            /* Rows 0 and h+1 of this column are the corners, already folded with the rows. */
            for (int p = 1; p <= h; p++) o[(size_t)(p - 1) * w + target] += t[p];
        }
    }
    free(t);
}

void ak_backward_gate(float *dst, const float *extra, const float *gate, size_t n) {
    if (extra && gate) {
        for (size_t i = 0; i < n; i++) dst[i] = gate[i] > 0 ? dst[i] + extra[i] : 0.0f;
    } else if (extra) {
        for (size_t i = 0; i < n; i++) dst[i] += extra[i];
    } else if (gate) {
        for (size_t i = 0; i < n; i++) dst[i] = gate[i] > 0 ? dst[i] : 0.0f;
    }
}

void ak_maxpool2_backward_fused(const float *in, int h, int w, const float *dout, const float *extra,
                                int relu, float *din, int c0, int c1) {
    int oh = h / 2, ow = w / 2;
    for (int c = c0; c < c1; c++) {
        const float *src = in + (size_t)c * h * w;
        const float *g = dout + (size_t)c * oh * ow;
        float *d = din + (size_t)c * h * w;
        for (int y = 0; y < oh; y++) {
            const float *r0 = src + (size_t)(2 * y) * w, *r1 = r0 + w;
            float *d0 = d + (size_t)(2 * y) * w, *d1 = d0 + w;
            for (int x = 0; x < ow; x++) {
                float v[4] = { r0[2 * x], r0[2 * x + 1], r1[2 * x], r1[2 * x + 1] };
                int best = 0;
                for (int i = 1; i < 4; i++) if (v[i] > v[best]) best = i;
                float gv = relu && !(v[best] > 0) ? 0.0f : g[(size_t)y * ow + x];
                d0[2 * x] = best == 0 ? gv : 0.0f;
                d0[2 * x + 1] = best == 1 ? gv : 0.0f;
                d1[2 * x] = best == 2 ? gv : 0.0f;
                d1[2 * x + 1] = best == 3 ? gv : 0.0f;
            }
            if (w & 1) d0[w - 1] = d1[w - 1] = 0.0f;
        }
        if (h & 1) memset(d + (size_t)(h - 1) * w, 0, (size_t)w * sizeof(float));
        if (extra) ak_backward_gate(d, extra + (size_t)c * h * w, relu ? src : NULL, (size_t)h * w);
    }
}
