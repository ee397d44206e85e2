/* kldload: loads FreeBSD kernel modules (.ko files) with kldload(2), as FreeBSD's kldload(8) does.
 * A name without a slash is looked up in the current directory (NAME, then NAME.ko). -v says
 * which file id the module got. FreeBSD machines only. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/linker.h>

int main(int argc, char **argv) {
  int verbose = 0, i = 1, status = 0;
  char path[1024];
  if (i < argc && strcmp(argv[i], "-v") == 0) { verbose = 1; i++; }
  if (i == argc) { fprintf(stderr, "usage: kldload [-nqv] file ...\n"); return 1; }
  for (; i < argc; i++) {
    const char *file = argv[i];
    int id;
    if (!strchr(file, '/') && access(file, F_OK) != 0) {
      snprintf(path, sizeof path, "%s.ko", file);
      if (access(path, F_OK) == 0) file = path;
    }
    id = kldload(file);
    if (id < 0) {
      if (errno == EEXIST)
        fprintf(stderr, "kldload: can't load %s: module already loaded or in kernel\n", argv[i]);
      else if (errno == ENOEXEC)
        fprintf(stderr, "kldload: an error occurred while loading module %s. Please check dmesg(8) for more details.\n", argv[i]);
      else
        fprintf(stderr, "kldload: can't load %s: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    if (verbose) printf("Loaded %s, id=%d\n", argv[i], id);
  }
  return status;
}
