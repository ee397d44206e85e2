/* Signals: a child paused until killed with SIGTERM; the parent reaps it and sees SIGCHLD. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; write(1, "usr1\n", 5); }

int main(void) {
  int p[2];
  char c;
  signal(SIGUSR1, on_usr1);
  kill(getpid(), SIGUSR1);
  pipe(p);
  pid_t child = fork();
  if (child == 0) {
    close(p[0]);
    write(p[1], "r", 1);
    for (;;) pause();
  }
  close(p[1]);
  read(p[0], &c, 1);
  kill(child, SIGTERM);
  int status;
  waitpid(child, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM ? 0 : 1;
}
