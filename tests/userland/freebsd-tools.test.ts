// The tracers and dmesg under their own names inside a FreeBSD machine: /bin/ktrace + /bin/kdump,
// /bin/dtrace and /bin/strace reach ksim's tracers through ksim_tool (1001, past syscalls.master),
// and /bin/dmesg reads the kern.msgbuf sysctl as FreeBSD's dmesg(8) does, printing what `ksim dmesg`
// prints on that machine. The machine is the freebsd-static tutorial's (my_custom_syscall at 600).
import { beforeAll, describe, expect, it } from 'vitest';
import { userlandImage } from './helpers.js';
import { addRow, addSource, buildFb, compileFb, makeFreebsd, type FbBooted } from '../freebsd/harness.js';
import { bootMachine, runProgram } from '../../src/machine/boot.js';
import { BufferConsole } from '../../src/kernel/console.js';
import { VirtualClock } from '../../src/kernel/clock.js';
import { loadExecutable, loadKernelImage } from '../../src/toolchain/cc.js';
import { linuxSignature } from '../../src/kernel/linux/signatures.js';
import { machineTools } from '../../src/machine/tools.js';
import type { ToolRunner } from '../../src/kernel/syscalls/ksim-tool.js';
import { formatFreebsdDmesg } from '../../src/dmesg/format.js';
import { STATIC_ROW, STATIC_SOURCE } from '../freebsd/fixtures.js';


// test_custom.c's call, printing with write(2) (printf's fstat, ioctl and break depend on libc's size).
const TEST = `#include <string.h>
#include <unistd.h>

int main(void)
{
\tchar buf[32] = "Result: ", *p = buf + strlen(buf);
\tint result = syscall(600, 10, "Hello from userspace!");
\tif (result >= 10)
\t\t*p++ = '0' + result / 10;
\t*p++ = '0' + result % 10;
\t*p++ = '\\n';
\twrite(1, buf, p - buf);
\treturn 0;
}
`;

const PROGRAMS = ['sh', 'echo', 'cat', 'tail', 'ktrace', 'kdump', 'dtrace', 'strace', 'dmesg'];

function boot(tools: Record<string, ToolRunner> | undefined): FbBooted & { sh(line: string, uid?: number): { stdout: string; stderr: string; status: number } } {
  const m = makeFreebsd();
  addRow(m, STATIC_ROW);
  addSource(m, 'sys_mycustom.c', STATIC_SOURCE);
  const r = buildFb(m);
  expect(r.text).toBe('');
  const console = new BufferConsole('');
  const machine = bootMachine({
    host: m.host, config: m.config, built: r.built!, console, clock: new VirtualClock(1_000_000_000),
    images: { loadExecutable, loadKernel: loadKernelImage, signature: linuxSignature },
    mount: { hostDir: '/work', at: '/work', readOnly: false }, firstPid: 100, randomSeed: 1, machineDir: m.dir,
    programs: new Map(PROGRAMS.map((n) => [`/bin/${n}`, userlandImage(n, 'freebsd')])),
    tools,
  });
  const b: FbBooted = { machine, console, built: r.built! };
  compileFb(b, '/work/test', TEST);
  return {
    ...b,
    sh(line, uid = 0) {
      const before = { out: console.stdoutText().length, err: console.stderrText().length };
      const res = runProgram(machine, ['/bin/sh', '-c', line], { uid, gid: uid });
      return { stdout: console.stdoutText().slice(before.out), stderr: console.stderrText().slice(before.err), status: res.status };
    },
  };
}

let b: ReturnType<typeof boot>;

beforeAll(() => {
  b = boot(machineTools());
}, 300_000);

const SYSCTL = `#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(void)
{
	int name2oid[2] = { 0, 3 }, mib[24];
	size_t miblen = sizeof(mib), len = 0;
	long r = syscall(SYS___sysctl, name2oid, 2, mib, &miblen, "kern.msgbuf", strlen("kern.msgbuf"));
	printf("name2oid %ld: %zu ints, kern.%d\\n", r, miblen / sizeof(int), mib[1]);
	r = syscall(SYS___sysctl, mib, (int)(miblen / sizeof(int)), NULL, &len, NULL, 0);
	char buf[8192];
	size_t got = sizeof(buf);
	long r2 = syscall(SYS___sysctl, mib, (int)(miblen / sizeof(int)), buf, &got, NULL, 0);
	printf("size %ld %d, read %ld: same length %d, NUL-terminated %d\\n", r, len > 0, r2, got == len, buf[got - 1] == 0);
	char small[4];
	got = sizeof(small);
	r = syscall(SYS___sysctl, mib, (int)(miblen / sizeof(int)), small, &got, NULL, 0);
	printf("short buffer %ld errno %d, got %zu\\n", r, errno, got);
	int one = 1;
	int ostype[2] = { 1, 1 };
	r = syscall(SYS___sysctl, ostype, 2, NULL, NULL, &one, sizeof(one));
	printf("write kern.ostype %ld errno %d\\n", r, errno);
	r = syscall(SYS___sysctl, name2oid, 2, mib, &miblen, "kern.nosuch", strlen("kern.nosuch"));
	printf("name2oid kern.nosuch %ld errno %d\\n", r, errno);
	return 0;
}
`;

const NOSYS = `#include <unistd.h>

int main(void)
{
	syscall(700);
	return 0;
}
`;

beforeAll(() => {
  compileFb(b, '/work/sysctl', SYSCTL);
  compileFb(b, '/work/nosys', NOSYS);
}, 300_000);

describe('the tracers inside a FreeBSD machine', () => {
  it('ktrace ./test && kdump: the tutorial flow, as `ksim ktrace` and `ksim kdump` print it', () => {
    const r = b.sh('cd /work && ktrace -t c ./test && kdump');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`Result: 30
   102 ktrace   CALL  execve(0x7ffc00000000,0x7ffc00000090,0x7ffc000000a0)
   102 test     RET   execve 0
   102 test     CALL  my_custom_syscall(0xa,0x403005)
   102 test     RET   my_custom_syscall 30/0x1e
   102 test     CALL  write(0x1,0x7fffffffeda0,0xb)
   102 test     RET   write 11/0xb
   102 test     CALL  exit(0)
`);
    expect(r.status).toBe(0);
    // ktrace.out is a file of the machine, in the shell's directory.
    expect(b.sh('cd /work && kdump -t c | tail -n 1').stdout).toBe('   102 test     CALL  exit(0)\n');
  });

  it('dtrace -n ... -c ./test fires on the custom call', () => {
    const pid = b.machine.kernel.peekNextPid() + 2; // sh, dtrace, then the command
    const r = b.sh(`cd /work && dtrace -n 'syscall::my_custom_syscall:entry { printf("value=%d", arg0); }' -c ./test`);
    expect(r.stdout).toBe('CPU     ID                    FUNCTION:NAME\n  0   1162          my_custom_syscall:entry value=10\nResult: 30\n\n');
    expect(r.stderr).toBe(`dtrace: description 'syscall::my_custom_syscall:entry ' matched 1 probe\ndtrace: pid ${pid} has exited\n`);
    expect(r.status).toBe(0);
  });

  it("strace is ksim's strace, with FreeBSD's calls and constants", () => {
    const r = b.sh('cd /work && strace ./test');
    expect(r.stdout).toBe('Result: 30\n');
    expect(r.stderr).toBe(`execve("./test", 0x7ffc00000090, 0x7ffc000000a0) = 0
my_custom_syscall(10, "Hello from userspace!") = 30
write(1, "Result: 30\\n", 11)            = 11
exit(0)                                 = ?
+++ exited with 0 +++
`);
  });

  it("the traced command does not inherit the tool's SIGSYS handler: a nosys call kills it", () => {
    const r = b.sh('cd /work && strace -e trace=none ./nosys; echo "status $?"');
    expect(r.stderr).toBe('--- SIGSYS {si_signo=SIGSYS, si_code=SI_KERNEL} ---\n+++ killed by SIGSYS (core dumped) +++\n');
    expect(r.stdout).toBe('status 140\n');
  });
});

describe('dmesg inside a FreeBSD machine', () => {
  it('prints kern.msgbuf as `ksim dmesg` prints the log', () => {
    b.sh('cd /work && ./test');
    const r = b.sh('dmesg');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(formatFreebsdDmesg(b.machine.log.records(), { all: false }));
    expect(b.sh('dmesg | tail -n 1').stdout).toBe("my_custom_syscall: value=10, message='Hello from userspace!'\n");
  });

  it('drops <pri> from log(9) lines, shows other facilities only with -a, vis-encodes', () => {
    b.machine.log.logPriority(6, 'kernel \x01 log\x7f\n');
    b.machine.log.logPriority((3 << 3) | 4, 'daemon says hi\n');
    b.machine.log.printf('caf\u00e9\n');
    expect(b.sh('dmesg | tail -n 2').stdout).toBe('kernel \\^A log\\^?\ncaf\\M-C\\M-)\n');
    expect(b.sh('dmesg -a | tail -n 3').stdout).toBe('kernel \\^A log\\^?\ndaemon says hi\ncaf\\M-C\\M-)\n');
    expect(b.sh('dmesg -a').stdout).toBe(formatFreebsdDmesg(b.machine.log.records(), { all: true }));
  });

  it('reads kern.msgbuf through __sysctl too (sysctl.name2oid), with SYSCTL_OUT sizes and errors', () => {
    const r = b.sh('/work/sysctl');
    expect(r.stdout).toBe(`name2oid 0: 2 ints, kern.256
size 0 1, read 0: same length 1, NUL-terminated 1
short buffer -1 errno 12, got 4
write kern.ostype -1 errno 1
name2oid kern.nosuch -1 errno 2
`);
  });

  it('usage errors as FreeBSD dmesg words them', () => {
    const r = b.sh('dmesg -x; echo "status $?"; dmesg extra; dmesg -M core');
    expect(r.stderr).toBe('dmesg: illegal option -- x\nusage: dmesg [-ac] [-M core [-N system]]\nusage: dmesg [-ac] [-M core [-N system]]\ndmesg: -M and -N (crash dumps) are not supported by ksim\n');
    expect(r.stdout).toBe('status 1\n');
  });

  it('-c clears the buffer after printing it (root only: kern.msgbuf_clear)', () => {
    const denied = b.sh('dmesg -c > /dev/null', 1000);
    expect(denied.stderr).toBe('dmesg: sysctl kern.msgbuf_clear: Operation not permitted\n');
    expect(denied.status).toBe(1);
    const before = b.sh('dmesg').stdout;
    expect(before).not.toBe('');
    expect(b.sh('dmesg -c').stdout).toBe(before);
    expect(b.sh('dmesg').stdout).toBe('');
    b.sh('cd /work && ./test');
    expect(b.sh('dmesg').stdout).toBe("my_custom_syscall: value=10, message='Hello from userspace!'\n");
  });
});

describe('a FreeBSD machine without ksim tracers attached', () => {
  it('the tools say so: ksim_tool is nosys there, its SIGSYS caught', () => {
    const bare = boot(undefined);
    const r = bare.sh('cd /work && ktrace ./test; echo "status $?"; strace ./test; dtrace -l; kdump');
    expect(r.stderr).toBe(["ktrace", "strace", "dtrace", "kdump"].map((t) => `${t}: ksim's tracers are not attached to this machine (ksim_tool: Function not implemented)\n`).join(''));
    expect(r.stdout).toBe('status 1\n');
  }, 300_000);
});
