/* File I/O with errors: open a missing file, create and write one, read it back, close twice. */
#include <fcntl.h>
#include <unistd.h>

int main(void) {
  char buf[64];
  int fd = open("/nonexistent/ksim-strace", O_RDONLY);
  fd = open("/tmp/ksim-strace-fileio.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  write(fd, "hello, strace\n", 14);
  close(fd);
  fd = open("/tmp/ksim-strace-fileio.txt", O_RDONLY);
  int n = read(fd, buf, sizeof buf);
  write(1, buf, n);
  close(fd);
  close(fd);
  unlink("/tmp/ksim-strace-fileio.txt");
  return 0;
}
