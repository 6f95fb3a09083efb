/* The ring of reflection-padded, column-tiled input rows that the direct kernels read. */
#include "conv_layer.h"
#include <string.h>

void ak_band_fill_row(const ak_conv *conv, const ak_band *b, const float *in, int h, int w, int y,
                      float *dst) {
    int p = conv->k / 2, cin = conv->cin;
    size_t plane = (size_t)h * w;
    const float *srow = in + (size_t)y * w;
    for (int t = 0; t < b->tiles; t++) {
        int x0 = t * b->span, n = w - x0 < b->span ? w - x0 : b->span;
        /* Columns x0 - p .. x0 + n - 1 + p; only the first and last can need reflecting. */
        int first = x0 - p, last = x0 + n - 1 + p;
        int lo = first < 0 ? 0 : first, hi = last >= w ? w - 1 : last;
        for (int ci = 0; ci < cin; ci++, dst += b->chunk) {
            const float *src = srow + ci * plane;
            float *d = dst;
            if (first < 0) *d++ = src[ak_reflect(first, w)];
            memcpy(d, src + lo, (size_t)(hi - lo + 1) * sizeof(float));
            d += hi - lo + 1;
            if (last >= w) *d++ = src[ak_reflect(last, w)];
            memset(d, 0, (size_t)(b->chunk - (d - dst)) * sizeof(float));
        }
    }
}
