/* sleep: waits for a number of seconds (fractions allowed). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "sleep: missing operand\n"); return 1; }
  char *end;
  double s = strtod(argv[1], &end);
  if (*end || s < 0) { fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[1]); return 1; }
  struct timespec ts;
  ts.tv_sec = (time_t)s;
  ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
  nanosleep(&ts, NULL);
  return 0;
}
