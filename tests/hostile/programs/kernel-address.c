/* Reading a kernel address from user mode: SIGSEGV; passing one to a syscall: EFAULT. */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long r = write(1, (void *)0xffffffff81000000UL, 16);
  printf("write from kernel address: %ld %s\n", r, strerror(errno));
  r = read(0, (void *)0xffff800000000000UL, 16);
  printf("read into kernel address: %ld %s\n", r, strerror(errno));
  fflush(stdout);
  if (argc > 1) return *(volatile int *)0xffffffff81000000UL;
  return *(volatile int *)(long)argv[0] * 0 + *(volatile int *)0x1234567;
}
