/* dup2 redirection: stdout goes to a file, then is restored from a saved copy. */
#include <fcntl.h>
#include <unistd.h>

int main(void) {
  int saved = dup(1);
  int fd = open("/tmp/ksim-strace-redirect.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(fd, 1);
  close(fd);
  write(1, "into the file\n", 14);
  dup2(saved, 1);
  close(saved);
  write(1, "back on stdout\n", 15);
  dup2(100, 1);
  unlink("/tmp/ksim-strace-redirect.txt");
  return 0;
}
