/* poll.c: poll, ppoll, select and pselect over the kernel's calls (select is SYS_select on
 * x86_64, _newselect on i386; pselect passes its mask as pselect6's {sigset, size} pair), and
 * mknod, mknodat, mkfifo, mkfifoat (glibc makes all of them a mknodat). */
#include "internal.h"
#include <poll.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <fcntl.h>

int poll(struct pollfd *fds, nfds_t nfds, int timeout) {
  return (int)__syscall_ret(__syscall3(SYS_poll, (long)fds, (long)nfds, timeout));
}

int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *sigmask) {
  /* The kernel may write the time left back: glibc passes a copy. */
  struct timespec left;
  struct timespec *tp = 0;
  if (timeout) {
    left = *timeout;
    tp = &left;
  }
  return (int)__syscall_ret(__syscall5(SYS_ppoll, (long)fds, (long)nfds, (long)tp, (long)sigmask, 8));
}

int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout) {
#ifdef SYS__newselect
  return (int)__syscall_ret(__syscall5(SYS__newselect, nfds, (long)readfds, (long)writefds, (long)exceptfds, (long)timeout));
#else
  return (int)__syscall_ret(__syscall5(SYS_select, nfds, (long)readfds, (long)writefds, (long)exceptfds, (long)timeout));
#endif
}

int pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const struct timespec *timeout,
            const sigset_t *sigmask) {
  struct timespec left;
  struct timespec *tp = 0;
  long data[2];
  if (timeout) {
    left = *timeout;
    tp = &left;
  }
#ifdef SYS_pselect6
  data[0] = (long)sigmask;
  data[1] = 8;
  return (int)__syscall_ret(__syscall6(SYS_pselect6, nfds, (long)readfds, (long)writefds, (long)exceptfds, (long)tp, (long)data));
#else
  /* FreeBSD's pselect(2) takes the mask itself. */
  (void)data;
  return (int)__syscall_ret(__syscall6(SYS_pselect, nfds, (long)readfds, (long)writefds, (long)exceptfds, (long)tp, (long)sigmask));
#endif
}

int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev) {
  return (int)__syscall_ret(__syscall4(SYS_mknodat, dirfd, (long)path, (long)mode, (long)dev));
}

int mknod(const char *path, mode_t mode, dev_t dev) { return mknodat(AT_FDCWD, path, mode, dev); }

int mkfifoat(int dirfd, const char *path, mode_t mode) { return mknodat(dirfd, path, mode | S_IFIFO, 0); }

int mkfifo(const char *path, mode_t mode) { return mknodat(AT_FDCWD, path, mode | S_IFIFO, 0); }
