/* The kernel heap: kmalloc/kzalloc/kfree with GFP flags. */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H
#include <linux/types.h>
#define GFP_KERNEL 0xcc0u
#define GFP_ATOMIC 0xa20u
#define GFP_NOWAIT 0x800u
#define GFP_USER 0x100cc0u
#define __GFP_ZERO 0x100u
#define __GFP_NOWARN 0x2000u
void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void *krealloc(const void *p, size_t size, gfp_t flags);
void kfree(const void *p);
char *kstrdup(const char *s, gfp_t flags);
size_t ksize(const void *p);
#define kmalloc_array(n, size, flags) kcalloc(n, size, flags)
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)
#endif
