#ifndef ATELIER_DEPTHWISE_ROW_H
#define ATELIER_DEPTHWISE_ROW_H
/* Private: the depthwise 3x3 row kernel shared by netops.c (ak_depthwise3_valid, a padded map)
 * and inverted_residual.c (the fused block's ring of hidden rows), in AVX2/FMA (8 lanes) and
 * AVX-512 (16 lanes, then one 8-lane step) versions that give the same bits: every output is
 * the same chain of fused multiply-adds whichever width computes it. Callers check ak_isa(). */
#include "netops.h"
#include <immintrin.h>

#ifndef AK_T256
#define AK_T256 __attribute__((target("avx2,fma")))
#endif
#ifndef AK_T512
#define AK_T512 __attribute__((target("avx2,fma,avx512f,avx512bw,avx512dq,avx512vl")))
#endif
#define AK_ALWAYS_INLINE static inline __attribute__((always_inline))

/* Eight even-indexed values x[0], x[2] .. x[14] (the taps a stride-2 row reads). */
AK_ALWAYS_INLINE AK_T256 __m256 ak_evens_mm256(const float *x) {
    __m256 e = _mm256_shuffle_ps(_mm256_loadu_ps(x), _mm256_loadu_ps(x + 8), 0x88);
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), 0xD8));
}

/* The same, under the name netops.c's stride-2 kernels use. */
AK_ALWAYS_INLINE AK_T256 __m256 evens8(const float *x) { return ak_evens_mm256(x); }

/* Sixteen even-indexed values x[0], x[2] .. x[30]. */
AK_ALWAYS_INLINE AK_T512 __m512 ak_evens_mm512(const float *x) {
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    return _mm512_permutex2var_ps(_mm512_loadu_ps(x), even, _mm512_loadu_ps(x + 16));
}

/* One vector of outputs o[x, x + lanes) (P: _mm256 or _mm512, VEC its float vector): from the
 * bias, row by row, tap by tap, one fused multiply-add each; act fused at the store. */
#define AK_DEPTHWISE3_STEP(P, VEC, TARGET)                                                                  \
    AK_ALWAYS_INLINE TARGET void ak_depthwise3_step##P(const float *r0, const float *r1, const float *r2,  \
                                                       const float *k, float b, int s, int x, int act,     \
                                                       float *o) {                                         \
        const float *rows[3] = {r0, r1, r2};                                                               \
        VEC acc = P##_set1_ps(b);                                                                          \
        for (int i = 0; i < 3; i++)                                                                        \
            for (int t = 0; t < 3; t++) {                                                                  \
                const float *r = rows[i] + (size_t)x * s + t;                                              \
                acc = P##_fmadd_ps(s == 1 ? P##_loadu_ps(r) : ak_evens##P(r), P##_set1_ps(k[3 * i + t]), acc); \
            }                                                                                              \
        if (act == AK_ACT_RELU) acc = P##_max_ps(acc, P##_setzero_ps());                                   \
        else if (act == AK_ACT_RELU6) acc = P##_min_ps(P##_max_ps(acc, P##_setzero_ps()), P##_set1_ps(6)); \
        P##_storeu_ps(o + x, acc);                                                                         \
    }
AK_DEPTHWISE3_STEP(_mm256, __m256, AK_T256)
AK_DEPTHWISE3_STEP(_mm512, __m512, AK_T512)

/* Whether a step of `lanes` outputs from x reads only inside the rows' `avail` floats. */
AK_ALWAYS_INLINE int ak_depthwise3_fits(int x, int lanes, int s, int avail) {
    return s == 1 ? x + lanes + 2 <= avail : 2 * (x + lanes) + 2 <= avail;
}

/* Outputs [x, wo) one by one, the steps' order of sums. */
AK_ALWAYS_INLINE void ak_depthwise3_tail(const float *r0, const float *r1, const float *r2, const float *k, float b,
                                         int s, int x, int wo, int act, float *o) {
    for (; x < wo; x++) {
        int i = x * s;
        float v = b;
        v = __builtin_fmaf(k[0], r0[i], v); v = __builtin_fmaf(k[1], r0[i + 1], v); v = __builtin_fmaf(k[2], r0[i + 2], v);
        v = __builtin_fmaf(k[3], r1[i], v); v = __builtin_fmaf(k[4], r1[i + 1], v); v = __builtin_fmaf(k[5], r1[i + 2], v);
        v = __builtin_fmaf(k[6], r2[i], v); v = __builtin_fmaf(k[7], r2[i + 1], v); v = __builtin_fmaf(k[8], r2[i + 2], v);
        o[x] = act == AK_ACT_RELU ? (v > 0 ? v : 0) : (act == AK_ACT_RELU6 ? (v < 0 ? 0 : (v > 6 ? 6 : v)) : v);
    }
}

/* One output row o[0, wo) of one channel from three rows r0 r1 r2 of which `avail` floats each
 * may be read, stride s (1 or 2): 8 outputs a step while the loads stay inside `avail`, the rest
 * one by one in the same order (fused multiply-adds from the bias b, row by row, tap by tap).
 * act: AK_ACT_NONE, AK_ACT_RELU or AK_ACT_RELU6 (fused at the store). */
AK_ALWAYS_INLINE AK_T256 void ak_depthwise3_row_avx2(const float *r0, const float *r1, const float *r2,
                                                     const float *k, float b, int s, int avail, int wo, int act,
                                                     float *o) {
    int x = 0;
    for (; x + 8 <= wo && ak_depthwise3_fits(x, 8, s, avail); x += 8)
        ak_depthwise3_step_mm256(r0, r1, r2, k, b, s, x, act, o);
    ak_depthwise3_tail(r0, r1, r2, k, b, s, x, wo, act, o);
}

/* The same row, 16 outputs a step, the rest by the AVX2 row: the AVX2 row's bits. */
AK_ALWAYS_INLINE AK_T512 void ak_depthwise3_row_avx512(const float *r0, const float *r1, const float *r2,
                                                       const float *k, float b, int s, int avail, int wo, int act,
                                                       float *o) {
    int x = 0;
    for (; x + 16 <= wo && ak_depthwise3_fits(x, 16, s, avail); x += 16)
        ak_depthwise3_step_mm512(r0, r1, r2, k, b, s, x, act, o);
    ak_depthwise3_row_avx2(r0 + x * s, r1 + x * s, r2 + x * s, k, b, s, avail - x * s, wo - x, act, o + x);
}
#endif
