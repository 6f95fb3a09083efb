/* The register tile of the style networks' small-kernel sums (netops_nested.c's products in the
 * transformed domain, netops_upconv.c's 2x2 phases), written once for every vector width.
 *
 * AK_TAP_TILE(NAME, TARGET, VEC, LANES, ZERO, LOAD, BCAST, FMA, STORE) defines
 *   NAME(CO, NV, S, rows, cstride, cin, w, wstride, out, ostride)
 * which, for CO output channels k and NV vectors v of LANES columns, sums from zero over c < cin,
 * then i < S, then j < S (always in that order, so every width gives the same bits)
 *   rows[i][c cstride + j + LANES v + lane] * w[((c S + i) S + j) wstride + k]
 * and stores the sums to out + k ostride + LANES v. CO <= 6 and NV <= 3 (at most 18 sums);
 * CO and NV are unrolled once NAME is inlined (and S by the compiler where it is a constant). */
#ifndef ATELIER_TAP_TILE_H
#define ATELIER_TAP_TILE_H
#include <stddef.h>

#define AK_TAP_TILE(NAME, TARGET, VEC, LANES, ZERO, LOAD, BCAST, FMA, STORE)                                  \
    static inline __attribute__((always_inline)) TARGET void NAME(                                           \
        const int CO, const int NV, const int S, const float *const *rows, size_t cstride, int cin,            \
        const float *w, size_t wstride, float *out, size_t ostride) {                                          \
        VEC acc[6][3];                                                                                         \
        _Pragma("GCC unroll 6") for (int k = 0; k < CO; k++)                                                   \
            _Pragma("GCC unroll 3") for (int v = 0; v < NV; v++) acc[k][v] = ZERO();                           \
        for (int c = 0; c < cin; c++) {                                                                        \
            for (int i = 0; i < S; i++) {                                                                      \
                const float *row = rows[i] + (size_t)c * cstride;                                              \
                const float *wi = w + ((size_t)c * S + i) * S * wstride;                                       \
                for (int j = 0; j < S; j++) {                                                                  \
                    VEC x[3];                                                                                  \
                    _Pragma("GCC unroll 3") for (int v = 0; v < NV; v++) x[v] = LOAD(row + j + LANES * v);     \
                    _Pragma("GCC unroll 6") for (int k = 0; k < CO; k++) {                                     \
                        VEC wv = BCAST(wi + (size_t)j * wstride + k);                                          \
                        _Pragma("GCC unroll 3") for (int v = 0; v < NV; v++) acc[k][v] = FMA(x[v], wv, acc[k][v]); \
                    }                                                                                          \
                }                                                                                              \
            }                                                                                                  \
        }                                                                                                      \
        _Pragma("GCC unroll 6") for (int k = 0; k < CO; k++)                                                   \
            _Pragma("GCC unroll 3") for (int v = 0; v < NV; v++) STORE(out + (size_t)k * ostride + LANES * v, acc[k][v]); \
    }

/* The AVX2 (8 lanes) and AVX-512 (16 lanes) instances, for files that include <immintrin.h>
 * and define T256 and T512. */
#define AK_TAP_TILES                                                                                           \
    static inline __attribute__((always_inline)) T512 __m512 ak_tap_bcast512(const float *p) {                \
        return _mm512_set1_ps(*p);                                                                             \
    }                                                                                                          \
    AK_TAP_TILE(tap_tile256, T256, __m256, 8, _mm256_setzero_ps, _mm256_loadu_ps, _mm256_broadcast_ss,         \
                _mm256_fmadd_ps, _mm256_storeu_ps)                                                             \
    AK_TAP_TILE(tap_tile512, T512, __m512, 16, _mm512_setzero_ps, _mm512_loadu_ps, ak_tap_bcast512,            \
                _mm512_fmadd_ps, _mm512_storeu_ps)
#endif
