#ifndef ATELIER_ISA_H
#define ATELIER_ISA_H
/* Which vector instruction set the kernels use: the widest the CPU has, capped by the
 * environment variable ATELIER_ISA (`scalar`, `avx2` or `avx512`, read once) or by ak_isa_cap
 * (tests run every path the CPU has). Every kernel choice asks ak_isa(); layers choose their
 * kernel family when they are created, so a new cap applies to layers created after it. */

enum { AK_ISA_SCALAR = 0, AK_ISA_AVX2 = 1, AK_ISA_AVX512 = 2 };

/* The widest level the CPU has: AVX2 means AVX2 + FMA; AVX-512 means F, BW, DQ and VL too. */
int ak_isa_cpu(void);

/* The level the kernels may use: min(the CPU's, the cap). */
int ak_isa(void);

/* Sets the cap (AK_ISA_AVX512 lifts it) and returns the previous one. */
int ak_isa_cap(int level);

#endif
