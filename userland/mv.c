/* mv: renames a file, or moves files into a directory (with rename(2)). */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "mv: missing file operand\n"); return 1; }
  const char *dest = argv[argc - 1];
  struct stat st;
  int dir = stat(dest, &st) == 0 && S_ISDIR(st.st_mode);
  if (argc > 3 && !dir) { fprintf(stderr, "mv: target '%s' is not a directory\n", dest); return 1; }
  int status = 0;
  char path[4096];
  for (int i = 1; i < argc - 1; i++) {
    const char *to = dest;
    if (dir) {
      const char *base = strrchr(argv[i], '/');
      snprintf(path, sizeof path, "%s/%s", dest, base ? base + 1 : argv[i]);
      to = path;
    }
    if (rename(argv[i], to) < 0) {
      fprintf(stderr, "mv: cannot move '%s' to '%s': %s\n", argv[i], to, strerror(errno));
      status = 1;
    }
  }
  return status;
}
