#ifndef ATELIER_SIXEL_BAND_H
#define ATELIER_SIXEL_BAND_H
// One band of six pixel rows of an indexed image turned into sixel rows in one pass: the band is
// read once, column by column (per colour the six row bits are ORed into the column's sixel and
// the columns where it occurs are linked in column order), then for the colours present, in the
// order a row-by-row scan meets them, `#n` and the colour's sixels as runs (`!count char` from
// four on), `$` between colours; blank gaps are runs too, trailing blanks are dropped.

#include <stddef.h>
#include <stdint.h>

typedef struct sixel_band sixel_band;

/// A band buffer for images `width` (>= 0) pixels wide with `colors` (1-65535) palette entries; NULL when out of memory.
sixel_band *sixel_band_new(int width, int colors);
void sixel_band_free(sixel_band *b);
/// The most bytes `sixel_band_encode` writes for one band.
size_t sixel_band_capacity(int width, int colors);
/// Writes the sixels of rows `top ..< top + rows` (at most six) of `indices` (`width` a row;
/// `transparent` pixels are not painted) to `out` and returns how many bytes.
size_t sixel_band_encode(sixel_band *b, const uint16_t *indices, int top, int rows, uint16_t transparent, uint8_t *out);

#endif
