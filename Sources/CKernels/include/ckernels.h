#ifndef ATELIER_CKERNELS_H
#define ATELIER_CKERNELS_H
/* Inner loops of the Atelier runtime. Every function works on float32 CHW planes and is
 * single-threaded; the Swift runtime splits work across its worker pool. */
#include <stddef.h>
#include "conv.h"
#include "ops.h"
#include "upscale_ops.h"
#include "netops.h"
#include "inverted_residual.h"
#include "allocator.h"
#include "backward.h"
#include "spin.h"
#include "isa.h"
#endif
