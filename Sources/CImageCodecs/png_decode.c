/* PNG decoding from memory through libpng, behind setjmp. */
#include "cimagecodecs.h"
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PNG_CHUNK_LIMIT = 8 << 20, PNG_ALLOCATION_LIMIT = 64 << 20 };

/* libpng's allocations: a row is at most 8 MB (1 000 000 pixels of 16-bit RGBA), chunks 8 MiB. */
static png_voidp png_bounded_malloc(png_structp png, png_alloc_size_t size) {
    (void)png;
    return size > PNG_ALLOCATION_LIMIT ? NULL : malloc(size);
}

static void png_bounded_free(png_structp png, png_voidp pointer) {
    (void)png;
    free(pointer);
}

/* Everything the decode touches after setjmp lives here, in the caller's frame, so nothing
 * local to the setjmp function changes between setjmp and a longjmp. */
typedef struct {
    const unsigned char *data;
    size_t size;
    size_t position;
    long long max_pixels;
    int truncated;
    cic_raster *out;
    png_bytep *rows;
    png_structp png;
    png_infop info;
} png_source;

static void png_source_read(png_structp png, png_bytep dest, size_t length) {
    png_source *src = (png_source *)png_get_io_ptr(png);
    if (length > src->size - src->position) {
        src->truncated = 1;
        png_error(png, "unexpected end of file");
    }
    memcpy(dest, src->data + src->position, length);
    src->position += length;
}

static void png_failed(png_structp png, png_const_charp message) {
    png_source *src = (png_source *)png_get_error_ptr(png);
    snprintf(src->out->message, sizeof src->out->message, "%s", message ? message : "invalid PNG");
    png_longjmp(png, 1);
}

static void png_warned(png_structp png, png_const_charp message) {
    (void)png;
    (void)message; /* ancillary-chunk problems (bad iCCP, CRC of text chunks...) are not fatal */
}

static int png_layout(int color_type) {
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: return CIC_GRAY;
    case PNG_COLOR_TYPE_GRAY_ALPHA: return CIC_GRAY_ALPHA;
    case PNG_COLOR_TYPE_RGB: return CIC_RGB;
    case PNG_COLOR_TYPE_RGB_ALPHA: return CIC_RGBA;
    default: return 0;
    }
}

/* The cICP chunk's colour primaries and transfer codes (ITU-T H.273), read from the chunk list
 * directly (libpng before 1.6.45 does not know the chunk). Only chunks before IDAT count. */
static void png_find_cicp(const unsigned char *data, size_t size, cic_colour *colour) {
    size_t at = 8;
    while (at + 12 <= size) {
        uint32_t length = (uint32_t)data[at] << 24 | (uint32_t)data[at + 1] << 16 | (uint32_t)data[at + 2] << 8 | data[at + 3];
        const unsigned char *type = data + at + 4;
        if (memcmp(type, "IDAT", 4) == 0 || memcmp(type, "IEND", 4) == 0) return;
        if (length > size - at - 12) return;
        if (memcmp(type, "cICP", 4) == 0 && length == 4) {
            /* Only full-range RGB (matrix 0) is an RGB PNG's colour description. */
            if (data[at + 10] == 0) {
                colour->cicp_primaries = data[at + 8];
                colour->cicp_transfer = data[at + 9];
            }
            return;
        }
        at += 12 + (size_t)length;
    }
}

/* What the PNG says about its colours (iCCP, sRGB, gAMA, cHRM), after png_read_info. */
static void png_read_colour(png_structp png, png_infop info, cic_colour *colour) {
    png_charp name = NULL;
    int compression = 0;
    png_bytep profile = NULL;
    png_uint_32 profile_size = 0;
    if ((png_get_iCCP(png, info, &name, &compression, &profile, &profile_size) & PNG_INFO_iCCP) && profile_size > 0) {
        colour->icc = malloc(profile_size);
        if (colour->icc) {
            memcpy(colour->icc, profile, profile_size);
            colour->icc_size = profile_size;
        }
    }
    int intent = 0;
    if (png_get_sRGB(png, info, &intent) & PNG_INFO_sRGB) colour->srgb = 1;
    double gamma = 0;
    if ((png_get_gAMA(png, info, &gamma) & PNG_INFO_gAMA) && gamma > 0) colour->gamma = gamma;
    double *x = colour->chromaticities;
    if (png_get_cHRM(png, info, &x[0], &x[1], &x[2], &x[3], &x[4], &x[5], &x[6], &x[7]) & PNG_INFO_cHRM) {
        colour->has_chromaticities = 1;
    }
}

/* Runs the libpng calls; returns a cic_status. Only `src` (caller-owned) is modified. */
static int png_decode_guarded(png_source *src) {
    cic_raster *out = src->out;
    if (setjmp(png_jmpbuf(src->png))) {
        return src->truncated ? CIC_TRUNCATED : CIC_CORRUPT;
    }
    png_structp png = src->png;
    png_infop info = src->info;
    png_set_read_fn(png, src, png_source_read);
    /* A tiny file must not make libpng allocate what its chunk headers claim: ancillary chunks
     * (text, ICC profiles...) are capped at 8 MiB and 1000 chunks, the size at 1 000 000 a side,
     * and (since this libpng skips the chunk limit for iTXt) png_bounded_malloc refuses any
     * single request above PNG_ALLOCATION_LIMIT, which libpng treats as a skipped chunk. */
    png_set_chunk_malloc_max(png, PNG_CHUNK_LIMIT);
    png_set_chunk_cache_max(png, 1000);
    png_set_user_limits(png, 1000000, 1000000);
    png_read_info(png, info);

    png_uint_32 width = png_get_image_width(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    out->width = (int)width;
    out->height = (int)height;
    if ((long long)width * (long long)height > src->max_pixels) {
        snprintf(out->message, sizeof out->message, "image is %ux%u", (unsigned)width, (unsigned)height);
        return CIC_TOO_LARGE;
    }

    png_find_cicp(src->data, src->size, &out->colour);
    png_read_colour(png, info, &out->colour);

    png_set_expand(png); /* palette -> RGB, grey < 8 bit -> 8 bit, tRNS -> alpha */
    if (png_get_bit_depth(png, info) == 16) {
        const uint16_t probe = 1;
        if (*(const unsigned char *)&probe == 1) png_set_swap(png); /* to native (little) endian */
    }
    (void)png_set_interlace_handling(png); /* Adam7: png_read_image runs all passes */
    png_read_update_info(png, info);

    int layout = png_layout(png_get_color_type(png, info));
    int channels = png_get_channels(png, info);
    int depth = png_get_bit_depth(png, info);
    if (layout == 0 || channels != layout || (depth != 8 && depth != 16)) {
        snprintf(out->message, sizeof out->message, "unsupported PNG layout (colour type %d, depth %d)",
                 png_get_color_type(png, info), depth);
        return CIC_CORRUPT;
    }
    size_t row_bytes = png_get_rowbytes(png, info);
    if (row_bytes != (size_t)width * (size_t)channels * (size_t)(depth / 8)) {
        snprintf(out->message, sizeof out->message, "unexpected PNG row size");
        return CIC_CORRUPT;
    }
    if (cic_allocate_pixels(out, row_bytes, height) != CIC_OK) return CIC_NO_MEMORY;
    src->rows = (png_bytep *)malloc(sizeof(png_bytep) * (height ? height : 1));
    if (!src->rows) {
        snprintf(out->message, sizeof out->message, "cannot allocate the row table");
        return CIC_NO_MEMORY;
    }
    for (png_uint_32 y = 0; y < height; y++) {
        src->rows[y] = (png_bytep)out->pixels + (size_t)y * row_bytes;
    }
    png_read_image(png, src->rows);

    out->layout = layout;
    out->channels = channels;
    out->bit_depth = depth;
    out->orientation = 1;
    return CIC_OK;
}

int cic_png_decode(const unsigned char *data, size_t size, long long max_pixels, cic_raster *out) {
    memset(out, 0, sizeof *out);
    out->orientation = 1;
    png_source src;
    memset(&src, 0, sizeof src);
    src.data = data;
    src.size = size;
    src.max_pixels = max_pixels;
    src.out = out;
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        snprintf(out->message, sizeof out->message, "no PNG signature");
        return CIC_CORRUPT;
    }
    src.png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, &src, png_failed, png_warned, NULL,
                                       png_bounded_malloc, png_bounded_free);
    if (!src.png) {
        snprintf(out->message, sizeof out->message, "cannot initialise libpng");
        return CIC_NO_MEMORY;
    }
    src.info = png_create_info_struct(src.png);
    if (!src.info) {
        png_destroy_read_struct(&src.png, NULL, NULL);
        snprintf(out->message, sizeof out->message, "cannot initialise libpng");
        return CIC_NO_MEMORY;
    }
    int status = png_decode_guarded(&src);
    png_destroy_read_struct(&src.png, &src.info, NULL);
    free(src.rows);
    if (status == CIC_TRUNCATED) {
        snprintf(out->message, sizeof out->message, "the file ends before the image data does");
    }
    return cic_decode_finished(status, out);
}
