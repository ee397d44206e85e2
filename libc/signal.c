/* signal.c: sigaction, signal, sigprocmask, raise, abort and the sigset_t helpers.
 * Linux: rt_sigaction with SA_RESTORER; the restorer __ksim_sigreturn makes the rt_sigreturn call
 * that takes the kernel's signal frame down (the host test build supplies an assembly one instead).
 * FreeBSD: sigaction(2) takes no restorer; the kernel's signal trampoline does the sigreturn. */
#include <signal.h>
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include "internal.h"

#define SIGSET_WORD_BITS (8 * sizeof(((sigset_t *)0)->__bits[0]))
#define SIGSET_WORDS (sizeof(sigset_t) / sizeof(((sigset_t *)0)->__bits[0]))

int sigemptyset(sigset_t *set) {
  memset(set, 0, sizeof *set);
  return 0;
}

int sigfillset(sigset_t *set) {
  memset(set, 0xff, sizeof *set);
  return 0;
}

static int signal_is_valid(int sig) {
  if (sig <= 0 || (size_t)sig > SIGSET_WORDS * SIGSET_WORD_BITS) {
    errno = EINVAL;
    return 0;
  }
  return 1;
}

int sigaddset(sigset_t *set, int sig) {
  if (!signal_is_valid(sig))
    return -1;
  set->__bits[(sig - 1) / SIGSET_WORD_BITS] |= 1UL << ((sig - 1) % SIGSET_WORD_BITS);
  return 0;
}

int sigdelset(sigset_t *set, int sig) {
  if (!signal_is_valid(sig))
    return -1;
  set->__bits[(sig - 1) / SIGSET_WORD_BITS] &= ~(1UL << ((sig - 1) % SIGSET_WORD_BITS));
  return 0;
}

int sigismember(const sigset_t *set, int sig) {
  if (!signal_is_valid(sig))
    return -1;
  return (set->__bits[(sig - 1) / SIGSET_WORD_BITS] >> ((sig - 1) % SIGSET_WORD_BITS)) & 1;
}

#ifdef __linux__

/* The kernel's struct sigaction for rt_sigaction: handler, flags, restorer, then the mask. */
struct kernel_sigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)(void);
  sigset_t mask;
};

#ifndef KSIM_HOST_TEST
/* Where a signal handler returns to: the kernel's signal frame sits on the stack, and
 * rt_sigreturn restores the interrupted context from it. Never returns. */
void __ksim_sigreturn(void) {
  __syscall0(SYS_rt_sigreturn);
}
#else
void __ksim_sigreturn(void);
#endif

int sigaction(int sig, const struct sigaction *act, struct sigaction *oldact) {
  struct kernel_sigaction kact, kold;
  long raw;

  if (act) {
    kact.handler = act->sa_handler;
    kact.flags = (unsigned long)(unsigned int)act->sa_flags | SA_RESTORER;
    kact.restorer = __ksim_sigreturn;
    kact.mask = act->sa_mask;
  }
  raw = __syscall4(SYS_rt_sigaction, sig, act ? (long)&kact : 0, oldact ? (long)&kold : 0, 8);
  if (__is_syscall_error(raw))
    return (int)__syscall_ret(raw);
  if (oldact) {
    memset(oldact, 0, sizeof *oldact);
    oldact->sa_handler = kold.handler;
    oldact->sa_flags = (int)kold.flags;
    oldact->sa_restorer = kold.restorer;
    oldact->sa_mask = kold.mask;
  }
  return 0;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oldset) {
  return (int)__syscall_ret(__syscall4(SYS_rt_sigprocmask, how, (long)set, (long)oldset, 8));
}

int sigpending(sigset_t *set) {
  return (int)__syscall_ret(__syscall2(SYS_rt_sigpending, (long)set, 8));
}

int sigsuspend(const sigset_t *mask) {
  return (int)__syscall_ret(__syscall2(SYS_rt_sigsuspend, (long)mask, 8));
}

#else /* __FreeBSD__ */

struct kernel_sigaction {
  void (*handler)(int);
  int flags;
  sigset_t mask;
};

int sigaction(int sig, const struct sigaction *act, struct sigaction *oldact) {
  struct kernel_sigaction kact, kold;
  long raw;

  if (act) {
    kact.handler = act->sa_handler;
    kact.flags = act->sa_flags;
    kact.mask = act->sa_mask;
  }
  raw = __syscall3(SYS_sigaction, sig, act ? (long)&kact : 0, oldact ? (long)&kold : 0);
  if (__is_syscall_error(raw))
    return (int)__syscall_ret(raw);
  if (oldact) {
    memset(oldact, 0, sizeof *oldact);
    oldact->sa_handler = kold.handler;
    oldact->sa_flags = kold.flags;
    oldact->sa_mask = kold.mask;
  }
  return 0;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oldset) {
  return (int)__syscall_ret(__syscall3(SYS_sigprocmask, how, (long)set, (long)oldset));
}

int sigpending(sigset_t *set) {
  return (int)__syscall_ret(__syscall1(SYS_sigpending, (long)set));
}

int sigsuspend(const sigset_t *mask) {
  return (int)__syscall_ret(__syscall1(SYS_sigsuspend, (long)mask));
}

#endif

/* signal() has BSD semantics, like glibc's: the handler stays installed, the signal is blocked
 * while it runs, and interrupted system calls restart. */
sighandler_t signal(int sig, sighandler_t handler) {
  struct sigaction act, old;
  memset(&act, 0, sizeof act);
  act.sa_handler = handler;
  sigemptyset(&act.sa_mask);
  if (sigaddset(&act.sa_mask, sig) < 0)
    return SIG_ERR;
  act.sa_flags = SA_RESTART;
  if (sigaction(sig, &act, &old) < 0)
    return SIG_ERR;
  return old.sa_handler;
}

/* raise sends the signal to the calling thread (tgkill on Linux, as glibc does). */
int raise(int sig) {
#ifdef SYS_tgkill
  return (int)__syscall_ret(__syscall3(SYS_tgkill, getpid(), gettid(), sig));
#else
  return kill(getpid(), sig);
#endif
}

/* abort: SIGABRT; if a handler returns or it was ignored, the default action is forced. Streams are
 * not flushed (glibc >= 2.27). */
_Noreturn void abort(void) {
  sigset_t set;
  struct sigaction act;

  sigemptyset(&set);
  sigaddset(&set, SIGABRT);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  raise(SIGABRT);

  memset(&act, 0, sizeof act);
  act.sa_handler = SIG_DFL;
  sigemptyset(&act.sa_mask);
  sigaction(SIGABRT, &act, NULL);
  raise(SIGABRT);
  for (;;)
    _exit(127);
}
