/* The ring of reflection-padded, column-tiled input rows that the direct kernels read. */
#include "conv_layer.h"
#include <string.h>

void ak_band_fill_row(const ak_conv *conv, const ak_band *b, const float *in, int h, int w, int y,
                      float *dst) {
    int p = conv->k / 2, cin = conv->cin;
    size_t plane = (size_t)h * w;
    if (y < 0) {
        memset(dst, 0, b->row * sizeof(float));
        return;
    }
    /* Channel-major so each input row is read front to back (the prefetchers follow it). */
    for (int ci = 0; ci < cin; ci++) {
        const float *src = in + ci * plane + (size_t)y * w;
        for (int t = 0; t < b->tiles; t++) {
            int x0 = t * b->span, n = w - x0 < b->span ? w - x0 : b->span;
            /* Columns x0 - p .. x0 + n - 1 + p; only the first and last can need reflecting. */
            int first = x0 - p, last = x0 + n - 1 + p;
            int lo = first < 0 ? 0 : first, hi = last >= w ? w - 1 : last;
            float *chunk = dst + ((size_t)t * cin + ci) * b->chunk, *d = chunk;
            if (first < 0) *d++ = conv->zero_pad ? 0.0f : src[ak_reflect(first, w)];
            memcpy(d, src + lo, (size_t)(hi - lo + 1) * sizeof(float));
            d += hi - lo + 1;
            if (last >= w) *d++ = conv->zero_pad ? 0.0f : src[ak_reflect(last, w)];
            memset(d, 0, (size_t)(b->chunk - (d - chunk)) * sizeof(float));
        }
    }
}

void ak_band_prefetch_row(const ak_conv *conv, const float *in, int h, int w, int y, int x0, int n) {
    size_t plane = (size_t)h * w;
    if (y < 0) return;
    int lo = x0 > 0 ? x0 - 1 : 0, hi = x0 + n + 1 < w ? x0 + n + 1 : w;
    for (int ci = 0; ci < conv->cin; ci++) {
        const char *row = (const char *)(in + ci * plane + (size_t)y * w);
        for (int x = lo & ~15; x < hi; x += 16) __builtin_prefetch(row + 4 * x, 0, 2);
    }
}
