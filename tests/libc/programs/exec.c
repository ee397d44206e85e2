/* exec.c: execvp's PATH search, execv, execl, execle with its own environment, execlp, and the
 * errors when nothing can be run. The program runs itself as the child ("child" argument). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <sys/wait.h>

extern char **environ;

static void run(const char *how, char *self) {
  pid_t pid;
  int status;
  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    char *argv[] = {"exec-child", "child", (char *)how, NULL};
    char *envp[] = {"ONLY=this", NULL};
    if (strcmp(how, "execvp") == 0)
      execvp("exec-test", argv);
    else if (strcmp(how, "execv") == 0)
      execv(self, argv);
    else if (strcmp(how, "execl") == 0)
      execl(self, "exec-child", "child", how, (char *)NULL);
    else if (strcmp(how, "execle") == 0)
      execle(self, "exec-child", "child", how, (char *)NULL, envp);
    else if (strcmp(how, "execlp") == 0)
      execlp("exec-test", "exec-child", "child", how, (char *)NULL);
    else if (strcmp(how, "execve") == 0)
      execve(self, argv, envp);
    printf("%s failed: %s\n", how, strerror(errno));
    exit(99);
  }
  waitpid(pid, &status, 0);
  printf("%s: child exited %d\n", how, WEXITSTATUS(status));
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "child") == 0) {
    int count = 0;
    char **e;
    for (e = environ; *e; e++)
      count++;
    printf("child via %s: argv[0]=%s argc=%d ONLY=%s env entries %s\n", argv[2], argv[0], argc,
           getenv("ONLY") ? getenv("ONLY") : "(unset)", count == 1 ? "one" : "many");
    return 5;
  }
  /* argv[1] is this program's directory: the PATH search must find it there as exec-test. */
  setenv("PATH", argv[1], 1);
  run("execvp", argv[2]);
  run("execv", argv[2]);
  run("execl", argv[2]);
  run("execle", argv[2]);
  run("execlp", argv[2]);
  run("execve", argv[2]);
  {
    char *args[] = {"x", NULL};
    int result;
    setenv("PATH", "/nonexistent-dir:/also-missing", 1);
    result = execvp("no-such-program-here", args);
    printf("execvp missing: %d %s\n", result, strerror(errno));
    result = execv("/no/such/file", args);
    printf("execv missing: %d %s\n", result, strerror(errno));
    result = execvp("", args);
    printf("execvp empty: %d %s\n", result, strerror(errno));
    result = execv("/", args);
    printf("execv a directory: %d %s\n", result, strerror(errno));
  }
  return 0;
}
