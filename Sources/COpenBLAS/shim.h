#include <cblas.h>
#include <stddef.h>

/* LAPACK's symmetric eigensolver, as OpenBLAS exports it (Fortran calling convention: every
 * argument by pointer, then the hidden lengths of the two character arguments). Declared here
 * because OpenBLAS ships no LAPACK header; this saves depending on LAPACKE for one routine. */
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_length, size_t uplo_length);
