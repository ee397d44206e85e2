/* Unbounded recursion: the stack hits its guard page and the process dies of SIGSEGV. */
#include <stdio.h>

int depth(int n) {
  char pad[256];
  pad[n % 256] = (char)n;
  return depth(n + 1) + pad[0];
}

int main(void) {
  printf("recursing\n");
  fflush(stdout);
  return depth(0);
}
