/* headers.c: the numbers and layouts the headers promise — errno values, open flags, signal
 * numbers and sigaction flags, wait macros, mmap flags, syscall numbers, limits and the layout of
 * struct stat and friends — printed so they can be compared with glibc's headers. */
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>

#define SHOW(x) printf("%s = %lld\n", #x, (long long)(x))
#define LAYOUT(type, member) printf("offsetof(%s, %s) = %zu, size %zu\n", #type, #member, offsetof(type, member), sizeof(((type *)0)->member))

int main(void) {
  SHOW(EPERM); SHOW(ENOENT); SHOW(EINTR); SHOW(EBADF); SHOW(EAGAIN); SHOW(ENOMEM); SHOW(EACCES); SHOW(EFAULT);
  SHOW(EEXIST); SHOW(ENOTDIR); SHOW(EISDIR); SHOW(EINVAL); SHOW(EMFILE); SHOW(ENOTTY); SHOW(ESPIPE); SHOW(EPIPE);
  SHOW(ERANGE); SHOW(EDEADLK); SHOW(ENAMETOOLONG); SHOW(ENOSYS); SHOW(ENOTEMPTY); SHOW(ELOOP); SHOW(EWOULDBLOCK);
  SHOW(EOVERFLOW); SHOW(ENOTSOCK); SHOW(EOPNOTSUPP); SHOW(ECONNREFUSED); SHOW(ETIMEDOUT); SHOW(ECANCELED); SHOW(EHWPOISON);
  SHOW(O_RDONLY); SHOW(O_WRONLY); SHOW(O_RDWR); SHOW(O_ACCMODE); SHOW(O_CREAT); SHOW(O_EXCL); SHOW(O_NOCTTY); SHOW(O_TRUNC);
  SHOW(O_APPEND); SHOW(O_NONBLOCK); SHOW(O_DSYNC); SHOW(O_SYNC); SHOW(O_DIRECTORY); SHOW(O_NOFOLLOW); SHOW(O_CLOEXEC);
  SHOW(F_DUPFD); SHOW(F_GETFD); SHOW(F_SETFD); SHOW(F_GETFL); SHOW(F_SETFL); SHOW(F_DUPFD_CLOEXEC); SHOW(FD_CLOEXEC);
  SHOW(AT_FDCWD); SHOW(AT_SYMLINK_NOFOLLOW); SHOW(AT_REMOVEDIR); SHOW(AT_EMPTY_PATH);
  SHOW(SIGHUP); SHOW(SIGINT); SHOW(SIGQUIT); SHOW(SIGILL); SHOW(SIGTRAP); SHOW(SIGABRT); SHOW(SIGBUS); SHOW(SIGFPE);
  SHOW(SIGKILL); SHOW(SIGUSR1); SHOW(SIGSEGV); SHOW(SIGUSR2); SHOW(SIGPIPE); SHOW(SIGALRM); SHOW(SIGTERM);
  SHOW(SIGCHLD); SHOW(SIGCONT); SHOW(SIGSTOP); SHOW(SIGTSTP); SHOW(SIGTTIN); SHOW(SIGTTOU); SHOW(SIGURG);
  SHOW(SIGXCPU); SHOW(SIGXFSZ); SHOW(SIGVTALRM); SHOW(SIGPROF); SHOW(SIGWINCH); SHOW(SIGIO); SHOW(SIGSYS);
  SHOW(SIG_BLOCK); SHOW(SIG_UNBLOCK); SHOW(SIG_SETMASK); SHOW(SA_NOCLDSTOP); SHOW(SA_SIGINFO); SHOW(SA_RESTART);
  SHOW(SA_NODEFER); SHOW(SA_RESETHAND); SHOW(SA_ONSTACK);
  SHOW(WNOHANG); SHOW(WUNTRACED); SHOW(WEXITSTATUS(0x0500)); SHOW(WIFEXITED(0x0500)); SHOW(WIFSIGNALED(0x0009));
  SHOW(WTERMSIG(0x0089)); SHOW(WCOREDUMP(0x0089)); SHOW(WIFSTOPPED(0x137f)); SHOW(WSTOPSIG(0x137f)); SHOW(WIFSIGNALED(0x137f));
  SHOW(PROT_READ); SHOW(PROT_WRITE); SHOW(PROT_EXEC); SHOW(MAP_SHARED); SHOW(MAP_PRIVATE); SHOW(MAP_FIXED); SHOW(MAP_ANONYMOUS);
  SHOW(TCGETS); SHOW(TIOCGWINSZ); SHOW(FIONREAD);
  SHOW(SEEK_SET); SHOW(SEEK_CUR); SHOW(SEEK_END); SHOW(R_OK); SHOW(W_OK); SHOW(X_OK); SHOW(F_OK);
  SHOW(S_IFMT); SHOW(S_IFDIR); SHOW(S_IFREG); SHOW(S_IFLNK); SHOW(S_IFIFO); SHOW(S_IFCHR); SHOW(S_IRWXU); SHOW(S_ISVTX);
  SHOW(CLOCK_REALTIME); SHOW(CLOCK_MONOTONIC); SHOW(CLOCKS_PER_SEC); SHOW(EOF); SHOW(BUFSIZ); SHOW(_IOFBF); SHOW(_IOLBF); SHOW(_IONBF);
  SHOW(SYS_read); SHOW(SYS_write); SHOW(SYS_openat); SHOW(SYS_fork); SHOW(SYS_execve); SHOW(SYS_exit_group); SHOW(SYS_wait4);
  SHOW(SYS_rt_sigaction); SHOW(SYS_rt_sigreturn); SHOW(SYS_clone3); SHOW(SYS_io_uring_setup); SHOW(SYS_openat2); SHOW(SYS_futex_waitv);
  SHOW(__NR_getpid); SHOW(__NR_memfd_secret);
  SHOW(CHAR_BIT); SHOW(INT_MAX); SHOW(LONG_MAX); SHOW(LLONG_MIN); SHOW(PATH_MAX); SHOW(SIZE_MAX == ULONG_MAX); SHOW(INT64_MIN); SHOW(UINT32_MAX);
  SHOW(sizeof(struct stat)); LAYOUT(struct stat, st_dev); LAYOUT(struct stat, st_ino); LAYOUT(struct stat, st_nlink);
  LAYOUT(struct stat, st_mode); LAYOUT(struct stat, st_uid); LAYOUT(struct stat, st_gid); LAYOUT(struct stat, st_rdev);
  LAYOUT(struct stat, st_size); LAYOUT(struct stat, st_blksize); LAYOUT(struct stat, st_blocks);
  LAYOUT(struct stat, st_atim); LAYOUT(struct stat, st_mtim); LAYOUT(struct stat, st_ctim);
  SHOW(sizeof(struct timespec)); SHOW(sizeof(struct timeval)); SHOW(sizeof(struct iovec)); SHOW(sizeof(struct utsname));
  SHOW(sizeof(siginfo_t)); LAYOUT(siginfo_t, si_signo); LAYOUT(siginfo_t, si_code); LAYOUT(siginfo_t, si_pid);
  LAYOUT(siginfo_t, si_uid); LAYOUT(siginfo_t, si_status); LAYOUT(siginfo_t, si_addr);
  LAYOUT(struct tm, tm_sec); LAYOUT(struct tm, tm_year); LAYOUT(struct tm, tm_isdst); LAYOUT(struct tm, tm_gmtoff);
  SHOW(sizeof(struct winsize));
  SHOW(sizeof(pid_t)); SHOW(sizeof(uid_t)); SHOW(sizeof(off_t)); SHOW(sizeof(size_t)); SHOW(sizeof(time_t)); SHOW(sizeof(mode_t));
  SHOW((time_t)-1 < 0); SHOW((size_t)-1 > 0); SHOW((off_t)-1 < 0);
  return 0;
}
