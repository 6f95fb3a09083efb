/* Little CMS 2: ICC colour management. */
#include <lcms2.h>
