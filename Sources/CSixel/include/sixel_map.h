#ifndef ATELIER_SIXEL_MAP_H
#define ATELIER_SIXEL_MAP_H
// Maps 8-bit RGB rows to a fixed palette of at most 256 colours, top to bottom, with or without
// Floyd-Steinberg error diffusion: the in-order inner loop of the sixel encoder (Terminal layer).
// Nearest colour by 3 dr^2 + 4 dg^2 + 2 db^2 at the centre of the colour's 4x4x4 cell, the first
// (lowest index) of equals, cached per cell; a miss scans the candidates of its 16x16x16 cell.

#include <stdint.h>

/// A palette's nearest-colour index and, when dithering, the errors carried between rows.
typedef struct sixel_mapper sixel_mapper;

/// A mapper for `count` (1-256) colours `rgb` (r, g, b bytes each) and rows `width` pixels wide;
/// `dither` non-zero for Floyd-Steinberg. NULL when out of memory.
sixel_mapper *sixel_mapper_new(const uint8_t *rgb, int count, int width, int dither);
void sixel_mapper_free(sixel_mapper *m);
/// The palette index nearest to (r, g, b), channels 0-255 (no dithering; cached like the rows).
int sixel_mapper_nearest(sixel_mapper *m, int r, int g, int b);
/// Maps the next row (`3 * width` bytes) to `width` indices in `out`.
void sixel_mapper_row(sixel_mapper *m, const uint8_t *src, uint16_t *out);

#endif
