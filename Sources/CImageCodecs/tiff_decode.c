/* TIFF decoding from memory through libtiff (first page only). */
#include "cimagecodecs.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

/* The bytes libtiff reads through TIFFClientOpen. */
typedef struct {
    const unsigned char *data;
    size_t size;
    size_t position;
} tiff_source;

static tmsize_t tiff_read(thandle_t handle, void *buffer, tmsize_t count) {
    tiff_source *src = (tiff_source *)handle;
    if (count <= 0 || src->position >= src->size) return 0;
    size_t n = (size_t)count;
    if (n > src->size - src->position) n = src->size - src->position;
    memcpy(buffer, src->data + src->position, n);
    src->position += n;
    return (tmsize_t)n;
}

static tmsize_t tiff_write(thandle_t handle, void *buffer, tmsize_t count) {
    (void)handle; (void)buffer; (void)count;
    return 0;
}

static toff_t tiff_seek(thandle_t handle, toff_t offset, int whence) {
    tiff_source *src = (tiff_source *)handle;
    uint64_t base = whence == SEEK_CUR ? src->position : whence == SEEK_END ? src->size : 0;
    uint64_t target = base + offset;
    src->position = target > src->size ? src->size : (size_t)target;
    return (toff_t)target;
}

static int tiff_close(thandle_t handle) { (void)handle; return 0; }
static toff_t tiff_size(thandle_t handle) { return (toff_t)((tiff_source *)handle)->size; }
static int tiff_map(thandle_t handle, void **base, toff_t *size) { (void)handle; (void)base; (void)size; return 0; }
static void tiff_unmap(thandle_t handle, void *base, toff_t size) { (void)handle; (void)base; (void)size; }

/* libtiff reports through process-wide handlers: the last error of this thread is kept for
 * the message, and nothing is printed. */
static _Thread_local char tiff_last_error[200];

static void tiff_error(const char *module, const char *format, va_list args) {
    (void)module;
    vsnprintf(tiff_last_error, sizeof tiff_last_error, format, args);
}

static void tiff_warning(const char *module, const char *format, va_list args) {
    (void)module; (void)format; (void)args;
}

static int tiff_failure(cic_raster *out, const tiff_source *src, const char *what) {
    int truncated = strstr(tiff_last_error, "end of file") || strstr(tiff_last_error, "Read error") ||
                    strstr(tiff_last_error, "Not enough data");
    if (truncated || src->position >= src->size) {
        snprintf(out->message, sizeof out->message, "the file ends before the image data does");
        return CIC_TRUNCATED;
    }
    snprintf(out->message, sizeof out->message, "%s%s%s", what, tiff_last_error[0] ? ": " : "", tiff_last_error);
    return CIC_CORRUPT;
}

/* 8/16-bit RGB(A) and grey(+alpha), contiguous samples: read as stored, keeping 16 bits. */
static int tiff_read_direct(TIFF *tif, const tiff_source *src, cic_raster *out, int channels, int depth) {
    size_t row = (size_t)out->width * (size_t)channels * (size_t)(depth / 8);
    if ((size_t)TIFFScanlineSize(tif) != row) return -1; /* something unusual: use the RGBA path */
    int status = cic_allocate_pixels(out, row, (size_t)out->height);
    if (status != CIC_OK) return status;
    for (int y = 0; y < out->height; y++) {
        if (TIFFReadScanline(tif, (unsigned char *)out->pixels + (size_t)y * row, (uint32_t)y, 0) < 0) {
            return tiff_failure(out, src, "cannot read row");
        }
    }
    out->channels = channels;
    out->bit_depth = depth;
    out->layout = channels == 1 ? CIC_GRAY : channels == 2 ? CIC_GRAY_ALPHA : channels == 3 ? CIC_RGB : CIC_RGBA;
    return CIC_OK;
}

/* Everything else libtiff can turn into 8-bit RGBA, rows in the stored order. */
static int tiff_read_rgba(TIFF *tif, const tiff_source *src, cic_raster *out, uint16_t orientation) {
    int status = cic_allocate_pixels(out, (size_t)out->width * 4, (size_t)out->height);
    if (status != CIC_OK) return status;
    /* Asking for the file's own orientation makes libtiff leave the rows as stored; the
     * orientation is applied with every other format's. */
    if (!TIFFReadRGBAImageOriented(tif, (uint32_t)out->width, (uint32_t)out->height, (uint32_t *)out->pixels,
                                   orientation, 0)) {
        return tiff_failure(out, src, "cannot decode the image");
    }
    /* ABGR words in native order are R, G, B, A bytes on a little-endian machine. */
    const uint16_t probe = 1;
    if (*(const unsigned char *)&probe != 1) {
        uint32_t *p = (uint32_t *)out->pixels;
        size_t count = (size_t)out->width * (size_t)out->height;
        for (size_t i = 0; i < count; i++) {
            uint32_t v = p[i];
            unsigned char *b = (unsigned char *)&p[i];
            b[0] = (unsigned char)TIFFGetR(v); b[1] = (unsigned char)TIFFGetG(v);
            b[2] = (unsigned char)TIFFGetB(v); b[3] = (unsigned char)TIFFGetA(v);
        }
    }
    out->channels = 4;
    out->bit_depth = 8;
    out->layout = CIC_RGBA;
    return CIC_OK;
}

static int tiff_decode_open(TIFF *tif, const tiff_source *src, long long max_pixels, cic_raster *out) {
    uint32_t width = 0, height = 0;
    if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height) ||
        width == 0 || height == 0 || width > INT32_MAX || height > INT32_MAX) {
        snprintf(out->message, sizeof out->message, "the TIFF has no valid image size");
        return CIC_CORRUPT;
    }
    out->width = (int)width;
    out->height = (int)height;
    if ((long long)width * (long long)height > max_pixels) {
        snprintf(out->message, sizeof out->message, "image is %ux%u", width, height);
        return CIC_TOO_LARGE;
    }
    uint16_t orientation = ORIENTATION_TOPLEFT;
    TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &orientation);
    if (orientation < 1 || orientation > 8) orientation = ORIENTATION_TOPLEFT;
    out->orientation = orientation;

    uint32_t icc_size = 0;
    void *icc = NULL;
    if (TIFFGetField(tif, TIFFTAG_ICCPROFILE, &icc_size, &icc) && icc && icc_size > 0) {
        out->colour.icc = malloc(icc_size);
        if (out->colour.icc) {
            memcpy(out->colour.icc, icc, icc_size);
            out->colour.icc_size = icc_size;
        }
    }

    uint16_t depth = 1, samples = 1, photometric = 0, planar = PLANARCONFIG_CONTIG, format = SAMPLEFORMAT_UINT;
    uint16_t extra_count = 0;
    uint16_t *extra = NULL;
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &depth);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &samples);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
    TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &extra_count, &extra);
    int has_photometric = TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric);
    int colour_samples = photometric == PHOTOMETRIC_RGB ? 3 : 1;
    int alpha = extra_count == 1 && samples == colour_samples + 1 && extra &&
                (extra[0] == EXTRASAMPLE_UNASSALPHA);
    int direct = has_photometric && (photometric == PHOTOMETRIC_RGB || photometric == PHOTOMETRIC_MINISBLACK) &&
                 (depth == 8 || depth == 16) && format == SAMPLEFORMAT_UINT && planar == PLANARCONFIG_CONTIG &&
                 !TIFFIsTiled(tif) && (samples == colour_samples || alpha);
    if (direct) {
        int status = tiff_read_direct(tif, src, out, samples, depth);
        if (status != -1) return status;
    }
    if (photometric == PHOTOMETRIC_SEPARATED) {
        /* CMYK through the RGBA path is naive; with a CMYK profile it would be wrong twice. */
        free(out->colour.icc);
        out->colour.icc = NULL;
        out->colour.icc_size = 0;
    }
    char reason[1024];
    if (!TIFFRGBAImageOK(tif, reason)) {
        snprintf(out->message, sizeof out->message, "unsupported TIFF layout (%.200s)", reason);
        return CIC_CORRUPT;
    }
    return tiff_read_rgba(tif, src, out, orientation);
}

int cic_tiff_decode(const unsigned char *data, size_t size, long long max_pixels, cic_raster *out) {
    memset(out, 0, sizeof *out);
    out->orientation = 1;
    TIFFSetErrorHandler(tiff_error);
    TIFFSetWarningHandler(tiff_warning);
    tiff_last_error[0] = 0;
    tiff_source src = {data, size, 0};
    /* "m": never memory-map (the bytes are ours already); "h": read the header only now. */
    TIFF *tif = TIFFClientOpen("image", "rm", (thandle_t)&src, tiff_read, tiff_write, tiff_seek, tiff_close,
                               tiff_size, tiff_map, tiff_unmap);
    if (!tif) {
        int status = tiff_failure(out, &src, "not a readable TIFF");
        return status;
    }
    int status = tiff_decode_open(tif, &src, max_pixels, out);
    TIFFClose(tif);
    return cic_decode_finished(status, out);
}
