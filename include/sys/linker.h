/* sys/linker.h: FreeBSD's kernel linker interface for programs (kldload(2), kldunload(2), kldfind(2),
 * kldnext(2), kldstat(2)), as kldload(8), kldunload(8) and kldstat(8) use it. FreeBSD only. */
#ifndef _SYS_LINKER_H
#define _SYS_LINKER_H
#ifdef __FreeBSD__
#include <ksim/types.h>

#define MAXPATHLEN 1024

struct kld_file_stat {
  int version;            /* set to sizeof(struct kld_file_stat) */
  char name[MAXPATHLEN];
  int refs;
  int id;
  char *address;          /* load address */
  size_t size;            /* size in bytes */
  char pathname[MAXPATHLEN];
};

int kldload(const char *file);
int kldunload(int fileid);
int kldfind(const char *file);
int kldnext(int fileid);
int kldstat(int fileid, struct kld_file_stat *stat);
#endif
#endif
