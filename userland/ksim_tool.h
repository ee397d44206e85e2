/* ksim_tool.h: the body of the thin tracer clients (strace, ktrace, kdump, dtrace). Like libdtrace
 * talking to /dev/dtrace, each hands its argv and environment to the kernel through ksim's own
 * syscall ksim_tool (1001), which runs ksim's tracer on this machine, with any command as a child
 * of the calling process, and returns the tool's exit status.
 * On FreeBSD 1001 is past syscalls.master: a kernel without ksim's tracers answers nosys, whose
 * SIGSYS is caught (not ignored: the traced command must not inherit that) so the call fails with ENOSYS. */
#ifndef KSIM_TOOL_H
#define KSIM_TOOL_H
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <signal.h>

#define SYS_ksim_tool 1001

#ifdef __FreeBSD__
static void no_ksim_tool(int sig) { (void)sig; }
#endif

/* Runs ksim's tool NAME with argv (argv[0] included); the tool's exit status. */
static int ksim_tool_main(const char *name, char **argv) {
#ifdef __FreeBSD__
  signal(SIGSYS, no_ksim_tool);
#endif
  long r = syscall(SYS_ksim_tool, name, argv, environ);
  if (r < 0) {
    if (errno == ENOSYS) fprintf(stderr, "%s: ksim's tracers are not attached to this machine (ksim_tool: %s)\n", name, strerror(errno));
    else fprintf(stderr, "%s: %s\n", name, strerror(errno));
    return errno == EINTR ? 130 : 1;
  }
  return (int)r;
}
#endif
