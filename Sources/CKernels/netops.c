#include "netops.h"
#include <cblas.h>
#include <math.h>
#include <string.h>

/* numpy 'reflect' index of i in (-inf, inf) for a row of n: mirrors about the edges, without
 * repeating them, as often as needed. */
static int mirror(int i, int n) {
    if (n == 1) return 0;
    int period = 2 * (n - 1);
    i %= period;
    if (i < 0) i += period;
    return i < n ? i : period - i;
}

void ak_pad(const float *in, int h, int w, int top, int left, int bottom, int right, int mode,
            float *out, int c0, int c1) {
    int oh = h + top + bottom, ow = w + left + right;
    for (int c = c0; c < c1; c++) {
        const float *src = in + (size_t)c * h * w;
        float *dst = out + (size_t)c * oh * ow;
        for (int y = 0; y < oh; y++) {
            float *o = dst + (size_t)y * ow;
            int sy = y - top;
            if (mode == 0 && (sy < 0 || sy >= h)) { memset(o, 0, sizeof(float) * ow); continue; }
            const float *s = src + (size_t)(mode == 0 ? sy : mirror(sy, h)) * w;
            for (int x = 0; x < left; x++) o[x] = mode == 0 ? 0.0f : s[mirror(x - left, w)];
            memcpy(o + left, s, sizeof(float) * w);
            for (int x = left + w; x < ow; x++) o[x] = mode == 0 ? 0.0f : s[mirror(x - left, w)];
        }
    }
}

static inline float activate(float v, int act) {
    switch (act) {
    case AK_ACT_RELU: return v > 0 ? v : 0;
    case AK_ACT_RELU6: return v < 0 ? 0 : (v > 6 ? 6 : v);
    case AK_ACT_SIGMOID: return 1.0f / (1.0f + expf(-v));
    default: return v;
    }
}

void ak_activate(float *x, size_t n, int act) {
    if (act == AK_ACT_NONE) return;
    for (size_t i = 0; i < n; i++) x[i] = activate(x[i], act);
}

/* Direct k x k stride-1 convolution for layers with few output channels (the 9x9 input and
 * output layers): eight output columns at a time, every output channel's sum kept in a
 * register while the input rows stream past. AVX2/FMA; callers check the CPU. */
#include <immintrin.h>
#define T256 __attribute__((target("avx2,fma")))

T256 static void conv_direct_rows_avx2(const float *in, int cin, int hp, int wp, const float *weight,
                                       const float *bias, int cout, int k, float *out, int ho, int wo,
                                       int y0, int y1) {
    for (int y = y0; y < y1; y++) {
        int x = 0;
        for (; x + 8 <= wo; x += 8) {
            __m256 acc[8];
            for (int o = 0; o < cout; o++) acc[o] = _mm256_set1_ps(bias ? bias[o] : 0.0f);
            for (int c = 0; c < cin; c++) {
                for (int i = 0; i < k; i++) {
                    const float *row = in + ((size_t)c * hp + y + i) * wp + x;
                    for (int j = 0; j < k; j++) {
                        __m256 v = _mm256_loadu_ps(row + j);
                        const float *w = weight + ((size_t)c * k + i) * k + j;
                        size_t ostride = (size_t)cin * k * k;
#pragma GCC unroll 8
                        for (int o = 0; o < cout; o++)
                            acc[o] = _mm256_fmadd_ps(_mm256_set1_ps(w[o * ostride]), v, acc[o]);
                    }
                }
            }
            for (int o = 0; o < cout; o++) _mm256_storeu_ps(out + (size_t)o * ho * wo + (size_t)y * wo + x, acc[o]);
        }
        for (; x < wo; x++) {
            for (int o = 0; o < cout; o++) {
                float s = bias ? bias[o] : 0.0f;
                for (int c = 0; c < cin; c++)
                    for (int i = 0; i < k; i++)
                        for (int j = 0; j < k; j++)
                            s += weight[(((size_t)o * cin + c) * k + i) * k + j] * in[((size_t)c * hp + y + i) * wp + x + j];
                out[(size_t)o * ho * wo + (size_t)y * wo + x] = s;
            }
        }
    }
}

size_t ak_conv_valid_scratch(int cin, int k, int rows, int wo) {
    return (size_t)cin * k * k * rows * wo;
}

void ak_conv_valid_rows(const float *in, int cin, int hp, int wp, const float *weight,
                        const float *bias, int cout, int k, int s, float *out, int ho, int wo,
                        int y0, int y1, int act, float *scratch) {
    (void)hp;
    int rows = y1 - y0;
    size_t cols = (size_t)rows * wo;
    const float *src;
    if (s == 1 && k >= 5 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        size_t per_out = (size_t)cin * k * k;
        for (int o0 = 0; o0 < cout; o0 += 8) {
            int n = cout - o0 < 8 ? cout - o0 : 8;
            conv_direct_rows_avx2(in, cin, hp, wp, weight + o0 * per_out, bias ? bias + o0 : NULL, n, k,
                                  out + (size_t)o0 * ho * wo, ho, wo, y0, y1);
        }
        if (act != AK_ACT_NONE)
            for (int o = 0; o < cout; o++) ak_activate(out + (size_t)o * ho * wo + (size_t)y0 * wo, cols, act);
        return;
    }
    if (k == 1 && s == 1) {
        src = in + (size_t)y0 * wp;   /* a 1x1 stride-1 conv reads the input as it is */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, cout, (int)cols, cin, 1.0f, weight, cin,
                    src, hp * wp, 0.0f, out + (size_t)y0 * wo, ho * wo);
    } else {
        float *col = scratch;
        for (int c = 0; c < cin; c++) {
            const float *plane = in + (size_t)c * hp * wp;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    float *dst = col + ((size_t)(c * k + i) * k + j) * cols;
                    for (int y = y0; y < y1; y++) {
                        const float *row = plane + (size_t)(y * s + i) * wp + j;
                        float *d = dst + (size_t)(y - y0) * wo;
                        if (s == 1) memcpy(d, row, sizeof(float) * wo);
                        else for (int x = 0; x < wo; x++) d[x] = row[x * s];
                    }
                }
            }
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, cout, (int)cols, cin * k * k, 1.0f, weight,
                    cin * k * k, col, (int)cols, 0.0f, out + (size_t)y0 * wo, ho * wo);
    }
    for (int o = 0; o < cout; o++) {
        float *d = out + (size_t)o * ho * wo + (size_t)y0 * wo;
        float b = bias ? bias[o] : 0.0f;
        if (b != 0.0f || act != AK_ACT_NONE)
            for (size_t i = 0; i < cols; i++) d[i] = activate(d[i] + b, act);
    }
}

void ak_depthwise3_valid(const float *in, int hp, int wp, const float *weight, const float *bias,
                         int s, float *out, int ho, int wo, int act, int c0, int c1) {
    for (int c = c0; c < c1; c++) {
        const float *plane = in + (size_t)c * hp * wp;
        const float *k = weight + (size_t)c * 9;
        float b = bias ? bias[c] : 0.0f;
        float *dst = out + (size_t)c * ho * wo;
        for (int y = 0; y < ho; y++) {
            const float *r0 = plane + (size_t)(y * s) * wp, *r1 = r0 + wp, *r2 = r1 + wp;
            float *o = dst + (size_t)y * wo;
            if (s == 1) {
                for (int x = 0; x < wo; x++) {
                    float v = k[0] * r0[x] + k[1] * r0[x + 1] + k[2] * r0[x + 2]
                            + k[3] * r1[x] + k[4] * r1[x + 1] + k[5] * r1[x + 2]
                            + k[6] * r2[x] + k[7] * r2[x + 1] + k[8] * r2[x + 2];
                    o[x] = activate(v + b, act);
                }
            } else {
                for (int x = 0; x < wo; x++) {
                    int i = x * s;
                    float v = k[0] * r0[i] + k[1] * r0[i + 1] + k[2] * r0[i + 2]
                            + k[3] * r1[i] + k[4] * r1[i + 1] + k[5] * r1[i + 2]
                            + k[6] * r2[i] + k[7] * r2[i + 1] + k[8] * r2[i + 2];
                    o[x] = activate(v + b, act);
                }
            }
        }
    }
}

void ak_instance_norm(const float *x, size_t n, const double *mean, const double *invstd,
                      const float *gamma, const float *beta, int per_pixel, int act, float *out,
                      int c0, int c1) {
    for (int c = c0; c < c1; c++) {
        const float *src = x + (size_t)c * n;
        float *dst = out + (size_t)c * n;
        double m = mean[c], r = invstd[c];
        if (!per_pixel) {
            /* float32((x - m) * r) * g + b, as the reference casts the normalised value */
            float g = gamma[c], b = beta[c];
            for (size_t i = 0; i < n; i++) dst[i] = activate((float)((src[i] - m) * r) * g + b, act);
        } else {
            const float *g = gamma + (size_t)c * n, *b = beta + (size_t)c * n;
            for (size_t i = 0; i < n; i++) dst[i] = activate((float)((src[i] - m) * r) * g[i] + b[i], act);
        }
    }
}

void ak_channel_mean(const float *x, size_t n, double *mean, int c0, int c1) {
    for (int c = c0; c < c1; c++) {
        const float *src = x + (size_t)c * n;
        double sum = 0;
        for (size_t i = 0; i < n; i++) sum += src[i];
        mean[c] = sum / (double)n;
    }
}

void ak_add(const float *a, const float *b, size_t n, float *out) {
    for (size_t i = 0; i < n; i++) out[i] = a[i] + b[i];
}
