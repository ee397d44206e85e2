/* crt0.c: the program entry. The loader starts _start with the initial stack pointer, where the
 * kernel laid out argc, argv[], NULL, envp[], NULL, then the auxiliary vector (x86_64 ABI). */
#include <stdlib.h>
#include <unistd.h>
#include "internal.h"

int main(int argc, char **argv, char **envp);

char **environ;
long *__auxv;
/* The program's name without its directory, as glibc's __progname (assert messages use it). */
char *__progname = "";

_Noreturn void _start(long *sp) {
  int argc = (int)sp[0];
  char **argv = (char **)(sp + 1);
  char **envp = argv + argc + 1;
  char **p = envp;

  while (*p)
    p++;
  __auxv = (long *)(p + 1);
  environ = envp;
  if (argc > 0 && argv[0]) {
    char *name = argv[0];
    __progname = name;
    for (; *name; name++)
      if (*name == '/')
        __progname = name + 1;
  }
  exit(main(argc, argv, envp));
}
