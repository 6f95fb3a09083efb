#ifndef ATELIER_CONV_H
#define ATELIER_CONV_H
/* Convolution layers: stride 1, kernel 1x1 (no padding) or 3x3 (1-pixel reflection padding),
 * bias added and ReLU applied (when asked) in the same pass.
 * Tensors are float32 CHW: in [cin][h][w], out [cout][h][w], weight [cout][cin][k][k]. */
#include <stddef.h>

/* A convolution layer with its weights packed for the kernels (opaque). */
typedef struct ak_conv ak_conv;

/* Packs `weight` ([cout][cin][k][k]) and `bias` ([cout]); k is 1 or 3. NULL on bad arguments. */
ak_conv *ak_conv_create(const float *weight, const float *bias, int cout, int cin, int k);
void ak_conv_destroy(ak_conv *conv);
int ak_conv_out_channels(const ak_conv *conv);
int ak_conv_in_channels(const ak_conv *conv);
int ak_conv_kernel_size(const ak_conv *conv);

/* Scratch floats that one call of ak_conv_forward_rows needs for a band of `rows` rows of an
 * h x w input. */
size_t ak_conv_scratch_floats(const ak_conv *conv, int h, int w, int rows);

/* Computes output rows [y0, y1) of all output channels. Bands never overlap, so several
 * threads may run this on one layer at once, each with its own scratch. A 3x3 layer needs
 * h >= 2 and w >= 2 (reflection padding); smaller inputs leave `out` untouched. */
void ak_conv_forward_rows(const ak_conv *conv, const float *in, int h, int w, float *out,
                          int y0, int y1, int relu, float *scratch);

/* ak_conv_forward_rows (no activation) fused with what a backward pass does next: `extra`
 * (cout x h x w, or NULL) added to rows [y0, y1) and the sum zeroed wherever `gate` (same
 * shape, or NULL) is not positive. The AVX2 Winograd does it at its store; other kernels in a
 * pass over the band just written, while it is in cache. */
void ak_conv_forward_rows_gated(const ak_conv *conv, const float *in, int h, int w, float *out,
                                int y0, int y1, float *scratch, const float *extra, const float *gate);

/* Extension: the band height (rows per ak_conv_forward_rows call) that suits an h x w input
 * spread over `threads` threads: several bands per thread, scratch kept cache-sized. */
int ak_conv_band_rows(const ak_conv *conv, int h, int w, int threads);

/* Extension (ncnn networks): zero_pad != 0 pads 3x3 layers with zeros instead of the reflection;
 * `slope` (cout floats, copied; NULL for none) applies y = v > 0 ? v : slope[c] * v at the store
 * (LeakyReLU with one slope repeated, PReLU), in place of the relu flag. Returns 0 when out of
 * memory (nothing changed). Not thread-safe with forward calls. */
int ak_conv_configure(ak_conv *conv, int zero_pad, const float *slope);

/* Extension: kernel families. A layer starts on the best one the CPU supports:
 * 0 im2col + sgemm (any CPU), 1 direct AVX2/FMA, 2 direct AVX-512, 3 Winograd F(4x4,3x3)
 * AVX-512 for 3x3 layers with >= 16 channels in and out on maps >= 28 wide (direct elsewhere),
 * 4 Winograd F(4x4,3x3) AVX2/FMA under the same conditions (any padding, slopes included). */
int ak_conv_path(const ak_conv *conv);
/* Switches `conv` to family `path` (tests and benchmarks compare families); returns 0 and
 * changes nothing when the CPU cannot run it. Not thread-safe with forward calls. */
int ak_conv_use_path(ak_conv *conv, int path);
#endif
