/* strace: traces a command's system calls and signals (ksim's strace, run by the kernel).
 * Like libdtrace talking to /dev/dtrace, this program is a thin client: it hands its argv and
 * environment to the kernel through ksim's own syscall ksim_tool (1001), which runs ksim's tracer
 * on this machine, with any command as a child of this process, and returns the tool's exit status.
 * On FreeBSD 1001 is past syscalls.master: a kernel without ksim's tracers answers nosys, whose
 * SIGSYS is caught (not ignored: the traced command must not inherit that) so the call fails with ENOSYS. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <signal.h>

#define SYS_ksim_tool 1001

#ifdef __FreeBSD__
static void no_ksim_tool(int sig) { (void)sig; }
#endif

int main(int argc, char **argv) {
  (void)argc;
#ifdef __FreeBSD__
  signal(SIGSYS, no_ksim_tool);
#endif
  long r = syscall(SYS_ksim_tool, "strace", argv, environ);
  if (r < 0) {
    if (errno == ENOSYS) fprintf(stderr, "strace: ksim's tracers are not attached to this machine (ksim_tool: %s)\n", strerror(errno));
    else fprintf(stderr, "strace: %s\n", strerror(errno));
    return errno == EINTR ? 130 : 1;
  }
  return (int)r;
}
