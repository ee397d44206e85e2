/* A signal handler: SIGUSR1 sent to itself with kill(), counted by the handler; then SIGCHLD. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static volatile int got;

static void on_usr1(int sig) { got += sig; }

int main(void) {
  struct sigaction sa;
  sa.sa_handler = on_usr1;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGUSR1, &sa, NULL);
  kill(getpid(), SIGUSR1);
  kill(getpid(), SIGUSR1);
  printf("handler ran: got=%d\n", got);
  signal(SIGUSR1, SIG_IGN);
  kill(getpid(), SIGUSR1);
  printf("ignored: got=%d\n", got);
  pid_t child = fork();
  if (child == 0) { pause(); _exit(0); }
  kill(child, SIGTERM);
  int status;
  waitpid(child, &status, 0);
  printf("child killed by signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : -1);
  return 0;
}
