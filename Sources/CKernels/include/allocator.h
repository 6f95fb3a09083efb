#ifndef ATELIER_ALLOCATOR_H
#define ATELIER_ALLOCATOR_H
/* Makes glibc's malloc keep freed large blocks for reuse (no mmap per allocation, no trimming).
 * A no-op elsewhere. */
void ak_keep_freed_buffers(void);
#endif
