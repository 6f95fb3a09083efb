/* libheif: HEIF (HEIC, AVIF) decoding. */
#include <libheif/heif.h>
