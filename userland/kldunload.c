/* kldunload: unloads kernel files by name (NAME or NAME.ko, found with kldfind) or by id (-i ID)
 * with kldunload(2), as FreeBSD's kldunload(8) does; -v says what is unloaded. FreeBSD only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/linker.h>

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
    int id = byid ? atoi(argv[i]) : kldfind(argv[i]);
    if (id < 0) {
      fprintf(stderr, "kldunload: can't find file %s: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    memset(&st, 0, sizeof st);
    st.version = sizeof st;
    if (kldstat(id, &st) < 0) {
      fprintf(stderr, "kldunload: can't find file id %d: %s\n", id, strerror(errno));
      status = 1;
      continue;
    }
    if (verbose) printf("Unloading %s, id=%d\n", st.name, id);
    if (kldunload(id) < 0) {
      fprintf(stderr, "kldunload: can't unload file: %s\n", strerror(errno));
      status = 1;
    }
  }
  return status;
}
