/* sort.c: qsort (stable, as glibc's merge sort), bsearch, and the rand() sequence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pair {
  int key;
  int order;
};

static int compare_ints(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static int compare_keys(const void *a, const void *b) {
  const struct pair *x = a, *y = b;
  return (x->key > y->key) - (x->key < y->key);
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
  int numbers[1000], i, key, found = 0;
  struct pair pairs[40];
  char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "elderberry", "grape"};

  for (i = 0; i < 8; i++)
    printf("rand %d\n", rand());
  srand(42);
  for (i = 0; i < 4; i++)
    printf("srand(42) rand %d\n", rand());
  srand(0);
  printf("srand(0) rand %d\n", rand());
  srand(1);
  printf("srand(1) rand %d\n", rand());
  for (i = 0; i < 1000; i++)
    numbers[i] = rand() % 5000 - 2500;
  qsort(numbers, 1000, sizeof numbers[0], compare_ints);
  for (i = 1; i < 1000; i++)
    if (numbers[i - 1] > numbers[i])
      printf("not sorted at %d\n", i);
  for (i = 0; i < 1000; i += 97)
    printf("numbers[%d] = %d\n", i, numbers[i]);
  for (key = -2500; key < 2500; key += 7)
    found += bsearch(&key, numbers, 1000, sizeof numbers[0], compare_ints) != NULL;
  printf("bsearch found %d\n", found);
  key = numbers[500];
  printf("bsearch exact %d\n", *(int *)bsearch(&key, numbers, 1000, sizeof numbers[0], compare_ints));
  key = 99999;
  printf("bsearch missing %s\n", bsearch(&key, numbers, 1000, sizeof numbers[0], compare_ints) ? "found" : "null");
  for (i = 0; i < 40; i++) {
    pairs[i].key = (i * 7) % 5;
    pairs[i].order = i;
  }
  qsort(pairs, 40, sizeof pairs[0], compare_keys);
  for (i = 0; i < 40; i++)
    printf("%d:%d%c", pairs[i].key, pairs[i].order, i % 10 == 9 ? '\n' : ' ');
  qsort(words, 8, sizeof words[0], compare_strings);
  for (i = 0; i < 8; i++)
    printf("%s ", words[i]);
  printf("\nabs %d labs %ld llabs %lld div %d %d\n", abs(-5), labs(-7L), llabs(-9LL), div(-7, 2).quot, div(-7, 2).rem);
  return 0;
}
