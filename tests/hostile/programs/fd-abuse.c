/* Descriptors the process doesn't own: close, dup2, read and write fail with EBADF; kill of a pid
 * that doesn't exist fails with ESRCH; paths climbing out of / stay inside the machine. */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>

static void show(const char *what, long r) {
  printf("%s: %ld %s\n", what, r, r < 0 ? strerror(errno) : "ok");
}

int main(void) {
  show("close(77)", close(77));
  show("close(-1)", close(-1));
  show("dup2(77, 5)", dup2(77, 5));
  show("dup2(1, -1)", dup2(1, -1));
  show("dup2(1, 100000)", dup2(1, 100000));
  show("write(1023)", write(1023, "x", 1));
  show("kill(99999, SIGKILL)", kill(99999, SIGKILL));
  show("kill(-99999, SIGTERM)", kill(-99999, SIGTERM));
  show("kill(getpid(), 65)", kill(getpid(), 65));
  int fd = open("../../../../etc/passwd", O_RDONLY);
  char buf[64];
  long n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
  if (n > 0) buf[n] = 0;
  printf("../../../../etc/passwd: fd %d, %s\n", fd >= 0 ? 3 : fd, n > 0 && strstr(buf, "root:") == buf ? "the machine's own passwd" : "unreadable");
  return 0;
}
