#ifndef ATELIER_SPIN_H
#define ATELIER_SPIN_H
/* A hint for a busy-wait loop (the worker pool's short spin before it sleeps): PAUSE on x86,
 * nothing elsewhere. */
static inline void ak_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}
#endif
