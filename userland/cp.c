/* cp: copies a file to a file, or files into a directory. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

static int copy(const char *from, const char *to) {
  int in = open(from, O_RDONLY);
  if (in < 0) { fprintf(stderr, "cp: cannot stat '%s': %s\n", from, strerror(errno)); return 1; }
  struct stat st;
  fstat(in, &st);
  if (S_ISDIR(st.st_mode)) { fprintf(stderr, "cp: -r not specified; omitting directory '%s'\n", from); close(in); return 1; }
  int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, st.st_mode & 0777);
  if (out < 0) { fprintf(stderr, "cp: cannot create regular file '%s': %s\n", to, strerror(errno)); close(in); return 1; }
  char buf[8192];
  long n;
  while ((n = read(in, buf, sizeof buf)) > 0) {
    if (write(out, buf, n) != n) { fprintf(stderr, "cp: error writing '%s': %s\n", to, strerror(errno)); n = -1; break; }
  }
  close(in);
  close(out);
  return n < 0;
}

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "cp: missing file operand\n"); return 1; }
  const char *dest = argv[argc - 1];
  if (argc > 3 && !is_dir(dest)) { fprintf(stderr, "cp: target '%s' is not a directory\n", dest); return 1; }
  int status = 0;
  char path[4096];
  for (int i = 1; i < argc - 1; i++) {
    if (is_dir(dest)) {
      const char *base = strrchr(argv[i], '/');
      snprintf(path, sizeof path, "%s/%s", dest, base ? base + 1 : argv[i]);
      status |= copy(argv[i], path);
    } else {
      status |= copy(argv[i], dest);
    }
  }
  return status;
}
