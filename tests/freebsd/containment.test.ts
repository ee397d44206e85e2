// Misbehaving FreeBSD kernel code is contained as FreeBSD contains it: a module unloaded with live
// malloc(9) allocations of its own type gets kern_malloc.c's leak warning.
import { describe, expect, it } from 'vitest';
import { bootFb, compileFb, compileModule, logText, makeFreebsd, runFb } from './harness.js';
import { kernelProcess, loadModule, unloadModule } from '../../src/kernel/freebsd/kld.js';

const HEAD = `#include <sys/param.h>
#include <sys/module.h>
#include <sys/kernel.h>
#include <sys/systm.h>
#include <sys/sysent.h>
#include <sys/proc.h>
#include <sys/malloc.h>
`;

/** Keeps (leaks) one buffer per call of syscall 210; MOD_LOAD keeps two and frees one. */
const LEAKY = `${HEAD}
static MALLOC_DEFINE(M_LEAKY, "leaky", "buffers leaky forgets");
struct keep_args { long size; };
static int keep(struct thread *td, struct keep_args *uap) {
	char *p = malloc(uap->size, M_LEAKY, M_WAITOK | M_ZERO);
	td->td_retval[0] = p != NULL;
	return (0);
}
static struct sysent saved;
static struct sysent mine = { .sy_narg = 1, .sy_call = (sy_call_t *)keep, .sy_thrcnt = SY_THR_STATIC };
static int handler(module_t mod, int event, void *arg) {
	char *a, *b, *c;
	switch (event) {
	case MOD_LOAD:
		a = malloc(100, M_LEAKY, M_WAITOK);
		b = malloc(100, M_LEAKY, M_WAITOK);
		c = malloc(16, M_TEMP, M_WAITOK);
		free(a, M_LEAKY);
		free(c, M_TEMP);
		saved = sysent[210];
		sysent[210] = mine;
		return (0);
	case MOD_UNLOAD:
		sysent[210] = saved;
		printf("leaky unloaded\\n");
		return (0);
	}
	return (EOPNOTSUPP);
}
static moduledata_t leaky_mod = { "leaky", handler, NULL };
DECLARE_MODULE(leaky, leaky_mod, SI_SUB_DRIVERS, SI_ORDER_MIDDLE);
`;

/** Frees what it allocates: no warning. */
const TIDY = `${HEAD}
MALLOC_DEFINE(M_TIDY, "tidy", "tidy buffers");
static char *kept;
static int handler(module_t mod, int event, void *arg) {
	if (event == MOD_LOAD) kept = malloc(70000, M_TIDY, M_WAITOK);
	if (event == MOD_UNLOAD) free(kept, M_TIDY);
	return (0);
}
static moduledata_t tidy_mod = { "tidy", handler, NULL };
DECLARE_MODULE(tidy, tidy_mod, SI_SUB_DRIVERS, SI_ORDER_MIDDLE);
`;

const KEEP = `#include <stdio.h>
#include <unistd.h>
int atoi(const char *);
int main(int argc, char **argv) { printf("%ld\\n", syscall(210, atoi(argv[1]))); return 0; }
`;

const WARNING = /Warning: memory type (\S+) leaked memory on destroy \((\d+) allocations, (\d+) bytes leaked\)\.\n/g;

describe('FreeBSD malloc(9) types', () => {
  it('kldunload of a module whose malloc type still has allocations prints the leak warning, sizes by UMA zone', () => {
    const m = makeFreebsd();
    const b = bootFb(m);
    compileFb(b, '/bin/keep', KEEP);
    const fb = b.machine.freebsd!;
    const t = kernelProcess(fb, 'kldload');
    const mod = loadModule(fb, compileModule('leaky', LEAKY), 'leaky.ko', '/work/leaky.ko', t);
    if ('error' in mod) throw new Error(String(mod.error));
    expect(runFb(b, ['/bin/keep', '5000']).stdout).toBe('1\n');
    expect(runFb(b, ['/bin/keep', '0']).stdout).toBe('1\n');
    expect(runFb(b, ['/bin/keep', '70000']).stdout).toBe('1\n');
    expect(unloadModule(fb, mod, t)).toBe(0);
    // 100 -> malloc-128, 5000 -> malloc-8192, 0 -> malloc-16, 70000 -> 18 pages (73728).
    expect(logText(b)).toContain('leaky unloaded\nWarning: memory type leaky leaked memory on destroy (4 allocations, 82064 bytes leaked).\n');
    expect([...logText(b).matchAll(WARNING)].length).toBe(1);
  });

  it('a module that frees what it allocated unloads without a warning', () => {
    const m = makeFreebsd();
    const b = bootFb(m);
    const fb = b.machine.freebsd!;
    const t = kernelProcess(fb, 'kldload');
    const mod = loadModule(fb, compileModule('tidy', TIDY), 'tidy.ko', '/work/tidy.ko', t);
    if ('error' in mod) throw new Error(String(mod.error));
    expect(unloadModule(fb, mod, t)).toBe(0);
    expect([...logText(b).matchAll(WARNING)]).toEqual([]);
  });
});

/** Takes slot 210 at MOD_LOAD and "forgets" to put the saved entry back at MOD_UNLOAD. */
const FORGETFUL = `${HEAD}
struct twice_args { long value; };
static int twice(struct thread *td, struct twice_args *uap) {
	td->td_retval[0] = uap->value * 2;
	return (0);
}
static struct sysent mine = { .sy_narg = 1, .sy_call = (sy_call_t *)twice, .sy_thrcnt = SY_THR_STATIC };
static int handler(module_t mod, int event, void *arg) {
	if (event == MOD_LOAD)
		sysent[210] = mine;
	return (0);
}
static moduledata_t forgetful_mod = { "forgetful", handler, NULL };
DECLARE_MODULE(forgetful, forgetful_mod, SI_SUB_DRIVERS, SI_ORDER_MIDDLE);
`;

describe('FreeBSD: a module unloaded without restoring its sysent slot', () => {
  it('the next call of the slot jumps into unloaded code: Fatal trap 12, panic, the machine stops', () => {
    const m = makeFreebsd();
    const b = bootFb(m);
    compileFb(b, '/bin/keep', KEEP);
    const fb = b.machine.freebsd!;
    const t = kernelProcess(fb, 'kldload');
    const mod = loadModule(fb, compileModule('forgetful', FORGETFUL), 'forgetful.ko', '/work/forgetful.ko', t);
    if ('error' in mod) throw new Error(String(mod.error));
    expect(runFb(b, ['/bin/keep', '21']).stdout).toBe('42\n');
    const twiceAddr = mod.image.byName('twice')!.addr;
    expect(unloadModule(fb, mod, t)).toBe(0);
    expect(fb.danglingSlots().map((s) => [s.nr, s.call])).toEqual([[210, twiceAddr]]);
    const before = logText(b).length;
    const r = runFb(b, ['/bin/keep', '21']);
    expect(r.stdout).toBe('');
    expect(r.signo).toBe(9);
    const hex = BigInt.asUintN(64, BigInt(twiceAddr)).toString(16);
    expect(logText(b).slice(before)).toBe([
      '',
      'Fatal trap 12: page fault while in kernel mode',
      'cpuid = 0; apic id = 00',
      `fault virtual address\t= 0x${hex}`,
      'fault code\t\t= supervisor read instruction, page not present',
      `instruction pointer\t= 0x20:0x${hex}`,
      'code segment\t\t= base 0x0, limit 0xfffff, type 0x1b',
      '\t\t\t= DPL 0, pres 1, long 1, def32 0, gran 1',
      'processor eflags\t= interrupt enabled, resume, IOPL = 0',
      `current process\t\t= ${r.pid} (keep)`,
      'trap number\t\t= 12',
      'panic: page fault',
      'cpuid = 0',
      'time = 1',
      'KDB: stack backtrace:',
      'amd64_syscall() at amd64_syscall+0x0/frame 0xfffffe0000000000',
      '',
    ].join('\n'));
    expect(r.notices).toContain('ksim: panic: page fault: the machine is stopped; `ksim dmesg` shows the panic, `ksim reboot` starts it again');
    expect(fb.panicked).toBe('page fault');
    // Nothing runs on a stopped machine, not even a program that makes no custom call.
    compileFb(b, '/bin/hello', '#include <stdio.h>\nint main(void) { printf("hi\\n"); return 0; }\n');
    const after = runFb(b, ['/bin/hello']);
    expect([after.stdout, after.signo]).toEqual(['', 9]);
  });
});

/** Syscall 210 misuses a mutex or an sx lock as its argument says. */
const LOCKER = `${HEAD}
#include <sys/lock.h>
#include <sys/mutex.h>
#include <sys/sx.h>
static struct mtx demo_mtx;
static struct sx demo_sx;
struct lockit_args { long how; };
static int lockit(struct thread *td, struct lockit_args *uap) {
	switch (uap->how) {
	case 0:
		mtx_lock(&demo_mtx);
		mtx_unlock(&demo_mtx);
		sx_slock(&demo_sx);
		sx_sunlock(&demo_sx);
		break;
	case 1:
		mtx_lock(&demo_mtx);
		sx_xlock(&demo_sx);
		break;
	case 2:
		mtx_lock(&demo_mtx);
		mtx_lock(&demo_mtx);
		break;
	case 3:
		sx_xlock(&demo_sx);
		sx_xlock(&demo_sx);
		break;
	case 4:
		mtx_unlock(&demo_mtx);
		break;
	case 5:
		for (;;)
			;
	}
	td->td_retval[0] = uap->how;
	return (0);
}
static struct sysent saved;
static struct sysent mine = { .sy_narg = 1, .sy_call = (sy_call_t *)lockit, .sy_thrcnt = SY_THR_STATIC };
static int handler(module_t mod, int event, void *arg) {
	if (event == MOD_LOAD) {
		mtx_init(&demo_mtx, "demo", "demo lock", MTX_DEF);
		sx_init(&demo_sx, "demosx");
		saved = sysent[210];
		sysent[210] = mine;
	}
	if (event == MOD_UNLOAD)
		sysent[210] = saved;
	return (0);
}
static moduledata_t locker_mod = { "locker", handler, NULL };
DECLARE_MODULE(locker, locker_mod, SI_SUB_DRIVERS, SI_ORDER_MIDDLE);
`;

describe('FreeBSD mtx(9)/sx(9) misuse, checked as WITNESS and INVARIANTS check it', () => {
  const locker = compileModule('locker', LOCKER);
  function withLocker() {
    const m = makeFreebsd();
    const b = bootFb(m);
    compileFb(b, '/bin/keep', KEEP);
    const fb = b.machine.freebsd!;
    const mod = loadModule(fb, locker, 'locker.ko', '/work/locker.ko', kernelProcess(fb, 'kldload'));
    if ('error' in mod) throw new Error(String(mod.error));
    /** An address (as %p prints it) inside the module's data. */
    const inModule = (hex: string) => mod.image.segments.some((seg) => {
      const a = BigInt.asIntN(64, BigInt(hex));
      return a >= BigInt(seg.addr) && a < BigInt(seg.addr + seg.size);
    });
    const call = (how: number) => {
      const before = logText(b).length;
      const r = runFb(b, ['/bin/keep', String(how)]);
      return { ...r, log: logText(b).slice(before).split('\n') };
    };
    return { b, fb, call, inModule };
  }

  it('balanced locking: nothing printed, the machine runs on', () => {
    const { call, fb } = withLocker();
    const r = call(0);
    expect([r.stdout, r.log]).toEqual(['0\n', ['']]);
    expect(fb.panicked).toBeNull();
  });

  it('returning to user space with locks held: witness_warn lists them (latest first) and panics', () => {
    const { call, fb, inModule } = withLocker();
    const r = call(1);
    expect(r.stdout).toBe('');
    const sx = /\((0x[0-9a-f]+)\)/.exec(r.log[1]!)![1]!;
    const mtx = /\((0x[0-9a-f]+)\)/.exec(r.log[2]!)![1]!;
    expect([inModule(sx), inModule(mtx), sx !== mtx]).toEqual([true, true, true]);
    expect(r.log.slice(0, 5)).toEqual([
      'userret: returning with the following locks held:',
      `exclusive sx demosx (demosx) r = 0 (${sx}) locked @ locker.c:25`,
      `exclusive sleep mutex demo (demo lock) r = 0 (${mtx}) locked @ locker.c:24`,
      'panic: witness_warn',
      'cpuid = 0',
    ]);
    expect(fb.panicked).toBe('witness_warn');
  });

  it('locking a non-recursive mutex twice panics in _mtx_lock_sleep', () => {
    const { call, fb } = withLocker();
    const r = call(2);
    expect(r.log[0]).toBe('panic: _mtx_lock_sleep: recursed on non-recursive mutex demo @ locker.c:29');
    expect(r.log.slice(1, 4)).toEqual(['cpuid = 0', 'time = 1', 'KDB: stack backtrace:']);
    expect(r.log[4]).toMatch(/^lockit\(\) at lockit\+0x[0-9a-f]+\/frame 0xfffffe0000000000$/);
    expect(fb.panicked).toBe('_mtx_lock_sleep: recursed on non-recursive mutex demo @ locker.c:29');
  });

  it('an sx lock taken twice exclusively, and an unlock of a mutex not held', () => {
    expect(withLocker().call(3).log[0]).toBe('panic: _sx_xlock_hard: recursed on non-recursive sx demosx @ locker.c:33');
    expect(withLocker().call(4).log[0]).toBe('panic: witness_unlock: lock (sleep mutex) demo not locked @ locker.c:36');
  });
});

describe('FreeBSD kernel code that never returns', () => {
  it('no Linux watchdog text: the thread is ended with a ksim notice, the machine runs on', () => {
    const m = makeFreebsd();
    const b = bootFb(m);
    compileFb(b, '/bin/keep', KEEP);
    const fb = b.machine.freebsd!;
    const mod = loadModule(fb, compileModule('locker', LOCKER), 'locker.ko', '/work/locker.ko', kernelProcess(fb, 'kldload'));
    if ('error' in mod) throw new Error(String(mod.error));
    const before = logText(b).length;
    const r = runFb(b, ['/bin/keep', '5']);
    expect(r.signo).toBe(9);
    expect(r.notices).toEqual([`ksim: pid ${r.pid} (keep) killed: lockit never returned (a FreeBSD kernel has no watchdog for this: the thread would spin forever)`]);
    expect(logText(b).slice(before)).toBe('');
    expect(fb.panicked).toBeNull();
    expect(runFb(b, ['/bin/keep', '0']).stdout).toBe('0\n');
  });
});
