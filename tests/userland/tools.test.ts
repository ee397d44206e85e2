// The tracers under their own names inside the machine: /bin/strace, /bin/ktrace + /bin/kdump and
// /bin/dtrace typed at the machine's shell, each running ksim's tracer (through ksim_tool) on a
// command that runs as the tool's child, with exact output on the shell's descriptors.
import { beforeAll, describe, expect, it } from 'vitest';
import { bootWithUserland, sh } from './helpers.js';
import { addKernelSource, appendRow, build, compileInto, makeMachine, type Booted } from '../helpers/machine.js';
import { machineTools } from '../../src/machine/tools.js';

const STEPHEN = `SYSCALL_DEFINE1(stephen, char __user *, msg)
{
  char buf[256];
  long copied = strncpy_from_user(buf, msg, sizeof(buf));
  if (copied < 0 || copied == sizeof(buf))
    return -EFAULT;
  printk(KERN_INFO "stephen syscall called with \\"%s\\"\\n", buf);
  return 0;
}
`;

const TEST = `#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
  if (argc < 2) return 2;
  long r = syscall(SYS_stephen, argv[1]);
  write(1, "done\\n", 5);
  return r == 0 ? 0 : 1;
}
`;

let b: Booted;

beforeAll(() => {
  const m = makeMachine({ release: '4.7.1' });
  appendRow(m, '329\tcommon\tstephen\tsys_stephen');
  addKernelSource(m, 'stephen.c', STEPHEN);
  const r = build(m);
  expect(r.text).toBe('');
  b = bootWithUserland(['sh', 'echo', 'cat', 'strace', 'ktrace', 'kdump', 'dtrace', 'ls', 'false', 'head', 'sleep', 'kill'], { m, built: r.built, tools: machineTools() });
  compileInto(b, '/work/test', TEST);
  compileInto(b, '/work/badtool', `#include <stdio.h>
#include <errno.h>
#include <unistd.h>
int main(int argc, char **argv) {
  long r = syscall(1001, "nosuchtool", argv, environ);
  printf("unknown %ld %d\\n", r, errno);
  r = syscall(1001, "strace", (char **)16, environ);
  printf("fault %ld %d\\n", r, errno);
  return 0;
}
`);
}, 300_000);

describe('strace inside the machine', () => {
  it('traces the command, not the shell, and returns its status', () => {
    const r = sh(b, 'cd /work && strace -e trace=stephen,write ./test hi');
    expect(r.stdout).toBe('done\n');
    expect(r.stderr).toBe('stephen("hi")                           = 0\nwrite(1, "done\\n", 5)                   = 5\n+++ exited with 0 +++\n');
    expect(r.status).toBe(0);
    const f = sh(b, 'strace -e trace=none false; echo "status $?"');
    expect(f.stderr).toBe('+++ exited with 1 +++\n');
    expect(f.stdout).toBe('status 1\n');
  });

  it('begins with the execve of the command, found in PATH', () => {
    const r = sh(b, 'strace echo hi 2>&1 | head -n 1');
    expect(r.stdout).toMatch(/^execve\("\/bin\/echo", \["echo", "hi"\], 0x[0-9a-f]+ \/\* 8 vars \*\/\) = 0\n$/);
  });

  it('writes -o FILE in the machine, relative to the cwd', () => {
    const r = sh(b, 'cd /tmp && strace -o trace.txt -e trace=stephen /work/test x && cat /tmp/trace.txt');
    expect(r.stdout).toBe('done\nstephen("x")                            = 0\n+++ exited with 0 +++\n');
  });

  it('reports what it cannot run, and its own usage errors', () => {
    const r = sh(b, 'strace ./nope; echo "status $?"');
    expect(r.stderr).toBe("strace: Can't stat './nope': No such file or directory\n");
    expect(r.stdout).toBe('status 1\n');
    const u = sh(b, 'strace');
    expect(u.stderr).toBe("strace: must have PROG [ARGS] or -p PID\nTry 'strace -h' for more information.\n");
    expect(u.status).toBe(1);
  });
});

describe('ktrace and kdump inside the machine', () => {
  it('ktrace ./test && kdump: ktrace.out lands in the cwd inside the machine', () => {
    const r = sh(b, 'cd /tmp && ktrace -t c /work/test hi && ls ktrace.out && kdump');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^done\nktrace.out\n/);
    const lines = r.stdout.split('\n').filter((l) => /stephen|write/.test(l)).map((l) => l.replace(/^ *\d+/, 'PID'));
    expect(lines).toEqual([
      expect.stringMatching(/^PID test     CALL  stephen\(0x[0-9a-f]+\)$/),
      'PID test     RET   stephen 0',
      expect.stringMatching(/^PID test     CALL  write\(0x1,0x[0-9a-f]+,0x5\)$/),
      'PID test     RET   write 5',
    ]);
  });

  it('kdump says when the file is missing', () => {
    const r = sh(b, 'kdump -f /tmp/none.out');
    expect(r.stderr).toBe('kdump: /tmp/none.out: No such file or directory\n');
    expect(r.status).toBe(1);
  });
});

describe('dtrace inside the machine', () => {
  it("dtrace -n 'syscall::stephen:entry { ... }' -c ./test", () => {
    const r = sh(b, `cd /work && dtrace -q -n 'syscall::stephen:entry { printf("%s\\n", copyinstr(arg0)); }' -c './test hi'`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hi\ndone\n\n');
    expect(r.status).toBe(0);
  });

  it('prints the description line and the pid notice, and aggregations at the end', () => {
    const r = sh(b, `cd /work && dtrace -n 'syscall::stephen:entry { @[execname] = count(); }' -c './test x'`);
    expect(r.stderr).toMatch(/^dtrace: description 'syscall::stephen:entry ' matched 1 probe\ndtrace: pid \d+ has exited\n$/);
    expect(r.stdout).toBe('done\n\n  test                                                              1\n');
  });
});

describe('a tracer whose process is killed first', () => {
  it('dtrace prints its aggregations, and the command goes on untraced', () => {
    const r = sh(b, `dtrace -q -n 'syscall::nanosleep:entry { @["sleeps"] = count(); }' -c 'sleep 5' & sleep 1; kill $!; wait $!; echo "status $?"`);
    // System-wide, as dtrace is: the command's nanosleep and the shell's `sleep 1`.
    expect(r.stdout).toBe('\n  sleeps                                                            2\nstatus 143\n');
    expect(r.stderr).toBe('');
  });

  it('strace stops tracing', () => {
    const r = sh(b, 'strace -e trace=nanosleep sleep 3 & sleep 1; kill $!; wait $!; echo "status $?"; /bin/sleep 3; echo done');
    expect(r.stderr).toBe('nanosleep({tv_sec=3, tv_nsec=0}, ');
    expect(r.stdout).toBe('status 143\ndone\n');
  });
});

describe('ksim_tool', () => {
  it('is ENOSYS on a machine booted without the tracers, and the tool says so', () => {
    const bare = bootWithUserland(['sh', 'strace']);
    const r = sh(bare, 'strace /bin/sh -c true');
    expect(r.stderr).toBe("strace: ksim's tracers are not attached to this machine (ksim_tool: Function not implemented)\n");
    expect(r.status).toBe(1);
  });

  it("reaches only the machine's files, through its VFS, as the calling process", () => {
    const r = sh(b, 'cd /work && kdump -f ../../../../../etc/passwd; strace -o ../../../../etc/trace.txt -e trace=none /bin/sh -c :; cat /etc/trace.txt');
    expect(r.stderr).toBe('kdump: ../../../../../etc/passwd: No such file or directory\n');
    expect(r.stdout).toBe('+++ exited with 0 +++\n');
  });

  it('refuses a tool it does not know with ENOSYS, and a bad pointer with EFAULT', () => {
    const r = sh(b, 'cd /work && ./badtool');
    expect(r.stdout).toBe('unknown -1 38\nfault -1 14\n');
  });
});
