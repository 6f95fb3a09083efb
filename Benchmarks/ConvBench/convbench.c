/* Conv kernel benchmark: GFLOP/s of ak_conv_forward_rows per layer shape on N threads, bands
 * handed out dynamically like Conv2D does; plus a single big sgemm for comparison.
 * Build and run with ./run.sh [threads] [shape filter]; env CONV_PATH picks a kernel family
 * (0 sgemm, 1 AVX2, 2 AVX-512 direct, 3 Winograd AVX-512, 4 Winograd AVX2), BENCH_SECONDS the time per shape (best run
 * is reported, so a longer window helps on a shared machine). Not part of the package. */
#include "conv.h"
#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern void openblas_set_num_threads(int);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* CPU seconds used by the whole process: unlike wall time, not inflated when other users'
 * processes take the cores, so flops / CPU seconds is the kernels' per-core rate. */
static double cpu_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}
static double best_cpu;

typedef struct {
    const ak_conv *conv;
    const float *in;
    float *out;
    int h, w, band, relu;
    atomic_int next;
} job;

static void *worker(void *arg) {
    job *j = arg;
    size_t n = ak_conv_scratch_floats(j->conv, j->h, j->w, j->band);
    float *scratch = aligned_alloc(64, (n + 16) * sizeof(float));
    for (;;) {
        int b = atomic_fetch_add(&j->next, 1);
        int y0 = b * j->band;
        if (y0 >= j->h) break;
        int y1 = y0 + j->band < j->h ? y0 + j->band : j->h;
        ak_conv_forward_rows(j->conv, j->in, j->h, j->w, j->out, y0, y1, j->relu, scratch);
    }
    free(scratch);
    return NULL;
}

static void run(job *j, int threads) {
    pthread_t t[16];
    atomic_store(&j->next, 0);
    for (int i = 1; i < threads; i++) pthread_create(&t[i], NULL, worker, j);
    worker(j);
    for (int i = 1; i < threads; i++) pthread_join(t[i], NULL);
}

static float frand(unsigned *s) {
    *s = *s * 1664525u + 1013904223u;
    return (float)((*s >> 8) & 0xffff) / 65536.0f;
}

/* Double-precision direct reference on a few random output points; `esrgan`: zero padding
 * and LeakyReLU(0.2) (Real-ESRGAN's layers) instead of reflection and no activation. */
static double check(const float *wt, const float *bias, int cout, int cin, int k, const float *in,
                    int h, int w, const float *out, int esrgan) {
    unsigned s = 99;
    double worst = 0;
    for (int t = 0; t < 4000; t++) {
        s = s * 1664525u + 1013904223u;
        int co = (s >> 4) % cout;
        s = s * 1664525u + 1013904223u;
        int y = (s >> 4) % h;
        s = s * 1664525u + 1013904223u;
        int x = (s >> 4) % w;
        if (t < 8) { y = (t & 1) ? h - 1 : 0; x = (t & 2) ? w - 1 : 0; }
        double sum = bias[co], mag = fabs(bias[co]);
        int r = k / 2;
        for (int ci = 0; ci < cin; ci++)
            for (int ky = 0; ky < k; ky++)
                for (int kx = 0; kx < k; kx++) {
                    int sy = y + ky - r, sx = x + kx - r;
                    if (esrgan && (sy < 0 || sy >= h || sx < 0 || sx >= w)) continue;
                    sy = sy < 0 ? -sy : sy >= h ? 2 * h - 2 - sy : sy;
                    sx = sx < 0 ? -sx : sx >= w ? 2 * w - 2 - sx : sx;
                    double term = (double)wt[((co * cin + ci) * k + ky) * k + kx] *
                                  in[((size_t)ci * h + sy) * w + sx];
                    sum += term;
                    mag += fabs(term);
                }
        if (esrgan && sum < 0) sum *= 0.2;
        double got = out[((size_t)co * h + y) * w + x];
        double e = fabs(got - sum) / (mag + 1e-6);
        if (e > worst) worst = e;
    }
    return worst;
}

/* FNV-1a of the output's bits: equal prints mean bit-identical outputs (kernel A/B checks). */
static unsigned long long out_hash;
static unsigned long long fnv(const float *x, size_t n) {
    unsigned long long hsh = 1469598103934665603ull;
    const unsigned char *b = (const unsigned char *)x;
    for (size_t i = 0; i < n * sizeof(float); i++) hsh = (hsh ^ b[i]) * 1099511628211ull;
    return hsh;
}

static int force_path = -1;
static double bench_layer(int cin, int cout, int k, int h, int w, int esrgan, int threads, double *err) {
    unsigned s = 1234 + cin * 7 + cout;
    size_t nw = (size_t)cout * cin * k * k;
    float *wt = malloc(nw * 4), *bias = malloc(cout * 4);
    float *in = malloc((size_t)cin * h * w * 4), *out = malloc((size_t)cout * h * w * 4);
    float sc = 2.0f / sqrtf((float)(cin * k * k));
    for (size_t i = 0; i < nw; i++) wt[i] = (frand(&s) - 0.5f) * sc;
    for (int i = 0; i < cout; i++) bias[i] = frand(&s) - 0.5f;
    for (size_t i = 0; i < (size_t)cin * h * w; i++) in[i] = frand(&s) * 2;
    ak_conv *conv = ak_conv_create(wt, bias, cout, cin, k);
    if (esrgan) {
        float *slope = malloc(cout * 4);
        for (int i = 0; i < cout; i++) slope[i] = 0.2f;
        ak_conv_configure(conv, 1, slope);
        free(slope);
    }
    if (force_path >= 0) ak_conv_use_path(conv, force_path);
    job j = {.conv = conv, .in = in, .out = out, .h = h, .w = w, .relu = 0};
    j.band = ak_conv_band_rows(conv, h, w, threads);
    run(&j, threads);
    *err = check(wt, bias, cout, cin, k, in, h, w, out, esrgan);
    out_hash = fnv(out, (size_t)cout * h * w);
    double flops = 2.0 * cout * cin * k * k * (double)h * w;
    double seconds = getenv("BENCH_SECONDS") ? atof(getenv("BENCH_SECONDS")) : 2.0;
    double best = 1e9, budget = now() + seconds;
    int reps = 0;
    best_cpu = 1e9;
    while (reps < 3 || (now() < budget && reps < 1000)) {
        double t0 = now(), c0 = cpu_now();
        run(&j, threads);
        double dt = now() - t0, dc = cpu_now() - c0;
        if (dt < best) best = dt;
        if (dc < best_cpu) best_cpu = dc;
        reps++;
    }
    best_cpu = flops / best_cpu * 1e-9;
    ak_conv_destroy(conv);
    free(wt); free(bias); free(in); free(out);
    return flops / best * 1e-9;
}

static double bench_sgemm(int m, int n, int kk, int threads) {
    float *a = malloc((size_t)m * kk * 4), *b = malloc((size_t)kk * n * 4), *c = malloc((size_t)m * n * 4);
    for (size_t i = 0; i < (size_t)m * kk; i++) a[i] = 0.001f * (i % 97);
    for (size_t i = 0; i < (size_t)kk * n; i++) b[i] = 0.001f * (i % 89);
    openblas_set_num_threads(threads);
    double best = 1e9;
    double budget = now() + (getenv("BENCH_SECONDS") ? atof(getenv("BENCH_SECONDS")) : 2.0);
    for (int r = 0; r < 5 || (now() < budget && r < 200); r++) {
        double t0 = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, kk, 1, a, kk, b, n, 0, c, n);
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    openblas_set_num_threads(1);
    free(a); free(b); free(c);
    return 2.0 * m * n * kk / best * 1e-9;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    force_path = getenv("CONV_PATH") ? atoi(getenv("CONV_PATH")) : -1;
    const char *only = argc > 2 ? argv[2] : NULL;
    openblas_set_num_threads(1);
    struct { const char *name; int cin, cout, k, h, w, esrgan; } shapes[] = {
        {"conv0 1x1 3->3 @1024", 3, 3, 1, 1024, 1024},
        {"3->24 @1024", 3, 24, 3, 1024, 1024},
        {"24->24 @1024", 24, 24, 3, 1024, 1024},
        {"24->32 @512", 24, 32, 3, 512, 512},
        {"32->32 @512", 32, 32, 3, 512, 512},
        {"32->64 @256", 32, 64, 3, 256, 256},
        {"64->64 @256", 64, 64, 3, 256, 256},
        {"64->128 @128", 64, 128, 3, 128, 128},
        {"128->128 @128", 128, 128, 3, 128, 128},
        {"128->64 @128", 128, 64, 3, 128, 128},
        {"64->32 @256", 64, 32, 3, 256, 256},
        {"32->24 @512", 32, 24, 3, 512, 512},
        {"24->3 @1024", 24, 3, 3, 1024, 1024},
        {"128->128 @16", 128, 128, 3, 16, 16},
        {"128->128 @32", 128, 128, 3, 32, 32},
        {"128->128 @64", 128, 128, 3, 64, 64},
        {"64->64 @32", 64, 64, 3, 32, 32},
        {"24->24 @64", 24, 24, 3, 64, 64},
        {"24->24 @32", 24, 24, 3, 32, 32},
        {"128->128 @48", 128, 128, 3, 48, 48},
        {"24->24 @250x333", 24, 24, 3, 250, 333},
        {"esrgan 64->64 @276", 64, 64, 3, 276, 276},
        {"esrgan 160->32 @276", 160, 32, 3, 276, 276},
        {"magenta 32->32 @256", 32, 32, 3, 256, 256},
        {"magenta 32->16 @512", 32, 16, 3, 512, 512},
        {"magenta 128->128 @128", 128, 128, 3, 128, 128},
        {"magenta 128->128 @256", 128, 128, 3, 256, 256},
        {"magenta 64->64 @512", 64, 64, 3, 512, 512},
        {"ust 16->16 @640x368", 16, 16, 3, 368, 640},
        {"ust 32->32 @320x184", 32, 32, 3, 184, 320},
        {"ust 64->64 @160x92", 64, 64, 3, 92, 160},
        {"x4plus 64->32 zp lrelu @276", 64, 32, 3, 276, 276, 1},
        {"x4plus 160->32 zp lrelu @276", 160, 32, 3, 276, 276, 1},
        {"x4plus 192->64 zp lrelu @276", 192, 64, 3, 276, 276, 1},
    };
    printf("threads %d\n", threads);
    if (!only || strcmp(only, "gemm") == 0) {
        printf("%-22s %7.1f GFLOP/s\n", "sgemm 2048^3", bench_sgemm(2048, 2048, 2048, threads));
        printf("%-22s %7.1f GFLOP/s\n", "sgemm 128x16384x1152", bench_sgemm(128, 16384, 1152, threads));
        printf("%-22s %7.1f GFLOP/s\n", "sgemm 24x65536x216", bench_sgemm(24, 65536, 216, threads));
    }
    double total_t = 0, total_f = 0;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        if (only && !strstr(shapes[i].name, only)) continue;
        double err;
        double g = bench_layer(shapes[i].cin, shapes[i].cout, shapes[i].k, shapes[i].h, shapes[i].w,
                               shapes[i].esrgan, threads, &err);
        double f = 2.0 * shapes[i].cout * shapes[i].cin * shapes[i].k * shapes[i].k * shapes[i].h * shapes[i].w;
        total_f += f; total_t += f / (g * 1e9);
        printf("%-22s %7.1f GFLOP/s  %7.2f ms  per core %6.1f  max rel err %.2e  bits %016llx\n", shapes[i].name, g,
               f / (g * 1e6), best_cpu, err, out_hash);
    }
    if (total_t > 0) printf("%-22s %7.1f GFLOP/s  %7.2f ms\n", "all layers", total_f / total_t * 1e-9, total_t * 1e3);
    return 0;
}
