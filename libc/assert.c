/* assert.c: the message glibc prints when an assertion fails, then abort():
 *   prog: file.c:12: main: Assertion `x == 1' failed. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

extern char *__progname;

void __assert_fail(const char *expr, const char *file, unsigned int line, const char *function) {
  fprintf(stderr, "%s%s%s:%u: %s%sAssertion `%s' failed.\n", __progname, __progname[0] ? ": " : "",
          file, line, function ? function : "", function ? ": " : "", expr);
  fflush(stderr);
  abort();
}
