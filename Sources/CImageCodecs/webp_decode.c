/* WebP decoding from memory through libwebp (the demuxer gives the ICCP and EXIF chunks). */
#include "cimagecodecs.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>
#include <webp/demux.h>

/* Copies the ICCP chunk and reads the orientation from the EXIF chunk, when the file has them. */
static void webp_read_metadata(const unsigned char *data, size_t size, cic_raster *out) {
    WebPData whole = {data, size};
    WebPDemuxer *demux = WebPDemux(&whole);
    if (!demux) return;
    uint32_t flags = WebPDemuxGetI(demux, WEBP_FF_FORMAT_FLAGS);
    WebPChunkIterator chunk;
    if ((flags & ICCP_FLAG) && WebPDemuxGetChunk(demux, "ICCP", 1, &chunk)) {
        out->colour.icc = malloc(chunk.chunk.size);
        if (out->colour.icc) {
            memcpy(out->colour.icc, chunk.chunk.bytes, chunk.chunk.size);
            out->colour.icc_size = chunk.chunk.size;
        }
        WebPDemuxReleaseChunkIterator(&chunk);
    }
    if ((flags & EXIF_FLAG) && WebPDemuxGetChunk(demux, "EXIF", 1, &chunk)) {
        /* The chunk holds the TIFF structure, usually without the "Exif\0\0" of JPEG's APP1. */
        size_t n = chunk.chunk.size;
        unsigned char *payload = malloc(n + 6);
        if (payload) {
            if (n >= 6 && memcmp(chunk.chunk.bytes, "Exif\0\0", 6) == 0) {
                memcpy(payload, chunk.chunk.bytes, n);
                out->orientation = cic_exif_orientation(payload, n);
            } else {
                memcpy(payload, "Exif\0\0", 6);
                memcpy(payload + 6, chunk.chunk.bytes, n);
                out->orientation = cic_exif_orientation(payload, n + 6);
            }
            free(payload);
        }
        WebPDemuxReleaseChunkIterator(&chunk);
    }
    WebPDemuxDelete(demux);
}

int cic_webp_decode(const unsigned char *data, size_t size, long long max_pixels, cic_raster *out) {
    memset(out, 0, sizeof *out);
    out->orientation = 1;
    WebPBitstreamFeatures features;
    VP8StatusCode code = WebPGetFeatures(data, size, &features);
    if (code == VP8_STATUS_NOT_ENOUGH_DATA) {
        snprintf(out->message, sizeof out->message, "the file ends before the image data does");
        return CIC_TRUNCATED;
    }
    if (code != VP8_STATUS_OK) {
        snprintf(out->message, sizeof out->message, "not a valid WebP bitstream (libwebp status %d)", (int)code);
        return CIC_CORRUPT;
    }
    out->width = features.width;
    out->height = features.height;
    if ((long long)features.width * (long long)features.height > max_pixels) {
        snprintf(out->message, sizeof out->message, "image is %dx%d", features.width, features.height);
        return CIC_TOO_LARGE;
    }
    if (features.has_animation) {
        snprintf(out->message, sizeof out->message, "an animated WebP; only still images are read");
        return CIC_CORRUPT;
    }
    int channels = features.has_alpha ? 4 : 3;
    size_t stride = (size_t)features.width * (size_t)channels;
    size_t bytes = stride * (size_t)features.height;
    if (cic_allocate_pixels(out, stride, (size_t)features.height) != CIC_OK) return CIC_NO_MEMORY;
    uint8_t *done = features.has_alpha
        ? WebPDecodeRGBAInto(data, size, out->pixels, bytes, (int)stride)
        : WebPDecodeRGBInto(data, size, out->pixels, bytes, (int)stride);
    if (!done) {
        cic_raster_free(out);
        /* WebPGetFeatures read the header; a failure past it is missing or damaged data. */
        WebPDecoderConfig probe;
        int truncated = WebPInitDecoderConfig(&probe) &&
                        WebPDecode(data, size, &probe) == VP8_STATUS_NOT_ENOUGH_DATA;
        WebPFreeDecBuffer(&probe.output);
        snprintf(out->message, sizeof out->message, truncated ? "the file ends before the image data does"
                                                              : "the WebP image data is invalid");
        return truncated ? CIC_TRUNCATED : CIC_CORRUPT;
    }
    out->layout = features.has_alpha ? CIC_RGBA : CIC_RGB;
    out->channels = channels;
    out->bit_depth = 8;
    webp_read_metadata(data, size, out);
    return CIC_OK;
}
