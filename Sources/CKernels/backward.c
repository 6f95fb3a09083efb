/* Backward kernels of the encoder ops (see backward.h). */
#include "conv_layer.h"
#include "isa.h"
#include "backward.h"
#include <stdlib.h>
#include <string.h>

void ak_conv_adjoint_weights(const ak_conv *conv, float *out) {
    int cout = conv->cout, cin = conv->cin, k = conv->k, kk = k * k;
    for (int ci = 0; ci < cin; ci++)
        for (int co = 0; co < cout; co++)
            for (int t = 0; t < kk; t++)
                out[((size_t)ci * cout + co) * kk + t] = conv->weight[((size_t)co * cin + ci) * kk + (kk - 1 - t)];
}

void ak_reflect_pad_adjoint(const float *big, int h, int w, float *out, int c0, int c1) {
    int bw = w + 4, bh = h + 4;
    for (int c = c0; c < c1; c++) {
        const float *b = big + (size_t)c * bh * bw;
        float *o = out + (size_t)c * h * w;
        /* Padded row r (0 .. h+1) is big row r + 1; it lands on input row reflect(r - 1). */
        for (int y = 0; y < h; y++) {
            const float *src = b + (size_t)(y + 2) * bw;
            float *dst = o + (size_t)y * w;
            for (int x = 0; x < w; x++) dst[x] = src[x + 2];
            dst[1] += src[1];               /* padded column 0 reflects onto column 1 */
            dst[w - 2] += src[w + 2];       /* padded column w + 1 onto column w - 2 */
        }
        const int rows[2][2] = { {1, 1}, {h + 2, h - 2} };  /* big row -> input row */
        for (int i = 0; i < 2; i++) {
            const float *src = b + (size_t)rows[i][0] * bw;
            float *dst = o + (size_t)rows[i][1] * w;
            for (int x = 0; x < w; x++) dst[x] += src[x + 2];
            dst[1] += src[1];
            dst[w - 2] += src[w + 2];
        }
    }
}

void ak_relu_backward(const float *y, float *grad, size_t n) {
    for (size_t i = 0; i < n; i++) grad[i] = y[i] > 0 ? grad[i] : 0;
}

void ak_maxpool2_backward(const float *in, int h, int w, const float *dout, float *din,
                          int c0, int c1) {
    int oh = h / 2, ow = w / 2;
    for (int c = c0; c < c1; c++) {
        const float *src = in + (size_t)c * h * w;
        const float *g = dout + (size_t)c * oh * ow;
        float *d = din + (size_t)c * h * w;
        memset(d, 0, (size_t)h * w * sizeof(float));
        for (int y = 0; y < oh; y++) {
            const float *r0 = src + (size_t)(2 * y) * w, *r1 = r0 + w;
            float *d0 = d + (size_t)(2 * y) * w, *d1 = d0 + w;
            for (int x = 0; x < ow; x++) {
                float v[4] = { r0[2 * x], r0[2 * x + 1], r1[2 * x], r1[2 * x + 1] };
                float *t[4] = { d0 + 2 * x, d0 + 2 * x + 1, d1 + 2 * x, d1 + 2 * x + 1 };
                int best = 0;
                for (int i = 1; i < 4; i++) if (v[i] > v[best]) best = i;
                *t[best] = g[(size_t)y * ow + x];
            }
        }
    }
}

/* dst[i] += gate[i] > 0 ? v[i] : 0 (gate NULL: dst[i] += v[i]), i < n, dst/gate strided. */
static void add_gated(float *dst, const float *gate, const float *v, int n, size_t stride) {
    for (int i = 0; i < n; i++) {
        size_t k = (size_t)i * stride;
        if (!gate || gate[k] > 0) dst[k] += v[i];
    }
}

#define RING_PAD 2 /* zeros before each gathered edge line */

/* Floats of one gathered edge line of n values: 2 zeros, the n values, zeros up to what the
 * 8-wide sums below read (t[q] for q < n + 2 reads up to index roundup(n + 2, 8) + 1). */
static size_t ring_line(int n) { return (size_t)((n + 2 + 7) / 8 * 8 + 2); }

/* t[q] = sum over co, then j = 0, 1, 2, of wk[co * wstride + off[j]] * line_co[q - j] for
 * q < n + 2, where line_co = lines + co * len + RING_PAD holds one edge row or column of dy
 * (zero outside 0 .. n - 1). Every q sums in the same order whatever the channel range. */
static void ring_sums(const float *lines, size_t len, int cout, const float *wk, size_t wstride,
                      const int off[3], int n, float *t) {
    for (int q = 0; q < n + 2; q++) t[q] = 0;
    for (int co = 0; co < cout; co++) {
        const float *p = lines + co * len + RING_PAD, *wc = wk + co * wstride;
        for (int q = 0; q < n + 2; q++)
            t[q] = t[q] + wc[off[0]] * p[q] + wc[off[1]] * p[q - 1] + wc[off[2]] * p[q - 2];
    }
}

#if AK_X86
#include <immintrin.h>

/* One vector of ring_sums: t[q0 .. q0 + 7] summed over the channels in a register. */
#define RING_FMA(acc, p)                                                  \
    acc = _mm256_fmadd_ps(w0, _mm256_loadu_ps(p), acc);                   \
    acc = _mm256_fmadd_ps(w1, _mm256_loadu_ps((p) - 1), acc);             \
    acc = _mm256_fmadd_ps(w2, _mm256_loadu_ps((p) - 2), acc)

/* ring_sums with FMA: 32 values of t at a time held in registers across the channels, then
 * the last 1-3 vectors one at a time. */
__attribute__((target("avx2,fma"))) static void ring_sums_avx2(const float *lines, size_t len, int cout,
                                                               const float *wk, size_t wstride,
                                                               const int off[3], int n, float *t) {
    int q0 = 0;
    for (; q0 + 32 <= n + 2; q0 += 32) {
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (int co = 0; co < cout; co++) {
            const float *p = lines + co * len + RING_PAD + q0, *wc = wk + co * wstride;
            __m256 w0 = _mm256_broadcast_ss(wc + off[0]), w1 = _mm256_broadcast_ss(wc + off[1]);
            __m256 w2 = _mm256_broadcast_ss(wc + off[2]);
            RING_FMA(a0, p);
            RING_FMA(a1, p + 8);
            RING_FMA(a2, p + 16);
            RING_FMA(a3, p + 24);
        }
        _mm256_storeu_ps(t + q0, a0);
        _mm256_storeu_ps(t + q0 + 8, a1);
        _mm256_storeu_ps(t + q0 + 16, a2);
        _mm256_storeu_ps(t + q0 + 24, a3);
    }
    for (; q0 < n + 2; q0 += 8) {
        __m256 a0 = _mm256_setzero_ps();
        for (int co = 0; co < cout; co++) {
            const float *p = lines + co * len + RING_PAD + q0, *wc = wk + co * wstride;
            __m256 w0 = _mm256_broadcast_ss(wc + off[0]), w1 = _mm256_broadcast_ss(wc + off[1]);
            __m256 w2 = _mm256_broadcast_ss(wc + off[2]);
            RING_FMA(a0, p);
        }
        __attribute__((aligned(32))) float out[8];
        _mm256_store_ps(out, a0);
        memcpy(t + q0, out, (size_t)(n + 2 - q0 < 8 ? n + 2 - q0 : 8) * sizeof(float));
    }
}
#endif

void ak_conv_adjoint_ring(const ak_conv *conv, const float *dy, int h, int w, float *dx,
                          const float *gate, int c0, int c1) {
    if (conv->k != 3 || conv->zero_pad || h < 2 || w < 2) return;
    int cout = conv->cout, cin = conv->cin;
    size_t plane = (size_t)h * w, lw = ring_line(w), lh = ring_line(h);
    int n = (w > h ? w : h) + 2;
    /* dy's first and last rows and columns, gathered once per call with zeros around them, so
     * the sums below run along contiguous memory with no bounds to check. */
    float *rows = ak_alloc_floats(2 * (size_t)cout * (lw + lh) + 2 * (size_t)n);
    if (!rows) return;
    float *cols = rows + 2 * (size_t)cout * lw, *t = cols + 2 * (size_t)cout * lh, *fold = t + n;
    memset(rows, 0, 2 * (size_t)cout * (lw + lh) * sizeof(float));
    for (int co = 0; co < cout; co++) {
        const float *p = dy + (size_t)co * plane;
        memcpy(rows + (size_t)co * lw + RING_PAD, p, (size_t)w * sizeof(float));
        memcpy(rows + (size_t)(cout + co) * lw + RING_PAD, p + (size_t)(h - 1) * w, (size_t)w * sizeof(float));
        float *c0p = cols + (size_t)co * lh + RING_PAD, *c1p = cols + (size_t)(cout + co) * lh + RING_PAD;
        for (int y = 0; y < h; y++) {
            c0p[y] = p[(size_t)y * w];
            c1p[y] = p[(size_t)y * w + w - 1];
        }
    }
    void (*sums)(const float *, size_t, int, const float *, size_t, const int *, int, float *) = ring_sums;
#if AK_X86
    if (ak_isa() >= AK_ISA_AVX2) sums = ring_sums_avx2;
#endif
    const int along_row[3] = {0, 1, 2}, along_column[3] = {0, 3, 6};
    size_t wstride = (size_t)cin * 9;
    for (int ci = c0; ci < c1; ci++) {
        float *o = dx + (size_t)ci * plane;
        const float *g = gate ? gate + (size_t)ci * plane : NULL, *wk = conv->weight + (size_t)ci * 9;
        /* Padded rows 0 and h+1 (tap rows a = 0 and 2 over dy rows 0 and h-1), all padded
         * columns 0 .. w+1: P[p][q] = sum_b W[a][b] dy[row][q - b]. */
        for (int side = 0; side < 2; side++) {
            int a = side ? 2 : 0, target = side ? h - 2 : 1;
            sums(rows + (size_t)side * cout * lw, lw, cout, wk + 3 * a, wstride, along_row, w, t);
            /* Padded column q lands on column reflect(q - 1): 1 .. w straight, 0 -> 1, w+1 -> w-2. */
            memcpy(fold, t + 1, (size_t)w * sizeof(float));
            fold[1] += t[0];
            fold[w - 2] += t[w + 1];
            add_gated(o + (size_t)target * w, g ? g + (size_t)target * w : NULL, fold, w, 1);
        }
        /* Padded columns 0 and w+1 over padded rows 1 .. h (the corners came with the rows):
         * P[p][q] = sum_a W[a][b] dy[p - a][col]. */
        for (int side = 0; side < 2; side++) {
            int b = side ? 2 : 0, target = side ? w - 2 : 1;
            sums(cols + (size_t)side * cout * lh, lh, cout, wk + b, wstride, along_column, h, t);
            /* Rows 0 and h+1 of this column are the corners, already folded with the rows. */
            add_gated(o + target, g ? g + target : NULL, t + 1, h, (size_t)w);
        }
    }
    free(rows);
}

void ak_backward_gate(float *dst, const float *extra, const float *gate, size_t n) {
    if (extra && gate) {
        for (size_t i = 0; i < n; i++) dst[i] = gate[i] > 0 ? dst[i] + extra[i] : 0.0f;
    } else if (extra) {
        for (size_t i = 0; i < n; i++) dst[i] += extra[i];
    } else if (gate) {
        for (size_t i = 0; i < n; i++) dst[i] = gate[i] > 0 ? dst[i] : 0.0f;
    }
}

#if AK_X86
#include <immintrin.h>

/* Windows [0, 8 k) of one output row of the fused max-pool backward, 8 windows a step:
 * evens and odds of each input row split by in-lane shuffles (window order 0 1 4 5 2 3 6 7,
 * which the gradient row is permuted to), the first maximum in row order chosen by the same
 * comparisons as the scalar loop, and the four selections interleaved back. Returns the
 * first window left for the scalar loop. */
__attribute__((target("avx2"))) static int pool_backward_row_avx2(const float *r0, const float *r1, const float *gr,
                                                                  int relu, float *d0, float *d1, int ow) {
    int x = 0;
    const __m256 zero = _mm256_setzero_ps();
    for (; x + 8 <= ow; x += 8) {
        __m256 p0 = _mm256_loadu_ps(r0 + 2 * x), p1 = _mm256_loadu_ps(r0 + 2 * x + 8);
        __m256 q0 = _mm256_loadu_ps(r1 + 2 * x), q1 = _mm256_loadu_ps(r1 + 2 * x + 8);
        __m256 a = _mm256_shuffle_ps(p0, p1, 0x88), b = _mm256_shuffle_ps(p0, p1, 0xDD);
        __m256 c = _mm256_shuffle_ps(q0, q1, 0x88), d = _mm256_shuffle_ps(q0, q1, 0xDD);
        __m256 g = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_loadu_ps(gr + x)), 0xD8));
        __m256 gb = _mm256_cmp_ps(b, a, _CMP_GT_OQ);
        __m256 m1 = _mm256_blendv_ps(a, b, gb);
        __m256 gc = _mm256_cmp_ps(c, m1, _CMP_GT_OQ);
        __m256 m2 = _mm256_blendv_ps(m1, c, gc);
        __m256 gd = _mm256_cmp_ps(d, m2, _CMP_GT_OQ);
        __m256 m3 = _mm256_blendv_ps(m2, d, gd);
        if (relu) g = _mm256_and_ps(g, _mm256_cmp_ps(m3, zero, _CMP_GT_OQ));
        __m256 cd = _mm256_or_ps(gc, gd);
        __m256 va = _mm256_andnot_ps(_mm256_or_ps(gb, cd), g);
        __m256 vb = _mm256_andnot_ps(cd, _mm256_and_ps(gb, g));
        __m256 vc = _mm256_andnot_ps(gd, _mm256_and_ps(gc, g));
        __m256 vd = _mm256_and_ps(gd, g);
        _mm256_storeu_ps(d0 + 2 * x, _mm256_unpacklo_ps(va, vb));
        _mm256_storeu_ps(d0 + 2 * x + 8, _mm256_unpackhi_ps(va, vb));
        _mm256_storeu_ps(d1 + 2 * x, _mm256_unpacklo_ps(vc, vd));
        _mm256_storeu_ps(d1 + 2 * x + 8, _mm256_unpackhi_ps(vc, vd));
    }
    return x;
}
#endif

void ak_maxpool2_backward_fused(const float *in, int h, int w, const float *dout, const float *extra,
                                int relu, float *din, int c0, int c1) {
    int oh = h / 2, ow = w / 2;
#if AK_X86
    int avx2 = ak_isa() >= AK_ISA_AVX2;
#endif
    for (int c = c0; c < c1; c++) {
        const float *src = in + (size_t)c * h * w;
        const float *g = dout + (size_t)c * oh * ow;
        float *d = din + (size_t)c * h * w;
        for (int y = 0; y < oh; y++) {
            const float *r0 = src + (size_t)(2 * y) * w, *r1 = r0 + w;
            float *d0 = d + (size_t)(2 * y) * w, *d1 = d0 + w;
            const float *gr = g + (size_t)y * ow;
            int x0 = 0;
#if AK_X86
            if (avx2) x0 = pool_backward_row_avx2(r0, r1, gr, relu, d0, d1, ow);
#endif
            /* The first maximum in row order wins. */
            for (int x = x0; x < ow; x++) {
                float a = r0[2 * x], b = r0[2 * x + 1], c = r1[2 * x], d = r1[2 * x + 1];
                int gb = b > a;
                float m1 = gb ? b : a;
                int gc = c > m1;
                float m2 = gc ? c : m1;
                int gd = d > m2;
                float m3 = gd ? d : m2;
                float gv = relu && !(m3 > 0) ? 0.0f : gr[x];
                d0[2 * x] = !gb && !gc && !gd ? gv : 0.0f;
                d0[2 * x + 1] = gb && !gc && !gd ? gv : 0.0f;
                d1[2 * x] = gc && !gd ? gv : 0.0f;
                d1[2 * x + 1] = gd ? gv : 0.0f;
            }
            if (w & 1) d0[w - 1] = d1[w - 1] = 0.0f;
        }
        if (h & 1) memset(d + (size_t)(h - 1) * w, 0, (size_t)w * sizeof(float));
        if (extra) ak_backward_gate(d, extra + (size_t)c * h * w, relu ? src : NULL, (size_t)h * w);
    }
}

double ak_dot_f64(const float *a, const float *b, size_t n) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) s[k] += (double)a[i + k] * (double)b[i + k];
    for (; i < n; i++) s[i & 7] += (double)a[i] * (double)b[i];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

double ak_project_box(const float *x, const float *d, float t, const float *g, float *out, size_t n) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        float v = x[i] + t * d[i];
        v = v < 0 ? 0 : (v > 1 ? 1 : v);
        out[i] = v;
        s[i & 7] += (double)g[i] * (double)(v - x[i]);
    }
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}
