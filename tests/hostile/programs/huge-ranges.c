/* Huge lengths with bad pointers must fail at once, as on Linux (munmap EINVAL, mprotect ENOMEM,
 * getrandom EFAULT), not walk terabytes page by page. */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

int main(void) {
  long r;
  r = munmap((void *)0x1000, 0x1fffffffffffffL);
  printf("munmap huge: %ld %s\n", r, strerror(errno));
  r = mprotect((void *)0x1000, 0x1fffffffffffffL, PROT_READ);
  printf("mprotect huge: %ld %s\n", r, strerror(errno));
  r = syscall(318, (void *)-4096L, 1035669294L, 0);
  printf("getrandom kernel address: %ld %s\n", r, strerror(errno));
  r = syscall(318, (void *)0x10000000, 1 << 24, 0);
  printf("getrandom unmapped: %ld %s\n", r, strerror(errno));
  return 0;
}
