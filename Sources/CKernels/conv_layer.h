#ifndef ATELIER_CONV_LAYER_H
#define ATELIER_CONV_LAYER_H
/* Private: the packed layer shared by the conv*.c files. */
#include "conv.h"
#include <stddef.h>

/* The SIMD kernels are x86 only; elsewhere every layer runs the sgemm family (-DAK_X86=0
 * builds that portable variant on x86 too, to test it). */
#ifndef AK_X86
#if defined(__x86_64__) || defined(__i386__)
#define AK_X86 1
#else
#define AK_X86 0
#endif
#endif

/* Output channels per weight block of the direct kernels. */
#define AK_CO_BLOCK 8

/* Kernel families; a layer starts on the best one the CPU supports (WINO512, else WINO256,
 * else GEMM). */
enum ak_conv_path {
    AK_PATH_GEMM = 0,      /* im2col + OpenBLAS sgemm: any CPU */
    AK_PATH_AVX2 = 1,      /* direct, 8-wide FMA */
    AK_PATH_AVX512 = 2,    /* direct, 16-wide FMA */
    AK_PATH_WINO512 = 3,   /* Winograd F(4x4, 3x3) AVX-512 where it pays, else direct AVX-512 */
    AK_PATH_WINO256 = 4,   /* Winograd F(4x4, 3x3) AVX2 where it pays, else direct AVX2 */
};

/* Narrower maps use the direct kernels: Winograd lanes hold 16 tiles of one tile row, and
 * below 7 tiles (28 columns) the empty lanes cost more than Winograd saves. */
#define AK_WINO_MIN_WIDTH 28

struct ak_conv {
    int cout, cin, k;
    int path;      /* enum ak_conv_path in use */
    float *weight; /* [cout][cin * k * k], the layout cblas_sgemm reads as a row-major matrix */
    float *bias;   /* [cout] */
    /* Direct kernels: [cout / 8 rounded up][cin][k * k][8], zero-padded past cout. */
    float *wblock;
    /* Winograd: U = G g G^T as [cout / 8 rounded up][36][cin][8], or NULL (not eligible). */
    float *wino;
    int zero_pad;  /* 3x3 padding: 0 reflection (numpy 'reflect'), 1 zeros (ncnn networks) */
    float *slope;  /* [cout] negative-side slopes applied at the store (LeakyReLU, PReLU), or NULL */
};

/* 64-byte aligned floats; release with free(). NULL when out of memory. */
float *ak_alloc_floats(size_t count);

/* Reflects index i into [0, n): -1 -> 1, n -> n - 2 (numpy 'reflect'; needs n >= 2). */
static inline int ak_reflect(int i, int n) {
    if (i < 0) return -i;
    if (i >= n) return 2 * n - 2 - i;
    return i;
}

/* The input row that padded row y of a layer reads: its reflection, or -1 (a row of zeros)
 * outside the map of a zero-padded layer. */
static inline int ak_pad_row(const ak_conv *conv, int y, int h) {
    if (conv->zero_pad && (y < 0 || y >= h)) return -1;
    return ak_reflect(y, h);
}

/* The direct kernels read a reflection-padded copy of the input rows they need, kept in a
 * ring of k rows. Each ring row is cut into column tiles of `span` output pixels laid out
 * [tile][cin][chunk]: element j of a chunk holds input column reflect(tile * span - k/2 + j),
 * so everything one register tile reads over all input channels is contiguous (few TLB
 * pages, sequential streams) and stays in L2. chunk >= span + 2, lane-aligned. */
typedef struct {
    int span;    /* output pixels per column tile */
    int chunk;   /* floats per (tile, channel) chunk */
    int tiles;   /* column tiles */
    size_t row;  /* floats per ring row: tiles * cin * chunk */
} ak_band;

static inline ak_band ak_band_layout(const ak_conv *conv, int w, int span, int lanes) {
    ak_band b;
    b.span = span;
    b.chunk = span + lanes;
    b.tiles = (w + span - 1) / span;
    b.row = (size_t)b.tiles * conv->cin * b.chunk;
    return b;
}
/* Copies input row y (all channels) into ring row `dst`; y = -1 fills it with zeros. */
void ak_band_fill_row(const ak_conv *conv, const ak_band *b, const float *in, int h, int w, int y,
                      float *dst);
/* Asks for input row y, columns x0 - 1 .. x0 + n, of every channel (the next ring row, fetched
 * while the current one computes). */
void ak_band_prefetch_row(const ak_conv *conv, const float *in, int h, int w, int y, int x0, int n);

/* Output rows [y0, y1) through im2col of the band and one sgemm (any shape, any CPU). */
/* Writes the activation of v (ReLU when relu is set, slope[c] * v for v < 0 when the layer has
 * slopes) over n floats of output channel c. */
void ak_conv_activate(const ak_conv *conv, float *out, size_t n, int c, int relu);
void ak_conv_rows_gemm(const ak_conv *conv, const float *in, int h, int w, float *out,
                       int y0, int y1, int relu, float *scratch);
/* Direct kernels on the padded band; only call when the CPU has the instructions. */
void ak_conv_rows_avx512(const ak_conv *conv, const float *in, int h, int w, float *out,
                         int y0, int y1, int relu, float *scratch);
int ak_conv_span_avx512(const ak_conv *conv);
int ak_conv_span_avx2(const ak_conv *conv);
void ak_conv_rows_avx2(const ak_conv *conv, const float *in, int h, int w, float *out,
                       int y0, int y1, int relu, float *scratch);

/* Winograd F(4x4, 3x3) AVX-512 (conv_wino512.c). */
int ak_wino_eligible(const ak_conv *conv, int w);
int ak_wino_vectors(const ak_conv *conv);
size_t ak_wino_scratch_floats(const ak_conv *conv);
float *ak_wino_pack(const float *weight, int cout, int cin);
void ak_conv_rows_wino512(const ak_conv *conv, const float *in, int h, int w, float *out,
                          int y0, int y1, int relu, float *scratch);
/* ak_conv_rows_wino512 plus the polish backward's extra and gate (as ak_conv_rows_wino256_gated). */
void ak_conv_rows_wino512_gated(const ak_conv *conv, const float *in, int h, int w, float *out,
                                int y0, int y1, int relu, float *scratch,
                                const float *extra, const float *gate);
/* Winograd F(4x4, 3x3) AVX2 (conv_wino256.c): any padding, ReLU or slopes. */
size_t ak_wino256_scratch_floats(const ak_conv *conv);
void ak_conv_rows_wino256(const ak_conv *conv, const float *in, int h, int w, float *out,
                          int y0, int y1, int relu, float *scratch);
/* The same with `extra` added and the sum kept only where `gate` > 0 at the store (either NULL). */
void ak_conv_rows_wino256_gated(const ak_conv *conv, const float *in, int h, int w, float *out,
                                int y0, int y1, int relu, float *scratch,
                                const float *extra, const float *gate);
#endif
