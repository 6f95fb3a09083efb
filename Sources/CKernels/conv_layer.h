#ifndef ATELIER_CONV_LAYER_H
#define ATELIER_CONV_LAYER_H
/* Private: the packed layer shared by the conv*.c files. */
#include "conv.h"

struct ak_conv {
    int cout, cin, k;
    float *weight; /* [cout][cin * k * k], the layout cblas_sgemm reads as a row-major matrix */
    float *bias;   /* [cout] */
};

/* Reflects index i into [0, n): -1 -> 1, n -> n - 2 (numpy 'reflect'; needs n >= 2). */
static inline int ak_reflect(int i, int n) {
    if (i < 0) return -i;
    if (i >= n) return 2 * n - 2 - i;
    return i;
}

/* Output rows [y0, y1) through im2col of the band and one sgemm (any shape, any CPU). */
void ak_conv_rows_gemm(const ak_conv *conv, const float *in, int h, int w, float *out,
                       int y0, int y1, int relu, float *scratch);
#endif
