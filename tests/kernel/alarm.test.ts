// alarm(2) and setitimer(ITIMER_REAL): SIGALRM on the kernel clock (emulated time here), waking a
// pause()d process or interrupting a sleep, re-armed by an interval, not inherited by fork, and
// what strace shows.
import { describe, expect, it } from 'vitest';
import { runC } from '../helpers/machine.js';

describe('alarm and setitimer', () => {
  it('SIGALRM wakes pause(), alarm returns the seconds left, an interval timer repeats', () => {
    const r = runC(`
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <time.h>
#include <sys/time.h>
#include <sys/wait.h>
static volatile int rings;
static void ring(int s) { rings++; }
int main(void) {
  struct itimerval it = { { 0, 250000 }, { 0, 500000 } }, cur;
  struct timespec t0, t1;
  int status;
  signal(SIGALRM, ring);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  printf("alarm(5) -> %u\\n", alarm(5));
  printf("alarm(2) -> %u\\n", alarm(2));
  pause();
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("rings=%d after %lds\\n", rings, (long)(t1.tv_sec - t0.tv_sec));
  printf("alarm(0) -> %u\\n", alarm(0));
  alarm(30);
  fflush(stdout);
  if (fork() == 0) { printf("child alarm(0) -> %u\\n", alarm(0)); fflush(stdout); _exit(0); }
  alarm(0);
  wait(&status);
  setitimer(ITIMER_REAL, &it, 0);
  while (rings < 4) pause();
  getitimer(ITIMER_REAL, &cur);
  printf("rings=%d interval=%ld.%06ld\\n", rings, (long)cur.it_interval.tv_sec, (long)cur.it_interval.tv_usec);
  it.it_value.tv_usec = 0;
  setitimer(ITIMER_REAL, &it, 0);
  printf("ITIMER_PROF: %d\\n", setitimer(ITIMER_PROF, &it, 0));
  alarm(1);
  sleep(10);
  printf("rings=%d\\n", rings);
  return 0;
}
`);
    expect([r.stderr, r.status, r.signo]).toEqual(['', 0, undefined]);
    expect(r.stdout).toBe([
      'alarm(5) -> 0',
      'alarm(2) -> 5',
      'rings=1 after 2s',
      'alarm(0) -> 0',
      'child alarm(0) -> 0',
      'rings=4 interval=0.250000',
      'ITIMER_PROF: -1',
      'rings=5',
      '',
    ].join('\n'));
    expect(r.status).toBe(0);
  });

  it('an unhandled SIGALRM ends the process as "Alarm clock"', () => {
    const r = runC(`
#include <unistd.h>
int main(void) { alarm(1); for (;;) pause(); }
`);
    expect(r.signo).toBe(14);
  });
});

describe('interrupted calls as strace shows them', () => {
  it('pause() ends ERESTARTNOHAND then EINTR; a read with SA_RESTART is made again after rt_sigreturn', async () => {
    const { bootArch, compileInto, run } = await import('../i386/harness.js');
    const b = bootArch('x86_64');
    compileInto(b, '/work/a', `
#include <signal.h>
#include <unistd.h>
static void ring(int s) { (void)s; }
int main(void) {
  struct sigaction sa = { 0 };
  int fds[2];
  char c;
  sa.sa_handler = ring;
  sigaction(SIGALRM, &sa, 0);          /* no SA_RESTART */
  alarm(1);
  pause();
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, 0);
  pipe(fds);
  if (fork() == 0) { sleep(3); write(fds[1], "x", 1); _exit(0); }
  alarm(1);
  return read(fds[0], &c, 1) == 1 && c == 'x' ? 0 : 1;
}`);
    const r = run(b, ['/work/a'], { trace: true, straceArgs: ['-e', 'trace=pause,read,rt_sigreturn,alarm'] });
    expect(r.status).toBe(0);
    expect(r.strace.replace(/ +=/g, ' =').replace(/0x7fff[0-9a-f]+/, 'STACK')).toBe([
      'alarm(1) = 0',
      'pause() = ? ERESTARTNOHAND (To be restarted if no handler)',
      '--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---',
      'rt_sigreturn({mask=[]}) = -1 EINTR (Interrupted system call)',
      'alarm(1) = 0',
      'read(3, STACK, 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)',
      '--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---',
      'rt_sigreturn({mask=[]}) = 0',
      'read(3, "x", 1) = 1',
      '+++ exited with 0 +++',
      '',
    ].join('\n'));
  });

  it('an interrupted nanosleep writes the time left to rem; strace shows rem then, and its address otherwise', async () => {
    const { bootArch, compileInto, run } = await import('../i386/harness.js');
    const b = bootArch('x86_64');
    compileInto(b, '/work/ns', `
#include <stdio.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
static void ring(int s) { (void)s; }
int main(void) {
  struct timespec req = { 5, 0 }, rem = { 9, 9 }, tiny = { 0, 1000 };
  signal(SIGALRM, ring);
  alarm(1);
  int r = nanosleep(&req, &rem);
  printf("r=%d rem=%ld.%09ld\\n", r, (long)rem.tv_sec, rem.tv_nsec);
  return nanosleep(&tiny, &rem);
}`);
    const r = run(b, ['/work/ns'], { trace: true, straceArgs: ['-e', 'trace=nanosleep'] });
    expect(r.status).toBe(0);
    // alarm(1) was armed just before the five-second sleep began: a little over four are left.
    expect(r.stdout).toMatch(/^r=-1 rem=4\.0000\d{5}\n$/);
    const rem = /rem=(\d+)\.(\d+)/.exec(r.stdout)!;
    expect(r.strace.replace(/ +=/g, ' =').split('\n')).toEqual([
      `nanosleep({tv_sec=5, tv_nsec=0}, {tv_sec=${rem[1]}, tv_nsec=${Number(rem[2])}}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)`,
      '--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---',
      expect.stringMatching(/^nanosleep\(\{tv_sec=0, tv_nsec=1000\}, 0x7fff[0-9a-f]+\) = 0$/),
      '+++ exited with 0 +++',
      '',
    ]);
  });
});
