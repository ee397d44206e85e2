/* misc.c: signal handlers (signal, sigaction with SA_SIGINFO, sigprocmask), atexit order, the
 * environment, calendar time with a fixed clock value, and uname. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <time.h>
#include <sys/utsname.h>

static volatile sig_atomic_t got_usr1, got_usr2, info_signo, info_pid_ok;

static void on_usr1(int sig) {
  got_usr1 = sig;
}

static void on_usr2(int sig, siginfo_t *info, void *context) {
  (void)context;
  got_usr2 = sig;
  info_signo = info->si_signo;
  info_pid_ok = info->si_pid == getpid();
}

static void first(void) { printf("atexit: first registered, runs last\n"); }
static void second(void) { printf("atexit: second registered, runs first\n"); }

int main(void) {
  struct sigaction sa, old;
  sigset_t set, pending;
  time_t fixed = 1700000000;
  struct tm *tm;
  char text[128];
  struct utsname u;

  atexit(first);
  atexit(second);

  signal(SIGUSR1, on_usr1);
  raise(SIGUSR1);
  printf("SIGUSR1 handled: %d\n", got_usr1);

  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr2;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR2, &sa, &old);
  printf("old SIGUSR2 handler was default: %d\n", old.sa_handler == SIG_DFL);
  kill(getpid(), SIGUSR2);
  printf("SIGUSR2 handled: %d signo %d pid ok %d\n", got_usr2, info_signo, info_pid_ok);

  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  printf("sigismember %d %d\n", sigismember(&set, SIGUSR1), sigismember(&set, SIGUSR2));
  sigprocmask(SIG_BLOCK, &set, NULL);
  got_usr1 = 0;
  raise(SIGUSR1);
  sigpending(&pending);
  printf("blocked: handled %d, pending %d\n", got_usr1, sigismember(&pending, SIGUSR1));
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  printf("unblocked: handled %d\n", got_usr1);
  signal(SIGPIPE, SIG_IGN);
  printf("signal returns previous: %d\n", signal(SIGPIPE, SIG_DFL) == SIG_IGN);

  printf("getenv HOME set: %d, missing: %s\n", getenv("HOME") != NULL, getenv("KSIM_NO_SUCH_VAR") ? "set" : "NULL");
  setenv("KSIM_TEST", "one", 1);
  setenv("KSIM_TEST", "two", 0);
  printf("setenv no overwrite: %s\n", getenv("KSIM_TEST"));
  setenv("KSIM_TEST", "three", 1);
  printf("setenv overwrite: %s\n", getenv("KSIM_TEST"));
  unsetenv("KSIM_TEST");
  printf("unsetenv: %s\n", getenv("KSIM_TEST") ? "still set" : "gone");

  tm = gmtime(&fixed);
  printf("gmtime %d-%02d-%02d %02d:%02d:%02d wday %d yday %d\n", tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday,
         tm->tm_hour, tm->tm_min, tm->tm_sec, tm->tm_wday, tm->tm_yday);
  strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S %a %b %j %A %B %e %y %D %T %p %I %%", tm);
  printf("strftime [%s]\n", text);
  printf("timegm round trip %d\n", timegm(tm) == fixed);
  fixed = 951782400; /* 2000-02-29 */
  tm = gmtime(&fixed);
  printf("leap day %d-%02d-%02d yday %d\n", tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_yday);
  fixed = -86400;
  tm = gmtime(&fixed);
  printf("before epoch %d-%02d-%02d wday %d\n", tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_wday);
  printf("time() plausible: %d\n", time(NULL) > 1600000000);

  uname(&u);
  printf("uname sysname %s\n", u.sysname);
  printf("pid positive %d, uid matches euid %d\n", getpid() > 0, getuid() == geteuid());
  printf("getcwd %s\n", getcwd(text, sizeof text) ? "ok" : "failed");
  printf("exit now\n");
  return 0;
}
