// Every D script shipped in probes/ runs against a real run on an in-memory machine (a custom
// kernel C syscall, file opens, reads and writes, a failing exec, printk) and prints exactly what
// its header comment promises. Also: each script has the header comment (what it shows, usage,
// example output).
import { beforeAll, describe, expect, test } from 'vitest';
import '../../src/api/vitest.js';
import { createMachine, probeScripts, probeScriptText, type KsimMachine, type Program } from '../../src/api/index.js';

const STEPHEN = `SYSCALL_DEFINE1(stephen, char *, msg)
{
  char buf[256];
  long copied = strncpy_from_user(buf, msg, sizeof(buf));
  if (copied < 0 || copied == sizeof(buf))
    return -EFAULT;
  printk(KERN_INFO "stephen syscall called with \\"%s\\"\\n", buf);
  return 0;
}
`;

const PROGRAM = `#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv, char **envp)
{
  char buf[16];
  int fd = open("ksim.json", O_RDONLY);
  long n = read(fd, buf, sizeof buf);
  close(fd);
  write(1, buf, 5);
  write(1, "\\n", 1);
  open("/nonexistent", O_RDONLY);
  syscall(SYS_stephen, "hi");
  syscall(SYS_stephen, (char *)0);
  execve("/bin/nothing", argv, envp);
  return n == 16 ? 0 : 1;
}
`;

let m: KsimMachine;
let prog: Program;
beforeAll(() => {
  m = createMachine({ release: '4.7.1' });
  m.addSyscall({ name: 'stephen', source: STEPHEN });
  expect(m.build().ok).toBe(true);
  const c = m.compile({ source: PROGRAM, name: 'demo' });
  expect(c.text).toBe('');
  prog = c.program!;
});

function probe(name: string, macroArgs: string[] = []) {
  const r = m.run(prog, { dtrace: { probe: name, macroArgs } });
  expect(r.stdout).toBe('{\n  "\n');
  expect(r).toHaveExited(0);
  expect(r.dtrace!.status).toBe(0);
  return r.dtrace!;
}

describe('shipped D scripts', () => {
  test('every script has a header: what it shows, usage, example', () => {
    const names = probeScripts();
    expect(names).toEqual(['errinfo', 'execsnoop', 'newsyscall', 'opensnoop', 'printk', 'rwsnoop', 'syscount', 'syslat']);
    for (const n of names) {
      const text = probeScriptText(n);
      expect(text.startsWith('#!/usr/sbin/dtrace -s\n/*\n * ' + n + '.d — '), n).toBe(true);
      expect(text, n).toMatch(/\n \* Usage: ksim dtrace -s probes\/\w+\.d/);
      expect(text, n).toContain('\n * Example output:\n');
    }
  });
  test('opensnoop.d', () => {
    const d = probe('opensnoop');
    expect(d.output).toBe([
      "   PID COMM               FD ERR PATH\n",
      "  1000 demo                3   0 ksim.json\n",
      "  1000 demo               -1   2 /nonexistent\n",
      "\n",
    ].join(''));
    expect(d.stderr).toBe(''); // #pragma D option quiet: no notices
  });
  test('execsnoop.d', () => {
    const d = probe('execsnoop');
    expect(d.output).toBe([
      "  PPID    PID RESULT PATH\n",
      "     1   1000      0 /tmp/demo\n",
      "     1   1000      2 /bin/nothing\n",
      "\n",
    ].join(''));
    expect(d.stderr).toBe(''); // #pragma D option quiet: no notices
  });
  test('rwsnoop.d', () => {
    const d = probe('rwsnoop');
    expect(d.output).toBe([
      "   PID COMM             D   FD  BYTES\n",
      "  1000 demo             R    3     16\n",
      "  1000 demo             W    1      5\n",
      "  1000 demo             W    1      1\n",
      "\n",
      "COMM             D      TOTAL\n",
      "demo             W          6\n",
      "demo             R         16\n",
      "\n",
    ].join(''));
    expect(d.stderr).toBe(''); // #pragma D option quiet: no notices
  });
  test('syslat.d', () => {
    const d = probe('syslat');
    expect(d.output).toBe([
      "\n",
      "  close                                             \n",
      "           value  ------------- Distribution ------------- count    \n",
      "              64 |                                         0        \n",
      "             128 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 1        \n",
      "             256 |                                         0        \n",
      "\n",
      "  read                                              \n",
      "           value  ------------- Distribution ------------- count    \n",
      "              64 |                                         0        \n",
      "             128 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 1        \n",
      "             256 |                                         0        \n",
      "\n",
      "  execve                                            \n",
      "           value  ------------- Distribution ------------- count    \n",
      "              64 |                                         0        \n",
      "             128 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 2        \n",
      "             256 |                                         0        \n",
      "\n",
      "  openat                                            \n",
      "           value  ------------- Distribution ------------- count    \n",
      "              64 |                                         0        \n",
      "             128 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 2        \n",
      "             256 |                                         0        \n",
      "\n",
      "  stephen                                           \n",
      "           value  ------------- Distribution ------------- count    \n",
      "              64 |                                         0        \n",
      "             128 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 2        \n",
      "             256 |                                         0        \n",
      "\n",
      "  write                                             \n",
      "           value  ------------- Distribution ------------- count    \n",
      "              64 |                                         0        \n",
      "             128 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 2        \n",
      "             256 |                                         0        \n",
      "\n",
    ].join(''));
    expect(d.stderr).toBe(''); // #pragma D option quiet: no notices
  });
  test('printk.d', () => {
    const d = probe('printk');
    expect(d.output).toBe([
      "LVL CALLER              PID COMM             MESSAGE\n",
      "  6 sys_stephen        1000 demo             stephen syscall called with \"hi\"\n",
      "\n",
      "CALLER            PRINTKS\n",
      "sys_stephen             1\n",
      "\n",
    ].join(''));
    expect(d.stderr).toBe(''); // #pragma D option quiet: no notices
  });
  test('newsyscall.d', () => {
    const d = probe('newsyscall', ['stephen']);
    expect(d.output).toBe([
      "  1000 demo             stephen(0x40301e, 0x0, 0x0, 0x0) \"hi\"\n",
      "  1000 demo             stephen = 0 (errno 0)\n",
      "  1000 demo             stephen(0x0, 0x0, 0x0, 0x0)\n",
      "  1000 demo             stephen = -14 (errno 14)\n",
      "\n",
    ].join(''));
    expect(d.stderr).toBe(''); // #pragma D option quiet: no notices
  });
  test('syscount.d', () => {
    const d = probe('syscount');
    expect(d.output).toBe([
      "EXECNAME         SYSCALL             COUNT\n",
      "demo             close                   1\n",
      "demo             execve                  1\n",
      "demo             exit_group              1\n",
      "demo             read                    1\n",
      "ksim             execve                  1\n",
      "demo             openat                  2\n",
      "demo             stephen                 2\n",
      "demo             write                   2\n",
      "\n",
    ].join(''));
    expect(d.stderr).toBe(''); // #pragma D option quiet: no notices
  });
  test('errinfo.d', () => {
    const d = probe('errinfo');
    expect(d.output).toBe([
      "demo             openat           errno 2\n",
      "demo             stephen          errno 14\n",
      "demo             execve           errno 2\n",
      "\n",
      "EXECNAME         SYSCALL            ERR    COUNT\n",
      "demo             execve               2        1\n",
      "demo             openat               2        1\n",
      "demo             stephen             14        1\n",
      "\n",
    ].join(''));
    expect(d.stderr).toBe(''); // #pragma D option quiet: no notices
  });
});
