/* kill: sends a signal (default SIGTERM; -N or -NAME, e.g. -9 or -KILL) to processes by pid. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>

static const char *names[] = { "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
                               "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU" };

int main(int argc, char **argv) {
  int sig = SIGTERM, i = 1, status = 0;
  if (i < argc && strcmp(argv[i], "-l") == 0) {
    for (int s = 1; s < (int)(sizeof names / sizeof names[0]); s++) printf("%2d) SIG%s\n", s, names[s]);
    return 0;
  }
  if (i < argc && argv[i][0] == '-' && argv[i][1]) {
    const char *s = argv[i] + 1;
    if (strncmp(s, "SIG", 3) == 0) s += 3;
    if (*s >= '0' && *s <= '9') sig = atoi(s);
    else {
      sig = -1;
      for (int k = 1; k < (int)(sizeof names / sizeof names[0]); k++) if (strcmp(s, names[k]) == 0) sig = k;
      if (sig < 0) { fprintf(stderr, "kill: unknown signal: %s\n", argv[i] + 1); return 1; }
    }
    i++;
  }
  if (i == argc) { fprintf(stderr, "kill: usage: kill [-SIGNAL] PID...\n"); return 2; }
  for (; i < argc; i++) {
    if (kill(atoi(argv[i]), sig) < 0) { fprintf(stderr, "kill: (%s) - %s\n", argv[i], strerror(errno)); status = 1; }
  }
  return status;
}
