/* malloc/realloc/qsort-heavy code: grow an array, sort it, check it, free it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}

int main(void) {
  long *v = NULL;
  size_t n = 0, cap = 0;
  unsigned long seed = 12345;
  for (int i = 0; i < 5000; i++) {
    if (n == cap) { cap = cap ? cap * 2 : 4; v = realloc(v, cap * sizeof *v); }
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    v[n++] = (long)(seed >> 33) % 100000;
  }
  qsort(v, n, sizeof *v, cmp);
  for (size_t i = 1; i < n; i++) if (v[i - 1] > v[i]) { printf("not sorted at %zu\n", i); return 1; }
  char **words = malloc(3 * sizeof *words);
  words[0] = strdup("pear"); words[1] = strdup("apple"); words[2] = strdup("fig");
  printf("n=%zu min=%ld max=%ld median=%ld %s\n", n, v[0], v[n - 1], v[n / 2], words[1]);
  for (int i = 0; i < 3; i++) free(words[i]);
  free(words);
  free(v);
  return 0;
}
