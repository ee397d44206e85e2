/* cat FILE | wc: reads a file with stdio, counts lines, words and bytes like wc. */
#include <stdio.h>
#include <ctype.h>

int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "r");
  if (!f) { perror(argv[1]); return 1; }
  long lines = 0, words = 0, bytes = 0;
  int c, inword = 0;
  while ((c = fgetc(f)) != EOF) {
    bytes++;
    if (c == '\n') lines++;
    if (isspace(c)) inword = 0;
    else if (!inword) { inword = 1; words++; }
  }
  fclose(f);
  printf("%7ld %7ld %7ld %s\n", lines, words, bytes, argv[1]);
  return 0;
}
