#ifndef ATELIER_DEPTHWISE_ROW_H
#define ATELIER_DEPTHWISE_ROW_H
/* Private: the depthwise 3x3 row kernel shared by netops.c (ak_depthwise3_valid, a padded map)
 * and inverted_residual.c (the fused block's ring of hidden rows). AVX2/FMA; callers check the
 * CPU. */
#include "netops.h"
#include <immintrin.h>

#ifndef AK_T256
#define AK_T256 __attribute__((target("avx2,fma")))
#endif

/* Eight even-indexed values x[0], x[2] .. x[14] (the taps a stride-2 row reads). */
static inline __attribute__((always_inline)) AK_T256 __m256 evens8(const float *x) {
    __m256 e = _mm256_shuffle_ps(_mm256_loadu_ps(x), _mm256_loadu_ps(x + 8), 0x88);
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), 0xD8));
}

/* One output row o[0, wo) of one channel from three rows r0 r1 r2 of which `avail` floats each
 * may be read, stride s (1 or 2): 8 outputs a step while the loads stay inside `avail`, the rest
 * one by one in the same order (fused multiply-adds from the bias b, row by row, tap by tap).
 * act: AK_ACT_NONE, AK_ACT_RELU or AK_ACT_RELU6 (fused at the store). */
static inline __attribute__((always_inline)) AK_T256 void
ak_depthwise3_row_avx2(const float *r0, const float *r1, const float *r2, const float *k, float b, int s,
                       int avail, int wo, int act, float *o) {
    __m256 kv[9];
    for (int t = 0; t < 9; t++) kv[t] = _mm256_set1_ps(k[t]);
    __m256 zero = _mm256_setzero_ps(), six = _mm256_set1_ps(6), bv = _mm256_set1_ps(b);
    const float *rows[3] = {r0, r1, r2};
    int x = 0;
    for (; x + 8 <= wo && (s == 1 ? x + 10 <= avail : 2 * x + 18 <= avail); x += 8) {
        __m256 acc = bv;
        for (int i = 0; i < 3; i++) {
            const float *r = rows[i];
            if (s == 1) {
                acc = _mm256_fmadd_ps(_mm256_loadu_ps(r + x), kv[3 * i], acc);
                acc = _mm256_fmadd_ps(_mm256_loadu_ps(r + x + 1), kv[3 * i + 1], acc);
                acc = _mm256_fmadd_ps(_mm256_loadu_ps(r + x + 2), kv[3 * i + 2], acc);
            } else {
                acc = _mm256_fmadd_ps(evens8(r + 2 * x), kv[3 * i], acc);
                acc = _mm256_fmadd_ps(evens8(r + 2 * x + 1), kv[3 * i + 1], acc);
                acc = _mm256_fmadd_ps(evens8(r + 2 * x + 2), kv[3 * i + 2], acc);
            }
        }
        if (act == AK_ACT_RELU) acc = _mm256_max_ps(acc, zero);
        else if (act == AK_ACT_RELU6) acc = _mm256_min_ps(_mm256_max_ps(acc, zero), six);
        _mm256_storeu_ps(o + x, acc);
    }
    for (; x < wo; x++) {
        int i = x * s;
        float v = b;
        v = __builtin_fmaf(k[0], r0[i], v); v = __builtin_fmaf(k[1], r0[i + 1], v); v = __builtin_fmaf(k[2], r0[i + 2], v);
        v = __builtin_fmaf(k[3], r1[i], v); v = __builtin_fmaf(k[4], r1[i + 1], v); v = __builtin_fmaf(k[5], r1[i + 2], v);
        v = __builtin_fmaf(k[6], r2[i], v); v = __builtin_fmaf(k[7], r2[i + 1], v); v = __builtin_fmaf(k[8], r2[i + 2], v);
        o[x] = act == AK_ACT_RELU ? (v > 0 ? v : 0) : (act == AK_ACT_RELU6 ? (v < 0 ? 0 : (v > 6 ? 6 : v)) : v);
    }
}
#endif
