/* unistd.c: thin wrappers over system calls (files, processes, identity, memory), each returning
 * -1 with errno on failure as glibc does. Where machines differ, the wrapper picks by which SYS_
 * names the machine's <ksim/syscall_numbers.h> defines, preferring the call glibc makes on x86_64. */
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include "internal.h"

#define RET(raw) return __syscall_ret(raw)

ssize_t read(int fd, void *buf, size_t count) { RET(__syscall3(SYS_read, fd, (long)buf, (long)count)); }
ssize_t write(int fd, const void *buf, size_t count) { RET(__syscall3(SYS_write, fd, (long)buf, (long)count)); }
int close(int fd) { RET(__syscall1(SYS_close, fd)); }

/* On i386 a 64-bit offset travels in two argument words, low half first. */
#ifdef __i386__
#define OFFSET_ARGS(o) (long)(o), (long)((o) >> 32)
#else
#define OFFSET_ARGS(o) (long)(o)
#endif

#if defined(SYS_pread64) && defined(__i386__)
ssize_t pread(int fd, void *buf, size_t count, off_t offset) { RET(__syscall5(SYS_pread64, fd, (long)buf, (long)count, OFFSET_ARGS(offset))); }
ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) { RET(__syscall5(SYS_pwrite64, fd, (long)buf, (long)count, OFFSET_ARGS(offset))); }
#elif defined(SYS_pread64)
ssize_t pread(int fd, void *buf, size_t count, off_t offset) { RET(__syscall4(SYS_pread64, fd, (long)buf, (long)count, OFFSET_ARGS(offset))); }
ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) { RET(__syscall4(SYS_pwrite64, fd, (long)buf, (long)count, OFFSET_ARGS(offset))); }
#else
ssize_t pread(int fd, void *buf, size_t count, off_t offset) { RET(__syscall4(SYS_pread, fd, (long)buf, (long)count, (long)offset)); }
ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) { RET(__syscall4(SYS_pwrite, fd, (long)buf, (long)count, (long)offset)); }
#endif

ssize_t readv(int fd, const struct iovec *iov, int iovcnt) { RET(__syscall3(SYS_readv, fd, (long)iov, iovcnt)); }
ssize_t writev(int fd, const struct iovec *iov, int iovcnt) { RET(__syscall3(SYS_writev, fd, (long)iov, iovcnt)); }

/* open is openat(AT_FDCWD, ...), as glibc does; the mode is read only when the flags need one. */
int openat(int dirfd, const char *path, int flags, ...) {
  int mode = 0;
  if (flags & O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode = va_arg(ap, int);
    va_end(ap);
  }
  RET(__syscall4(SYS_openat, dirfd, (long)path, flags | O_LARGEFILE, mode));
}

int open(const char *path, int flags, ...) {
  int mode = 0;
  if (flags & O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode = va_arg(ap, int);
    va_end(ap);
  }
  return openat(AT_FDCWD, path, flags, mode);
}

int creat(const char *path, mode_t mode) {
  return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int fcntl(int fd, int cmd, ...) {
  va_list ap;
  long arg;
  va_start(ap, cmd);
  arg = va_arg(ap, long);
  va_end(ap);
  RET(__syscall3(SYS_fcntl, fd, cmd, arg));
}

int ioctl(int fd, unsigned long request, ...) {
  va_list ap;
  long arg;
  va_start(ap, request);
  arg = va_arg(ap, long);
  va_end(ap);
  RET(__syscall3(SYS_ioctl, fd, (long)request, arg));
}

off_t lseek(int fd, off_t offset, int whence) {
#ifdef SYS__llseek
  long long result;
  long raw = __syscall5(SYS__llseek, fd, (long)(offset >> 32), (long)offset, (long)&result, whence);
  if (__is_syscall_error(raw))
    return __syscall_ret(raw);
  return result;
#else
  RET(__syscall3(SYS_lseek, fd, (long)offset, whence));
#endif
}

#ifdef SYS_ftruncate64
int ftruncate(int fd, off_t length) { RET(__syscall3(SYS_ftruncate64, fd, OFFSET_ARGS(length))); }
int truncate(const char *path, off_t length) { RET(__syscall3(SYS_truncate64, (long)path, OFFSET_ARGS(length))); }
#else
int ftruncate(int fd, off_t length) { RET(__syscall2(SYS_ftruncate, fd, (long)length)); }
int truncate(const char *path, off_t length) { RET(__syscall2(SYS_truncate, (long)path, (long)length)); }
#endif
int fsync(int fd) { RET(__syscall1(SYS_fsync, fd)); }

/* glibc makes pipe() a pipe2(fds, 0) wherever pipe2 exists (Linux 2.6.27 on); so does ksim, so
 * traces match the host's. */
int pipe(int fds[2]) {
#ifdef SYS_pipe2
  return pipe2(fds, 0);
#else
  RET(__syscall1(SYS_pipe, (long)fds));
#endif
}

int pipe2(int fds[2], int flags) { RET(__syscall2(SYS_pipe2, (long)fds, flags)); }
int dup(int fd) { RET(__syscall1(SYS_dup, fd)); }

int dup2(int oldfd, int newfd) {
#ifdef SYS_dup2
  RET(__syscall2(SYS_dup2, oldfd, newfd));
#else
  if (oldfd == newfd)
    return fcntl(oldfd, F_GETFD) < 0 ? -1 : newfd;
  return dup3(oldfd, newfd, 0);
#endif
}

#ifdef SYS_dup3
int dup3(int oldfd, int newfd, int flags) { RET(__syscall3(SYS_dup3, oldfd, newfd, flags)); }
#else
/* FreeBSD: dup3 is dup2 then close-on-exec, as its libc does (F_DUP2FD_CLOEXEC aside). */
int dup3(int oldfd, int newfd, int flags) {
  if (oldfd == newfd) {
    errno = EINVAL;
    return -1;
  }
  if (dup2(oldfd, newfd) < 0)
    return -1;
  if ((flags & O_CLOEXEC) && fcntl(newfd, F_SETFD, FD_CLOEXEC) < 0)
    return -1;
  return newfd;
}
#endif

/* isatty: a terminal is what answers the "get terminal attributes" ioctl. */
int isatty(int fd) {
  long termios[16];
#ifdef __FreeBSD__
  long raw = __syscall3(SYS_ioctl, fd, TIOCGETA, (long)termios);
#else
  long raw = __syscall3(SYS_ioctl, fd, TCGETS, (long)termios);
#endif
  if (__is_syscall_error(raw)) {
    errno = (int)-raw;
    return 0;
  }
  return 1;
}

/* fork uses the fork syscall where the machine has one (x86_64 57, i386 2, FreeBSD 2); glibc uses
 * clone(SIGCHLD), which is the fallback. Stdio buffers are not flushed: the child inherits them. */
pid_t fork(void) {
#ifdef SYS_fork
  RET(__syscall0(SYS_fork));
#else
  RET(__syscall5(SYS_clone, SIGCHLD, 0, 0, 0, 0));
#endif
}

/* vfork is fork: a C wrapper cannot safely share its stack frame with the child (glibc's is
 * assembly); POSIX allows vfork to be fork. */
pid_t vfork(void) {
  return fork();
}

int execve(const char *path, char *const argv[], char *const envp[]) {
  RET(__syscall3(SYS_execve, (long)path, (long)argv, (long)envp));
}

int execv(const char *path, char *const argv[]) {
  return execve(path, argv, environ);
}

/* Runs a file that is not an executable as a shell script, as glibc's execvp does on ENOEXEC. */
static void exec_as_script(const char *path, char *const argv[], char *const envp[]) {
  int argc = 0;
  while (argv[argc])
    argc++;
  {
    char **shell_argv = malloc(sizeof(char *) * (size_t)(argc + 2));
    int i;
    if (!shell_argv)
      return;
    shell_argv[0] = "/bin/sh";
    shell_argv[1] = (char *)path;
    for (i = 1; i <= argc; i++)
      shell_argv[i + 1] = argv[i];
    execve("/bin/sh", shell_argv, envp);
    free(shell_argv);
  }
}

/* execvpe: a name with a '/' is a path; otherwise try each PATH entry (default "/bin:/usr/bin",
 * glibc's), remembering EACCES, and report ENOENT if nothing was found. */
int execvpe(const char *file, char *const argv[], char *const envp[]) {
  const char *path, *dir;
  char buf[4096];
  int saw_eacces = 0;
  size_t file_len;

  if (!*file) {
    errno = ENOENT;
    return -1;
  }
  if (strchr(file, '/')) {
    execve(file, argv, envp);
    if (errno == ENOEXEC)
      exec_as_script(file, argv, envp);
    return -1;
  }
  path = getenv("PATH");
  if (!path)
    path = "/bin:/usr/bin";
  file_len = strlen(file);
  for (dir = path;; dir++) {
    const char *end = strchrnul(dir, ':');
    size_t dir_len = (size_t)(end - dir);
    if (dir_len + file_len + 2 <= sizeof buf) {
      if (dir_len) {
        memcpy(buf, dir, dir_len);
        buf[dir_len] = '/';
        memcpy(buf + dir_len + 1, file, file_len + 1);
      } else {
        memcpy(buf, file, file_len + 1); /* an empty entry means the current directory */
      }
      execve(buf, argv, envp);
      if (errno == ENOEXEC) {
        exec_as_script(buf, argv, envp);
        return -1;
      }
      if (errno == EACCES)
        saw_eacces = 1;
      else if (errno != ENOENT && errno != ENOTDIR && errno != ESTALE && errno != ENODEV && errno != ETIMEDOUT)
        return -1;
    }
    if (!*end)
      break;
    dir = end;
  }
  errno = saw_eacces ? EACCES : ENOENT;
  return -1;
}

int execvp(const char *file, char *const argv[]) {
  return execvpe(file, argv, environ);
}

/* The execl family collects its arguments (up to the NULL) into an argv array. */
#define MAX_EXECL_ARGS 1024

int execl(const char *path, const char *arg, ...) {
  char *argv[MAX_EXECL_ARGS];
  int argc = 0;
  va_list ap;
  va_start(ap, arg);
  argv[argc++] = (char *)arg;
  while (argv[argc - 1] && argc < MAX_EXECL_ARGS)
    argv[argc++] = va_arg(ap, char *);
  va_end(ap);
  if (argv[argc - 1]) {
    errno = E2BIG;
    return -1;
  }
  return execve(path, argv, environ);
}

int execlp(const char *file, const char *arg, ...) {
  char *argv[MAX_EXECL_ARGS];
  int argc = 0;
  va_list ap;
  va_start(ap, arg);
  argv[argc++] = (char *)arg;
  while (argv[argc - 1] && argc < MAX_EXECL_ARGS)
    argv[argc++] = va_arg(ap, char *);
  va_end(ap);
  if (argv[argc - 1]) {
    errno = E2BIG;
    return -1;
  }
  return execvp(file, argv);
}

int execle(const char *path, const char *arg, ...) {
  char *argv[MAX_EXECL_ARGS];
  char **envp;
  int argc = 0;
  va_list ap;
  va_start(ap, arg);
  argv[argc++] = (char *)arg;
  while (argv[argc - 1] && argc < MAX_EXECL_ARGS)
    argv[argc++] = va_arg(ap, char *);
  envp = va_arg(ap, char **);
  va_end(ap);
  if (argv[argc - 1]) {
    errno = E2BIG;
    return -1;
  }
  return execve(path, argv, envp);
}

/* _exit ends the whole process: exit_group on Linux, exit elsewhere. */
_Noreturn void _exit(int status) {
#ifdef SYS_exit_group
  __syscall1(SYS_exit_group, status);
#endif
  for (;;)
    __syscall1(SYS_exit, status);
}

_Noreturn void _Exit(int status) {
  _exit(status);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage) {
  RET(__syscall4(SYS_wait4, pid, (long)status, options, (long)usage));
}

pid_t waitpid(pid_t pid, int *status, int options) { return wait4(pid, status, options, NULL); }
pid_t wait(int *status) { return wait4(-1, status, 0, NULL); }

pid_t getpid(void) { return (pid_t)__syscall0(SYS_getpid); }
pid_t getppid(void) { return (pid_t)__syscall0(SYS_getppid); }
#ifdef SYS_gettid
pid_t gettid(void) { return (pid_t)__syscall0(SYS_gettid); }
#else
pid_t gettid(void) { return getpid(); }
#endif
pid_t getpgrp(void) { return getpgid(0); }
pid_t getpgid(pid_t pid) { RET(__syscall1(SYS_getpgid, pid)); }
int setpgid(pid_t pid, pid_t pgid) { RET(__syscall2(SYS_setpgid, pid, pgid)); }
pid_t setsid(void) { RET(__syscall0(SYS_setsid)); }
pid_t getsid(pid_t pid) { RET(__syscall1(SYS_getsid, pid)); }
uid_t getuid(void) { return (uid_t)__syscall0(SYS_getuid); }
uid_t geteuid(void) { return (uid_t)__syscall0(SYS_geteuid); }
gid_t getgid(void) { return (gid_t)__syscall0(SYS_getgid); }
gid_t getegid(void) { return (gid_t)__syscall0(SYS_getegid); }
int setuid(uid_t uid) { RET(__syscall1(SYS_setuid, (long)uid)); }
int setgid(gid_t gid) { RET(__syscall1(SYS_setgid, (long)gid)); }

int kill(pid_t pid, int sig) { RET(__syscall2(SYS_kill, pid, sig)); }

int nanosleep(const struct timespec *req, struct timespec *rem) {
  RET(__syscall2(SYS_nanosleep, (long)req, (long)rem));
}

unsigned int sleep(unsigned int seconds) {
  struct timespec req, rem;
  req.tv_sec = (time_t)seconds;
  req.tv_nsec = 0;
  if (nanosleep(&req, &rem) < 0)
    return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
  return 0;
}

int usleep(useconds_t usec) {
  struct timespec req;
  req.tv_sec = (time_t)(usec / 1000000);
  req.tv_nsec = (long)(usec % 1000000) * 1000;
  return nanosleep(&req, NULL);
}

#ifdef SYS_alarm
unsigned int alarm(unsigned int seconds) { return (unsigned int)__syscall1(SYS_alarm, (long)seconds); }
#endif
#ifdef SYS_pause
int pause(void) { RET(__syscall0(SYS_pause)); }
#endif

int chdir(const char *path) { RET(__syscall1(SYS_chdir, (long)path)); }
int fchdir(int fd) { RET(__syscall1(SYS_fchdir, fd)); }

/* getcwd(NULL, 0) allocates a buffer of the right size, as glibc's does. */
char *getcwd(char *buf, size_t size) {
  char tmp[4096];
  long raw;
  if (buf && size == 0) {
    errno = EINVAL;
    return NULL;
  }
#ifdef SYS___getcwd
  raw = __syscall2(SYS___getcwd, (long)(buf ? buf : tmp), (long)(buf ? size : sizeof tmp));
#else
  raw = __syscall2(SYS_getcwd, (long)(buf ? buf : tmp), (long)(buf ? size : sizeof tmp));
#endif
  if (__is_syscall_error(raw)) {
    errno = (int)-raw;
    return NULL;
  }
  if (!buf) {
    size_t len = strlen(tmp) + 1;
    if (size && size < len) {
      errno = ERANGE;
      return NULL;
    }
    buf = malloc(size > len ? size : len);
    if (buf)
      memcpy(buf, tmp, len);
  }
  return buf;
}

#ifdef SYS_unlink
int unlink(const char *path) { RET(__syscall1(SYS_unlink, (long)path)); }
int rmdir(const char *path) { RET(__syscall1(SYS_rmdir, (long)path)); }
int mkdir(const char *path, mode_t mode) { RET(__syscall2(SYS_mkdir, (long)path, (long)mode)); }
int rename(const char *oldpath, const char *newpath) { RET(__syscall2(SYS_rename, (long)oldpath, (long)newpath)); }
int access(const char *path, int mode) { RET(__syscall2(SYS_access, (long)path, mode)); }
int link(const char *oldpath, const char *newpath) { RET(__syscall2(SYS_link, (long)oldpath, (long)newpath)); }
int symlink(const char *target, const char *linkpath) { RET(__syscall2(SYS_symlink, (long)target, (long)linkpath)); }
ssize_t readlink(const char *path, char *buf, size_t size) { RET(__syscall3(SYS_readlink, (long)path, (long)buf, (long)size)); }
int chmod(const char *path, mode_t mode) { RET(__syscall2(SYS_chmod, (long)path, (long)mode)); }
int chown(const char *path, uid_t owner, gid_t group) { RET(__syscall3(SYS_chown, (long)path, (long)owner, (long)group)); }
#else
int unlink(const char *path) { return unlinkat(AT_FDCWD, path, 0); }
int rmdir(const char *path) { return unlinkat(AT_FDCWD, path, AT_REMOVEDIR); }
int mkdir(const char *path, mode_t mode) { return mkdirat(AT_FDCWD, path, mode); }
int rename(const char *oldpath, const char *newpath) { RET(__syscall4(SYS_renameat, AT_FDCWD, (long)oldpath, AT_FDCWD, (long)newpath)); }
int access(const char *path, int mode) { RET(__syscall4(SYS_faccessat, AT_FDCWD, (long)path, mode, 0)); }
int link(const char *oldpath, const char *newpath) { RET(__syscall5(SYS_linkat, AT_FDCWD, (long)oldpath, AT_FDCWD, (long)newpath, 0)); }
int symlink(const char *target, const char *linkpath) { RET(__syscall3(SYS_symlinkat, (long)target, AT_FDCWD, (long)linkpath)); }
ssize_t readlink(const char *path, char *buf, size_t size) { RET(__syscall4(SYS_readlinkat, AT_FDCWD, (long)path, (long)buf, (long)size)); }
int chmod(const char *path, mode_t mode) { RET(__syscall4(SYS_fchmodat, AT_FDCWD, (long)path, (long)mode, 0)); }
int chown(const char *path, uid_t owner, gid_t group) { RET(__syscall5(SYS_fchownat, AT_FDCWD, (long)path, (long)owner, (long)group, 0)); }
#endif
int unlinkat(int dirfd, const char *path, int flags) { RET(__syscall3(SYS_unlinkat, dirfd, (long)path, flags)); }
int mkdirat(int dirfd, const char *path, mode_t mode) { RET(__syscall3(SYS_mkdirat, dirfd, (long)path, (long)mode)); }
int fchmod(int fd, mode_t mode) { RET(__syscall2(SYS_fchmod, fd, (long)mode)); }
mode_t umask(mode_t mask) { return (mode_t)__syscall1(SYS_umask, (long)mask); }

/* stat family: Linux x86_64 fstat/stat/lstat; i386 the *64 calls; FreeBSD fstat/fstatat. */
int fstat(int fd, struct stat *st) {
#if defined(SYS_fstat64)
  RET(__syscall2(SYS_fstat64, fd, (long)st));
#else
  RET(__syscall2(SYS_fstat, fd, (long)st));
#endif
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags) {
#if defined(SYS_fstatat64)
  RET(__syscall4(SYS_fstatat64, dirfd, (long)path, (long)st, flags));
#elif defined(SYS_newfstatat)
  RET(__syscall4(SYS_newfstatat, dirfd, (long)path, (long)st, flags));
#else
  RET(__syscall4(SYS_fstatat, dirfd, (long)path, (long)st, flags));
#endif
}

#if defined(SYS_stat) && !defined(SYS_stat64)
int stat(const char *path, struct stat *st) { RET(__syscall2(SYS_stat, (long)path, (long)st)); }
int lstat(const char *path, struct stat *st) { RET(__syscall2(SYS_lstat, (long)path, (long)st)); }
#elif defined(SYS_stat64)
int stat(const char *path, struct stat *st) { RET(__syscall2(SYS_stat64, (long)path, (long)st)); }
int lstat(const char *path, struct stat *st) { RET(__syscall2(SYS_lstat64, (long)path, (long)st)); }
#else
int stat(const char *path, struct stat *st) { return fstatat(AT_FDCWD, path, st, 0); }
int lstat(const char *path, struct stat *st) { return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW); }
#endif

/* The program break: Linux's brk returns the new break, or the old one when it cannot move. */
static char *current_break;

int brk(void *addr) {
#ifdef SYS_brk
  long raw = __syscall1(SYS_brk, (long)addr);
  current_break = (char *)raw;
  if ((char *)raw != (char *)addr) {
    errno = ENOMEM;
    return -1;
  }
  return 0;
#else
  long raw = __syscall1(SYS_break, (long)addr);
  if (__is_syscall_error(raw))
    return (int)__syscall_ret(raw);
  current_break = addr;
  return 0;
#endif
}

void *sbrk(intptr_t increment) {
  char *old;
#ifdef SYS_brk
  if (!current_break)
    current_break = (char *)__syscall1(SYS_brk, 0);
#else
  /* FreeBSD's break(2) returns the break in td_retval[0]; break(0) leaves it and reports it. */
  if (!current_break)
    current_break = (char *)__syscall1(SYS_break, 0);
#endif
  old = current_break;
  if (increment == 0)
    return old;
  if (brk(old + increment) < 0)
    return (void *)-1;
  return old;
}

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset) {
  long raw;
#ifdef SYS_mmap2
  raw = __syscall6(SYS_mmap2, (long)addr, (long)length, prot, flags, fd, (long)(offset >> 12));
#else
  raw = __syscall6(SYS_mmap, (long)addr, (long)length, prot, flags, fd, (long)offset);
#endif
  if (__is_syscall_error(raw)) {
    errno = (int)-raw;
    return MAP_FAILED;
  }
  return (void *)raw;
}

int munmap(void *addr, size_t length) { RET(__syscall2(SYS_munmap, (long)addr, (long)length)); }
int mprotect(void *addr, size_t length, int prot) { RET(__syscall3(SYS_mprotect, (long)addr, (long)length, prot)); }
int getpagesize(void) { return 4096; }

#ifdef SYS_uname
int uname(struct utsname *buf) { RET(__syscall1(SYS_uname, (long)buf)); }
#else
/* FreeBSD has no uname call: its libc reads kern.ostype, kern.hostname, kern.osrelease,
 * kern.version and hw.machine with __sysctl, and so does this one. */
static int sysctl_string(int top, int name, char *out, size_t size) {
  int mib[2];
  size_t len = size;
  mib[0] = top;
  mib[1] = name;
  if (__syscall_ret(__syscall6(SYS___sysctl, (long)mib, 2, (long)out, (long)&len, 0, 0)) < 0)
    return -1;
  out[size - 1] = 0;
  return 0;
}

int uname(struct utsname *buf) {
  enum { CTL_KERN = 1, CTL_HW = 6, KERN_OSTYPE = 1, KERN_OSRELEASE = 2, KERN_VERSION = 4, KERN_HOSTNAME = 10, HW_MACHINE = 1 };
  if (sysctl_string(CTL_KERN, KERN_OSTYPE, buf->sysname, sizeof buf->sysname) < 0 ||
      sysctl_string(CTL_KERN, KERN_HOSTNAME, buf->nodename, sizeof buf->nodename) < 0 ||
      sysctl_string(CTL_KERN, KERN_OSRELEASE, buf->release, sizeof buf->release) < 0 ||
      sysctl_string(CTL_KERN, KERN_VERSION, buf->version, sizeof buf->version) < 0 ||
      sysctl_string(CTL_HW, HW_MACHINE, buf->machine, sizeof buf->machine) < 0)
    return -1;
  return 0;
}
#endif

int gethostname(char *name, size_t len) {
  struct utsname u;
  size_t n;
  if (uname(&u) < 0)
    return -1;
  n = strlen(u.nodename) + 1;
  if (n > len) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(name, u.nodename, n);
  return 0;
}

/* utrace(2): FreeBSD's syscall, or ksim's own on Linux machines (see <sys/ktrace.h>). */
#include <sys/ktrace.h>
int utrace(const void *addr, size_t len) {
#ifdef __FreeBSD__
  RET(__syscall2(SYS_utrace, (long)addr, (long)len));
#else
  RET(__syscall2(SYS_ksim_utrace, (long)addr, (long)len));
#endif
}
