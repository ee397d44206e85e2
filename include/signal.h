/* signal.h: signal numbers, sigset_t, struct sigaction and siginfo_t, Linux's or FreeBSD's. */
#ifndef _SIGNAL_H
#define _SIGNAL_H
#include <ksim/types.h>

typedef int sig_atomic_t;
typedef void (*sighandler_t)(int);

#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)

#ifdef __linux__
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPOLL SIGIO
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 34
#define SIGRTMAX 64
#define NSIG 65
#define _NSIG 65

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SA_NOMASK SA_NODEFER
#define SA_ONESHOT SA_RESETHAND

/* 64 signals; the kernel reads and writes 8 bytes (the sigsetsize argument). */
typedef struct {
  unsigned long __bits[64 / (8 * sizeof(unsigned long))];
} sigset_t;

union sigval {
  int sival_int;
  void *sival_ptr;
};

/* Linux's siginfo_t: 128 bytes, three ints then a union (aligned like a pointer). */
typedef struct {
  int si_signo;
  int si_errno;
  int si_code;
  union {
    int __pad[128 / sizeof(int) - 4];
    struct { pid_t pid; uid_t uid; } __kill;
    struct { int tid; int overrun; union sigval value; } __timer;
    struct { pid_t pid; uid_t uid; union sigval value; } __rt;
    struct { pid_t pid; uid_t uid; int status; clock_t utime; clock_t stime; } __chld;
    struct { void *addr; } __fault;
    struct { long band; int fd; } __poll;
  } __fields;
} siginfo_t;
#define si_pid __fields.__kill.pid
#define si_uid __fields.__kill.uid
#define si_status __fields.__chld.status
#define si_utime __fields.__chld.utime
#define si_stime __fields.__chld.stime
#define si_value __fields.__rt.value
#define si_int __fields.__rt.value.sival_int
#define si_ptr __fields.__rt.value.sival_ptr
#define si_addr __fields.__fault.addr
#define si_band __fields.__poll.band
#define si_fd __fields.__poll.fd
#endif

#ifdef __FreeBSD__
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT 6
#define SIGEMT 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGBUS 10
#define SIGSEGV 11
#define SIGSYS 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGURG 16
#define SIGSTOP 17
#define SIGTSTP 18
#define SIGCONT 19
#define SIGCHLD 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGIO 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGINFO 29
#define SIGUSR1 30
#define SIGUSR2 31
#define SIGTHR 32
#define SIGRTMIN 65
#define SIGRTMAX 126
#define NSIG 32
#define _NSIG 128

#define SIG_BLOCK 1
#define SIG_UNBLOCK 2
#define SIG_SETMASK 3

#define SA_ONSTACK 0x0001
#define SA_RESTART 0x0002
#define SA_RESETHAND 0x0004
#define SA_NOCLDSTOP 0x0008
#define SA_NODEFER 0x0010
#define SA_NOCLDWAIT 0x0020
#define SA_SIGINFO 0x0040

/* 128 signals as four 32-bit words, the kernel's own layout. */
typedef struct {
  unsigned int __bits[4];
} sigset_t;

union sigval {
  int sival_int;
  void *sival_ptr;
};

typedef struct {
  int si_signo;
  int si_errno;
  int si_code;
  pid_t si_pid;
  uid_t si_uid;
  int si_status;
  void *si_addr;
  union sigval si_value;
  long __reason[8];
} siginfo_t;
#endif

/* The user-visible struct sigaction; sigaction() converts it to the kernel's layout. */
struct sigaction {
  union {
    void (*__handler)(int);
    void (*__sigaction)(int, siginfo_t *, void *);
  } __sa_handler;
  sigset_t sa_mask;
  int sa_flags;
  void (*sa_restorer)(void);
};
#define sa_handler __sa_handler.__handler
#define sa_sigaction __sa_handler.__sigaction

sighandler_t signal(int sig, sighandler_t handler);
int raise(int sig);
int kill(pid_t pid, int sig);
int sigaction(int sig, const struct sigaction *act, struct sigaction *oldact);
int sigprocmask(int how, const sigset_t *set, sigset_t *oldset);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
#endif
