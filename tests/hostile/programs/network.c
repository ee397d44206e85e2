/* No network: socket() and connect() are not implemented (ENOSYS); nothing reaches the host. */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  long r = syscall(41, 2, 1, 0); /* socket(AF_INET, SOCK_STREAM, 0) */
  printf("socket: %ld %s\n", r, strerror(errno));
  r = syscall(42, 3, 0, 16); /* connect */
  printf("connect: %ld %s\n", r, strerror(errno));
  return 0;
}
