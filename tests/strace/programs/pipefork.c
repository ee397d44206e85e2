/* A pipe between a parent and its child: the child writes, the parent reads and waits. */
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  int p[2];
  char buf[32];
  pipe(p);
  pid_t child = fork();
  if (child == 0) {
    close(p[0]);
    write(p[1], "from child\n", 11);
    _exit(7);
  }
  close(p[1]);
  int n = read(p[0], buf, sizeof buf);
  write(1, buf, n);
  int status;
  waitpid(child, &status, 0);
  return WEXITSTATUS(status) == 7 ? 0 : 1;
}
