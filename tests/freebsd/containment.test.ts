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
