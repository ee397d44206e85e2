/* cat: copies each file (or standard input, also for "-") to standard output. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static int copy(int fd) {
  char buf[4096];
  long n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    for (long off = 0; off < n;) {
      long w = write(1, buf + off, n - off);
      if (w < 0) return -1;
      off += w;
    }
  }
  return n < 0 ? -1 : 0;
}

int main(int argc, char **argv) {
  int status = 0;
  if (argc < 2) return copy(0) < 0;
  for (int i = 1; i < argc; i++) {
    int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
    if (fd < 0 || copy(fd) < 0) {
      fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
      status = 1;
    }
    if (fd > 0) close(fd);
  }
  return status;
}
