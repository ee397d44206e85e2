/* assert.c: a failing assert prints glibc's message on stderr and ends the program with SIGABRT. */
#include <assert.h>
#include <stdio.h>

int main(void) {
  int x = 2;
  assert(x == 2);
  printf("first assert passed\n");
  fflush(stdout);
  assert(x == 1);
  printf("not reached\n");
  return 0;
}
