/* head: prints the first lines of each file or standard input (-n N, or -N; default 10). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

static void head(FILE *f, long n) {
  int c;
  while (n > 0 && (c = getc(f)) != EOF) {
    putchar(c);
    if (c == '\n') n--;
  }
}

int main(int argc, char **argv) {
  long n = 10;
  int i = 1, status = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) n = atol(argv[++i]);
    else if (strncmp(argv[i], "-n", 2) == 0) n = atol(argv[i] + 2);
    else if (argv[i][1] >= '0' && argv[i][1] <= '9') n = atol(argv[i] + 1);
    else { fprintf(stderr, "head: invalid option '%s'\n", argv[i]); return 1; }
  }
  if (i == argc) { head(stdin, n); return 0; }
  int many = argc - i > 1;
  for (int first = i; i < argc; i++) {
    FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
    if (!f) { fprintf(stderr, "head: cannot open '%s' for reading: %s\n", argv[i], strerror(errno)); status = 1; continue; }
    if (many) printf("%s==> %s <==\n", i > first ? "\n" : "", strcmp(argv[i], "-") == 0 ? "standard input" : argv[i]);
    head(f, n);
    if (f != stdin) fclose(f);
  }
  return status;
}
