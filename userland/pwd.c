/* pwd: prints the current working directory. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

int main(void) {
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd)) {
    fprintf(stderr, "pwd: %s\n", strerror(errno));
    return 1;
  }
  puts(cwd);
  return 0;
}
