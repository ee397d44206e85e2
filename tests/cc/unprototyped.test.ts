// Calls through old-style or implicit declarations reach variadic functions as on x86_64: a test
// program that forgot <unistd.h> still makes its syscall() (gcc warns, the call works), and
// `int printf();` still prints. Fixed-argument callees are unaffected.
import { describe, expect, it } from 'vitest';
import { runC } from '../helpers/machine.js';

describe('unprototyped calls', () => {
  it('an implicitly declared syscall() and an old-style printf get their variadic arguments', () => {
    const r = runC(`
int printf();
static long add3(a, b, c) long a, b, c; { return a + b + c; }
int main(void) {
  long pid = syscall(39);                 /* getpid, implicitly declared */
  long n = syscall(1, 1, "via syscall\\n", 12); /* write(1, ...) */
  printf("pid>0=%d n=%ld %s %.1f\\n", pid > 0, n, "str", 2.5);
  printf("%ld\\n", add3(1L, 2L, 3L));
  return 0;
}
`);
    expect(r.stdout).toBe('via syscall\npid>0=1 n=12 str 2.5\n6\n');
    expect(r.status).toBe(0);
  });
});
