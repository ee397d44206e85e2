// The FreeBSD kernel layer end to end in memory: a syscall in syscalls.master + sys/ C (args from
// the prototype, td_retval), its error paths (EINVAL, EPERM as non-root, ENOMEM from an M_NOWAIT
// malloc under a memory limit), two return registers, nosys/SIGSYS, Capsicum (ECAPMODE + CAPFAIL),
// sysent[] written by a module and restored, and a fault in kernel C (FreeBSD's trap text, panic).
import { describe, expect, it } from 'vitest';
import { addRow, addSource, bootFb, buildFb, compileFb, compileModule, logText, makeFreebsd, runFb } from './harness.js';
import { CALL211, TRIPLE_MODULE } from './fixtures.js';
import { kernelProcess, loadModule, unloadModule } from '../../src/kernel/freebsd/kld.js';
import type { KernelObserver } from '../../src/kernel/events.js';

const CHECKED = `#include <sys/param.h>
#include <sys/systm.h>
#include <sys/sysproto.h>
#include <sys/proc.h>
#include <sys/priv.h>
#include <sys/malloc.h>
#include <sys/errno.h>

int
sys_checked_call(struct thread *td, struct checked_call_args *uap)
{
	char *buf;
	if (uap->amount < 0)
		return (EINVAL);
	if (priv_check(td, PRIV_ROOT) != 0)
		return (EPERM);
	buf = malloc(uap->amount, M_TEMP, M_NOWAIT | M_ZERO);
	if (buf == NULL)
		return (ENOMEM);
	free(buf, M_TEMP);
	td->td_retval[0] = uap->amount + 1;
	td->td_retval[1] = td->td_proc->p_pid;
	return (0);
}

int
sys_echo_name(struct thread *td, struct echo_name_args *uap)
{
	char name[16];
	size_t done;
	int error = copyinstr(uap->name, name, sizeof(name), &done);
	if (error)
		return (error);
	printf("echo_name: '%s' (%d bytes)\\n", name, (int)done);
	td->td_retval[0] = uap->times * 3;
	return (0);
}

int
sys_crash(struct thread *td, struct crash_args *uap)
{
	int *p = (int *)0;
	return (*p);
}
`;

const ROWS = `
600\tAUE_NULL\tSTD {
\t\tint checked_call(
\t\t    int amount
\t\t);
\t}
601\tAUE_NULL\tSTD {
\t\tint echo_name(
\t\t    int times,
\t\t    char *name
\t\t);
\t}
602\tAUE_NULL\tSTD {
\t\tint crash(void);
\t}
`;

const USER = `#include <stdio.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
  long r;
  errno = 0;
  if (argv[1][0] == 'c') r = syscall(600, atoi(argv[2]));
  else if (argv[1][0] == 'e') r = syscall(601, 10, argv[2]);
  else r = syscall(602);
  printf("r=%ld errno=%d\\n", r, errno);
  return 0;
}
int atoi(const char *);
`;

function built() {
  const m = makeFreebsd();
  addRow(m, ROWS);
  addSource(m, 'custom.c', CHECKED);
  const r = buildFb(m);
  if (!r.built) throw new Error(r.text);
  return { m, built: r.built };
}

describe('FreeBSD kernel C syscalls', () => {
  it('binds syscalls.master rows to sys/ C, with args from the prototype and the result in td_retval[0]', () => {
    const { m, built: k } = built();
    const b = bootFb(m, k);
    compileFb(b, '/bin/t', USER);
    const r = runFb(b, ['/bin/t', 'e', 'hello']);
    expect(r.stdout).toBe('r=30 errno=0\n');
    expect(logText(b)).toContain("echo_name: 'hello' (6 bytes)\n");
    const row = b.machine.rows.find((x) => x.nr === 601)!;
    expect(row.args.map((a) => [a.ctype, a.name, a.fmt])).toEqual([['int', 'times', 'int'], ['char *', 'name', 'str']]);
    // copyinstr: a name longer than the buffer is ENAMETOOLONG (63)
    expect(runFb(b, ['/bin/t', 'e', 'a-name-of-twenty-bytes']).stdout).toBe('r=-1 errno=63\n');
  });

  it('error paths: EINVAL, EPERM for non-root, ENOMEM when an M_NOWAIT malloc fails under a memory limit', () => {
    const { m, built: k } = built();
    const b = bootFb(m, k);
    compileFb(b, '/bin/t', USER);
    expect(runFb(b, ['/bin/t', 'c', '-1']).stdout).toBe('r=-1 errno=22\n');
    expect(runFb(b, ['/bin/t', 'c', '5'], 1000).stdout).toBe('r=-1 errno=1\n');
    expect(runFb(b, ['/bin/t', 'c', '5']).stdout).toBe('r=6 errno=0\n');
    expect(runFb(b, ['/bin/t', 'c', '2000000']).stdout).toBe('r=2000001 errno=0\n');
    // 1 MiB per process: the program fits, a 2 MB M_NOWAIT allocation does not.
    const tight = bootFb(m, k, { memPages: 256 });
    compileFb(tight, '/bin/t', USER);
    expect(runFb(tight, ['/bin/t', 'c', '2000000']).stdout).toBe('r=-1 errno=12\n');
    expect(runFb(tight, ['/bin/t', 'c', '5']).stdout).toBe('r=6 errno=0\n');
  });

  it('two return registers: td_retval[1] reaches observers as ret2', () => {
    const { m, built: k } = built();
    const b = bootFb(m, k);
    compileFb(b, '/bin/t', USER);
    const seen: unknown[] = [];
    const o: KernelObserver = { syscallExit: (e) => { if (e.nr === 600 || e.nr === 42) seen.push([e.nr, e.ret, e.ret2]); } };
    b.machine.kernel.attach(o);
    const r = runFb(b, ['/bin/t', 'c', '7']);
    expect(seen).toEqual([[600, 8, r.pid]]);
  });

  it('a fault in kernel C prints FreeBSD\'s trap text and panics: the machine stops until a reboot', () => {
    const { m, built: k } = built();
    const b = bootFb(m, k);
    compileFb(b, '/bin/t', USER);
    const r = runFb(b, ['/bin/t', 'x']);
    expect(r.signo).toBe(9);
    const log = logText(b);
    expect(log).toContain('Fatal trap 12: page fault while in kernel mode\n');
    expect(log).toContain('fault virtual address\t= 0x0\n');
    expect(log).toContain('fault code\t\t= supervisor read data, page not present\n');
    expect(log).toContain('panic: page fault\n');
    expect(runFb(b, ['/bin/t', 'c', '1']).stdout).toBe('');
    // A fresh boot (ksim reboot) runs again.
    const again = bootFb(m, k);
    compileFb(again, '/bin/t', USER);
    expect(runFb(again, ['/bin/t', 'c', '1']).stdout).toBe('r=2 errno=0\n');
  });
});


const CAPSICUM = `#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
int main(void) {
  syscall(516); /* cap_enter */
  long r = syscall(5, "/work/x", 0, 0); /* open: not CAPENABLED */
  printf("open=%ld errno=%d\\n", r, errno);
  int mode = -1;
  syscall(517, &mode); /* cap_getmode */
  printf("mode=%d\\n", mode);
  return 0;
}
`;

describe('FreeBSD sysent, modules, nosys and Capsicum', () => {
  it('a module that writes sysent[211] changes what 211 runs; restoring it brings back nosys (SIGSYS)', () => {
    const m = makeFreebsd();
    const b = bootFb(m);
    compileFb(b, '/bin/c', CALL211);
    const before = runFb(b, ['/bin/c']);
    expect(before.status).toBe(140); // SIGSYS (12 on FreeBSD)
    const fb = b.machine.freebsd!;
    const t = kernelProcess(fb, 'kldload');
    const mod = loadModule(fb, compileModule('triple', TRIPLE_MODULE), 'triple.ko', '/work/triple.ko', t);
    if ('error' in mod) throw new Error(String(mod.error));
    expect(logText(b)).toContain('triple at 211\n');
    expect(b.machine.rows.find((r) => r.nr === 211)!.name).toBe('triple');
    expect(runFb(b, ['/bin/c']).stdout).toBe('42\n');
    // A second load refuses: the module's own check sees 211 taken.
    const again = loadModule(fb, compileModule('triple', TRIPLE_MODULE), 'triple.ko', '/work/triple.ko', t);
    expect(again).toEqual({ error: 'File exists' });
    expect(unloadModule(fb, mod, t)).toBe(0);
    expect(logText(b)).toContain('triple gone\n');
    expect(b.machine.rows.find((r) => r.nr === 211)!.name).toBe('lkmnosys');
    expect(runFb(b, ['/bin/c']).status).toBe(140);
  });

  it('after cap_enter a call without SYF_CAPENABLED fails with ECAPMODE and a CAPFAIL event', () => {
    const m = makeFreebsd();
    const b = bootFb(m);
    compileFb(b, '/bin/cap', CAPSICUM);
    const fails: unknown[] = [];
    b.machine.kernel.attach({ capFail: (e) => fails.push([e.type, e.code]) });
    const r = runFb(b, ['/bin/cap']);
    expect(r.stdout).toBe('open=-1 errno=94\nmode=1\n');
    expect(fails).toEqual([[2, 5]]);
  });
});
