/* The instruction-set level every kernel choice asks for (isa.h). */
#include "isa.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
static int detect(void) {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return AK_ISA_SCALAR;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        return AK_ISA_AVX512;
    return AK_ISA_AVX2;
}
#else
static int detect(void) { return AK_ISA_SCALAR; }
#endif

static atomic_int cpu_level = -1, cap_level = -1;

int ak_isa_cpu(void) {
    int level = atomic_load_explicit(&cpu_level, memory_order_relaxed);
    if (level < 0) {
        level = detect();
        atomic_store(&cpu_level, level);
    }
    return level;
}

/* The cap: ATELIER_ISA until ak_isa_cap sets one. */
static int cap(void) {
    int level = atomic_load_explicit(&cap_level, memory_order_relaxed);
    if (level < 0) {
        const char *name = getenv("ATELIER_ISA");
        level = !name                         ? AK_ISA_AVX512
              : strcmp(name, "scalar") == 0   ? AK_ISA_SCALAR
              : strcmp(name, "avx2") == 0     ? AK_ISA_AVX2
                                              : AK_ISA_AVX512;
        int unset = -1;
        atomic_compare_exchange_strong(&cap_level, &unset, level);
        level = atomic_load(&cap_level);
    }
    return level;
}

int ak_isa(void) {
    int c = cap(), cpu = ak_isa_cpu();
    return c < cpu ? c : cpu;
}

int ak_isa_cap(int level) {
    int previous = cap();
    if (level < AK_ISA_SCALAR) level = AK_ISA_SCALAR;
    if (level > AK_ISA_AVX512) level = AK_ISA_AVX512;
    atomic_store(&cap_level, level);
    return previous;
}
