/* Dereferences NULL: SIGSEGV, exit status 139 from ksim run. */
#include <stdio.h>
int main(void) {
  int *p = NULL;
  printf("before\n");
  fflush(stdout);
  return *p;
}
