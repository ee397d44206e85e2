/* kld.c: FreeBSD's kld system call wrappers (sys/linker.h): -1 and errno on failure. kldfind is
 * done with kldnext and kldstat, the calls ksim's FreeBSD kernel has. */
#include <sys/linker.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>
#include "internal.h"

#ifdef __FreeBSD__
int kldload(const char *file) { return (int)__syscall_ret(__syscall1(SYS_kldload, (long)file)); }
int kldunload(int fileid) { return (int)__syscall_ret(__syscall1(SYS_kldunload, fileid)); }
int kldnext(int fileid) { return (int)__syscall_ret(__syscall1(SYS_kldnext, fileid)); }
int kldstat(int fileid, struct kld_file_stat *stat) { return (int)__syscall_ret(__syscall2(SYS_kldstat, fileid, (long)stat)); }

/* As linker_find_file_by_name: the file called NAME or NAME.ko. */
int kldfind(const char *file) {
  struct kld_file_stat st;
  char ko[MAXPATHLEN + 4];
  const char *base = strrchr(file, '/');
  int id = 0;
  base = base ? base + 1 : file;
  snprintf(ko, sizeof ko, "%s.ko", base);
  while ((id = kldnext(id)) > 0) {
    memset(&st, 0, sizeof st);
    st.version = sizeof st;
    if (kldstat(id, &st) == 0 && (strcmp(st.name, base) == 0 || strcmp(st.name, ko) == 0)) return id;
  }
  errno = ENOENT;
  return -1;
}
#endif
