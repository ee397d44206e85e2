// The Linux tutorial's loop in the project's own code: append a row, write a SYSCALL_DEFINE in
// kernel/, build, run a C program that calls it, read the kernel log; and every error a build can
// give, with file, line and column.
import { describe, expect, it } from 'vitest';
import { addKernelSource, appendRow, boot, build, compileInto, makeMachine } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';

const GREET = `SYSCALL_DEFINE1(greet, const char __user *, who)
{
  char name[64];
  long n = strncpy_from_user(name, who, sizeof(name));
  if (n < 0 || n == sizeof(name))
    return -EFAULT;
  pr_info("greet: hello, %s (pid %d)\\n", name, current->pid);
  return n;
}
`;

const CALLER = `#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
  if (argc < 2) { printf("usage: greet NAME\\n"); return -1; }
  long r = syscall(SYS_greet, argv[1]);
  printf("greet(%s) = %ld\\n", argv[1], r);
  return r < 0 ? 1 : 0;
}
`;

function greetMachine(release = '4.7.1') {
  const m = makeMachine({ release });
  appendRow(m, '329\tcommon\tgreet\tsys_greet');
  addKernelSource(m, 'greet.c', GREET);
  const b = build(m);
  expect(b.text).toBe('');
  return { m, built: b.built! };
}

describe('a custom syscall in kernel C', () => {
  it('builds, binds to its row and runs from a C program, logging with printk', () => {
    const { m, built } = greetMachine();
    expect(built.cParams['sys_greet']).toEqual([['const char *', 'arg0']]);
    const b = boot(m, built);
    const row = b.machine.rows.find((r) => r.nr === 329)!;
    expect(row).toMatchObject({ name: 'greet', entry: 'sys_greet', support: 'full', custom: true });
    expect(row.args.map((a) => a.fmt)).toEqual(['str']);
    compileInto(b, '/work/greet', CALLER);
    const r = runProgram(b.machine, ['./greet', 'Ada']);
    expect(b.console.stdoutText()).toBe('greet(Ada) = 3\n');
    expect(r.status).toBe(0);
    const last = b.machine.log.records().at(-1)!;
    expect(last.text).toBe(`greet: hello, Ada (pid ${r.pid})`);
    expect(last.level).toBe(6);
  });

  it('returns -EFAULT (glibc: -1) for a string that does not fit, and for a bad pointer', () => {
    const { m, built } = greetMachine();
    const b = boot(m, built);
    compileInto(b, '/work/greet', CALLER);
    runProgram(b.machine, ['./greet', 'x'.repeat(64)]);
    compileInto(b, '/work/bad', '#include <stdio.h>\n#include <unistd.h>\n#include <errno.h>\nint main(void) { long r = syscall(329, (char *)16); printf("%ld %d\\n", r, errno); return 0; }\n');
    runProgram(b.machine, ['./bad']);
    expect(b.console.stdoutText()).toBe(`greet(${'x'.repeat(64)}) = -1\n-1 14\n`);
  });

  it('answers ENOSYS on a stock kernel, as the unbuilt machine would', () => {
    const m = makeMachine({ release: '4.7.1' });
    const b = boot(m);
    compileInto(b, '/work/greet', CALLER.replace('SYS_greet', '329'));
    const r = runProgram(b.machine, ['./greet', 'Ada']);
    expect(b.console.stdoutText()).toBe('greet(Ada) = -1\n');
    expect(r.status).toBe(1);
  });
});

describe('build errors', () => {
  it('names the syscall that owns a taken number, and the next free number', () => {
    const m = makeMachine({ release: '6.12' });
    appendRow(m, '329\tcommon\tgreet\tsys_greet');
    addKernelSource(m, 'greet.c', GREET);
    const r = build(m);
    expect(r.built).toBeUndefined();
    expect(r.text).toMatch(/^arch\/x86\/entry\/syscalls\/syscall_64\.tbl:\d+:1: error: syscall number 329 is already used by 'pkey_mprotect' \(arch\/x86\/entry\/syscalls\/syscall_64\.tbl:\d+\); the next free number is 463\n/);
  });

  it('reports an entry point nothing defines like the linker does', () => {
    const m = makeMachine({ release: '4.7.1' });
    appendRow(m, '329\tcommon\tgreet\tsys_greet');
    const r = build(m);
    expect(r.diagnostics.map((d) => d.message)).toEqual(["undefined reference to 'sys_greet' (row 329 'greet': no SYSCALL_DEFINE or defineSyscall in kernel/ defines it)"]);
    expect(r.diagnostics[0]!.loc!.file).toBe('arch/x86/entry/syscalls/syscall_64.tbl');
  });

  it('reports C errors in kernel sources with file, line, column and the source line', () => {
    const m = makeMachine({ release: '4.7.1' });
    appendRow(m, '329\tcommon\tgreet\tsys_greet');
    addKernelSource(m, 'greet.c', 'SYSCALL_DEFINE0(greet)\n{\n  return undeclared_thing;\n}\n');
    const r = build(m);
    expect(r.built).toBeUndefined();
    expect(r.text).toBe(
      "kernel/greet.c:3:10: error: 'undeclared_thing' undeclared (first use in this function)\n    3 |   return undeclared_thing;\n      |          ^\n" +
        'kernel/greet.c:3:10: note: each undeclared identifier is reported only once for each function it appears in\n    3 |   return undeclared_thing;\n      |          ^\n',
    );
  });

  it('lets a custom row reuse one of the kernel\'s own entry points', () => {
    const m = makeMachine({ release: '4.7.1' });
    appendRow(m, '329\tcommon\tmypid\tsys_getpid');
    const r = build(m);
    expect(r.text).toBe('');
    const b = boot(m, r.built);
    compileInto(b, '/work/p', '#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf("%d\\n", (long)syscall(329) == getpid()); return 0; }\n');
    const ran = runProgram(b.machine, ['./p']);
    expect(b.console.stderrText()).toBe('');
    expect(ran.notices).toEqual([]);
    expect(b.console.stdoutText()).toBe('1\n');
  });
});
