#include "ops.h"
#include "isa.h"
#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define OPS_AVX2 __attribute__((target("avx2")))

/* Whether this CPU has AVX2. */
static int ops_have_avx2(void) { return ak_isa() >= AK_ISA_AVX2; }

/* fmaxf in 8 lanes: the larger of a and b, or the one that is a number when the other is NaN
 * (maxps alone returns b when either is NaN, so where b is NaN this takes a). */
OPS_AVX2 static inline __m256 fmax8(__m256 a, __m256 b) {
    return _mm256_blendv_ps(_mm256_max_ps(a, b), a, _mm256_cmp_ps(b, b, _CMP_UNORD_Q));
}

/* One pooled row, 8 outputs a step: the two rows' maxima of each column pair. The same values
 * as the scalar loop, NaN included (NaN out only when all four inputs are NaN); a -0/+0 tie may
 * keep either zero (ReLU outputs hold no -0). */
OPS_AVX2 static int maxpool_row_avx2(const float *r0, const float *r1, float *o, int ow) {
    int x = 0;
    for (; x + 8 <= ow; x += 8) {
        __m256 a0 = _mm256_loadu_ps(r0 + 2 * x), a1 = _mm256_loadu_ps(r0 + 2 * x + 8);
        __m256 b0 = _mm256_loadu_ps(r1 + 2 * x), b1 = _mm256_loadu_ps(r1 + 2 * x + 8);
        /* even and odd columns; lanes come out as pixel pairs 01 45 23 67 */
        __m256 top = fmax8(_mm256_shuffle_ps(a0, a1, 0x88), _mm256_shuffle_ps(a0, a1, 0xDD));
        __m256 bottom = fmax8(_mm256_shuffle_ps(b0, b1, 0x88), _mm256_shuffle_ps(b0, b1, 0xDD));
        __m256 m = fmax8(top, bottom);
        _mm256_storeu_ps(o + x, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(m), 0xD8)));
    }
    return x;
}

/* One upsampled row pair, 8 input pixels a step: each pixel twice, the row stored twice. */
OPS_AVX2 static int upsample_row_avx2(const float *s, float *o, int w) {
    int ow = 2 * w, x = 0;
    for (; x + 8 <= w; x += 8) {
        __m256 v = _mm256_loadu_ps(s + x);
        __m256 lo = _mm256_unpacklo_ps(v, v), hi = _mm256_unpackhi_ps(v, v); /* 0011 4455 | 2233 6677 */
        __m256 first = _mm256_permute2f128_ps(lo, hi, 0x20), second = _mm256_permute2f128_ps(lo, hi, 0x31);
        _mm256_storeu_ps(o + 2 * x, first);
        _mm256_storeu_ps(o + 2 * x + 8, second);
        _mm256_storeu_ps(o + ow + 2 * x, first);
        _mm256_storeu_ps(o + ow + 2 * x + 8, second);
    }
    return x;
}
#else
static int ops_have_avx2(void) { return 0; }
static int maxpool_row_avx2(const float *r0, const float *r1, float *o, int ow) { return 0; }
static int upsample_row_avx2(const float *s, float *o, int w) { return 0; }
#endif

void ak_maxpool2(const float *in, int h, int w, float *out, int c0, int c1) {
    int oh = h / 2, ow = w / 2, avx2 = ops_have_avx2();
    for (int c = c0; c < c1; c++) {
        const float *src = in + (size_t)c * h * w;
        float *dst = out + (size_t)c * oh * ow;
        for (int y = 0; y < oh; y++) {
            const float *r0 = src + (size_t)(2 * y) * w, *r1 = r0 + w;
            float *o = dst + (size_t)y * ow;
            for (int x = avx2 ? maxpool_row_avx2(r0, r1, o, ow) : 0; x < ow; x++) {
                float a = fmaxf(r0[2 * x], r0[2 * x + 1]);
                float b = fmaxf(r1[2 * x], r1[2 * x + 1]);
                o[x] = fmaxf(a, b);
            }
        }
    }
}

void ak_upsample2(const float *in, int h, int w, float *out, int c0, int c1) {
    int ow = 2 * w, avx2 = ops_have_avx2();
    for (int c = c0; c < c1; c++) {
        const float *src = in + (size_t)c * h * w;
        float *dst = out + (size_t)c * 4 * h * w;
        for (int y = 0; y < h; y++) {
            float *o = dst + (size_t)(2 * y) * ow;
            const float *s = src + (size_t)y * w;
            int done = avx2 ? upsample_row_avx2(s, o, w) : 0; /* both rows up to 2 * done */
            for (int x = done; x < w; x++) { o[2 * x] = s[x]; o[2 * x + 1] = s[x]; }
            memcpy(o + ow + 2 * done, o + 2 * done, sizeof(float) * (size_t)(ow - 2 * done));
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
/* One pass: sum of d and of d^2 for d = p[i] - k in double (k near the data, so the variance
 * sum - sum^2 / n loses nothing that matters), 16 values a step in four pairs of accumulators. */
__attribute__((target("avx2,fma"))) static void moments_avx2(const float *p, size_t n, double k,
                                                            double *sum, double *squares) {
    __m256d s[4], q[4];
    for (int h = 0; h < 4; h++) s[h] = q[h] = _mm256_setzero_pd();
    __m256d kv = _mm256_set1_pd(k);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        for (int h = 0; h < 4; h++) {
            __m256d d = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(p + i + 4 * h)), kv);
            s[h] = _mm256_add_pd(s[h], d);
            q[h] = _mm256_fmadd_pd(d, d, q[h]);
        }
    }
    double ls[4], lq[4];
    _mm256_storeu_pd(ls, _mm256_add_pd(_mm256_add_pd(s[0], s[1]), _mm256_add_pd(s[2], s[3])));
    _mm256_storeu_pd(lq, _mm256_add_pd(_mm256_add_pd(q[0], q[1]), _mm256_add_pd(q[2], q[3])));
    double a = (ls[0] + ls[1]) + (ls[2] + ls[3]), b = (lq[0] + lq[1]) + (lq[2] + lq[3]);
    for (; i < n; i++) {
        double d = p[i] - k;
        a += d;
        b += d * d;
    }
    *sum = a;
    *squares = b;
}
#else
#define STATS_AVX2 0
#endif

void ak_channel_stats(const float *x, const float *mask, size_t n, double *mean, double *std,
                      int c0, int c1) {
    double wsum = 0;
    if (mask) { for (size_t i = 0; i < n; i++) wsum += mask[i]; } else { wsum = (double)n; }
#if STATS_AVX2
    int avx2 = ak_isa() >= AK_ISA_AVX2;
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
            double k = n ? p[0] : 0;   /* shift by a value of the plane: no cancellation */
            moments_avx2(p, n, k, &s, &v);
            double ds = s / wsum;
            mean[c] = k + ds;
            v = v - s * ds;
            if (v < 0) v = 0;
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
