/* env: prints the environment, or runs a command with NAME=VALUE added to it (-i: starting empty). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int i = 1;
  if (i < argc && strcmp(argv[i], "-i") == 0) {
    static char *empty[1];
    environ = empty;
    i++;
  }
  for (; i < argc && strchr(argv[i], '='); i++) putenv(argv[i]);
  if (i == argc) {
    for (char **e = environ; *e; e++) puts(*e);
    return 0;
  }
  execvp(argv[i], argv + i);
  fprintf(stderr, "env: '%s': %s\n", argv[i], strerror(errno));
  return errno == ENOENT ? 127 : 126;
}
