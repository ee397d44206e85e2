/* sort: sorts lines of files or standard input (-r reverse, -n numeric, -u unique), byte order as
 * in the C locale. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

static int rflag, nflag, uflag;

static int compare(const char *a, const char *b) {
  if (nflag) {
    double x = strtod(a, NULL), y = strtod(b, NULL);
    if (x != y) return x < y ? -1 : 1;
  }
  return strcmp(a, b);
}

static int qcmp(const void *a, const void *b) {
  int c = compare(*(char *const *)a, *(char *const *)b);
  return rflag ? -c : c;
}

static char **lines;
static long nlines, cap;

static void read_lines(FILE *f) {
  char *line = NULL;
  size_t lcap = 0;
  long len;
  while ((len = getline(&line, &lcap, f)) > 0) {
    if (line[len - 1] == '\n') line[len - 1] = 0;
    if (nlines == cap) { cap = cap ? cap * 2 : 256; lines = realloc(lines, cap * sizeof *lines); }
    lines[nlines++] = strdup(line);
  }
  free(line);
}

int main(int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'r') rflag = 1;
      else if (*p == 'n') nflag = 1;
      else if (*p == 'u') uflag = 1;
      else { fprintf(stderr, "sort: invalid option -- '%c'\n", *p); return 2; }
    }
  }
  if (i == argc) read_lines(stdin);
  for (; i < argc; i++) {
    FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
    if (!f) { fprintf(stderr, "sort: cannot read: %s: %s\n", argv[i], strerror(errno)); return 2; }
    read_lines(f);
    if (f != stdin) fclose(f);
  }
  qsort(lines, nlines, sizeof *lines, qcmp);
  for (long k = 0; k < nlines; k++) {
    if (uflag && k > 0 && compare(lines[k], lines[k - 1]) == 0) continue;
    puts(lines[k]);
  }
  return 0;
}
