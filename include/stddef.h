/* stddef.h: size_t, ptrdiff_t, wchar_t, NULL and offsetof. */
#ifndef _STDDEF_H
#define _STDDEF_H
#include <ksim/types.h>

typedef struct { long long __ll; long double __ld; } max_align_t;

#define offsetof(type, member) ((size_t)&((type *)0)->member)
#endif
