/* Streaming, atomic PNG writing through libpng: rows go to a temporary file next to the
 * destination, which is renamed onto it only once complete and synced to disk. */
#define _GNU_SOURCE
#include "cimagecodecs.h"
#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { WRITER_OPEN, WRITER_FINISHED, WRITER_FAILED };

struct cic_png_writer {
    png_structp png;
    png_infop info;
    FILE *file;
    char *destination;
    char *temp_path;
    int width;
    int height;
    int rows_written;
    int state;
    int stream; /* writing straight into a device or FIFO: no temporary file */
    char message[512];
};

static atomic_uint temp_counter;

static void writer_failed(png_structp png, png_const_charp message) {
    cic_png_writer *w = (cic_png_writer *)png_get_error_ptr(png);
    snprintf(w->message, sizeof w->message, "%s", message ? message : "PNG encoder error");
    if (w->file && ferror(w->file)) {
        snprintf(w->message, sizeof w->message, "write failed: %s", strerror(errno ? errno : EIO));
    }
    png_longjmp(png, 1);
}

static void writer_warned(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

/* Closes and removes the temporary file and releases libpng; the writer becomes FAILED
 * (keeping its message) unless it already finished. */
static void writer_discard(cic_png_writer *w) {
    if (w->png) png_destroy_write_struct(&w->png, &w->info);
    if (w->file) {
        fclose(w->file);
        w->file = NULL;
    }
    if (w->state == WRITER_OPEN && w->temp_path) {
        unlink(w->temp_path);
        cic_temp_unregister(w->temp_path);
    }
    if (w->state == WRITER_OPEN) w->state = WRITER_FAILED;
}

static void writer_free(cic_png_writer *w) {
    if (!w) return;
    free(w->destination);
    free(w->temp_path);
    free(w);
}

/* "<dir>/.<name>.<pid>-<n>h<host>.tmp" (host: cic_temp_host_tag in hex), created exclusively (mode 0666 minus umask, like a plain file).
 * <name> is cut to 200 bytes so that every legal destination name has a legal temporary name. */
static int create_temp(cic_png_writer *w) {
    const char *slash = strrchr(w->destination, '/');
    size_t dir_length = slash ? (size_t)(slash - w->destination) + 1 : 0;
    const char *name = slash ? slash + 1 : w->destination;
    size_t capacity = strlen(w->destination) + 64;
    w->temp_path = (char *)malloc(capacity);
    if (!w->temp_path) {
        snprintf(w->message, sizeof w->message, "out of memory");
        return -1;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned n = atomic_fetch_add(&temp_counter, 1);
        int name_length = (int)(strlen(name) < 200 ? strlen(name) : 200);
        snprintf(w->temp_path, capacity, "%.*s.%.*s.%ld-%uh%08x.tmp", (int)dir_length, w->destination, name_length,
                 name, (long)getpid(), n, cic_temp_host_tag());
        int fd = open(w->temp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            cic_temp_register(w->temp_path);
            w->file = fdopen(fd, "wb");
            if (!w->file) {
                snprintf(w->message, sizeof w->message, "%s", strerror(errno));
                close(fd);
                unlink(w->temp_path);
                cic_temp_unregister(w->temp_path);
                return -1;
            }
            return 0;
        }
        if (errno != EEXIST) {
            snprintf(w->message, sizeof w->message, "cannot create a temporary file in that folder: %s",
                     strerror(errno));
            return -1;
        }
    }
    snprintf(w->message, sizeof w->message, "cannot create a unique temporary file in that folder");
    return -1;
}

static int writer_start(cic_png_writer *w, int compression_level) {
    if (setjmp(png_jmpbuf(w->png))) return -1;
    png_init_io(w->png, w->file);
    if (compression_level >= 0 && compression_level <= 9) png_set_compression_level(w->png, compression_level);
    png_set_IHDR(w->png, w->info, (png_uint_32)w->width, (png_uint_32)w->height, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    /* The samples are sRGB (every decoder converts to it): say so, with the sRGB chunk and the
     * gAMA/cHRM values that stand for it for readers that do not know sRGB. */
    png_set_sRGB_gAMA_and_cHRM(w->png, w->info, PNG_sRGB_INTENT_PERCEPTUAL);
    png_write_info(w->png, w->info);
    return 0;
}

static cic_png_writer *writer_open(const char *destination, int width, int height, int stream,
                                   int compression_level, char *message, size_t message_size) {
    if (width <= 0 || height <= 0 || width > 0x7FFFFFFF / 3) {
        snprintf(message, message_size, "invalid PNG size %dx%d", width, height);
        return NULL;
    }
    cic_png_writer *w = (cic_png_writer *)calloc(1, sizeof(cic_png_writer));
    if (!w || !(w->destination = strdup(destination))) {
        snprintf(message, message_size, "out of memory");
        writer_free(w);
        return NULL;
    }
    w->width = width;
    w->height = height;
    w->state = WRITER_OPEN;
    w->stream = stream;
    if (stream) {
        int fd = open(destination, O_WRONLY | O_CLOEXEC);
        w->file = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!w->file) {
            snprintf(message, message_size, "%s", strerror(errno));
            if (fd >= 0) close(fd);
            writer_free(w);
            return NULL;
        }
    } else if (create_temp(w) != 0) {
        snprintf(message, message_size, "%s", w->message);
        writer_free(w);
        return NULL;
    }
    w->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, w, writer_failed, writer_warned);
    w->info = w->png ? png_create_info_struct(w->png) : NULL;
    if (!w->png || !w->info) snprintf(w->message, sizeof w->message, "cannot initialise libpng");
    if (!w->png || !w->info || writer_start(w, compression_level) != 0) {
        writer_discard(w);
        snprintf(message, message_size, "%s", w->message);
        writer_free(w);
        return NULL;
    }
    return w;
}

cic_png_writer *cic_png_writer_open(const char *destination, int width, int height,
                                    int compression_level, char *message, size_t message_size) {
    return writer_open(destination, width, height, 0, compression_level, message, message_size);
}

cic_png_writer *cic_png_writer_open_stream(const char *destination, int width, int height,
                                           int compression_level, char *message, size_t message_size) {
    return writer_open(destination, width, height, 1, compression_level, message, message_size);
}

static int writer_rows_guarded(cic_png_writer *w, const unsigned char *rows, int count, size_t stride) {
    if (setjmp(png_jmpbuf(w->png))) return -1;
    for (int i = 0; i < count; i++) {
        png_write_row(w->png, rows + (size_t)i * stride);
        w->rows_written++;
    }
    return 0;
}

int cic_png_writer_write_rows(cic_png_writer *w, const unsigned char *rows, int count, size_t stride) {
    if (w->state != WRITER_OPEN) {
        if (w->message[0] == 0) snprintf(w->message, sizeof w->message, "the writer is already closed");
        return -1;
    }
    if (count < 0 || count > w->height - w->rows_written) {
        snprintf(w->message, sizeof w->message, "%d more rows would exceed the image height %d (%d written)",
                 count, w->height, w->rows_written);
        writer_discard(w);
        return -1;
    }
    if (writer_rows_guarded(w, rows, count, stride) != 0) {
        writer_discard(w);
        return -1;
    }
    return 0;
}

static int writer_end_guarded(cic_png_writer *w) {
    if (setjmp(png_jmpbuf(w->png))) return -1;
    png_write_end(w->png, w->info);
    return 0;
}

/* Makes the rename itself durable; failure here does not undo a completed rename. */
static void sync_directory(const char *path) {
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path ? 1 : 0)) : strdup(".");
    if (!dir) return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

/* Ends the PNG and closes the file (synced unless it is a stream); the temporary file stays. */
static int writer_complete(cic_png_writer *w) {
    if (w->state != WRITER_OPEN) {
        if (w->message[0] == 0) snprintf(w->message, sizeof w->message, "the writer is already closed");
        return -1;
    }
    if (w->rows_written != w->height) {
        snprintf(w->message, sizeof w->message, "only %d of %d rows were written", w->rows_written, w->height);
        writer_discard(w);
        return -1;
    }
    if (writer_end_guarded(w) != 0) {
        writer_discard(w);
        return -1;
    }
    png_destroy_write_struct(&w->png, &w->info);
    if (fflush(w->file) != 0 || (!w->stream && fsync(fileno(w->file)) != 0)) {
        snprintf(w->message, sizeof w->message, "write failed: %s", strerror(errno));
        writer_discard(w);
        return -1;
    }
    int closed = fclose(w->file);
    w->file = NULL;
    if (closed != 0) {
        snprintf(w->message, sizeof w->message, "write failed: %s", strerror(errno));
        writer_discard(w);
        return -1;
    }
    return 0;
}

int cic_png_writer_complete(cic_png_writer *w) {
    if (w->stream) {
        snprintf(w->message, sizeof w->message, "a stream has no temporary file to hand over");
        writer_discard(w);
        return -1;
    }
    if (writer_complete(w) != 0) return -1;
    w->state = WRITER_FINISHED; /* the caller owns the temporary file now */
    return 0;
}

int cic_png_writer_finish(cic_png_writer *w) {
    if (writer_complete(w) != 0) return -1;
    if (w->stream) {
        w->state = WRITER_FINISHED;
        return 0;
    }
    if (rename(w->temp_path, w->destination) != 0) {
        snprintf(w->message, sizeof w->message, "cannot move the finished file into place: %s", strerror(errno));
        writer_discard(w);
        return -1;
    }
    cic_temp_unregister(w->temp_path);
    w->state = WRITER_FINISHED;
    sync_directory(w->destination);
    return 0;
}

int cic_png_writer_rows_written(const cic_png_writer *w) { return w->rows_written; }

const char *cic_png_writer_message(const cic_png_writer *w) { return w->message; }

const char *cic_png_writer_temp_path(const cic_png_writer *w) { return w->temp_path; }

void cic_png_writer_destroy(cic_png_writer *w) {
    if (!w) return;
    writer_discard(w);
    writer_free(w);
}
