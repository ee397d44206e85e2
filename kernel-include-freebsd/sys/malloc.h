/* sys/malloc.h: malloc(9). M_NOWAIT allocations may fail (NULL); M_WAITOK ones never return NULL;
 * M_ZERO zeroes the memory. MALLOC_DEFINE declares a malloc type: the kernel counts its live
 * allocations, and unloading a module whose type still has some prints "Warning: memory type ...
 * leaked memory on destroy" as kern_malloc.c's malloc_uninit does. */
#ifndef _SYS_MALLOC_H_
#define _SYS_MALLOC_H_
#include <sys/types.h>
#define M_NOWAIT 0x0001
#define M_WAITOK 0x0002
#define M_ZERO 0x0100
#define M_NOVM 0x0200
#define M_USE_RESERVE 0x0400
struct malloc_type {
	const char *ks_shortdesc;
};
#define MALLOC_DEFINE(type, shortdesc, longdesc) struct malloc_type type[1] = { { shortdesc } }
#define MALLOC_DECLARE(type) extern struct malloc_type type[1]
/* The kernel's own malloc types. */
#define M_TEMP ((struct malloc_type *)1)
#define M_DEVBUF ((struct malloc_type *)2)
#define M_KTRACE ((struct malloc_type *)3)
void *malloc(size_t size, struct malloc_type *type, int flags);
void free(void *addr, struct malloc_type *type);
#endif
