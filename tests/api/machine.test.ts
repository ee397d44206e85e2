// The library API end to end: an in-memory machine with a kernel C syscall and a TypeScript one,
// programs from C strings with args, env and stdin, the traces of a run, errors as values, and
// deterministic runs (the same bytes twice). Uses ksim/vitest's matchers throughout.
import { beforeAll, describe, expect, test } from 'vitest';
import { createMachine, defineSyscall, E, type KsimMachine } from '../../src/api/index.js';
import { dmesg, strace, kdump } from '../../src/api/vitest.js';

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

const CALLER = `#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv)
{
  if (argc <= 1) {
    printf("Must provide a string to give to system call.\\n");
    return -1;
  }
  long res = syscall(SYS_stephen, argv[1]);
  printf("System call returned %ld.\\n", res);
  return res;
}
`;

let m: KsimMachine;
beforeAll(() => {
  m = createMachine({ release: '4.7.1' });
  expect(m.addSyscall({ name: 'stephen', source: STEPHEN })).toBe(329);
  m.addSyscall(
    defineSyscall({
      name: 'double_it',
      args: [['long', 'value']],
      handler: (ctx, args) => {
        const v = Number(args[0]);
        if (v < 0) return -E.INVAL;
        ctx.printk(`\x016double_it: ${v}\n`);
        return v * 2;
      },
    }),
  );
  const b = m.build();
  expect(b.ok).toBe(true);
  expect(b.syscalls).toEqual([
    { nr: 329, name: 'stephen', entry: 'sys_stephen', kind: 'c' },
    { nr: 330, name: 'double_it', entry: 'sys_double_it', kind: 'typescript' },
  ]);
});

describe('a kernel C syscall', () => {
  test('runs, logs and returns 0', () => {
    const r = m.run({ source: CALLER, name: 'test' }, { args: ['Hello World!'] });
    expect(r.stdout).toBe('System call returned 0.\n');
    expect(r).toHaveExited(0);
    expect(r).toHaveLogged('stephen syscall called with "Hello World!"', { level: 'info' });
    expect(r).toHaveCalled('stephen', { args: ['Hello World!'], ret: 0 });
    expect(r.dmesg).toMatch(/^\[ +1\.\d{6}\] stephen syscall called with "Hello World!"\n$/);
  });
  test('a string of 256 bytes gives EFAULT', () => {
    const r = m.run({ source: CALLER, name: 'test' }, { args: ['a'.repeat(300)] });
    expect(r.stdout).toBe('System call returned -1.\n');
    expect(r).toHaveCalled('stephen', { errno: 'EFAULT', ret: -14 });
    expect(r).not.toHaveLogged('stephen');
    expect(r).toHaveExited(255);
  });
  test('strace, ktrace and a D script see the call', () => {
    const r = m.run({ source: CALLER, name: 'test' }, {
      args: ['hi'],
      strace: { args: ['-e', 'trace=stephen'] },
      ktrace: { points: 'c' },
      dtrace: 'syscall::stephen:entry { printf("%s\\n", copyinstr(arg0)); }',
    });
    expect(r.strace).toEqual(['stephen("hi")                           = 0', '+++ exited with 0 +++']);
    expect(r.ktrace!.filter((e) => e.syscall === 'stephen').map((e) => e.text)).toEqual(['  1000 test     CALL  stephen(0x7fffffffef6a)', '  1000 test     RET   stephen 0']);
    expect(r.ktrace!.find((e) => e.type === 'RET' && e.syscall === 'stephen')!.retval).toBe(0);
    expect(r.dtrace!.output).toContain('stephen:entry hi\n');
    expect(r.dtrace!.stderr).toBe("dtrace: script 'script.d' matched 1 probe\ndtrace: pid 1000 has exited\n");
    expect(strace(r)).toMatchInlineSnapshot(`
      stephen("hi")                           = 0
      +++ exited with 0 +++
    `);
    expect(kdump(r).text).toContain('RET   stephen 0');
    expect(dmesg(r)).toMatchInlineSnapshot(`[    1.000000] stephen syscall called with "hi"`);
  });
});

describe('a TypeScript syscall', () => {
  const prog = `#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void) { printf("%ld %ld\\n", syscall(SYS_double_it, 21L), syscall(SYS_double_it, -1L)); return 0; }`;
  test('is numbered after the table, decoded by strace, and logs', () => {
    const r = m.run({ source: prog, name: 'dbl' }, { strace: { args: ['-e', 'trace=double_it'] } });
    expect(r.stdout).toBe('42 -1\n');
    expect(r).toHaveCalled('double_it', { args: [21], ret: 42 });
    expect(r).toHaveCalled('double_it', { args: [-1], errno: E.INVAL });
    expect(r).toHaveLogged('double_it: 21', { level: 6 });
    expect(r.strace).toEqual(['double_it(21)                           = 42', 'double_it(-1)                           = -1 EINVAL (Invalid argument)', '+++ exited with 0 +++']);
  });
});

describe('programs', () => {
  test('args, env and stdin', () => {
    const r = m.run(
      {
        source: `#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) { char line[64]; if (!fgets(line, sizeof line, stdin)) return 2;
  printf("%s|%s|%s", argv[1], getenv("GREETING"), line); return argc; }`,
      },
      { args: ['one', 'two'], env: { GREETING: 'hello' }, stdin: 'from stdin\n' },
    );
    expect(r.stdout).toBe('one|hello|from stdin\n');
    expect(r).toHaveExited(3);
  });
  test('a NULL dereference is SIGSEGV', () => {
    const r = m.run({ source: 'int main(void) { int *p = 0; return *p; }', name: 'crash' });
    expect(r).toHaveBeenKilledBy('SIGSEGV');
    expect(r.status).toBe(139);
    expect(r.signal).toBe('SIGSEGV');
    expect(r).not.toHaveExited();
  });
  test('a compiled program runs again; an image from compile() too', () => {
    const c = m.compile({ source: 'int main(int argc, char **argv) { return argc; }', name: 'argc' });
    expect(c.ok).toBe(true);
    expect(m.run(c.program!, { args: ['a', 'b'] })).toHaveExited(3);
    expect(m.run({ image: c.program!.image, name: 'again' })).toHaveExited(1);
  });
  test('a missing program is exit 127 with a notice', () => {
    const r = m.run('/no/such/prog');
    expect(r.status).toBe(127);
    expect(r.notices).toEqual(['ksim: /no/such/prog: No such file or directory']);
  });
});

describe('errors are values', () => {
  test('a compile error has file, line and column', () => {
    const r = m.run({ source: 'int main(void) {\n  return 0\n}\n', name: 'bad' });
    expect(r.error?.stage).toBe('compile');
    expect(r.error!.diagnostics[0]).toMatchObject({ severity: 'error', file: 'bad.c', line: 2, column: 11 });
    expect(r.error!.text).toContain("bad.c:2:11: error: expected ';' before '}' token");
    expect(r.status).toBe(1);
  });
  test('a kernel C error fails the build with the file and line', () => {
    const k = createMachine({ release: '4.7.1' });
    k.addSyscall({ name: 'broken', source: 'SYSCALL_DEFINE0(broken)\n{\n  return undefined_thing;\n}\n' });
    const b = k.build();
    expect(b.ok).toBe(false);
    expect(b.diagnostics[0]).toMatchObject({ severity: 'error', file: 'kernel/broken.c', line: 3 });
    const r = k.run({ source: 'int main(void) { return 0; }' });
    expect(r.error?.stage).toBe('build');
  });
  test("329 is taken on today's release: the build names the owner and the next free number", () => {
    const k = createMachine();
    k.addSyscall({ name: 'stephen', nr: 329, source: STEPHEN });
    const b = k.build();
    expect(b.ok).toBe(false);
    expect(b.diagnostics[0]!.message).toMatch(/^syscall number 329 is already used by 'pkey_mprotect' .*the next free number is \d+$/);
    expect(b.diagnostics[0]).toMatchObject({ file: 'arch/x86/entry/syscalls/syscall_64.tbl', column: 1 });
  });
});

describe('deterministic runs', () => {
  test('the same run gives the same log and traces byte for byte', () => {
    const run = () => m.run({ source: CALLER, name: 'test' }, { args: ['same'], strace: true, ktrace: true });
    const a = run();
    const b = run();
    expect(a.dmesg).toBe(b.dmesg);
    expect(a.strace).toEqual(b.strace);
    expect(a.kdump).toBe(b.kdump);
    expect(a.pid).toBe(1000);
    expect(a.log.map((x) => x.tsUsec)).toEqual(b.log.map((x) => x.tsUsec));
  });
});
