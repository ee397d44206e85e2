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
    const r = run(b, ['/work/t']);
    expect(r.stdout).toBe('sizeof timespec=8 timeval=8\ntime==gettimeofday 1 usec<1e6 1 guard 5a5a5a5a slept>=1500ms 1\n');
    expect(r.status).toBe(0);
  });
});
