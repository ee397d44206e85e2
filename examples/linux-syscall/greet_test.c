/* Calls greet(2) with the first argument and reports what the kernel said. */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
  const char *name = argc > 1 ? argv[1] : "";
  long r = syscall(SYS_greet, name);
  if (r < 0) {
    printf("greet failed: %s\n", strerror(errno));
    return 1;
  }
  printf("greet returned %ld\n", r);
  return 0;
}
