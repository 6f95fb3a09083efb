// libchafa (LGPL, linked dynamically): character-cell pictures from symbols.
#include <chafa.h>
