/* sys/select.h: fd_set (1024 bits, as glibc's), the FD_* macros, select and pselect. */
#ifndef _SYS_SELECT_H
#define _SYS_SELECT_H
#include <ksim/types.h>
#include <signal.h>

#define FD_SETSIZE 1024
#define __NFDBITS (8 * (int)sizeof(long))

typedef struct {
  long fds_bits[FD_SETSIZE / __NFDBITS];
} fd_set;

#define FD_ZERO(s) \
  do { \
    unsigned int __i; \
    fd_set *__s = (s); \
    for (__i = 0; __i < sizeof(fd_set) / sizeof(long); __i++) __s->fds_bits[__i] = 0; \
  } while (0)
#define FD_SET(fd, s) ((void)((s)->fds_bits[(fd) / __NFDBITS] |= (1UL << ((fd) % __NFDBITS))))
#define FD_CLR(fd, s) ((void)((s)->fds_bits[(fd) / __NFDBITS] &= ~(1UL << ((fd) % __NFDBITS))))
#define FD_ISSET(fd, s) (((s)->fds_bits[(fd) / __NFDBITS] & (1UL << ((fd) % __NFDBITS))) != 0)

int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout);
int pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const struct timespec *timeout,
            const sigset_t *sigmask);
#endif
