#include "allocator.h"
#include <limits.h> /* any libc header defines __GLIBC__ */
#if defined(__GLIBC__)
#include <malloc.h>
void ak_keep_freed_buffers(void) {
    /* No block gets its own mapping (which would be unmapped on free and faulted in, zeroed,
     * on the next allocation), and the heap is never trimmed: freed feature maps are reused. */
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
}
#else
void ak_keep_freed_buffers(void) {}
#endif
