/* Convolution layers: packing at creation and the per-band entry point. */
#include "conv_layer.h"
#include <stdlib.h>
#include <string.h>

ak_conv *ak_conv_create(const float *weight, const float *bias, int cout, int cin, int k) {
    if (!weight || !bias || cout <= 0 || cin <= 0 || (k != 1 && k != 3)) return NULL;
    ak_conv *conv = calloc(1, sizeof *conv);
    if (!conv) return NULL;
    size_t wcount = (size_t)cout * cin * k * k;
    conv->cout = cout;
    conv->cin = cin;
    conv->k = k;
    conv->weight = malloc(wcount * sizeof(float));
    conv->bias = malloc((size_t)cout * sizeof(float));
    if (!conv->weight || !conv->bias) {
        ak_conv_destroy(conv);
        return NULL;
    }
    memcpy(conv->weight, weight, wcount * sizeof(float));
    memcpy(conv->bias, bias, (size_t)cout * sizeof(float));
    return conv;
}

void ak_conv_destroy(ak_conv *conv) {
    if (!conv) return;
    free(conv->weight);
    free(conv->bias);
    free(conv);
}

int ak_conv_out_channels(const ak_conv *conv) { return conv->cout; }
int ak_conv_in_channels(const ak_conv *conv) { return conv->cin; }
int ak_conv_kernel_size(const ak_conv *conv) { return conv->k; }

size_t ak_conv_scratch_floats(const ak_conv *conv, int h, int w, int rows) {
    if (conv->k == 1) return 0;
    return (size_t)conv->cin * 9 * (size_t)rows * (size_t)w;
}

int ak_conv_band_rows(const ak_conv *conv, int h, int w, int threads) {
    if (h <= 0 || w <= 0) return 1;
    if (threads < 1) threads = 1;
    /* Enough bands that every thread gets several (load balance), and scratch bounded. */
    int rows = (h + 4 * threads - 1) / (4 * threads);
    size_t per_row = (size_t)conv->cin * conv->k * conv->k * (size_t)w;
    size_t budget = (size_t)1 << 20; /* floats (4 MiB) */
    if (per_row * rows > budget) rows = (int)(budget / per_row);
    if (rows < 1) rows = 1;
    return rows;
}

void ak_conv_forward_rows(const ak_conv *conv, const float *in, int h, int w, float *out,
                          int y0, int y1, int relu, float *scratch) {
    if (y0 < 0) y0 = 0;
    if (y1 > h) y1 = h;
    if (y1 <= y0) return;
    if (conv->k == 3 && (h < 2 || w < 2)) return; /* reflection needs two pixels */
    ak_conv_rows_gemm(conv, in, h, w, out, y0, y1, relu, scratch);
}
