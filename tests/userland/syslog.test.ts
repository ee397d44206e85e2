// syslog(2), the call dmesg reads the kernel log with: READ_ALL's `<PRI>[sec.usec] text` lines,
// only the newest whole records that fit the buffer, SIZE_BUFFER, CLEAR, and the errors (EINVAL for
// a bad buffer or action, EPERM for actions that need CAP_SYSLOG).
import { describe, expect, it } from 'vitest';
import { compileInto, runC } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';

const PROG = `#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
static void show(const char *what, long r) { printf("%s = %ld", what, r); if (r < 0) printf(" errno %d", errno); printf("\\n"); }
int main(int argc, char **argv) {
  int len = argc > 1 ? atoi(argv[1]) : 4096;
  char *buf = malloc(4096);
  long n = syscall(SYS_syslog, 3, buf, len);
  show("READ_ALL", n);
  if (n > 0) fwrite(buf, 1, n, stdout);
  show("SIZE_BUFFER", syscall(SYS_syslog, 10, 0, 0));
  show("READ_ALL NULL", syscall(SYS_syslog, 3, 0, 10));
  show("bad action", syscall(SYS_syslog, 42, 0, 0));
  if (argc > 1) return 0; /* clears only when run without a length */
  show("CLEAR", syscall(SYS_syslog, 5, 0, 0));
  show("READ_ALL after CLEAR", syscall(SYS_syslog, 3, buf, 4096));
  return 0;
}
`;

describe('syslog(2)', () => {
  it('reports the buffer size, rejects a NULL buffer and unknown actions, and clears the log', () => {
    const r = runC(PROG);
    expect(r.stdout).toContain('SIZE_BUFFER = 131072\n');
    expect(r.stdout).toContain('READ_ALL NULL = -1 errno 22\nbad action = -1 errno 22\nCLEAR = 0\nREAD_ALL after CLEAR = 0\n');
  });

  it('formats every record with its priority and timestamp; a short buffer gets the newest whole lines', () => {
    const r = runC('int main(void) { return 0; }');
    const b = r.booted;
    b.machine.log.printk('\x016first message\n');
    b.clock.waitUntil(b.clock.uptimeNs() + 1_500_000_000);
    b.machine.log.printk('\x013second\n');
    b.machine.log.printk('third without level\n');
    compileInto(b, '/bin/syslog', PROG);
    const before = b.console.stdoutText().length;
    runProgram(b.machine, ['/bin/syslog', '4096']);
    const out = b.console.stdoutText().slice(before);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^READ_ALL = \d+$/);
    expect(lines.slice(1, 4).map((l) => l.replace(/\[ *\d+\.\d{6}\]/, '[T]'))).toEqual(['<6>[T] first message', '<3>[T] second', '<4>[T] third without level']);
    expect(lines[1]).toMatch(/^<6>\[ {4}\d\.\d{6}\] /);
    const n = Number(lines[0]!.split(' = ')[1]);
    expect(n).toBe(lines.slice(1, 4).join('\n').length + 1);
    // A buffer one byte short of everything gets only the last two records.
    const short = b.console.stdoutText().length;
    runProgram(b.machine, ['/bin/syslog', String(n - 1)]);
    const out2 = b.console.stdoutText().slice(short).split('\n');
    expect(out2.slice(1, 3).map((l) => l.replace(/\[ *\d+\.\d{6}\]/, '[T]'))).toEqual(['<3>[T] second', '<4>[T] third without level']);
  });

  it('CLEAR needs CAP_SYSLOG; READ_ALL does not (dmesg_restrict=0)', () => {
    const r = runC('int main(void) { return 0; }');
    const b = r.booted;
    b.machine.log.printk('\x016visible\n');
    compileInto(b, '/bin/syslog', PROG);
    const before = b.console.stdoutText().length;
    runProgram(b.machine, ['/bin/syslog'], { uid: 1000, gid: 1000 });
    const out = b.console.stdoutText().slice(before);
    expect(out).toMatch(/\] visible\n/);
    expect(out).toContain('CLEAR = -1 errno 1\n');
  });
});
