/* A 3x3 stride-1 convolution with 1-pixel reflection padding of a nearest-2x-upsampled map,
 * computed from the map itself (the expand layers of the style networks). Output pixel
 * (2i + py, 2j + px) reads upsampled rows 2i + py - 1 .. 2i + py + 1, which are input rows
 * i - 1, i, i (py = 0) or i, i, i + 1 (py = 1), and likewise columns; the reflection of the
 * upsampled map at its edges is the edge repetition of the input. So each of the four output
 * phases (py, px) is a 2x2 convolution of the edge-repeated input with the 3x3 weights' rows
 * and columns summed in pairs: 4 multiply-adds per input channel where the upsampled layer did
 * 9, and no upsampled map. AVX2/FMA, callers check; 16 lanes on AVX-512 CPUs (the same bits). */
#include "netops.h"
#include "isa.h"
#include "tap_tile.h"
#include <immintrin.h>
#include <string.h>

#define T256 __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

/* Columns are computed in whole groups of this many (every register-tile width divides it). */
enum { UP_GROUP = 48 };

int ak_upconv3_eligible(int cin, int cout) {
    return cin > 0 && cout > 0 && ak_isa() >= AK_ISA_AVX2;
}

size_t ak_upconv3_pack_floats(int cout, int cin) { return (size_t)16 * cin * cout; }

/* Which 3x3 rows (columns) tap a (b) of phase p sums: p 0 -> {0}, {1, 2}; p 1 -> {0, 1}, {2}. */
static int tap_first(int p, int a) { return p == 0 ? (a == 0 ? 0 : 1) : (a == 0 ? 0 : 2); }
static int tap_last(int p, int a) { return p == 0 ? (a == 0 ? 0 : 2) : (a == 0 ? 1 : 2); }

/* [py][px][cin][a][b][cout]: the summed 2x2 weights of each phase, summed in double. */
void ak_upconv3_pack(const float *weight, int cout, int cin, float *packed) {
    for (int py = 0; py < 2; py++)
        for (int px = 0; px < 2; px++)
            for (int c = 0; c < cin; c++)
                for (int a = 0; a < 2; a++)
                    for (int b = 0; b < 2; b++)
                        for (int o = 0; o < cout; o++) {
                            double s = 0;
                            for (int i = tap_first(py, a); i <= tap_last(py, a); i++)
                                for (int j = tap_first(px, b); j <= tap_last(px, b); j++)
                                    s += weight[(((size_t)o * cin + c) * 3 + i) * 3 + j];
                            packed[(((((size_t)(py * 2 + px) * cin + c) * 2 + a) * 2 + b) * cout) + o] = (float)s;
                        }
}

static size_t padded_width(int w) { return (size_t)(w + UP_GROUP - 1) / UP_GROUP * UP_GROUP + 8; }

size_t ak_upconv3_scratch(int cin, int cout, int w) {
    return 3 * (size_t)cin * padded_width(w) + 2 * (size_t)cout * padded_width(w);
}

typedef struct {
    const float *r0, *r1;   /* edge-repeated input rows of tap rows 0 and 1, channel 0, at the first tap column */
    size_t rstride;         /* floats between channels of a row */
    int cin, cout;
    const float *u;         /* the phase's weights at (channel 0, tap 0, first output channel of the tile) */
    float *d;               /* phase row: first output channel of the tile, first column */
    size_t dstride;         /* floats between output channels of the phase row */
} up_args;

#define T512 __attribute__((target("avx512f,avx2,fma")))
AK_TAP_TILES

typedef void (*up_fn)(const up_args *);
/* CO output channels x NV vectors of one phase row (tap_tile.h: 2 tap rows x 2 tap columns a
 * channel): AVX2 WIDE(CO) vectors of 8 columns, AVX-512 3 vectors of 16 (one whole group); the
 * same sums at either width, so the same bits. */
#define WIDE(CO) ((CO) >= 4 ? 2 : 3)
#define UP(CO)                                                                                          \
    static T256 void up_##CO(const up_args *a) {                                                        \
        const float *rows[2] = {a->r0, a->r1};                                                          \
        tap_tile256(CO, WIDE(CO), 2, rows, a->rstride, a->cin, a->u, a->cout, a->d, a->dstride);        \
    }                                                                                                   \
    static T512 void up512_##CO(const up_args *a) {                                                     \
        const float *rows[2] = {a->r0, a->r1};                                                          \
        tap_tile512(CO, UP_GROUP / 16, 2, rows, a->rstride, a->cin, a->u, a->cout, a->d, a->dstride);   \
    }
UP(1) UP(2) UP(3) UP(4) UP(5) UP(6)
static const up_fn up_tiles[6] = {up_1, up_2, up_3, up_4, up_5, up_6};
static const up_fn up512_tiles[6] = {up512_1, up512_2, up512_3, up512_4, up512_5, up512_6};

/* d[2x] = act(p0[x] + b), d[2x + 1] = act(p1[x] + b) for x < n. */
static T256 void interleave_row(const float *p0, const float *p1, int n, float b, int act, float *d) {
    __m256 bv = _mm256_set1_ps(b), zero = _mm256_setzero_ps(), six = _mm256_set1_ps(6);
    int x = 0;
    for (; x + 8 <= n; x += 8) {
        __m256 e = _mm256_add_ps(_mm256_loadu_ps(p0 + x), bv), o = _mm256_add_ps(_mm256_loadu_ps(p1 + x), bv);
        if (act != AK_ACT_NONE) { e = _mm256_max_ps(e, zero); o = _mm256_max_ps(o, zero); }
        if (act == AK_ACT_RELU6) { e = _mm256_min_ps(e, six); o = _mm256_min_ps(o, six); }
        __m256 lo = _mm256_unpacklo_ps(e, o), hi = _mm256_unpackhi_ps(e, o);
        _mm256_storeu_ps(d + 2 * x, _mm256_permute2f128_ps(lo, hi, 0x20));
        _mm256_storeu_ps(d + 2 * x + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
    }
    for (; x < n; x++) {
        float e = p0[x] + b, o = p1[x] + b;
        if (act != AK_ACT_NONE) { e = e > 0 ? e : 0; o = o > 0 ? o : 0; }
        if (act == AK_ACT_RELU6) { e = e < 6 ? e : 6; o = o < 6 ? o : 6; }
        d[2 * x] = e;
        d[2 * x + 1] = o;
    }
}

int ak_upconv3_rows(const float *in, int cin, int h, int w, const float *packed, const float *bias, int cout,
                    float *out, int i0, int i1, int act, float *scratch) {
    if (!ak_upconv3_eligible(cin, cout) || (act != AK_ACT_NONE && act != AK_ACT_RELU && act != AK_ACT_RELU6)) return 0;
    size_t pw = padded_width(w), plane = (size_t)4 * h * w;
    float *rows = scratch, *phase = rows + 3 * (size_t)cin * pw;
    int tiles = (cout + 5) / 6, wide512 = ak_isa() >= AK_ISA_AVX512;
    for (int i = i0; i < i1; i++) {
        /* input rows i - 1, i, i + 1 (repeated at the edges), each column-padded by repetition */
        for (int r = 0; r < 3; r++) {
            int y = i + r - 1;
            y = y < 0 ? 0 : (y >= h ? h - 1 : y);
            for (int c = 0; c < cin; c++) {
                const float *s = in + ((size_t)c * h + y) * w;
                float *d = rows + ((size_t)r * cin + c) * pw;
                d[0] = s[0];
                memcpy(d + 1, s, sizeof(float) * w);
                d[w + 1] = s[w - 1];
                memset(d + w + 2, 0, sizeof(float) * (pw - w - 2));
            }
        }
        for (int py = 0; py < 2; py++) {
            for (int px = 0; px < 2; px++) {
                up_args a = {.rstride = pw, .cin = cin, .cout = cout, .dstride = pw};
                for (int t = 0, co = 0, nco; t < tiles; t++, co += nco) {
                    nco = (cout - co) / (tiles - t) + ((cout - co) % (tiles - t) ? 1 : 0);
                    a.u = packed + (size_t)(py * 2 + px) * cin * 4 * cout + co;
                    int step = wide512 ? UP_GROUP : 8 * WIDE(nco);
                    for (int x = 0; x < w; x += step) {
                        a.r0 = rows + (size_t)py * cin * pw + px + x;
                        a.r1 = rows + (size_t)(py + 1) * cin * pw + px + x;
                        a.d = phase + ((size_t)px * cout + co) * pw + x;
                        (wide512 ? up512_tiles : up_tiles)[nco - 1](&a);
                    }
                }
            }
            for (int o = 0; o < cout; o++)
                interleave_row(phase + (size_t)o * pw, phase + ((size_t)cout + o) * pw, w, bias ? bias[o] : 0.0f, act,
                               out + o * plane + (size_t)(2 * i + py) * 2 * w);
        }
    }
    return 1;
}
