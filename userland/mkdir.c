/* mkdir: creates directories (-p: with their parents, and no error if they exist). */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

static int mkdir_p(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    int r = mkdir(path, 0777);
    *p = '/';
    if (r < 0 && errno != EEXIST) return -1;
  }
  if (mkdir(path, 0777) < 0 && errno != EEXIST) return -1;
  return 0;
}

int main(int argc, char **argv) {
  int parents = 0, status = 0, i = 1;
  if (i < argc && strcmp(argv[i], "-p") == 0) { parents = 1; i++; }
  if (i == argc) { fprintf(stderr, "mkdir: missing operand\n"); return 1; }
  for (; i < argc; i++) {
    if ((parents ? mkdir_p(argv[i]) : mkdir(argv[i], 0777)) < 0) {
      fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", argv[i], strerror(errno));
      status = 1;
    }
  }
  return status;
}
