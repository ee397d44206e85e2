/* Files that grow without bound: a write far past the end of an unlinked file fails with ENOSPC
 * (the machine's tmpfs has a size), and a huge mapping of /dev/zero fails at once with ENOMEM. */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mman.h>

int main(void) {
  int fd = open("/tmp/gone", O_RDWR | O_CREAT | O_TRUNC, 0600);
  unlink("/tmp/gone");
  long r = pwrite(fd, "x", 1, 140737488355328L);
  printf("pwrite at 128 TiB into an unlinked file: %ld %s\n", r, strerror(errno));
  int z = open("/dev/zero", O_RDONLY);
  void *p = mmap(0, 0x7fff00000000L, PROT_READ, MAP_PRIVATE, z, 0);
  printf("mmap 128 TiB of /dev/zero: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
  return 0;
}
