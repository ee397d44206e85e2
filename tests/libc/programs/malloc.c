/* malloc.c: allocator stress: thousands of blocks of mixed sizes (small ones from the break, large
 * ones mapped), each filled with a pattern that is checked before it is freed or resized. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define SLOTS 512

static unsigned int seed = 12345;

static unsigned int next(void) {
  seed = seed * 1103515245u + 12345u;
  return (seed >> 8) & 0xffffff;
}

static unsigned char pattern(size_t slot, size_t i) {
  return (unsigned char)(slot * 31 + i * 7 + 1);
}

static size_t pick_size(void) {
  unsigned int r = next();
  if (r % 50 == 0)
    return 100000 + r % 300000; /* large: mmap */
  if (r % 5 == 0)
    return r % 4000;
  return r % 200;
}

int main(void) {
  static unsigned char *blocks[SLOTS];
  static size_t sizes[SLOTS];
  size_t slot, i;
  long round, errors = 0, aligned = 0, allocations = 0;
  unsigned char *z;

  for (round = 0; round < 20000; round++) {
    slot = next() % SLOTS;
    if (blocks[slot]) {
      for (i = 0; i < sizes[slot]; i++)
        if (blocks[slot][i] != pattern(slot, i)) {
          errors++;
          break;
        }
      if (next() % 3 == 0) {
        size_t new_size = pick_size();
        unsigned char *p = realloc(blocks[slot], new_size);
        if (!p && new_size) {
          errors++;
          continue;
        }
        for (i = 0; i < sizes[slot] && i < new_size; i++)
          if (p[i] != pattern(slot, i)) {
            errors++;
            break;
          }
        for (i = sizes[slot]; i < new_size; i++)
          p[i] = pattern(slot, i);
        blocks[slot] = new_size ? p : NULL;
        sizes[slot] = new_size;
        continue;
      }
      free(blocks[slot]);
      blocks[slot] = NULL;
    } else {
      sizes[slot] = pick_size();
      blocks[slot] = malloc(sizes[slot]);
      allocations++;
      if (!blocks[slot]) {
        errors++;
        continue;
      }
      if ((uintptr_t)blocks[slot] % 16 == 0)
        aligned++;
      for (i = 0; i < sizes[slot]; i++)
        blocks[slot][i] = pattern(slot, i);
    }
  }
  for (slot = 0; slot < SLOTS; slot++)
    free(blocks[slot]);

  z = calloc(1000, 10);
  for (i = 0; i < 10000; i++)
    if (z[i])
      errors++;
  free(z);
  z = calloc(100000, 4);
  for (i = 0; i < 400000; i++)
    if (z[i])
      errors++;
  free(z);
  printf("allocations %ld, unaligned %ld, errors %ld\n", allocations, allocations - aligned, errors);
  printf("malloc(0) %s, realloc(NULL, 8) %s\n", "ok", realloc(NULL, 8) ? "ok" : "null");
  printf("calloc overflow %s\n", calloc((size_t)-1, 16) == NULL ? "null" : "not null");
  printf("huge malloc %s\n", malloc((size_t)-1 / 2 + 1) == NULL ? "null" : "not null");
  return errors != 0;
}
