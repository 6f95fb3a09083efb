// The sixel encoder's palette mapping (see sixel_map.h). The same answers, error arithmetic and
// row order as the Swift PaletteIndex / PaletteMapper it replaced, so the same bytes.
#include "sixel_map.h"
#include <stdlib.h>
#include <string.h>

// The distance loops in AVX2 where the CPU has it (chosen when the program loads), else baseline.
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define TARGETS __attribute__((target_clones("avx2", "default")))
#else
#define TARGETS
#endif

struct sixel_mapper {
    int count, width, dither;
    int32_t rgb[3 * 256];            // the palette, r g b per entry (the dithering's error terms)
    int32_t pr[256], pg[256], pb[256]; // the palette's channels, one array each
    int16_t cache[1 << 18];          // per 6-bit colour cell: palette index, -1 not known yet
    int32_t coarse_start[1 << 12];   // per 4-bit cell: first candidate, -1 not found yet
    int32_t coarse_count[1 << 12];
    int32_t *red, *green, *blue, *index; // the candidates of every coarse cell met so far
    int candidate_count, candidate_capacity;
    int32_t *current, *next;         // errors (1/16 units) for this row and the next, 1 pixel margin
};

sixel_mapper *sixel_mapper_new(const uint8_t *rgb, int count, int width, int dither) {
    if (count < 1 || count > 256 || width < 0) return NULL;
    sixel_mapper *m = malloc(sizeof *m);
    if (!m) return NULL;
    m->count = count; m->width = width; m->dither = dither;
    for (int i = 0; i < 3 * count; i++) m->rgb[i] = rgb[i];
    for (int i = 0; i < count; i++) { m->pr[i] = rgb[3 * i]; m->pg[i] = rgb[3 * i + 1]; m->pb[i] = rgb[3 * i + 2]; }
    memset(m->cache, 0xff, sizeof m->cache);
    memset(m->coarse_start, 0xff, sizeof m->coarse_start);
    memset(m->coarse_count, 0, sizeof m->coarse_count);
    m->candidate_capacity = 4 * 1024;
    m->candidate_count = 0;
    m->red = malloc(sizeof(int32_t) * (size_t)m->candidate_capacity);
    m->green = malloc(sizeof(int32_t) * (size_t)m->candidate_capacity);
    m->blue = malloc(sizeof(int32_t) * (size_t)m->candidate_capacity);
    m->index = malloc(sizeof(int32_t) * (size_t)m->candidate_capacity);
    m->current = calloc(3 * ((size_t)width + 2), sizeof(int32_t));
    m->next = calloc(3 * ((size_t)width + 2), sizeof(int32_t));
    if (!m->red || !m->green || !m->blue || !m->index || !m->current || !m->next) { sixel_mapper_free(m); return NULL; }
    return m;
}

void sixel_mapper_free(sixel_mapper *m) {
    if (!m) return;
    free(m->red); free(m->green); free(m->blue); free(m->index); free(m->current); free(m->next);
    free(m);
}

static inline int32_t max3(int32_t a, int32_t b, int32_t c) { int32_t x = a > b ? a : b; return x > c ? x : c; }
static inline int32_t max2(int32_t a, int32_t b) { return a > b ? a : b; }

/// Per palette entry: its weighted distance to the nearest (`near`) and the farthest (`far`) of
/// the cell centres `low ... low + 12` on each channel (a loop the compiler vectorizes).
TARGETS static void reach(const int32_t *restrict r, const int32_t *restrict g, const int32_t *restrict b, int count,
                          int32_t lr, int32_t lg, int32_t lb, int32_t *restrict near, int32_t *restrict far) {
    for (int i = 0; i < count; i++) {
        int32_t nr = max3(lr - r[i], 0, r[i] - (lr + 12)), fr = max2(r[i] - lr, lr + 12 - r[i]);
        int32_t ng = max3(lg - g[i], 0, g[i] - (lg + 12)), fg = max2(g[i] - lg, lg + 12 - g[i]);
        int32_t nb = max3(lb - b[i], 0, b[i] - (lb + 12)), fb = max2(b[i] - lb, lb + 12 - b[i]);
        near[i] = 3 * nr * nr + 4 * ng * ng + 2 * nb * nb;
        far[i] = 3 * fr * fr + 4 * fg * fg + 2 * fb * fb;
    }
}

/// The smallest of `count` (>= 1) values.
TARGETS static int32_t smallest(const int32_t *restrict v, int count) {
    int32_t best = v[0];
    for (int i = 1; i < count; i++) best = v[i] < best ? v[i] : best;
    return best;
}

/// Weighted distances of `count` colours to (cr, cg, cb).
TARGETS static void distances(const int32_t *restrict r, const int32_t *restrict g, const int32_t *restrict b, int count,
                              int32_t cr, int32_t cg, int32_t cb, int32_t *restrict out) {
    for (int i = 0; i < count; i++) {
        int32_t dr = r[i] - cr, dg = g[i] - cg, db = b[i] - cb;
        out[i] = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
    }
}

/// Where the first of the smallest of `count` (>= 1) values stands (ties go to the lowest index).
static int first_smallest(const int32_t *v, int count) {
    int32_t best = smallest(v, count);
    int k = 0;
    while (v[k] != best) k++;
    return k;
}

/// The candidates of a coarse cell: every entry whose distance to the nearest of the cell's
/// centres (16k + 2 ... 16k + 14 a channel) is at most the smallest distance any entry has to
/// the cell's farthest centre. No other entry can be nearest or tie, and the list keeps palette order.
static int find_candidates(sixel_mapper *m, int coarse) {
    int32_t lr = 16 * ((coarse >> 8) & 15) + 2, lg = 16 * ((coarse >> 4) & 15) + 2, lb = 16 * (coarse & 15) + 2;
    int32_t near[256], far[256];
    reach(m->pr, m->pg, m->pb, m->count, lr, lg, lb, near, far);
    int32_t bound = smallest(far, m->count);
    if (m->candidate_count + m->count > m->candidate_capacity) {
        int capacity = 2 * m->candidate_capacity + m->count;
        int32_t *lists[4] = { m->red, m->green, m->blue, m->index };
        for (int k = 0; k < 4; k++) {
            int32_t *grown = realloc(lists[k], sizeof(int32_t) * (size_t)capacity);
            if (!grown) return 0;
            lists[k] = grown;
            m->red = lists[0]; m->green = lists[1]; m->blue = lists[2]; m->index = lists[3];
        }
        m->candidate_capacity = capacity;
    }
    m->coarse_start[coarse] = m->candidate_count;
    for (int i = 0; i < m->count; i++) {
        if (near[i] > bound) continue;
        int n = m->candidate_count++;
        m->red[n] = m->pr[i]; m->green[n] = m->pg[i]; m->blue[n] = m->pb[i]; m->index[n] = i;
    }
    m->coarse_count[coarse] = m->candidate_count - m->coarse_start[coarse];
    return 1;
}

/// The first nearest candidate to the centre of (r, g, b)'s 4x4x4 cell.
static int search(sixel_mapper *m, int r, int g, int b) {
    int coarse = (r >> 4) << 8 | (g >> 4) << 4 | b >> 4;
    int32_t cr = (r & ~3) + 2, cg = (g & ~3) + 2, cb = (b & ~3) + 2, d[256];
    if (m->coarse_start[coarse] < 0 && !find_candidates(m, coarse)) {
        // Out of memory for the list: scan the whole palette (the same answer).
        distances(m->pr, m->pg, m->pb, m->count, cr, cg, cb, d);
        return first_smallest(d, m->count);
    }
    int start = m->coarse_start[coarse];
    distances(m->red + start, m->green + start, m->blue + start, m->coarse_count[coarse], cr, cg, cb, d);
    return m->index[start + first_smallest(d, m->coarse_count[coarse])];
}

static inline int nearest(sixel_mapper *m, int r, int g, int b) {
    int key = (r >> 2) << 12 | (g >> 2) << 6 | b >> 2;
    int hit = m->cache[key];
    if (hit >= 0) return hit;
    int best = search(m, r, g, b);
    m->cache[key] = (int16_t)best;
    return best;
}

int sixel_mapper_nearest(sixel_mapper *m, int r, int g, int b) { return nearest(m, r, g, b); }

static inline int32_t clamp(int32_t v) { return v < 0 ? 0 : v > 255 ? 255 : v; }

void sixel_mapper_row(sixel_mapper *m, const uint8_t *src, uint16_t *out) {
    int w = m->width;
    if (!m->dither) {
        for (int col = 0; col < w; col++) out[col] = (uint16_t)nearest(m, src[3 * col], src[3 * col + 1], src[3 * col + 2]);
        return;
    }
    int32_t *restrict cur = m->current, *restrict nxt = m->next;
    const int32_t *pal = m->rgb;
    // The error carried to the right stays in registers; the row below is written once a pixel.
    int32_t er_right = cur[3], eg_right = cur[4], eb_right = cur[5];
    for (int col = 0; col < w; col++) {
        int p = 3 * col, e = 3 * (col + 1);
        int32_t r = clamp(src[p] + ((er_right + 8) >> 4));
        int32_t g = clamp(src[p + 1] + ((eg_right + 8) >> 4));
        int32_t b = clamp(src[p + 2] + ((eb_right + 8) >> 4));
        int index = nearest(m, r, g, b);
        out[col] = (uint16_t)index;
        const int32_t *q = pal + 3 * index;
        int32_t er = r - q[0], eg = g - q[1], eb = b - q[2];
        er_right = cur[e + 3] + 7 * er; eg_right = cur[e + 4] + 7 * eg; eb_right = cur[e + 5] + 7 * eb;
        nxt[e - 3] += 3 * er; nxt[e - 2] += 3 * eg; nxt[e - 1] += 3 * eb;
        nxt[e] += 5 * er; nxt[e + 1] += 5 * eg; nxt[e + 2] += 5 * eb;
        nxt[e + 3] += er; nxt[e + 4] += eg; nxt[e + 5] += eb;
    }
    m->current = nxt;
    m->next = cur;
    memset(cur, 0, sizeof(int32_t) * 3 * ((size_t)w + 2));
}
