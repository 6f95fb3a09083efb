/* JPEG decoding from memory through libjpeg-turbo, behind setjmp. */
#include "cimagecodecs.h"
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

/* libjpeg's error manager, extended with the jump target and our own state. Everything the
 * decode touches after setjmp lives here, in the caller's frame. */
typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    int truncated;
    long long max_pixels;
    cic_raster *out;
    JSAMPROW *rows;
    struct jpeg_progress_mgr progress;
    struct jpeg_decompress_struct cinfo;
} jpeg_job;

/* A progressive JPEG can hold thousands of tiny scans that each re-walk the whole image (a
 * CPU bomb in a small file); real encoders use about 10. Same cap as libjpeg-turbo's tjDecompress. */
enum { MAX_PROGRESSIVE_SCANS = 500 };

static void jpeg_progressed(j_common_ptr common) {
    j_decompress_ptr cinfo = (j_decompress_ptr)common;
    if (cinfo->progressive_mode && cinfo->input_scan_number > MAX_PROGRESSIVE_SCANS) {
        jpeg_job *job = (jpeg_job *)cinfo->err;
        snprintf(job->out->message, sizeof job->out->message, "more than %d progressive scans",
                 MAX_PROGRESSIVE_SCANS);
        longjmp(job->jump, 1);
    }
}

static void jpeg_failed(j_common_ptr cinfo) {
    jpeg_job *job = (jpeg_job *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    snprintf(job->out->message, sizeof job->out->message, "%s", text);
    longjmp(job->jump, 1);
}

/* Warnings are silent, except missing data: libjpeg would pad the image with grey and carry on
 * (a file ending early, or the first scan cut short by a marker, as in a header with no scan
 * data), but for us that is a truncated file. A later progressive scan cut short only loses
 * refinement of an image already there, which libjpeg (and browsers) tolerate. */
static void jpeg_noted(j_common_ptr cinfo, int level) {
    jpeg_job *job = (jpeg_job *)cinfo->err;
    if (level < 0) {
        cinfo->err->num_warnings++;
        int code = cinfo->err->msg_code;
        j_decompress_ptr decompress = (j_decompress_ptr)cinfo;
        int first_scan = !decompress->progressive_mode || decompress->input_scan_number <= 1;
        if (code == JWRN_JPEG_EOF || (code == JWRN_HIT_MARKER && first_scan)) {
            job->truncated = 1;
            snprintf(job->out->message, sizeof job->out->message, "the file ends before the image data does");
            longjmp(job->jump, 1);
        }
    }
}

static int jpeg_orientation(j_decompress_ptr cinfo) {
    for (jpeg_saved_marker_ptr m = cinfo->marker_list; m; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length < 6) continue;
        if (memcmp(m->data, "Exif\0\0", 6) != 0) continue;
        return cic_exif_orientation(m->data, m->data_length);
    }
    return 1;
}

/* Runs the libjpeg calls; returns a cic_status. Only `job` (caller-owned) is modified. */
static int jpeg_decode_guarded(jpeg_job *job, const unsigned char *data, size_t size) {
    cic_raster *out = job->out;
    j_decompress_ptr cinfo = &job->cinfo;
    if (setjmp(job->jump)) {
        return job->truncated ? CIC_TRUNCATED : CIC_CORRUPT;
    }
    jpeg_create_decompress(cinfo);
    job->progress.progress_monitor = jpeg_progressed;
    cinfo->progress = &job->progress;
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_save_markers(cinfo, JPEG_APP0 + 2, 0xFFFF); /* ICC_PROFILE, possibly in several segments */
    if (jpeg_read_header(cinfo, TRUE) != JPEG_HEADER_OK) {
        snprintf(out->message, sizeof out->message, "no image in the JPEG stream");
        return CIC_CORRUPT;
    }
    out->width = (int)cinfo->image_width;
    out->height = (int)cinfo->image_height;
    if ((long long)cinfo->image_width * (long long)cinfo->image_height > job->max_pixels) {
        snprintf(out->message, sizeof out->message, "image is %ux%u",
                 (unsigned)cinfo->image_width, (unsigned)cinfo->image_height);
        return CIC_TOO_LARGE;
    }
    out->orientation = jpeg_orientation(cinfo);
    {
        JOCTET *icc = NULL;
        unsigned int icc_size = 0;
        /* libjpeg-turbo joins the APP2 segments in their sequence numbers' order (it returns
         * FALSE, and no profile, when one is missing or repeated). */
        if (jpeg_read_icc_profile(cinfo, &icc, &icc_size) && icc) {
            out->colour.icc = icc;
            out->colour.icc_size = icc_size;
        }
    }

    int layout;
    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
        cinfo->out_color_space = JCS_GRAYSCALE;
        layout = CIC_GRAY;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        cinfo->out_color_space = JCS_CMYK; /* libjpeg turns YCCK into CMYK */
        layout = CIC_CMYK_INVERTED;
        break;
    default:
        cinfo->out_color_space = JCS_RGB;
        layout = CIC_RGB;
        break;
    }
    jpeg_start_decompress(cinfo);

    size_t width = cinfo->output_width, height = cinfo->output_height;
    size_t channels = (size_t)cinfo->output_components;
    if (channels != (size_t)(layout == CIC_CMYK_INVERTED ? 4 : layout)) {
        snprintf(out->message, sizeof out->message, "unexpected JPEG component count %zu", channels);
        return CIC_CORRUPT;
    }
    size_t stride = width * channels;
    if (cic_allocate_pixels(out, stride, height) != CIC_OK) return CIC_NO_MEMORY;
    job->rows = (JSAMPROW *)malloc(sizeof(JSAMPROW) * (height ? height : 1));
    if (!job->rows) {
        snprintf(out->message, sizeof out->message, "cannot allocate the row table");
        return CIC_NO_MEMORY;
    }
    for (size_t y = 0; y < height; y++) job->rows[y] = (JSAMPROW)out->pixels + y * stride;
    while (cinfo->output_scanline < cinfo->output_height) {
        JDIMENSION done = cinfo->output_scanline;
        if (jpeg_read_scanlines(cinfo, job->rows + done, cinfo->output_height - done) == 0) {
            snprintf(out->message, sizeof out->message, "the decoder stopped before the last row");
            return CIC_CORRUPT;
        }
    }
    /* CMYK samples are taken as inverted (255 = no ink) whether or not an Adobe APP14 marker is
     * present: Photoshop writes them so, and Pillow, Chrome and Firefox all read every CMYK JPEG
     * that way, since plain CMYK JPEGs practically do not exist. */
    jpeg_finish_decompress(cinfo);

    out->layout = layout;
    out->channels = (int)channels;
    out->bit_depth = 8;
    out->width = (int)width;
    out->height = (int)height;
    return CIC_OK;
}

int cic_jpeg_decode(const unsigned char *data, size_t size, long long max_pixels, cic_raster *out) {
    memset(out, 0, sizeof *out);
    out->orientation = 1;
    if (size < 3 || data[0] != 0xFF || data[1] != 0xD8) {
        snprintf(out->message, sizeof out->message, "no JPEG start-of-image marker");
        return CIC_CORRUPT;
    }
    jpeg_job *job = (jpeg_job *)calloc(1, sizeof(jpeg_job));
    if (!job) {
        snprintf(out->message, sizeof out->message, "cannot initialise libjpeg");
        return CIC_NO_MEMORY;
    }
    job->out = out;
    job->max_pixels = max_pixels;
    job->cinfo.err = jpeg_std_error(&job->base);
    job->base.error_exit = jpeg_failed;
    job->base.emit_message = jpeg_noted;
    int status = jpeg_decode_guarded(job, data, size);
    jpeg_destroy_decompress(&job->cinfo);
    free(job->rows);
    free(job);
    return cic_decode_finished(status, out);
}
