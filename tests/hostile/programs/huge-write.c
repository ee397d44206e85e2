/* write() with a length far beyond the buffer: EFAULT once the copy leaves the mapping, no crash. */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

int main(void) {
  char buf[16] = "0123456789abcdef";
  int fd = open("/tmp/out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  long r = write(fd, buf, 1L << 40);
  printf("write 1 TiB: %ld %s\n", r, r < 0 ? strerror(errno) : "");
  r = write(fd, (void *)0, 1L << 62);
  printf("write NULL: %ld %s\n", r, strerror(errno));
  r = write(fd, buf, (size_t)-1);
  printf("write SIZE_MAX: %ld %s\n", r, r < 0 ? strerror(errno) : "");
  return 0;
}
