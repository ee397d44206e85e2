/* A parent and a child talking through a pipe; the parent waits for the child's status. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void) {
  int fds[2];
  if (pipe(fds) < 0) { perror("pipe"); return 1; }
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const char *msg = "hello from the child\n";
    write(fds[1], msg, strlen(msg));
    close(fds[1]);
    _exit(7);
  }
  close(fds[1]);
  char buf[64];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) write(1, buf, n);
  int status;
  waitpid(pid, &status, 0);
  printf("child exited: %d, status %d\n", WIFEXITED(status), WEXITSTATUS(status));
  return 0;
}
