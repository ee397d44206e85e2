/* FreeBSD calls whose arguments carry FreeBSD's own constants: open flags, mmap prot and flags,
 * signal numbers, sigaction, struct stat, lseek whence, access modes, fcntl, pipe2, wait4. */
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

int main(void) {
  int fd = open("/tmp/calls.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  write(fd, "hello\n", 6);
  struct stat st;
  fstat(fd, &st);
  fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  close(fd);
  open("/nonexistent", O_RDONLY | O_DIRECTORY);
  void *p = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
  mprotect(p, 4096, PROT_READ);
  munmap(p, 8192);
  signal(SIGUSR1, SIG_IGN);
  kill(getpid(), SIGUSR1);
  lseek(0, 0, SEEK_END);
  access("/tmp/calls.txt", R_OK | W_OK);
  int fds[2];
  pipe2(fds, O_CLOEXEC | O_NONBLOCK);
  pid_t child = fork();
  if (child == 0) _exit(3);
  int status;
  waitpid(child, &status, 0);
  return 0;
}
