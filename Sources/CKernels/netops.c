#include "netops.h"
#include "isa.h"
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
 * output layers). Register tiles of CO output channels x NV vectors of 8 output columns (16 on
 * AVX-512 CPUs): per tap, NV input loads and CO weight broadcasts feed CO * NV multiply-adds, all
 * sums stay in registers while the input rows stream past. AVX2/FMA; callers check the CPU. */
#include "depthwise_row.h"
#include <immintrin.h>
#define T256 __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

typedef struct {
    const float *in;    /* input at (channel 0, first tap row, first column of the tile) */
    size_t in_plane;    /* floats between input channels */
    int wp, cin, k;
    const float *w;     /* weights of the tile's first output channel: [cin][k][k] */
    size_t ostride;     /* floats between output channels' weights */
    const float *bias;  /* the tile's first bias, or NULL */
    float *out;         /* output at (first channel, row, first column) */
    size_t out_plane;
    int ncols;          /* columns to compute in a masked (NV = 1) tile: 1..8 */
    int act;            /* activation at the store: AK_ACT_NONE, AK_ACT_RELU or AK_ACT_RELU6 */
    int even;           /* stride-2 3x3 tiles: floats in a split row's even half (see split_rows) */
} direct_args;

static const int direct_masks[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

/* The vector operations of each width (8 lanes AVX2, 16 lanes AVX-512), named V<width>_* so that
 * one tile body (DIRECT_TILE) serves both. A mask keeps the first n (< lanes) columns. */
#define T512 __attribute__((target("avx512f,avx2,fma")))
#define V256 __m256
#define V256_LANES 8
#define V256_MASK __m256i
#define V256_MASK_OF(n) _mm256_loadu_si256((const __m256i *)(direct_masks + 8 - (n)))
#define V256_MASKLOAD(p, m) _mm256_maskload_ps(p, m)
#define V256_MASKSTORE(p, m, y) _mm256_maskstore_ps(p, m, y)
#define V256_LOAD _mm256_loadu_ps
#define V256_STORE _mm256_storeu_ps
#define V256_SET1 _mm256_set1_ps
#define V256_BCAST(p) _mm256_broadcast_ss(p)
#define V256_FMA _mm256_fmadd_ps
#define V256_MAX _mm256_max_ps
#define V256_MIN _mm256_min_ps
#define V512 __m512
#define V512_LANES 16
#define V512_MASK __mmask16
#define V512_MASK_OF(n) ((__mmask16)((1u << (n)) - 1))
#define V512_MASKLOAD(p, m) _mm512_maskz_loadu_ps(m, p)
#define V512_MASKSTORE(p, m, y) _mm512_mask_storeu_ps(p, m, y)
#define V512_LOAD _mm512_loadu_ps
#define V512_STORE _mm512_storeu_ps
#define V512_SET1 _mm512_set1_ps
#define V512_BCAST(p) _mm512_set1_ps(*(p))
#define V512_FMA _mm512_fmadd_ps
#define V512_MAX _mm512_max_ps
#define V512_MIN _mm512_min_ps

/* direct_tile<W>(CO, NV, MASKED, S2, a): CO output channels x NV vectors of W / 32 columns (one
 * masked vector of a->ncols with MASKED), each sum from the bias over (ci, i, j) in that order,
 * so both widths give the same bits. With S2 the input rows are split (even columns, then odd
 * ones) and the kernel is 3x3 stride 2: output column x reads even[x], odd[x], even[x + 1], so
 * every tap is a contiguous load. */
#define DIRECT_TILE(W)                                                                                     \
    INLINE T##W void direct_tile##W(const int CO, const int NV, const int MASKED, const int S2,            \
                                     const direct_args *a) {                                                \
        V##W acc[6][3];                                                                                    \
        V##W##_MASK mask = V##W##_MASK_OF(MASKED ? a->ncols : 0);                                          \
        _Pragma("GCC unroll 6") for (int c = 0; c < CO; c++) {                                             \
            V##W b = V##W##_SET1(a->bias ? a->bias[c] : 0.0f);                                             \
            _Pragma("GCC unroll 3") for (int v = 0; v < NV; v++) acc[c][v] = b;                            \
        }                                                                                                  \
        int k = S2 ? 3 : a->k;                                                                             \
        for (int ci = 0; ci < a->cin; ci++) {                                                              \
            for (int i = 0; i < k; i++) {                                                                  \
                const float *row = a->in + ci * a->in_plane + (size_t)i * a->wp;                           \
                const float *w = a->w + ((size_t)ci * k + i) * k;                                          \
                for (int j = 0; j < k; j++) {                                                              \
                    V##W x[3];                                                                             \
                    const float *tap = row + (S2 ? (j == 1 ? a->even : j >> 1) : j);                       \
                    _Pragma("GCC unroll 3") for (int v = 0; v < NV; v++)                                   \
                        x[v] = MASKED ? V##W##_MASKLOAD(tap, mask) : V##W##_LOAD(tap + V##W##_LANES * v);  \
                    _Pragma("GCC unroll 6") for (int c = 0; c < CO; c++) {                                 \
                        V##W wv = V##W##_BCAST(w + c * a->ostride + j);                                    \
                        _Pragma("GCC unroll 3") for (int v = 0; v < NV; v++)                               \
                            acc[c][v] = V##W##_FMA(x[v], wv, acc[c][v]);                                   \
                    }                                                                                      \
                }                                                                                          \
            }                                                                                              \
        }                                                                                                  \
        V##W zero = V##W##_SET1(0.0f), six = V##W##_SET1(6);                                               \
        _Pragma("GCC unroll 6") for (int c = 0; c < CO; c++) {                                             \
            float *d = a->out + c * a->out_plane;                                                          \
            _Pragma("GCC unroll 3") for (int v = 0; v < NV; v++) {                                         \
                V##W y = a->act ? V##W##_MAX(acc[c][v], zero) : acc[c][v];                                 \
                if (a->act == AK_ACT_RELU6) y = V##W##_MIN(y, six);                                        \
                if (MASKED) V##W##_MASKSTORE(d, mask, y);                                                  \
                else V##W##_STORE(d + V##W##_LANES * v, y);                                                \
            }                                                                                              \
        }                                                                                                  \
    }
DIRECT_TILE(256)
DIRECT_TILE(512)

typedef void (*direct_fn)(const direct_args *);
/* Widest tile per channel count: AVX2 up to 3 channels 3 vectors wide, 4 to 6 channels 2 wide
 * (at most 12 sums, so sums, the vectors read and one broadcast weight fit the 16 registers);
 * AVX-512 3 vectors of 16 for every count (up to 18 sums of its 32 registers). */
#ifndef AK_DIRECT_CO
#define AK_DIRECT_CO 6
#endif
#define WIDE(CO) ((CO) >= 4 ? 2 : 3)
#define WIDE512 3
#define DIRECT(CO) \
    static T256 void direct_##CO##_3(const direct_args *a) { direct_tile256(CO, WIDE(CO), 0, 0, a); } \
    static T256 void direct_##CO##_1(const direct_args *a) { direct_tile256(CO, 1, 0, 0, a); } \
    static T256 void direct_##CO##_m(const direct_args *a) { direct_tile256(CO, 1, 1, 0, a); } \
    static T256 void s2_##CO##_3(const direct_args *a) { direct_tile256(CO, WIDE(CO), 0, 1, a); } \
    static T256 void s2_##CO##_1(const direct_args *a) { direct_tile256(CO, 1, 0, 1, a); } \
    static T256 void s2_##CO##_m(const direct_args *a) { direct_tile256(CO, 1, 1, 1, a); } \
    static T512 void direct512_##CO##_3(const direct_args *a) { direct_tile512(CO, WIDE512, 0, 0, a); } \
    static T512 void direct512_##CO##_1(const direct_args *a) { direct_tile512(CO, 1, 0, 0, a); } \
    static T512 void direct512_##CO##_m(const direct_args *a) { direct_tile512(CO, 1, 1, 0, a); } \
    static T512 void s2x512_##CO##_3(const direct_args *a) { direct_tile512(CO, WIDE512, 0, 1, a); } \
    static T512 void s2x512_##CO##_1(const direct_args *a) { direct_tile512(CO, 1, 0, 1, a); } \
    static T512 void s2x512_##CO##_m(const direct_args *a) { direct_tile512(CO, 1, 1, 1, a); }
DIRECT(1) DIRECT(2) DIRECT(3) DIRECT(4) DIRECT(5) DIRECT(6)
#define TILES(P, CO) {P##_##CO##_3, P##_##CO##_1, P##_##CO##_m}
#define TILES6(P) {TILES(P, 1), TILES(P, 2), TILES(P, 3), TILES(P, 4), TILES(P, 5), TILES(P, 6)}
/* [AVX-512][stride 2][CO - 1]: widest tile, one vector, one masked vector */
static const direct_fn direct_tiles[2][2][6][3] = {{TILES6(direct), TILES6(s2)}, {TILES6(direct512), TILES6(s2x512)}};

/* Output rows [y0, y1) of a k x k stride-1 layer; or, with `even` > 0, of a 3x3 stride-2 layer
 * whose input rows are split (split_rows; `in` then points at the split copy of input row
 * 2 * y0, and hp is the copy's row count). The output channels go in tiles of at most
 * AK_DIRECT_CO, as even as they divide (32 channels: 6 6 5 5 5 5). Stride 2: every channel tile
 * runs over one chunk of columns before the next chunk starts, so the split input under the
 * chunk (all input channels, 3 rows) is read from L1 by every tile after the first (stride 1
 * measured no better that way). Each output's sum is the same whatever the order. */
static void conv_direct_rows(const float *in, int cin, int hp, int wp, const float *weight,
                             const float *bias, int cout, int k, float *out, int ho, int wo,
                             int y0, int y1, int act, int even) {
    size_t ostride = (size_t)cin * k * k;
    int s2 = even > 0;
    int tiles = (cout + AK_DIRECT_CO - 1) / AK_DIRECT_CO;
    /* Tile sizes differ by at most one: one widest tile per chunk when both sizes have the same
     * width, else 48 columns (a multiple of both widths); on AVX-512 every tile is 48 wide. */
    int most = (cout + tiles - 1) / tiles, least = cout / tiles;
    int wide512 = ak_isa() >= AK_ISA_AVX512, lanes = wide512 ? 16 : 8;
    int chunk = wide512 ? 16 * WIDE512 : WIDE(most) == WIDE(least) ? 8 * WIDE(most) : 48;
    if (!s2) chunk = wo; /* k x k stride 1: each tap's row is reused by k neighbouring tiles */
    direct_args a = {.in_plane = (size_t)hp * wp, .wp = wp, .cin = cin, .k = k, .ostride = ostride,
                     .out_plane = (size_t)ho * wo, .act = act, .even = even};
    for (int y = y0; y < y1; y++) {
        const float *row = in + (size_t)(s2 ? 2 * (y - y0) : y) * wp;
        for (int x0 = 0; x0 < wo; x0 += chunk) {
            int x1 = x0 + chunk < wo ? x0 + chunk : wo;
            for (int t = 0, co = 0, nco; t < tiles; t++, co += nco) {
                nco = (cout - co) / (tiles - t) + ((cout - co) % (tiles - t) ? 1 : 0);
                a.w = weight + co * ostride;
                a.bias = bias ? bias + co : NULL;
                for (int x = x0; x < x1; ) {
                    int wide = wide512 ? 16 * WIDE512 : 8 * WIDE(nco);
                    int left = x1 - x, kind = left >= wide ? 0 : (left >= lanes ? 1 : 2);
                    a.in = row + x;
                    a.out = out + (size_t)co * ho * wo + (size_t)y * wo + x;
                    a.ncols = left < lanes ? left : lanes;
                    direct_tiles[wide512][s2][nco - 1][kind](&a);
                    x += kind == 0 ? wide : a.ncols;
                }
            }
        }
    }
}

/* d[x] = row[2 x] for x < n, 8 at a time while the loads stay inside the `avail` floats of
 * the row (the im2col of a stride-2 layer). */
static T256 void evens_row(const float *row, int n, int avail, float *d) {
    int x = 0;
    for (; x + 8 <= n && 2 * x + 16 <= avail; x += 8) _mm256_storeu_ps(d + x, evens8(row + 2 * x));
    for (; x < n; x++) d[x] = row[2 * x];
}

/* One row of w floats read zero-padded on the right to wp >= w floats, split into halves
 * (see split_rows): e[i] = padded[2 i], o[i] = padded[2 i + 1]; 8 pairs a step inside the
 * row, the rest one by one. A NULL row is all zeros (the padding below the map). */
static T256 void split_zero_row(const float *s, int w, int wp, float *e, float *o) {
    int i = 0;
    if (s)
        for (; 2 * i + 16 <= w; i += 8) {
            __m256 a = _mm256_loadu_ps(s + 2 * i), b = _mm256_loadu_ps(s + 2 * i + 8);
            __m256 ev = _mm256_shuffle_ps(a, b, 0x88), od = _mm256_shuffle_ps(a, b, 0xDD);
            _mm256_storeu_ps(e + i, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(ev), 0xD8)));
            _mm256_storeu_ps(o + i, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(od), 0xD8)));
        }
    for (; 2 * i < wp; i++) {
        e[i] = s && 2 * i < w ? s[2 * i] : 0.0f;
        if (2 * i + 1 < wp) o[i] = s && 2 * i + 1 < w ? s[2 * i + 1] : 0.0f;
    }
}

/* Copies `n` rows of wp floats (row stride wp) as split rows: the even columns x[0], x[2] ..
 * (even = (wp + 1) / 2 of them), then the odd ones x[1], x[3] .. (wp / 2). */
static T256 void split_rows(const float *src, int n, int wp, float *dst) {
    int even = (wp + 1) / 2;
    for (int r = 0; r < n; r++) {
        float *e = dst + (size_t)r * wp;
        split_zero_row(src + (size_t)r * wp, wp, wp, e, e + even);
    }
}

/* What a reflect-gathering stride-2 layer applies to each input value as it reads it: the
 * pending instance norm of the layer before, act((x - mean) * scale + shift), one subtraction
 * and one fused multiply-add as ak_instance_norm's AVX2 path (so the same bits). */
typedef struct {
    int on;
    float m, a, b;
    int act;
} input_norm;

INLINE T256 __m256 normalise8(__m256 x, const input_norm *n) {
    __m256 y = _mm256_fmadd_ps(_mm256_sub_ps(x, _mm256_set1_ps(n->m)), _mm256_set1_ps(n->a), _mm256_set1_ps(n->b));
    if (n->act == AK_ACT_RELU) y = _mm256_max_ps(y, _mm256_setzero_ps());
    else if (n->act == AK_ACT_RELU6) y = _mm256_min_ps(_mm256_max_ps(y, _mm256_setzero_ps()), _mm256_set1_ps(6));
    return y;
}

static inline float normalise1(float x, const input_norm *n) {
    if (!n->on) return x;
    float v = fmaf(x - n->m, n->a, n->b);
    return activate(v, n->act);
}

/* One row of w floats read reflect-padded by `pad` (wp = w + 2 pad), split as split_rows does:
 * e[i] = padded[2 i], o[i] = padded[2 i + 1]; 8 pairs a step straight from the row where the
 * window lies inside it, the mirrored ends one by one; each value through `n` when it is on. */
static T256 void split_reflected_row(const float *s, int w, int pad, const input_norm *n, float *e, float *o) {
    int wp = w + 2 * pad, i = 0;
    for (; 2 * i < wp && 2 * i < pad; i++) {
        e[i] = normalise1(s[mirror(2 * i - pad, w)], n);
        if (2 * i + 1 < wp) o[i] = normalise1(s[mirror(2 * i + 1 - pad, w)], n);
    }
    for (; 2 * i + 16 <= wp && 2 * i - pad + 16 <= w; i += 8) {
        const float *x = s + 2 * i - pad;
        __m256 a = _mm256_loadu_ps(x), b = _mm256_loadu_ps(x + 8);
        if (n->on) {
            a = normalise8(a, n);
            b = normalise8(b, n);
        }
        __m256 ev = _mm256_shuffle_ps(a, b, 0x88), od = _mm256_shuffle_ps(a, b, 0xDD);
        _mm256_storeu_ps(e + i, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(ev), 0xD8)));
        _mm256_storeu_ps(o + i, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(od), 0xD8)));
    }
    for (; 2 * i < wp; i++) {
        e[i] = normalise1(s[mirror(2 * i - pad, w)], n);
        if (2 * i + 1 < wp) o[i] = normalise1(s[mirror(2 * i + 1 - pad, w)], n);
    }
}

/* Input rows py0 .. py0 + n - 1 of every channel of an UNPADDED [cin][h][w] input read
 * reflect-padded by `pad` (padded width wp = w + 2 pad), split as split_rows does; `norm`
 * ([3][cin]: mean, scale, shift) or NULL, applied with `norm_act` on the way. */
static T256 void split_reflected_rows(const float *in, int cin, int h, int w, int pad, int py0, int n,
                                      const float *norm, int norm_act, float *dst) {
    int wp = w + 2 * pad, even = (wp + 1) / 2;
    for (int c = 0; c < cin; c++) {
        input_norm f = {.on = norm != NULL, .act = norm_act};
        if (norm) { f.m = norm[c]; f.a = norm[cin + c]; f.b = norm[2 * cin + c]; }
        for (int r = 0; r < n; r++) {
            float *e = dst + ((size_t)c * n + r) * wp;
            split_reflected_row(in + ((size_t)c * h + mirror(py0 + r - pad, h)) * w, w, pad, &f, e, e + even);
        }
    }
}

static int has_avx2(void) { return ak_isa() >= AK_ISA_AVX2; }

/* The direct kernel: stride 1 and k >= 5, or 3x3 stride 2 (on split rows); AVX2/FMA. */
static int uses_direct(int k, int s) {
    return ((s == 1 && k >= 5) || (s == 2 && k == 3)) && has_avx2();
}

int ak_conv_valid_direct(int k, int s) { return uses_direct(k, s); }

size_t ak_conv_valid_scratch(int cin, int k, int s, int rows, int wp, int wo) {
    if (uses_direct(k, s)) return s == 2 ? ak_conv_s2_reflect_scratch(cin, rows, wp, 0) : 0;   /* split rows */
    if (k == 1 && s == 1) return 0;   /* no im2col */
    return (size_t)cin * k * k * rows * wo;
}

/* d[i] = act(d[i] + b) for none, ReLU and ReLU6, 8 values a step (the same single rounding as
 * the scalar loop). */
static T256 void bias_activate_avx2(float *d, size_t n, float b, int act) {
    __m256 bv = _mm256_set1_ps(b), zero = _mm256_setzero_ps(), six = _mm256_set1_ps(6);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 y = _mm256_add_ps(_mm256_loadu_ps(d + i), bv);
        if (act == AK_ACT_RELU) y = _mm256_max_ps(y, zero);
        else if (act == AK_ACT_RELU6) y = _mm256_min_ps(_mm256_max_ps(y, zero), six);
        _mm256_storeu_ps(d + i, y);
    }
    for (; i < n; i++) d[i] = activate(d[i] + b, act);
}

/* Output rows per split of a reflect-gathering stride-2 layer: the split rows of all input
 * channels (cin x (2 G + 1) rows) stay within ~256 KB, so the tiles read them from L2 right
 * after they are written, not back from memory. */
static int s2_reflect_group(int cin, int w, int pad) {
    size_t per_row = (size_t)cin * (w + 2 * pad), rows = ((size_t)1 << 16) / per_row;
    return rows < 3 ? 1 : (int)((rows - 1) / 2);
}

size_t ak_conv_s2_reflect_scratch(int cin, int rows, int w, int pad) {
    int wp = w + 2 * pad, g = s2_reflect_group(cin, w, pad);
    if (rows > g) rows = g;
    return (size_t)cin * (2 * rows + 1) * wp;
}

int ak_conv_s2_reflect_rows(const float *in, int cin, int h, int w, int pad, const float *weight,
                            const float *bias, int cout, float *out, int ho, int wo, int y0, int y1,
                            int act, const float *norm, int norm_act, float *scratch) {
    if (!uses_direct(3, 2) || (act != AK_ACT_NONE && act != AK_ACT_RELU && act != AK_ACT_RELU6)) return 0;
    if (norm && norm_act != AK_ACT_NONE && norm_act != AK_ACT_RELU && norm_act != AK_ACT_RELU6) return 0;
    int wp = w + 2 * pad, g = s2_reflect_group(cin, w, pad);
    for (int ya = y0; ya < y1; ya += g) {
        int yb = ya + g < y1 ? ya + g : y1, n = 2 * (yb - ya) + 1;
        split_reflected_rows(in, cin, h, w, pad, 2 * ya, n, norm, norm_act, scratch);
        conv_direct_rows(scratch, cin, n, wp, weight, bias, cout, 3, out, ho, wo, ya, yb, act, (wp + 1) / 2);
    }
    return 1;
}

size_t ak_conv_s2_zero_scratch(int cin, int rows, int wo) {
    return ak_conv_s2_reflect_scratch(cin, rows, 2 * wo + 1, 0);
}

int ak_conv_s2_zero_rows(const float *in, int cin, int h, int w, const float *weight, const float *bias,
                         int cout, float *out, int ho, int wo, int y0, int y1, int act, float *scratch) {
    if (!uses_direct(3, 2) || (act != AK_ACT_NONE && act != AK_ACT_RELU && act != AK_ACT_RELU6)) return 0;
    int wp = 2 * wo + 1, g = s2_reflect_group(cin, wp, 0), even = (wp + 1) / 2;
    if (wp < w || 2 * ho + 1 < h) return 0;
    for (int ya = y0; ya < y1; ya += g) {
        int yb = ya + g < y1 ? ya + g : y1, n = 2 * (yb - ya) + 1;
        for (int c = 0; c < cin; c++)
            for (int r = 0; r < n; r++) {
                int y = 2 * ya + r;
                float *e = scratch + ((size_t)c * n + r) * wp;
                split_zero_row(y < h ? in + ((size_t)c * h + y) * w : NULL, w, wp, e, e + even);
            }
        conv_direct_rows(scratch, cin, n, wp, weight, bias, cout, 3, out, ho, wo, ya, yb, act, even);
    }
    return 1;
}

void ak_conv_valid_rows(const float *in, int cin, int hp, int wp, const float *weight,
                        const float *bias, int cout, int k, int s, float *out, int ho, int wo,
                        int y0, int y1, int act, float *scratch) {
    (void)hp;
    int rows = y1 - y0;
    size_t cols = (size_t)rows * wo;
    const float *src;
    if (uses_direct(k, s)) {
        int fused = act == AK_ACT_RELU || act == AK_ACT_RELU6 ? act : AK_ACT_NONE;
        if (s == 2) {
            /* per group of output rows ya .. yb - 1: input rows 2 ya .. 2 yb of every channel,
             * split, into the scratch (kept small, as in ak_conv_s2_reflect_rows) */
            int g = s2_reflect_group(cin, wp, 0);
            for (int ya = y0; ya < y1; ya += g) {
                int yb = ya + g < y1 ? ya + g : y1, n = 2 * (yb - ya) + 1;
                for (int c = 0; c < cin; c++)
                    split_rows(in + ((size_t)c * hp + 2 * ya) * wp, n, wp, scratch + (size_t)c * n * wp);
                conv_direct_rows(scratch, cin, n, wp, weight, bias, cout, 3, out, ho, wo, ya, yb,
                                      fused, (wp + 1) / 2);
            }
        } else {
            conv_direct_rows(in, cin, hp, wp, weight, bias, cout, k, out, ho, wo, y0, y1, fused, 0);
        }
        if (act != fused)
            for (int o = 0; o < cout; o++) ak_activate(out + (size_t)o * ho * wo + (size_t)y0 * wo, cols, act);
        return;
    }
    int avx2 = ak_isa() >= AK_ISA_AVX2;
    if (k == 1 && s == 1) {
        /* A 1x1 stride-1 conv reads the input as it is. The output starts as the bias and sgemm
         * adds to it (beta 1: no zeroing pass); only the activation is left. */
        src = in + (size_t)y0 * wp;
        for (int o = 0; o < cout; o++) {
            float *d = out + (size_t)o * ho * wo + (size_t)y0 * wo, b = bias ? bias[o] : 0.0f;
            for (size_t i = 0; i < cols; i++) d[i] = b;
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, cout, (int)cols, cin, 1.0f, weight, cin,
                    src, hp * wp, 1.0f, out + (size_t)y0 * wo, ho * wo);
        if (act != AK_ACT_NONE)
            for (int o = 0; o < cout; o++) {
                float *d = out + (size_t)o * ho * wo + (size_t)y0 * wo;
                if (avx2 && act != AK_ACT_SIGMOID) bias_activate_avx2(d, cols, 0.0f, act);
                else for (size_t i = 0; i < cols; i++) d[i] = activate(d[i], act);
            }
        return;
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
                        else if (s == 2 && avx2) evens_row(row, wo, wp - j, d);
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
        if (b == 0.0f && act == AK_ACT_NONE) continue;
        if (avx2 && act != AK_ACT_SIGMOID) bias_activate_avx2(d, cols, b, act);
        else for (size_t i = 0; i < cols; i++) d[i] = activate(d[i] + b, act);
    }
}

/* The shared row kernel (depthwise_row.h) on a padded map: every row holds wp floats; ReLU and
 * ReLU6 fused (the caller sends no other activation). */
static T256 void depthwise_row_avx2(const float *r0, const float *r1, const float *r2, const float *k, float b,
                                   int s, int wp, int wo, int act, float *o) {
    ak_depthwise3_row_avx2(r0, r1, r2, k, b, s, wp, wo, act, o);
}

void ak_depthwise3_valid(const float *in, int hp, int wp, const float *weight, const float *bias,
                         int s, float *out, int ho, int wo, int act, int c0, int c1) {
    int avx2 = (act == AK_ACT_NONE || act == AK_ACT_RELU || act == AK_ACT_RELU6) &&
               ak_isa() >= AK_ISA_AVX2;
    for (int c = c0; c < c1; c++) {
        const float *plane = in + (size_t)c * hp * wp;
        const float *k = weight + (size_t)c * 9;
        float b = bias ? bias[c] : 0.0f;
        float *dst = out + (size_t)c * ho * wo;
        for (int y = 0; y < ho; y++) {
            const float *r0 = plane + (size_t)(y * s) * wp, *r1 = r0 + wp, *r2 = r1 + wp;
            float *o = dst + (size_t)y * wo;
            if (avx2) {
                depthwise_row_avx2(r0, r1, r2, k, b, s, wp, wo, act, o);
                continue;
            }
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

/* One channel of ak_instance_norm, 8 values a step in float: (x - m) * (r g) + b, one subtraction
 * and one fused multiply-add (the reference's float32((x - m) * r) * g + b within a few ulp);
 * g/b advance per pixel when `per_pixel`. */
static T256 void instance_norm_avx2(const float *src, size_t n, double m, double r, const float *g,
                                    const float *b, int per_pixel, int act, float *dst) {
    __m256 mv = _mm256_set1_ps((float)m), rv = _mm256_set1_ps((float)r);
    __m256 av = _mm256_set1_ps((float)(r * g[0])), bv = _mm256_set1_ps(b[0]);
    __m256 zero = _mm256_setzero_ps(), six = _mm256_set1_ps(6);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        if (per_pixel) { av = _mm256_mul_ps(rv, _mm256_loadu_ps(g + i)); bv = _mm256_loadu_ps(b + i); }
        __m256 y = _mm256_fmadd_ps(_mm256_sub_ps(_mm256_loadu_ps(src + i), mv), av, bv);
        if (act == AK_ACT_RELU) y = _mm256_max_ps(y, zero);
        else if (act == AK_ACT_RELU6) y = _mm256_min_ps(_mm256_max_ps(y, zero), six);
        _mm256_storeu_ps(dst + i, y);
    }
    for (; i < n; i++) {
        float a = per_pixel ? (float)r * g[i] : (float)(r * g[0]);
        float v = fmaf(src[i] - (float)m, a, b[per_pixel ? i : 0]);
        dst[i] = act == AK_ACT_SIGMOID ? v : activate(v, act);
    }
    if (act == AK_ACT_SIGMOID) ak_activate(dst, n, act);
}

void ak_instance_norm(const float *x, size_t n, const double *mean, const double *invstd,
                      const float *gamma, const float *beta, int per_pixel, int act, float *out,
                      int c0, int c1) {
    int avx2 = ak_isa() >= AK_ISA_AVX2;
    for (int c = c0; c < c1; c++) {
        const float *src = x + (size_t)c * n;
        float *dst = out + (size_t)c * n;
        double m = mean[c], r = invstd[c];
        if (avx2) {
            instance_norm_avx2(src, n, m, r, per_pixel ? gamma + (size_t)c * n : gamma + c,
                               per_pixel ? beta + (size_t)c * n : beta + c, per_pixel, act, dst);
        } else if (!per_pixel) {
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
