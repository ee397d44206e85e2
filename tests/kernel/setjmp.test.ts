// setjmp/longjmp in processes: jumping out of a signal handler (a timeout with sigsetjmp, the mask
// restored each round as glibc does), across fork, and a longjmp to a frame that has returned.
import { describe, expect, it } from 'vitest';
import { boot, compileInto, makeMachine } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';

function run(source: string) {
  const m = makeMachine();
  const b = boot(m);
  compileInto(b, '/bin/prog', source);
  const r = runProgram(b.machine, ['/bin/prog']);
  return { ...r, stdout: b.console.stdoutText(), stderr: b.console.stderrText() };
}

describe('setjmp and longjmp', () => {
  it('siglongjmp out of a SIGALRM handler, three rounds: sigsetjmp(env, 1) restores the mask', () => {
    // The output gcc's build prints on Linux.
    const r = run(`
#include <stdio.h>
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>
static sigjmp_buf timeout;
static void on_alarm(int sig) { siglongjmp(timeout, sig); }
int main(void) {
  signal(SIGALRM, on_alarm);
  for (int round = 1; round <= 3; round++) {
    int r = sigsetjmp(timeout, 1);
    if (r == 0) { alarm(1); pause(); printf("pause returned\\n"); }
    else printf("round %d: timed out by signal %d\\n", round, r);
  }
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("SIGALRM blocked after: %d\\n", sigismember(&now, SIGALRM));
  return 0;
}`);
    expect(r.stdout).toBe('round 1: timed out by signal 14\nround 2: timed out by signal 14\nround 3: timed out by signal 14\nSIGALRM blocked after: 0\n');
    expect(r.status).toBe(0);
  });

  it('plain setjmp does not save the mask: after longjmp out of the handler the signal stays blocked', () => {
    const r = run(`
#include <stdio.h>
#include <setjmp.h>
#include <signal.h>
static jmp_buf env;
static void on_usr1(int sig) { longjmp(env, sig); }
int main(void) {
  signal(SIGUSR1, on_usr1);
  if (setjmp(env) == 0) raise(SIGUSR1);
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("SIGUSR1 blocked: %d\\n", sigismember(&now, SIGUSR1));
  return 0;
}`);
    expect(r.stdout).toBe('SIGUSR1 blocked: 1\n');
  });

  it('a fork child longjmps in its own copy of the frames', () => {
    const r = run(`
#include <stdio.h>
#include <setjmp.h>
#include <unistd.h>
#include <sys/wait.h>
static jmp_buf env;
static void bail(int v) { longjmp(env, v); }
int main(void) {
  int v = setjmp(env);
  if (v) { printf("%s got %d\\n", v == 7 ? "child" : "parent", v); if (v == 7) return 3; }
  else {
    pid_t pid = fork();
    if (pid == 0) bail(7);
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\\n", WEXITSTATUS(status));
    bail(9);
  }
  return 0;
}`);
    expect(r.stdout).toBe('child got 7\nchild exited 3\nparent got 9\n');
    expect(r.status).toBe(0);
  });

  it('a longjmp to a function that has returned is a segmentation fault, not a jump into nowhere', () => {
    const r = run(`
#include <stdio.h>
#include <setjmp.h>
static jmp_buf env;
static void arm(void) { if (setjmp(env)) printf("back in arm\\n"); }
int main(void) { arm(); printf("armed\\n"); fflush(stdout); longjmp(env, 1); }`);
    expect(r.stdout).toBe('armed\n');
    expect(r.signo).toBe(11);
    expect(r.status).toBe(139);
  });
});
