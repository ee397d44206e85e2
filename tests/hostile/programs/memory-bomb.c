/* malloc until it fails: the memory limit makes malloc return NULL (ENOMEM), the program goes on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  long total = 0;
  for (;;) {
    char *p = malloc(1 << 20);
    if (!p) break;
    memset(p, 1, 1 << 20);
    total += 1;
  }
  printf("malloc failed after %ld MiB\n", total);
  return 0;
}
