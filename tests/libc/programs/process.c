/* process.c: fork, pipe, wait/waitpid and exit statuses, dup2, and what fork does to unflushed
 * stdio buffers (the child inherits them, so text printed before fork can appear twice). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <errno.h>
#include <sys/wait.h>

int main(void) {
  int fds[2], status, i;
  pid_t pid, waited;
  char buf[128];
  ssize_t n;

  printf("before fork, not flushed\n");
  if (pipe(fds) < 0) {
    perror("pipe");
    return 1;
  }
  pid = fork();
  if (pid == 0) {
    close(fds[0]);
    dprintf(fds[1], "child %s\n", "writes to pipe");
    close(fds[1]);
    printf("child exits 7\n");
    exit(7);
  }
  close(fds[1]);
  n = read(fds[0], buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  printf("parent read: %s", buf);
  n = read(fds[0], buf, sizeof buf);
  printf("read at EOF: %zd\n", n);
  close(fds[0]);
  waited = waitpid(pid, &status, 0);
  printf("waitpid matched %d, exited %d, status %d\n", waited == pid, WIFEXITED(status), WEXITSTATUS(status));

  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    kill(getpid(), SIGTERM);
    _exit(0);
  }
  wait(&status);
  printf("signaled %d, signal %d (%s)\n", WIFSIGNALED(status), WTERMSIG(status), strsignal(WTERMSIG(status)));

  for (i = 0; i < 3; i++) {
    fflush(stdout);
    if (fork() == 0) {
      printf("child %d\n", i);
      _exit(10 + i); /* _exit: this child's buffer is lost */
    }
    waitpid(-1, &status, 0);
    printf("reaped one with %d\n", WEXITSTATUS(status));
  }
  waited = wait(&status);
  printf("wait with no children: %d errno %s\n", waited, strerror(errno));

  pipe(fds);
  fflush(stdout);
  if (fork() == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    printf("through dup2'd stdout, pid differs: %d\n", getpid() != getppid());
    return 0; /* return from main flushes */
  }
  close(fds[1]);
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    fwrite(buf, 1, (size_t)n, stdout);
  wait(NULL);
  printf("getppid of parent is not itself: %d\n", getppid() != getpid());
  return 3;
}
