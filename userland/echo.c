/* echo: writes its arguments separated by spaces, then a newline (-n: no newline; -e: backslash escapes). */
#include <stdio.h>
#include <string.h>

static void put_escaped(const char *s) {
  for (; *s; s++) {
    if (*s != '\\' || !s[1]) { putchar(*s); continue; }
    s++;
    switch (*s) {
    case 'n': putchar('\n'); break;
    case 't': putchar('\t'); break;
    case '\\': putchar('\\'); break;
    case 'a': putchar('\a'); break;
    case 'r': putchar('\r'); break;
    default: putchar('\\'); putchar(*s); break;
    }
  }
}

int main(int argc, char **argv) {
  int newline = 1, escapes = 0, i = 1;
  for (; i < argc; i++) {
    if (strcmp(argv[i], "-n") == 0) newline = 0;
    else if (strcmp(argv[i], "-e") == 0) escapes = 1;
    else if (strcmp(argv[i], "-E") == 0) escapes = 0;
    else break;
  }
  for (int first = i; i < argc; i++) {
    if (i > first) putchar(' ');
    if (escapes) put_escaped(argv[i]);
    else fputs(argv[i], stdout);
  }
  if (newline) putchar('\n');
  return 0;
}
