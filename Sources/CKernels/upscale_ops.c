/* Ops of the upscaling networks (see upscale_ops.h). */
#include "upscale_ops.h"
#include <string.h>

void ak_upsample_nearest(const float *in, int h, int w, int fy, int fx, float *out, int c0, int c1) {
    int ow = w * fx;
    for (int c = c0; c < c1; c++) {
        const float *src = in + (size_t)c * h * w;
        float *dst = out + (size_t)c * h * fy * ow;
        for (int y = 0; y < h; y++) {
            float *o = dst + (size_t)y * fy * ow;
            const float *s = src + (size_t)y * w;
            for (int x = 0; x < w; x++)
                for (int j = 0; j < fx; j++) o[x * fx + j] = s[x];
            for (int i = 1; i < fy; i++) memcpy(o + (size_t)i * ow, o, sizeof(float) * ow);
        }
    }
}

void ak_pixel_shuffle(const float *in, int h, int w, int r, float *out, int c0, int c1) {
    int ow = w * r;
    size_t plane = (size_t)h * w;
    for (int c = c0; c < c1; c++) {
        float *dst = out + (size_t)c * plane * r * r;
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++) {
                const float *src = in + ((size_t)c * r * r + i * r + j) * plane;
                for (int y = 0; y < h; y++) {
                    float *o = dst + (size_t)(y * r + i) * ow + j;
                    const float *s = src + (size_t)y * w;
                    for (int x = 0; x < w; x++) o[x * r] = s[x];
                }
            }
    }
}

void ak_scaled_add(float *acc, float a, const float *x, float b, size_t n, int c0, int c1) {
    for (size_t i = (size_t)c0 * n, end = (size_t)c1 * n; i < end; i++) acc[i] = a * acc[i] + b * x[i];
}

void ak_pad_zero(const float *in, int h, int w, int top, int left, int bottom, int right,
                 float *out, int c0, int c1) {
    int oh = h + top + bottom, ow = w + left + right;
    for (int c = c0; c < c1; c++) {
        float *dst = out + (size_t)c * oh * ow;
        const float *src = in + (size_t)c * h * w;
        memset(dst, 0, sizeof(float) * (size_t)top * ow);
        for (int y = 0; y < h; y++) {
            float *o = dst + (size_t)(y + top) * ow;
            memset(o, 0, sizeof(float) * left);
            memcpy(o + left, src + (size_t)y * w, sizeof(float) * w);
            memset(o + left + w, 0, sizeof(float) * right);
        }
        memset(dst + (size_t)(h + top) * ow, 0, sizeof(float) * (size_t)bottom * ow);
    }
}
