/* A program that execs another (the program named by argv[1]) with arguments. */
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc < 2) return 2;
  char *args[] = { argv[1], "from", "exec", NULL };
  execv(argv[1], args);
  perror("execv");
  return 1;
}
