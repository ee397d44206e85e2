/* kldunload: unloads kernel files by name (NAME or NAME.ko) or by id (-i ID) with kldunload(2), as
 * FreeBSD's kldunload(8) does; -v says what is unloaded. FreeBSD machines only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>

struct kld_file_stat {
  int version;
  char name[1024];
  int refs;
  int id;
  unsigned long address;
  unsigned long size;
  char pathname[1024];
};

/* The id of the loaded file called name (with or without .ko), or -1. */
static long find(const char *name, struct kld_file_stat *st) {
  char want[1040];
  long id = 0;
  snprintf(want, sizeof want, "%s%s", name, strstr(name, ".ko") ? "" : ".ko");
  while ((id = syscall(SYS_kldnext, id)) > 0) {
    memset(st, 0, sizeof *st);
    st->version = sizeof *st;
    if (syscall(SYS_kldstat, id, st) == 0 && strcmp(st->name, want) == 0) return id;
  }
  return -1;
}

int main(int argc, char **argv) {
  struct kld_file_stat st;
  int verbose = 0, byid = 0, i = 1, status = 0;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "-v") == 0) verbose = 1;
    else if (strcmp(argv[i], "-i") == 0) byid = 1;
    else if (strcmp(argv[i], "-n") == 0) byid = 0;
    else break;
  }
  if (i == argc) { fprintf(stderr, "usage: kldunload [-fv] -i id ...\n       kldunload [-fv] [-n] name ...\n"); return 1; }
  for (; i < argc; i++) {
    long id;
    memset(&st, 0, sizeof st);
    st.version = sizeof st;
    if (byid) {
      id = atol(argv[i]);
      if (syscall(SYS_kldstat, id, &st) < 0) {
        fprintf(stderr, "kldunload: can't find file id %s: %s\n", argv[i], strerror(errno));
        status = 1;
        continue;
      }
    } else if ((id = find(argv[i], &st)) < 0) {
      fprintf(stderr, "kldunload: can't find file %s: No such file or directory\n", argv[i]);
      status = 1;
      continue;
    }
    if (verbose) printf("Unloading %s, id=%ld\n", st.name, id);
    if (syscall(SYS_kldunload, id) < 0) {
      fprintf(stderr, "kldunload: can't unload file: %s\n", strerror(errno));
      status = 1;
    }
  }
  return status;
}
