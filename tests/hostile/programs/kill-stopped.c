/* SIGKILL ends a stopped process (Linux wakes it to die); its parent reaps it with WTERMSIG 9. */
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void) {
  pid_t child = fork();
  if (child == 0) {
    for (;;) pause();
  }
  kill(child, SIGSTOP);
  kill(child, SIGKILL);
  int status = 0;
  pid_t r = waitpid(child, &status, 0);
  printf("reaped %d: signaled %d, signal %d\n", r == child, WIFSIGNALED(status), WTERMSIG(status));
  return 0;
}
