/* mmap and brk past the memory limit: ENOMEM, as with an RLIMIT_AS. */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

int main(void) {
  void *p = mmap(0, 1L << 40, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("mmap 1 TiB: %s\n", p == MAP_FAILED ? strerror(errno) : "mapped");
  void *cur = sbrk(0);
  void *q = sbrk(1L << 40);
  printf("sbrk 1 TiB: %s\n", q == (void *)-1 ? strerror(errno) : "grown");
  printf("break unchanged: %d\n", sbrk(0) == cur);
  return 0;
}
