/* libtiff: TIFF decoding. */
#include <tiffio.h>
