// Time calls from an i386 program: time (13), gettimeofday (78), clock_gettime (265) and nanosleep
// (162) read and write the i386 layouts (32-bit time_t and long: an 8-byte timespec and timeval).
import { describe, expect, it } from 'vitest';
import { bootArch, compileInto, run } from './harness.js';

describe('time on an i386 machine', () => {
  it('agrees between time, gettimeofday and clock_gettime, and nanosleep sleeps', () => {
    const b = bootArch('i386');
    compileInto(b, '/work/t', `
#include <stdio.h>
#include <time.h>
#include <sys/time.h>
int main(void) {
  struct timespec a, c, req = { 1, 500000000 };
  struct { struct timeval tv; int guard; } g = { { 0, 0 }, 0x5a5a5a5a };
  time_t t = 0;
  if (clock_gettime(CLOCK_MONOTONIC, &a) != 0) return 2;
  time(&t);
  if (gettimeofday(&g.tv, 0) != 0) return 3;
  if (nanosleep(&req, 0) != 0) return 4;
  if (clock_gettime(CLOCK_MONOTONIC, &c) != 0) return 5;
  long slept_ms = (c.tv_sec - a.tv_sec) * 1000 + (c.tv_nsec - a.tv_nsec) / 1000000;
  printf("sizeof timespec=%d timeval=%d\\n", (int)sizeof(struct timespec), (int)sizeof(struct timeval));
  printf("time==gettimeofday %d usec<1e6 %d guard %x slept>=1500ms %d\\n", (long)t == g.tv.tv_sec, g.tv.tv_usec >= 0 && g.tv.tv_usec < 1000000, g.guard, slept_ms >= 1500 && slept_ms < 1600);
  return 0;
}
`);
    const r = run(b, ['/work/t'], { trace: true, straceArgs: ['-e', 'trace=nanosleep,gettimeofday'] });
    expect(r.strace).toMatch(/^gettimeofday\(\{tv_sec=\d+, tv_usec=\d+\}, NULL\) += 0\nnanosleep\(\{tv_sec=1, tv_nsec=500000000\}, NULL\) += 0\n/m);
    expect(r.stdout).toBe('sizeof timespec=8 timeval=8\ntime==gettimeofday 1 usec<1e6 1 guard 5a5a5a5a slept>=1500ms 1\n');
    expect(r.status).toBe(0);
  });

  it('arms the real timer with setitimer and reads it back with getitimer in 8-byte timevals', () => {
    const b = bootArch('i386');
    compileInto(b, '/work/it', `
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/time.h>
static volatile int alarms;
static void on_alarm(int sig) { (void)sig; alarms++; }
int main(void) {
  struct itimerval set = { { 0, 250000 }, { 1, 500000 } }, got;
  struct { struct itimerval v; int guard; } old = { { { 9, 9 }, { 9, 9 } }, 0x5a5a5a5a };
  signal(SIGALRM, on_alarm);
  if (setitimer(ITIMER_REAL, &set, &old.v) != 0) return 2;
  if (getitimer(ITIMER_REAL, &got) != 0) return 3;
  printf("old %ld.%06ld %ld.%06ld guard %x\\n", (long)old.v.it_interval.tv_sec, (long)old.v.it_interval.tv_usec, (long)old.v.it_value.tv_sec, (long)old.v.it_value.tv_usec, old.guard);
  printf("interval %ld.%06ld value<=1.5s %d\\n", (long)got.it_interval.tv_sec, (long)got.it_interval.tv_usec, got.it_value.tv_sec * 1000000L + got.it_value.tv_usec <= 1500000L);
  while (alarms < 3) pause();
  printf("alarms %d\\n", alarms);
  return 0;
}
`);
    const r = run(b, ['/work/it']);
    expect(r.stdout).toBe('old 0.000000 0.000000 guard 5a5a5a5a\ninterval 0.250000 value<=1.5s 1\nalarms 3\n');
    expect(r.status).toBe(0);
  });
});
