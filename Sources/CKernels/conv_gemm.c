/* Portable path: im2col of the band (reflection padding folded in), an sgemm per output row,
 * bias, ReLU. One row a call: sgemm's order of summation depends on the matrix sizes (OpenBLAS
 * takes other kernels for small products), so a call per row gives every row the same bits
 * whatever the band it falls in (bands follow the thread count; the row pass runs few rows). */
#include "conv_layer.h"
#include <cblas.h>

/* cols[(ci * 9 + ky * 3 + kx)][r * w + x] = in[ci][reflect(y0 + r + ky - 1)][reflect(x + kx - 1)]
 * (zero instead of the reflection outside the map when zero_pad is set) */
static void im2col3(const float *in, int cin, int h, int w, int y0, int rows, int zero_pad, float *cols) {
    size_t n = (size_t)rows * w;
    for (int ci = 0; ci < cin; ci++) {
        const float *plane = in + (size_t)ci * h * w;
        for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
                float *dst = cols + ((size_t)ci * 9 + ky * 3 + kx) * n;
                for (int r = 0; r < rows; r++) {
                    float *d = dst + (size_t)r * w;
                    int y = y0 + r + ky - 1;
                    if (zero_pad && (y < 0 || y >= h)) {
                        for (int x = 0; x < w; x++) d[x] = 0;
                        continue;
                    }
                    const float *src = plane + (size_t)ak_reflect(y, h) * w;
                    int x0 = kx == 0 ? 1 : 0;        /* first x that needs no reflection */
                    int x1 = kx == 2 ? w - 1 : w;    /* one past the last such x */
                    if (kx == 0) d[0] = zero_pad ? 0.0f : src[1];
                    for (int x = x0; x < x1; x++) d[x] = src[x + kx - 1];
                    if (kx == 2) d[w - 1] = zero_pad ? 0.0f : src[w - 2];
                }
            }
        }
    }
}

void ak_conv_rows_gemm(const ak_conv *conv, const float *in, int h, int w, float *out,
                       int y0, int y1, int relu, float *scratch) {
    int rows = y1 - y0, cout = conv->cout, cin = conv->cin;
    size_t plane = (size_t)h * w, n = (size_t)rows * w;
    for (int co = 0; co < cout; co++) {
        float *o = out + co * plane + (size_t)y0 * w, b = conv->bias[co];
        for (size_t i = 0; i < n; i++) o[i] = b;
    }
    const float *cols;
    int kdim = cin * conv->k * conv->k, ldb;
    if (conv->k == 1) {
        cols = in + (size_t)y0 * w;
        ldb = (int)plane;
    } else {
        im2col3(in, cin, h, w, y0, rows, conv->zero_pad, scratch);
        cols = scratch;
        ldb = (int)n;
    }
    for (int r = 0; r < rows; r++)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, cout, w, kdim, 1.0f,
                    conv->weight, kdim, cols + (size_t)r * w, ldb, 1.0f, out + (size_t)(y0 + r) * w, (int)plane);
    for (int co = 0; co < cout; co++) ak_conv_activate(conv, out + co * plane + (size_t)y0 * w, n, co, relu);
}

void ak_conv_activate(const ak_conv *conv, float *o, size_t n, int c, int relu) {
    if (conv->slope) {
        float s = conv->slope[c];
        for (size_t i = 0; i < n; i++) o[i] = o[i] > 0 ? o[i] : o[i] * s;
    } else if (relu) {
        for (size_t i = 0; i < n; i++) o[i] = o[i] > 0 ? o[i] : 0;
    }
}
