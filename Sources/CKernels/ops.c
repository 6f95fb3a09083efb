#include "ops.h"
#include <math.h>
#include <string.h>

void ak_maxpool2(const float *in, int h, int w, float *out, int c0, int c1) {
    int oh = h / 2, ow = w / 2;
    for (int c = c0; c < c1; c++) {
        const float *src = in + (size_t)c * h * w;
        float *dst = out + (size_t)c * oh * ow;
        for (int y = 0; y < oh; y++) {
            const float *r0 = src + (size_t)(2 * y) * w, *r1 = r0 + w;
            float *o = dst + (size_t)y * ow;
            for (int x = 0; x < ow; x++) {
                float a = fmaxf(r0[2 * x], r0[2 * x + 1]);
                float b = fmaxf(r1[2 * x], r1[2 * x + 1]);
                o[x] = fmaxf(a, b);
            }
        }
    }
}

void ak_upsample2(const float *in, int h, int w, float *out, int c0, int c1) {
    int ow = 2 * w;
    for (int c = c0; c < c1; c++) {
        const float *src = in + (size_t)c * h * w;
        float *dst = out + (size_t)c * 4 * h * w;
        for (int y = 0; y < h; y++) {
            float *o = dst + (size_t)(2 * y) * ow;
            const float *s = src + (size_t)y * w;
            for (int x = 0; x < w; x++) { o[2 * x] = s[x]; o[2 * x + 1] = s[x]; }
            memcpy(o + ow, o, sizeof(float) * ow);
        }
    }
}

/* numpy 'reflect' index for i in [0, n + pad): mirrors about the edges without repeating them. */
static int reflect_index(int i, int n) {
    if (n == 1) return 0;
    int period = 2 * (n - 1);
    i %= period;
    return i < n ? i : period - i;
}

void ak_pad_reflect(const float *in, int h, int w, int pb, int pr, float *out, int c0, int c1) {
    int oh = h + pb, ow = w + pr;
    for (int c = c0; c < c1; c++) {
        const float *src = in + (size_t)c * h * w;
        float *dst = out + (size_t)c * oh * ow;
        for (int y = 0; y < oh; y++) {
            const float *s = src + (size_t)reflect_index(y, h) * w;
            float *o = dst + (size_t)y * ow;
            memcpy(o, s, sizeof(float) * w);
            for (int x = w; x < ow; x++) o[x] = s[reflect_index(x, w)];
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define STATS_AVX2 1
/* Sum of p[i] and sum of (p[i] - m)^2 over n values in double, 16 values a step in four
 * independent accumulators (a scalar double sum waits on each add's latency). */
__attribute__((target("avx2,fma"))) static void sums_avx2(const float *p, size_t n, double m, int squares,
                                                         double *out) {
    __m256d acc[4] = {_mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd()};
    __m256d mv = _mm256_set1_pd(m);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        for (int q = 0; q < 4; q++) {
            __m256d d = _mm256_cvtps_pd(_mm_loadu_ps(p + i + 4 * q));
            if (squares) {
                d = _mm256_sub_pd(d, mv);
                acc[q] = _mm256_fmadd_pd(d, d, acc[q]);
            } else {
                acc[q] = _mm256_add_pd(acc[q], d);
            }
        }
    }
    __m256d t = _mm256_add_pd(_mm256_add_pd(acc[0], acc[1]), _mm256_add_pd(acc[2], acc[3]));
    double lanes[4];
    _mm256_storeu_pd(lanes, t);
    double sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    for (; i < n; i++) {
        double d = p[i];
        if (squares) { d -= m; sum += d * d; } else { sum += d; }
    }
    *out = sum;
}
#else
#define STATS_AVX2 0
#endif

void ak_channel_stats(const float *x, const float *mask, size_t n, double *mean, double *std,
                      int c0, int c1) {
    double wsum = 0;
    if (mask) { for (size_t i = 0; i < n; i++) wsum += mask[i]; } else { wsum = (double)n; }
#if STATS_AVX2
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    int avx2 = 0;
#endif
    for (int c = c0; c < c1; c++) {
        const float *p = x + (size_t)c * n;
        double s = 0, v = 0;
        if (mask) {
            for (size_t i = 0; i < n; i++) s += (double)mask[i] * p[i];
            double m = s / wsum;
            for (size_t i = 0; i < n; i++) { double d = p[i] - m; v += (double)mask[i] * d * d; }
            mean[c] = m;
        } else if (avx2) {
#if STATS_AVX2
            sums_avx2(p, n, 0, 0, &s);
            double m = s / wsum;
            sums_avx2(p, n, m, 1, &v);
            mean[c] = m;
#endif
        } else {
            for (size_t i = 0; i < n; i++) s += p[i];
            double m = s / wsum;
            for (size_t i = 0; i < n; i++) { double d = p[i] - m; v += d * d; }
            mean[c] = m;
        }
        std[c] = sqrt(v / wsum);
    }
}

void ak_channel_affine(const float *x, const float *scale, const float *shift, size_t n,
                       float *out, int c0, int c1) {
    for (int c = c0; c < c1; c++) {
        const float *p = x + (size_t)c * n;
        float *o = out + (size_t)c * n;
        float a = scale[c], b = shift[c];
        for (size_t i = 0; i < n; i++) o[i] = a * p[i] + b;
    }
}

void ak_masked_accumulate(float *acc, const float *t, const float *mask, size_t n, int c0, int c1) {
    for (int c = c0; c < c1; c++) {
        float *a = acc + (size_t)c * n;
        const float *p = t + (size_t)c * n;
        if (mask) { for (size_t i = 0; i < n; i++) a[i] += mask[i] * p[i]; }
        else { for (size_t i = 0; i < n; i++) a[i] += p[i]; }
    }
}

void ak_mix(const float *a, const float *b, float alpha, size_t n, float *out) {
    float beta = 1.0f - alpha;
    for (size_t i = 0; i < n; i++) out[i] = alpha * a[i] + beta * b[i];
}

void ak_center_columns(const float *x, const double *mean, const float *mask, size_t n,
                       int channels, size_t j0, size_t j1, double *dst) {
    size_t len = j1 - j0;
    for (int c = 0; c < channels; c++) {
        const float *p = x + (size_t)c * n + j0;
        double *d = dst + (size_t)c * len;
        double m = mean[c];
        if (mask) { for (size_t j = 0; j < len; j++) d[j] = (p[j] - m) * sqrt((double)mask[j0 + j]); }
        else { for (size_t j = 0; j < len; j++) d[j] = p[j] - m; }
    }
}
