#ifndef ATELIER_CIMAGECODECS_H
#define ATELIER_CIMAGECODECS_H
/* C shims over the image libraries: libpng, libjpeg-turbo, libwebp, libtiff, libheif, and Little
 * CMS for colour management.
 *
 * Both libraries report errors by longjmp, which Swift cannot catch, so every call into them
 * happens here behind a setjmp, and failures come back as a status plus a message string.
 * Nothing in this file prints to stdout/stderr (the libraries' warning printers are replaced). */
#include <stddef.h>

/* Outcome of a decode. */
typedef enum {
    CIC_OK = 0,
    CIC_CORRUPT = 1,   /* the data is not a valid image; message says why */
    CIC_TRUNCATED = 2, /* the data ends before the image does */
    CIC_TOO_LARGE = 3, /* width * height (from the header) exceeds max_pixels; nothing decoded */
    CIC_NO_MEMORY = 4  /* the pixel buffer could not be allocated */
} cic_status;

/* What the samples of a decoded raster mean. */
typedef enum {
    CIC_GRAY = 1,          /* 1 channel */
    CIC_GRAY_ALPHA = 2,    /* 2 channels: grey, alpha (straight, not premultiplied) */
    CIC_RGB = 3,           /* 3 channels */
    CIC_RGBA = 4,          /* 4 channels: red, green, blue, alpha (straight) */
    CIC_CMYK_INVERTED = 5  /* 4 channels, each 1 - ink (Adobe convention): red = c * k, ... */
} cic_layout;

/* What the file says about its colours, in the order of precedence cic_convert_to_srgb uses:
 * coding-independent code points (PNG cICP, HEIF nclx), an ICC profile, PNG's sRGB chunk, PNG's
 * gAMA/cHRM. Nothing at all means sRGB. */
typedef struct {
    int cicp_primaries;        /* ITU-T H.273 colour primaries (1 BT.709, 9 BT.2020, 12 P3-D65); 0 none */
    int cicp_transfer;         /* ITU-T H.273 transfer (1/6/14/15 BT.709, 8 linear, 13 sRGB); 0 none */
    unsigned char *icc;        /* the embedded ICC profile, malloc'd (freed by cic_raster_free), or NULL */
    size_t icc_size;
    int srgb;                  /* 1 when a PNG sRGB chunk is present */
    double gamma;              /* PNG gAMA: the encoding exponent (0.45455 for 1/2.2); 0 none */
    int has_chromaticities;    /* 1 when `chromaticities` holds PNG cHRM values */
    double chromaticities[8];  /* white x, y, red x, y, green x, y, blue x, y */
} cic_colour;

/* A decoded image: interleaved samples, row by row, no padding. */
typedef struct {
    int width;
    int height;
    int layout;       /* a cic_layout */
    int channels;     /* samples per pixel (1..4) */
    int bit_depth;    /* 8 (unsigned char samples) or 16 (native-endian unsigned short samples) */
    int orientation;  /* EXIF orientation 1...8 (1 = as stored; also when absent or invalid) */
    void *pixels;     /* width * height * channels samples, malloc'd; release with cic_raster_free */
    cic_colour colour;
    char message[256];
} cic_raster;

/* Every decoder has this signature: decode the file held in memory, checking the header's
 * width * height against max_pixels before any pixel is decoded (CIC_TOO_LARGE, with width and
 * height filled in). On success the raster holds the samples as stored (orientation reported,
 * not applied) and what the file says about its colours. */
typedef int (*cic_decoder)(const unsigned char *data, size_t size, long long max_pixels, cic_raster *out);

/* Decodes a PNG held in memory (any colour type, bit depth 1-16, interlaced or not).
 * Palette, tRNS and sub-byte depths are expanded; 16-bit samples are kept.
 * Fills width/height even when returning CIC_TOO_LARGE. */
int cic_png_decode(const unsigned char *data, size_t size, long long max_pixels, cic_raster *out);

/* Decodes a JPEG held in memory to 8-bit grey, RGB or inverted CMYK, reporting the EXIF
 * orientation (not applied). Fills width/height even when returning CIC_TOO_LARGE. */
int cic_jpeg_decode(const unsigned char *data, size_t size, long long max_pixels, cic_raster *out);

/* Decodes a WebP (lossy or lossless, with or without alpha; not animated) to 8-bit RGB(A), with
 * its ICCP profile and EXIF orientation. */
int cic_webp_decode(const unsigned char *data, size_t size, long long max_pixels, cic_raster *out);

/* Decodes the first page of a TIFF: 8- and 16-bit RGB(A) and grey directly, anything else
 * libtiff understands (palette, bilevel, YCbCr, CMYK, ...) as 8-bit RGBA; with its ICC profile
 * and orientation tag. */
int cic_tiff_decode(const unsigned char *data, size_t size, long long max_pixels, cic_raster *out);

/* Decodes the primary image of a HEIF file (HEIC or AVIF) to 8- or 16-bit RGB(A), with its
 * colour profile (ICC or nclx). libheif applies the file's rotation and mirroring itself, so
 * the orientation is always 1. */
int cic_heif_decode(const unsigned char *data, size_t size, long long max_pixels, cic_raster *out);

/* Converts a decoded raster's samples to sRGB in place (as Little CMS does, perceptual intent,
 * alpha kept) according to its colour description, which is then cleared. An ICC profile that
 * cannot be read, or does not fit the samples, is ignored (the samples are taken as sRGB).
 * Returns CIC_OK, or CIC_NO_MEMORY with a message. */
int cic_convert_to_srgb(cic_raster *raster);

/* Releases the pixels and the colour profile of a raster (safe to call twice, and on a failed
 * decode). */
void cic_raster_free(cic_raster *raster);

/* Allocates out->pixels for `rows` rows of `row_bytes` bytes (overflow checked). Returns CIC_OK,
 * or CIC_NO_MEMORY with the message set. */
int cic_allocate_pixels(cic_raster *out, size_t row_bytes, size_t rows);

/* The common end of every decoder: on failure releases what was decoded (keeping width and
 * height, which CIC_TOO_LARGE reports) and keeps the message; on success clears the message.
 * Returns status. */
int cic_decode_finished(int status, cic_raster *out);

/* Reads the EXIF orientation (1...8) from the payload of an APP1 segment (starting at "Exif\0\0").
 * Returns 1 when the payload is not EXIF, is malformed, or has no valid orientation tag. */
int cic_exif_orientation(const unsigned char *payload, size_t size);

/* Streaming PNG writer (8-bit RGB, not interlaced, marked sRGB). Pixels go to a temporary file in the same
 * directory; cic_png_writer_finish flushes, fsyncs and renames it onto the destination, so the
 * destination is either the complete new file or untouched. */
typedef struct cic_png_writer cic_png_writer;

/* Creates the temporary file and writes the PNG header. On failure returns NULL and puts a
 * reason into message (capacity message_size). compression_level: 0-9, or -1 for zlib's default. */
cic_png_writer *cic_png_writer_open(const char *destination, int width, int height,
                                    int compression_level, char *message, size_t message_size);

/* Appends count rows of interleaved RGB bytes, each row `stride` bytes apart. Returns 0 on
 * success; on failure the temporary file is removed, the writer is dead, and
 * cic_png_writer_message says why. */
int cic_png_writer_write_rows(cic_png_writer *writer, const unsigned char *rows, int count, size_t stride);

/* Finishes the file and renames it onto the destination. Returns 0 on success; on failure the
 * temporary file is removed and the destination is untouched. */
int cic_png_writer_finish(cic_png_writer *writer);

/* Like cic_png_writer_open, but writes straight into `destination`, an existing device or FIFO
 * (e.g. /dev/null): no temporary file, no rename, nothing removed on failure. */
cic_png_writer *cic_png_writer_open_stream(const char *destination, int width, int height,
                                           int compression_level, char *message, size_t message_size);

/* Completes the temporary file (flushed and synced) without renaming it: the caller takes it
 * over (its path: cic_png_writer_temp_path) and must rename or remove it, and unregister it
 * (cic_temp_unregister). Returns 0 on success; on failure the temporary file is removed. */
int cic_png_writer_complete(cic_png_writer *writer);

/* Number of rows written so far. */
int cic_png_writer_rows_written(const cic_png_writer *writer);

/* The reason for the last failure ("" if none). */
const char *cic_png_writer_message(const cic_png_writer *writer);

/* The temporary file's path (for diagnostics and tests). */
const char *cic_png_writer_temp_path(const cic_png_writer *writer);

/* Frees the writer; if it was neither finished nor failed, the temporary file is removed. */
void cic_png_writer_destroy(cic_png_writer *writer);

/* Temporary files a SIGINT, SIGTERM or SIGHUP removes before the process exits (the PNG writer
 * registers its own). cic_temp_register returns 0, or -1 when the registry is full. */
int cic_temp_register(const char *path);
void cic_temp_unregister(const char *path);
/* Child processes (ffmpeg) killed (SIGKILL) by cic_temp_remove_all before it unlinks, so a signal
 * never leaves one writing a temporary file. Register returns 0, or -1 when the registry is full. */
int cic_child_register(int pid);
void cic_child_unregister(int pid);
/* Kills the registered children and unlinks every registered file now (async-signal-safe: for a program's own signal handler). */
void cic_temp_remove_all(void);
/* Installs the handlers: remove every registered temporary file, then _exit(128 + signal). */
void cic_temp_cleanup_on_signals(void);
/* A 32-bit hash (FNV-1a) of this machine's host name. Temporary names carry it ("...-<n>h<hash>.tmp")
 * so that a process sweeping a folder shared between machines (NFS) leaves other machines'
 * temporaries alone: their process ids mean nothing here. */
unsigned cic_temp_host_tag(void);

#endif
