/* getopt.c: getopt over several command lines: clusters, attached and separate arguments, optional
 * arguments, unknown options and missing arguments (glibc's messages), operands mixed with options
 * (permuted to the end), "--", and the '+' and ':' optstring prefixes. */
#include <stdio.h>
#include <unistd.h>

static void parse(const char *title, int argc, char **argv, const char *optstring) {
  int c, i;
  printf("== %s (%s)\n", title, optstring);
  optind = 0;
  while ((c = getopt(argc, argv, optstring)) != -1)
    printf("  opt %c optarg %s optopt %c optind %d\n", c, optarg ? optarg : "(null)", optopt ? optopt : '.', optind);
  printf("  optind %d, argv:", optind);
  for (i = 0; i < argc; i++)
    printf(" %s", argv[i]);
  printf("\n");
  fflush(stdout);
  optopt = 0;
}

int main(void) {
  char *a1[] = {"prog", "-a", "-bvalue", "-c", "arg", "file1", NULL};
  char *a2[] = {"prog", "file1", "-a", "file2", "-c", "carg", "file3", "-ab", NULL};
  char *a3[] = {"prog", "-x", "-a", "-c", NULL};
  char *a4[] = {"prog", "op1", "-a", "--", "-b", "op2", NULL};
  char *a5[] = {"prog", "op1", "-a", "op2", NULL};
  char *a6[] = {"prog", "-c", NULL};
  char *a7[] = {"prog", "-dopt", "-d", "x", "-acfoo", "-", "last", NULL};
  parse("clusters and arguments", 6, a1, "ab:c:");
  parse("permuted operands", 8, a2, "abc:");
  parse("unknown and missing", 4, a3, "ac:");
  parse("double dash after operand", 6, a4, "ab");
  parse("plus stops at operands", 4, a5, "+a");
  parse("colon reports missing", 2, a6, ":c:");
  parse("optional arguments", 7, a7, "ac:d::");
  {
    char *a8[] = {"prog", "op1", "-a", "op2", "-c", NULL};
    char *a9[] = {"prog", "x", "-a", "y", "-b", "z", "-c", "w", NULL};
    parse("minus returns operands", 4, a8, "-a");
    parse("missing at the end after operands", 5, a8, "ac:");
    parse("many operands", 8, a9, "abc");
  }
  return 0;
}
