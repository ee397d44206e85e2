/* tail: prints the last lines of a file or standard input (-n N, or -N; default 10; -n +N from line N). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

/* Reads all of f into memory (tail must see the end before printing). */
static char *slurp(FILE *f, long *len) {
  long cap = 4096, n = 0;
  char *s = malloc(cap);
  size_t got;
  while ((got = fread(s + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) { cap *= 2; s = realloc(s, cap); }
  }
  *len = n;
  return s;
}

static void tail(FILE *f, long n, int from_start) {
  long len;
  char *s = slurp(f, &len);
  long start;
  if (from_start) {
    start = 0;
    for (long line = 1; line < n && start < len; start++) if (s[start] == '\n') line++;
  } else {
    start = len;
    /* A final line without a newline counts as a line. */
    long i = len;
    if (i > 0 && s[i - 1] == '\n') i--;
    while (n > 0 && i > 0) {
      i--;
      if (s[i] == '\n') { n--; if (n == 0) { i++; break; } }
    }
    start = n > 0 ? 0 : i;
    if (len == 0) start = 0;
  }
  fwrite(s + start, 1, len - start, stdout);
  free(s);
}

int main(int argc, char **argv) {
  long n = 10;
  int from_start = 0, i = 1, status = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    const char *v = NULL;
    if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) v = argv[++i];
    else if (strncmp(argv[i], "-n", 2) == 0) v = argv[i] + 2;
    else if (argv[i][1] >= '0' && argv[i][1] <= '9') v = argv[i] + 1;
    else { fprintf(stderr, "tail: invalid option '%s'\n", argv[i]); return 1; }
    from_start = v[0] == '+';
    n = atol(v[0] == '+' || v[0] == '-' ? v + 1 : v);
  }
  if (i == argc) { tail(stdin, n, from_start); return 0; }
  int many = argc - i > 1;
  for (int first = i; i < argc; i++) {
    FILE *f = fopen(argv[i], "r");
    if (!f) { fprintf(stderr, "tail: cannot open '%s' for reading: %s\n", argv[i], strerror(errno)); status = 1; continue; }
    if (many) printf("%s==> %s <==\n", i > first ? "\n" : "", argv[i]);
    tail(f, n, from_start);
    fclose(f);
  }
  return status;
}
