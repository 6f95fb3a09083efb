/* libwebp: WebP decoding, and the demuxer for its ICCP/EXIF chunks. */
#include <webp/decode.h>
#include <webp/demux.h>
