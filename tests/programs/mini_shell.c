/* A small shell: reads lines with getline, splits them with strtok, runs them with
 * fork/execvp/waitpid, and has cd and exit builtins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, stdin)) > 0) {
    char *argv[16];
    int argc = 0;
    for (char *t = strtok(line, " \t\n"); t && argc < 15; t = strtok(NULL, " \t\n")) argv[argc++] = t;
    argv[argc] = NULL;
    if (argc == 0) continue;
    if (strcmp(argv[0], "exit") == 0) { free(line); return argc > 1 ? atoi(argv[1]) : 0; }
    if (strcmp(argv[0], "cd") == 0) {
      if (chdir(argc > 1 ? argv[1] : "/") < 0) perror("cd");
      char cwd[256];
      printf("cwd: %s\n", getcwd(cwd, sizeof cwd));
      continue;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) { execvp(argv[0], argv); perror(argv[0]); _exit(127); }
    int status;
    waitpid(pid, &status, 0);
    printf("[%s exited %d]\n", argv[0], WEXITSTATUS(status));
  }
  free(line);
  return 0;
}
