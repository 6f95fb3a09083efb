#ifndef ATELIER_CIMAGECODECS_H
#define ATELIER_CIMAGECODECS_H
/* C shims over libpng and libjpeg-turbo (their error handling uses setjmp/longjmp). */
#include <stddef.h>
#endif
