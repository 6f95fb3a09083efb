/* Convolution layers: packing at creation, kernel choice, and the per-band entry point. */
#include "conv_layer.h"
#include "backward.h"
#include "isa.h"
#include <stdlib.h>
#include <string.h>

/* Whether this CPU runs kernel family `path`. */
static int supported(int path) {
#if AK_X86
    int avx2 = ak_isa() >= AK_ISA_AVX2, avx512 = ak_isa() >= AK_ISA_AVX512;
    switch (path) {
    case AK_PATH_GEMM: return 1;
    case AK_PATH_AVX2: case AK_PATH_WINO256: return avx2;
    case AK_PATH_AVX512: case AK_PATH_WINO512: return avx512;
    default: return 0;
    }
#else
    return path == AK_PATH_GEMM;
#endif
}

/* The best kernel family this CPU runs. */
static int best_path(void) {
    if (supported(AK_PATH_WINO512)) return AK_PATH_WINO512;
    if (supported(AK_PATH_WINO256)) return AK_PATH_WINO256;
    return AK_PATH_GEMM;
}

/* Whether `path` is a Winograd family. */
static int winograd(int path) { return path == AK_PATH_WINO512 || path == AK_PATH_WINO256; }

float *ak_alloc_floats(size_t count) {
    size_t bytes = (count * sizeof(float) + 63) & ~(size_t)63;
    return aligned_alloc(64, bytes ? bytes : 64);
}

ak_conv *ak_conv_create(const float *weight, const float *bias, int cout, int cin, int k) {
    if (!weight || !bias || cout <= 0 || cin <= 0 || (k != 1 && k != 3)) return NULL;
    ak_conv *conv = calloc(1, sizeof *conv);
    if (!conv) return NULL;
    int kk = k * k, blocks = (cout + AK_CO_BLOCK - 1) / AK_CO_BLOCK;
    size_t wcount = (size_t)cout * cin * kk;
    conv->cout = cout;
    conv->cin = cin;
    conv->k = k;
    conv->path = best_path();
    conv->weight = malloc(wcount * sizeof(float));
    conv->bias = malloc((size_t)cout * sizeof(float));
    conv->wblock = calloc((size_t)blocks * cin * kk * AK_CO_BLOCK, sizeof(float));
    if (!conv->weight || !conv->bias || !conv->wblock) {
        ak_conv_destroy(conv);
        return NULL;
    }
    memcpy(conv->weight, weight, wcount * sizeof(float));
    memcpy(conv->bias, bias, (size_t)cout * sizeof(float));
    for (int co = 0; co < cout; co++)
        for (int ci = 0; ci < cin; ci++)
            for (int t = 0; t < kk; t++)
                conv->wblock[(((size_t)(co / AK_CO_BLOCK) * cin + ci) * kk + t) * AK_CO_BLOCK +
                             co % AK_CO_BLOCK] = weight[((size_t)co * cin + ci) * kk + t];
#if AK_X86
    if (winograd(conv->path) && ak_wino_eligible(conv, AK_WINO_MIN_WIDTH)) {
        conv->wino = ak_wino_pack(weight, cout, cin);
        if (!conv->wino) {
            ak_conv_destroy(conv);
            return NULL;
        }
    }
#endif
    return conv;
}

void ak_conv_destroy(ak_conv *conv) {
    if (!conv) return;
    free(conv->weight);
    free(conv->bias);
    free(conv->wblock);
    free(conv->wino);
    free(conv->slope);
    free(conv);
}

int ak_conv_out_channels(const ak_conv *conv) { return conv->cout; }
int ak_conv_in_channels(const ak_conv *conv) { return conv->cin; }
int ak_conv_kernel_size(const ak_conv *conv) { return conv->k; }
int ak_conv_path(const ak_conv *conv) { return conv->path; }

/* The family that runs an h x w input: Winograd falls back to direct where it does not pay. */
static int path_for(const ak_conv *conv, int w) {
#if AK_X86
    if (conv->path == AK_PATH_WINO512 && !(conv->wino && ak_wino_eligible(conv, w)))
        return AK_PATH_AVX512;
    if (conv->path == AK_PATH_WINO256 && !(conv->wino && ak_wino_eligible(conv, w)))
        return AK_PATH_AVX2;
#endif
    return conv->path;
}

int ak_conv_configure(ak_conv *conv, int zero_pad, const float *slope) {
    float *copy = NULL;
    if (slope) {
        copy = malloc((size_t)conv->cout * sizeof(float));
        if (!copy) return 0;
        memcpy(copy, slope, (size_t)conv->cout * sizeof(float));
    }
    free(conv->slope);
    conv->slope = copy;
    conv->zero_pad = zero_pad != 0;
    return 1;
}

int ak_conv_use_path(ak_conv *conv, int path) {
    if (!supported(path)) return 0;
#if AK_X86
    if (winograd(path) && !conv->wino && ak_wino_eligible(conv, AK_WINO_MIN_WIDTH)) {
        conv->wino = ak_wino_pack(conv->weight, conv->cout, conv->cin);
        if (!conv->wino) return 0;
    }
#endif
    conv->path = path;
    return 1;
}

size_t ak_conv_scratch_floats(const ak_conv *conv, int h, int w, int rows) {
    if (rows < 1) rows = 1;
#if AK_X86
    int path = path_for(conv, w);
    if (path == AK_PATH_WINO512) return ak_wino_scratch_floats(conv);
    if (path == AK_PATH_WINO256) return ak_wino256_scratch_floats(conv);
    if (path != AK_PATH_GEMM) {
        int span = path == AK_PATH_AVX512 ? ak_conv_span_avx512(conv) : ak_conv_span_avx2(conv);
        ak_band b = ak_band_layout(conv, w, span, path == AK_PATH_AVX512 ? 16 : 8);
        return (size_t)conv->k * b.row;
    }
#endif
    return conv->k == 1 ? 0 : (size_t)conv->cin * 9 * (size_t)rows * (size_t)w;
}

int ak_conv_band_rows(const ak_conv *conv, int h, int w, int threads) {
    if (h <= 0 || w <= 0) return 1;
    if (threads < 1) threads = 1;
    /* Several bands per thread, so a thread slowed by other work does not hold up the layer. */
    int rows = (h + 4 * threads - 1) / (4 * threads);
    if (winograd(path_for(conv, w))) rows = (rows + 3) & ~3; /* whole 4-row tiles */
    if (conv->path == AK_PATH_GEMM) {
        /* The im2col scratch grows with the band: keep it within 4 MiB. */
        size_t per_row = (size_t)conv->cin * conv->k * conv->k * (size_t)w;
        size_t budget = (size_t)1 << 20;
        if (per_row * rows > budget) rows = (int)(budget / per_row);
    }
    return rows < 1 ? 1 : rows;
}

void ak_conv_forward_rows(const ak_conv *conv, const float *in, int h, int w, float *out,
                          int y0, int y1, int relu, float *scratch) {
    if (y0 < 0) y0 = 0;
    if (y1 > h) y1 = h;
    if (y1 <= y0) return;
    if (conv->k == 3 && !conv->zero_pad && (h < 2 || w < 2)) return; /* reflection needs two pixels */
    switch (path_for(conv, w)) {
#if AK_X86
    case AK_PATH_WINO512: ak_conv_rows_wino512(conv, in, h, w, out, y0, y1, relu, scratch); break;
    case AK_PATH_WINO256: ak_conv_rows_wino256(conv, in, h, w, out, y0, y1, relu, scratch); break;
    case AK_PATH_AVX512: ak_conv_rows_avx512(conv, in, h, w, out, y0, y1, relu, scratch); break;
    case AK_PATH_AVX2: ak_conv_rows_avx2(conv, in, h, w, out, y0, y1, relu, scratch); break;
#endif
    default: ak_conv_rows_gemm(conv, in, h, w, out, y0, y1, relu, scratch); break;
    }
}

void ak_conv_forward_rows_gated(const ak_conv *conv, const float *in, int h, int w, float *out,
                                int y0, int y1, float *scratch, const float *extra, const float *gate) {
    if (y0 < 0) y0 = 0;
    if (y1 > h) y1 = h;
    if (y1 <= y0) return;
#if AK_X86
    int path = path_for(conv, w);
    if (winograd(path) && !(conv->k == 3 && !conv->zero_pad && (h < 2 || w < 2))) {
        if (path == AK_PATH_WINO512) ak_conv_rows_wino512_gated(conv, in, h, w, out, y0, y1, 0, scratch, extra, gate);
        else ak_conv_rows_wino256_gated(conv, in, h, w, out, y0, y1, 0, scratch, extra, gate);
        return;
    }
#endif
    ak_conv_forward_rows(conv, in, h, w, out, y0, y1, 0, scratch);
    if (!extra && !gate) return;
    size_t plane = (size_t)h * w, first = (size_t)y0 * w, n = (size_t)(y1 - y0) * w;
    for (int co = 0; co < conv->cout; co++) {
        size_t at = (size_t)co * plane + first;
        ak_backward_gate(out + at, extra ? extra + at : NULL, gate ? gate + at : NULL, n);
    }
}
