// Signals on a FreeBSD machine as a FreeBSD program sees them: FreeBSD's numbers in kill(2) and in
// the number a caught signal's handler receives (SIGUSR1 is 30 there, 10 on Linux), and the wait
// status of a child killed by a signal.
import { describe, expect, it } from 'vitest';
import { bootFb, compileFb, makeFreebsd, runFb } from './harness.js';

describe('FreeBSD signal numbers', () => {
  it('a handler receives FreeBSD numbers and wait statuses carry them', () => {
    const b = bootFb(makeFreebsd());
    compileFb(b, '/work/sig', `
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <stdlib.h>
#include <sys/wait.h>
static volatile int got[4];
static volatile int n;
static void h(int s) { got[n++] = s; }
int main(void) {
  int status;
  pid_t pid;
  signal(SIGUSR1, h);
  signal(SIGUSR2, h);
  signal(SIGCHLD, h);
  kill(getpid(), SIGUSR1);
  raise(SIGUSR2);
  pid = fork();
  if (pid == 0) { for (;;) sleep(1); }
  kill(pid, SIGTERM);
  waitpid(pid, &status, 0);
  printf("SIGUSR1=%d SIGUSR2=%d SIGCHLD=%d\\n", SIGUSR1, SIGUSR2, SIGCHLD);
  printf("handler got %d %d %d\\n", got[0], got[1], got[2]);
  printf("child: signaled=%d termsig=%d\\n", WIFSIGNALED(status), WTERMSIG(status));
  return 0;
}
`);
    const r = runFb(b, ['/work/sig']);
    expect(r.stdout).toBe('SIGUSR1=30 SIGUSR2=31 SIGCHLD=20\nhandler got 30 31 20\nchild: signaled=1 termsig=15\n');
    expect(r.code).toBe(0);
  });
});
