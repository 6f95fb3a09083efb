// One band of six rows of an indexed image turned into sixel bytes (see sixel_band.h): the same
// bytes as the Swift SixelBand it replaced.
#include "sixel_band.h"
#include <stdlib.h>
#include <string.h>

struct sixel_band {
    int width, colors;
    uint8_t *bits;          // colour * width + column: the column's six row bits for that colour
    int32_t *head, *tail;   // per colour: first and last entry of its column list (-1: absent)
    int32_t *first_seen;    // per colour: where a row-by-row scan first meets it (row * width + column)
    int32_t *column, *next; // per entry: its column and the next entry of the same colour
    int32_t *used;          // the colours present, in the order they were met by columns
    int used_count;
};

sixel_band *sixel_band_new(int width, int colors) {
    if (width < 0 || colors < 1 || colors > 65535) return NULL;
    sixel_band *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->width = width; b->colors = colors;
    size_t cells = (size_t)colors * (size_t)width, columns = 6 * (size_t)width;
    b->bits = calloc(cells ? cells : 1, 1);
    b->head = malloc(sizeof(int32_t) * (size_t)colors);
    b->tail = malloc(sizeof(int32_t) * (size_t)colors);
    b->first_seen = malloc(sizeof(int32_t) * (size_t)colors);
    b->used = malloc(sizeof(int32_t) * (size_t)colors);
    b->column = malloc(sizeof(int32_t) * (columns ? columns : 1));
    b->next = malloc(sizeof(int32_t) * (columns ? columns : 1));
    if (!b->bits || !b->head || !b->tail || !b->first_seen || !b->used || !b->column || !b->next) {
        sixel_band_free(b);
        return NULL;
    }
    for (int c = 0; c < colors; c++) b->head[c] = -1;
    return b;
}

void sixel_band_free(sixel_band *b) {
    if (!b) return;
    free(b->bits); free(b->head); free(b->tail); free(b->first_seen); free(b->used);
    free(b->column); free(b->next);
    free(b);
}

size_t sixel_band_capacity(int width, int colors) {
    // Per entry at most a gap run ("!" and 5 digits and a sixel) and one sixel; per colour "$#" and 5 digits.
    return 6 * (size_t)width * 8 + (size_t)colors * 8 + 16;
}

static inline uint8_t *put_number(uint8_t *out, int n) {
    char digits[12];
    int k = 0;
    do { digits[k++] = (char)('0' + n % 10); n /= 10; } while (n > 0);
    while (k > 0) *out++ = (uint8_t)digits[--k];
    return out;
}

static inline uint8_t *put_run(uint8_t *out, uint8_t value, int count) {
    uint8_t ch = (uint8_t)(63 + value);
    if (count >= 4) {
        *out++ = '!';
        out = put_number(out, count);
        *out++ = ch;
    } else {
        for (int k = 0; k < count; k++) *out++ = ch;
    }
    return out;
}

static void sort_used(int32_t *used, int n, const int32_t *seen) {
    // Insertion sort by first sighting (distinct per colour); bands hold a few dozen colours.
    for (int i = 1; i < n; i++) {
        int32_t c = used[i], key = seen[c];
        int j = i - 1;
        while (j >= 0 && seen[used[j]] > key) { used[j + 1] = used[j]; j--; }
        used[j + 1] = c;
    }
}

size_t sixel_band_encode(sixel_band *b, const uint16_t *indices, int top, int rows, uint16_t transparent, uint8_t *out) {
    const int width = b->width;
    uint8_t *bits = b->bits;
    int32_t *head = b->head, *tail = b->tail, *seen_at = b->first_seen, *column = b->column, *next = b->next;
    int entries = 0, used_count = 0;
    const uint16_t *band = indices + (size_t)top * width;
    for (int x = 0; x < width; x++) {
        for (int dy = 0; dy < rows; dy++) {
            uint16_t index = band[(size_t)dy * width + x];
            if (index == transparent) continue;
            int c = index;
            size_t cell = (size_t)c * width + x;
            int32_t seen = dy * width + x;
            if (bits[cell] == 0) {
                int32_t e = entries++;
                column[e] = x;
                next[e] = -1;
                if (head[c] < 0) {
                    head[c] = e;
                    seen_at[c] = seen;
                    b->used[used_count++] = c;
                } else {
                    next[tail[c]] = e;
                    if (seen < seen_at[c]) seen_at[c] = seen;
                }
                tail[c] = e;
            } else if (seen < seen_at[c]) {
                seen_at[c] = seen;
            }
            bits[cell] |= (uint8_t)(1u << dy);
        }
    }
    sort_used(b->used, used_count, seen_at);

    uint8_t *p = out;
    for (int k = 0; k < used_count; k++) {
        int c = b->used[k];
        if (k > 0) *p++ = '$';
        *p++ = '#';
        p = put_number(p, c);
        uint8_t run_value = 0;
        int run_length = 0, position = 0;
        for (int32_t e = head[c]; e >= 0; e = next[e]) {
            int x = column[e];
            size_t cell = (size_t)c * width + x;
            if (x > position) {
                if (run_length > 0 && run_value == 0) run_length += x - position;
                else { p = put_run(p, run_value, run_length); run_value = 0; run_length = x - position; }
            }
            uint8_t v = bits[cell];
            if (run_length > 0 && v == run_value) run_length += 1;
            else { p = put_run(p, run_value, run_length); run_value = v; run_length = 1; }
            bits[cell] = 0;
            position = x + 1;
        }
        p = put_run(p, run_value, run_length);
        head[c] = -1;
    }
    return (size_t)(p - out);
}
