/* Shared pieces of the codec shims: raster lifetime and the EXIF orientation reader. */
#include "cimagecodecs.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cic_raster_free(cic_raster *raster) {
    if (!raster) return;
    free(raster->pixels);
    raster->pixels = NULL;
    free(raster->colour.icc);
    raster->colour.icc = NULL;
    raster->colour.icc_size = 0;
}

int cic_allocate_pixels(cic_raster *out, size_t row_bytes, size_t rows) {
    if (rows != 0 && row_bytes > SIZE_MAX / rows) {
        snprintf(out->message, sizeof out->message, "image is too large for memory");
        return CIC_NO_MEMORY;
    }
    size_t bytes = row_bytes * rows;
    out->pixels = malloc(bytes ? bytes : 1);
    if (!out->pixels) {
        snprintf(out->message, sizeof out->message, "cannot allocate %zu bytes for the pixels", bytes);
        return CIC_NO_MEMORY;
    }
    return CIC_OK;
}

int cic_decode_finished(int status, cic_raster *out) {
    if (status != CIC_OK) {
        int width = out->width, height = out->height;
        cic_raster_free(out); /* the pixels and any profile read so far */
        out->width = width;
        out->height = height;
    } else {
        out->message[0] = 0;
    }
    return status;
}

static uint32_t tiff_u16(const unsigned char *p, int big_endian) {
    return big_endian ? ((uint32_t)p[0] << 8 | p[1]) : ((uint32_t)p[1] << 8 | p[0]);
}

static uint32_t tiff_u32(const unsigned char *p, int big_endian) {
    return big_endian ? ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3])
                      : ((uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0]);
}

/* EXIF = "Exif\0\0" + a TIFF structure: byte order ("II" or "MM"), 42, offset of IFD0, then
 * IFD0 = entry count + 12-byte entries (tag, type, count, value-or-offset). Orientation is tag
 * 0x0112, type SHORT (3), count 1, value inline. Every offset is bounds-checked. */
int cic_exif_orientation(const unsigned char *payload, size_t size) {
    static const unsigned char exif_header[6] = {'E', 'x', 'i', 'f', 0, 0};
    if (!payload || size < 6 + 8 || memcmp(payload, exif_header, 6) != 0) return 1;
    const unsigned char *tiff = payload + 6;
    size_t tiff_size = size - 6;
    int big_endian;
    if (tiff[0] == 'I' && tiff[1] == 'I') big_endian = 0;
    else if (tiff[0] == 'M' && tiff[1] == 'M') big_endian = 1;
    else return 1;
    if (tiff_u16(tiff + 2, big_endian) != 42) return 1;
    uint32_t ifd = tiff_u32(tiff + 4, big_endian);
    if (ifd < 8 || (size_t)ifd > tiff_size - 2) return 1;
    uint32_t entries = tiff_u16(tiff + ifd, big_endian);
    size_t first = (size_t)ifd + 2;
    if (entries > (tiff_size - first) / 12) entries = (uint32_t)((tiff_size - first) / 12);
    for (uint32_t i = 0; i < entries; i++) {
        const unsigned char *entry = tiff + first + (size_t)i * 12;
        if (tiff_u16(entry, big_endian) != 0x0112) continue;
        uint32_t type = tiff_u16(entry + 2, big_endian);
        uint32_t count = tiff_u32(entry + 4, big_endian);
        if (type != 3 || count < 1) return 1;
        uint32_t value = tiff_u16(entry + 8, big_endian);
        return (value >= 1 && value <= 8) ? (int)value : 1;
    }
    return 1;
}
