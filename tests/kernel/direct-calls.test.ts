// Direct forms of C functions (src/runtime/cpu.ts, DirectFn) inside the kernel's processes: a busy
// loop in a function that never makes a system call is still preempted, stopped by the CPU limit,
// interrupted by a signal handler, and shares the CPU with other processes.
import { describe, expect, it } from 'vitest';
import { boot, compileInto, makeMachine } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';

function run(source: string, limits?: Parameters<typeof boot>[3]) {
  const m = makeMachine();
  const b = boot(m, undefined, '', limits);
  compileInto(b, '/bin/prog', source);
  const r = runProgram(b.machine, ['/bin/prog']);
  return { ...r, stdout: b.console.stdoutText(), stderr: b.console.stderrText() };
}

describe('direct functions in processes', () => {
  it('an endless loop in a function without system calls is stopped by the CPU limit', () => {
    const r = run(`
#include <stdio.h>
static unsigned long spin(unsigned long n) { for (;;) n = n * 3 + 1; return n; }
int main(void) { printf("start\\n"); fflush(stdout); return (int)spin(1); }`, { cpuSoft: 2_000_000, cpuHard: 3_000_000 });
    expect(r.stdout).toBe('start\n');
    expect(r.signo).toBe(24);
    expect(r.status).toBe(128 + 24);
  });

  it('a signal handler runs in the middle of a direct loop, which then sees its write', () => {
    const r = run(`
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/time.h>
static volatile int stop;
static void on_alarm(int sig) { stop = sig; }
static long count(void) { long n = 0; while (!stop) n++; return n; }
int main(void) {
  signal(SIGALRM, on_alarm);
  struct itimerval in_10ms = { { 0, 0 }, { 0, 10000 } };
  setitimer(ITIMER_REAL, &in_10ms, NULL);
  long n = count();
  printf("stopped by %d after %s\\n", stop, n > 1000 ? "many rounds" : "few rounds");
  return 0;
}`);
    expect(r.stdout).toBe('stopped by 14 after many rounds\n');
    expect(r.status).toBe(0);
  });

  it('two processes in direct loops take turns', () => {
    const r = run(`
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
static long work(long n) { long s = 0; for (long i = 0; i < n; i++) s += i % 7; return s; }
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(void) {
  pid_t child = fork();
  if (child == 0) { printf("child %ld\\n", work(300000)); return 0; }
  printf("parent %d\\n", fib(24));
  fflush(stdout);
  int status;
  waitpid(child, &status, 0);
  printf("child status %d\\n", WEXITSTATUS(status));
  return 0;
}`);
    // The parent's fib(24) is shorter than the child's loop, so it prints first.
    expect(r.stdout).toBe('parent 46368\nchild 899997\nchild status 0\n');
    expect(r.status).toBe(0);
  });
});
