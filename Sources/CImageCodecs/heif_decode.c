/* HEIF decoding (HEIC and AVIF) from memory through libheif: the primary image only. */
#include "cimagecodecs.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libheif/heif.h>

static int heif_failure(cic_raster *out, struct heif_error error, const char *what) {
    if (error.code == heif_error_Invalid_input && error.subcode == heif_suberror_End_of_data) {
        snprintf(out->message, sizeof out->message, "the file ends before the image data does");
        return CIC_TRUNCATED;
    }
    if (error.subcode == heif_suberror_Security_limit_exceeded) {
        /* The limit set in heif_decode_context: a coded stream larger than the image. */
        snprintf(out->message, sizeof out->message, "a coded stream is larger than the image (%s)",
                 error.message ? error.message : "");
        return CIC_CORRUPT;
    }
    if (error.code == heif_error_Memory_allocation_error) {
        snprintf(out->message, sizeof out->message, "%s", error.message ? error.message : "out of memory");
        return CIC_NO_MEMORY;
    }
    if (error.code == heif_error_Unsupported_feature || error.code == heif_error_Unsupported_filetype) {
        snprintf(out->message, sizeof out->message, "%s: unsupported (%s)", what, error.message ? error.message : "");
        return CIC_CORRUPT;
    }
    snprintf(out->message, sizeof out->message, "%s (%s)", what, error.message ? error.message : "libheif error");
    return CIC_CORRUPT;
}

/* The image's colour description: an ICC profile, else the nclx code points. */
static void heif_read_colour(const struct heif_image_handle *handle, cic_colour *colour) {
    size_t size = heif_image_handle_get_raw_color_profile_size(handle);
    if (size > 0) {
        colour->icc = malloc(size);
        if (colour->icc && heif_image_handle_get_raw_color_profile(handle, colour->icc).code == heif_error_Ok) {
            colour->icc_size = size;
            return;
        }
        free(colour->icc);
        colour->icc = NULL;
    }
    struct heif_color_profile_nclx *nclx = NULL;
    if (heif_image_handle_get_nclx_color_profile(handle, &nclx).code == heif_error_Ok && nclx) {
        colour->cicp_primaries = (int)nclx->color_primaries;
        colour->cicp_transfer = (int)nclx->transfer_characteristics;
    }
    /* Also after an error: libheif 1.15 can hand out the profile it filled and then report that
     * one of its code points is invalid (52 bytes a damaged file otherwise). */
    heif_nclx_color_profile_free(nclx);
}

/* Copies the decoded interleaved plane into out->pixels, widening >8-bit samples to 16 bits. */
static int heif_copy_pixels(const struct heif_image *image, int bits, int channels, cic_raster *out) {
    int stride = 0;
    const uint8_t *plane = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride);
    if (!plane) {
        snprintf(out->message, sizeof out->message, "libheif returned no pixels");
        return CIC_CORRUPT;
    }
    int wide = bits > 8;
    size_t row = (size_t)out->width * (size_t)channels * (wide ? 2 : 1);
    int status = cic_allocate_pixels(out, row, (size_t)out->height);
    if (status != CIC_OK) return status;
    uint32_t top = (1u << bits) - 1;
    for (int y = 0; y < out->height; y++) {
        const uint8_t *from = plane + (size_t)y * (size_t)stride;
        uint8_t *to = (uint8_t *)out->pixels + (size_t)y * row;
        if (!wide) {
            memcpy(to, from, row);
            continue;
        }
        /* Little-endian samples of `bits` bits, scaled to the full 16-bit range. */
        uint16_t *samples = (uint16_t *)to;
        size_t count = (size_t)out->width * (size_t)channels;
        for (size_t i = 0; i < count; i++) {
            uint32_t v = (uint32_t)from[2 * i] | (uint32_t)from[2 * i + 1] << 8;
            if (v > top) v = top;
            samples[i] = (uint16_t)((v * 65535u + top / 2) / top);
        }
    }
    out->channels = channels;
    out->bit_depth = wide ? 16 : 8;
    out->layout = channels == 4 ? CIC_RGBA : CIC_RGB;
    return CIC_OK;
}

static int heif_decode_context(struct heif_context *context, const unsigned char *data, size_t size,
                               long long max_pixels, cic_raster *out) {
    struct heif_error error = heif_context_read_from_memory_without_copy(context, data, size, NULL);
    if (error.code != heif_error_Ok) return heif_failure(out, error, "not a readable HEIF file");
    struct heif_image_handle *handle = NULL;
    error = heif_context_get_primary_image_handle(context, &handle);
    if (error.code != heif_error_Ok) return heif_failure(out, error, "no primary image");

    out->width = heif_image_handle_get_width(handle);
    out->height = heif_image_handle_get_height(handle);
    int status = CIC_OK;
    if (out->width <= 0 || out->height <= 0) {
        snprintf(out->message, sizeof out->message, "the HEIF image has no valid size");
        status = CIC_CORRUPT;
    } else if ((long long)out->width * (long long)out->height > max_pixels) {
        snprintf(out->message, sizeof out->message, "image is %dx%d", out->width, out->height);
        status = CIC_TOO_LARGE;
    }
    if (status == CIC_OK) {
        /* The coded streams (the image's, its alpha's, a grid's tiles) carry sizes of their own,
         * which libheif allocates before decoding: a 48x32 image whose alpha stream claims
         * 29545x30305 asked for 895 MB (found by the fuzzer). No stream may be wider or taller
         * than the image itself plus the coding block padding (libheif refuses sizes >= limit). */
        int longest = out->width > out->height ? out->width : out->height;
        heif_context_set_maximum_image_size_limit(context, longest + 129);
        heif_read_colour(handle, &out->colour);
        int alpha = heif_image_handle_has_alpha_channel(handle);
        int wide = heif_image_handle_get_luma_bits_per_pixel(handle) > 8;
        enum heif_chroma chroma = wide ? (alpha ? heif_chroma_interleaved_RRGGBBAA_LE : heif_chroma_interleaved_RRGGBB_LE)
                                       : (alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB);
        struct heif_decoding_options *options = heif_decoding_options_alloc();
        struct heif_image *image = NULL;
        error = heif_decode_image(handle, &image, heif_colorspace_RGB, chroma, options);
        heif_decoding_options_free(options);
        if (error.code != heif_error_Ok) {
            status = heif_failure(out, error, "cannot decode the image");
        } else {
            /* The decoded size is after rotation (irot), which can swap width and height. */
            out->width = heif_image_get_width(image, heif_channel_interleaved);
            out->height = heif_image_get_height(image, heif_channel_interleaved);
            int bits = heif_image_get_bits_per_pixel_range(image, heif_channel_interleaved);
            status = heif_copy_pixels(image, bits, alpha ? 4 : 3, out);
            heif_image_release(image);
        }
    }
    heif_image_handle_release(handle);
    return status;
}

int cic_heif_decode(const unsigned char *data, size_t size, long long max_pixels, cic_raster *out) {
    memset(out, 0, sizeof *out);
    out->orientation = 1; /* libheif applies the irot/imir transformations itself */
    struct heif_context *context = heif_context_alloc();
    if (!context) {
        snprintf(out->message, sizeof out->message, "cannot initialise libheif");
        return CIC_NO_MEMORY;
    }
    int status = heif_decode_context(context, data, size, max_pixels, out);
    heif_context_free(context);
    return cic_decode_finished(status, out);
}
