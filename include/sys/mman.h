/* sys/mman.h: mmap, munmap, mprotect and their flags, Linux's or FreeBSD's. */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H
#include <ksim/types.h>

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#ifdef __linux__
#define MAP_ANONYMOUS 0x20
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifdef __FreeBSD__
#define MAP_ANONYMOUS 0x1000
#define MAP_NORESERVE 0
#endif
#define MAP_ANON MAP_ANONYMOUS
#define MAP_FAILED ((void *)-1)

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
int munmap(void *addr, size_t length);
int mprotect(void *addr, size_t length, int prot);
#endif
