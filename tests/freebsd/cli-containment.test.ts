// Containment through the CLI, across commands as a reader types them: a module that leaks a
// malloc(9) type and leaves sysent[210] pointing into itself; kldunload prints the leak warning; the
// next `ksim run` of syscall 210 panics (Fatal trap 12), later commands refuse, `ksim dmesg` shows
// the panic, and `ksim reboot` brings the machine back with slot 210 as lkmnosys again.
// Spawns bin/run.js: dist must be built.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const bin = path.resolve(__dirname, '../../bin/run.js');
function ksim(cwd: string, ...args: string[]): { out: string; err: string; status: number } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { out: r.stdout, err: r.stderr, status: r.status ?? -1 };
}

const MODULE = `#include <sys/param.h>
#include <sys/module.h>
#include <sys/kernel.h>
#include <sys/systm.h>
#include <sys/sysent.h>
#include <sys/proc.h>
#include <sys/malloc.h>
static MALLOC_DEFINE(M_FORGET, "forgetful", "what forgetful keeps");
struct twice_args { long value; };
static int twice(struct thread *td, struct twice_args *uap) {
	td->td_retval[0] = uap->value * 2;
	return (0);
}
static struct sysent mine = { .sy_narg = 1, .sy_call = (sy_call_t *)twice, .sy_thrcnt = SY_THR_STATIC };
static int handler(module_t mod, int event, void *arg) {
	if (event == MOD_LOAD) {
		sysent[210] = mine;
		malloc(40, M_FORGET, M_WAITOK);
	}
	return (0);
}
static moduledata_t forgetful_mod = { "forgetful", handler, NULL };
DECLARE_MODULE(forgetful, forgetful_mod, SI_SUB_DRIVERS, SI_ORDER_MIDDLE);
`;

const USER = `#include <stdio.h>
#include <unistd.h>
int main(void) { printf("%ld\\n", syscall(210, 21)); return 0; }
`;

const DOWN = 'the machine panicked (panic: page fault) and is stopped; run `ksim reboot` (`ksim dmesg` shows the panic)';

describe('misbehaving FreeBSD module through the CLI', () => {
  it('leak warning at kldunload, panic at the next call of the dangling slot, refusal, recovery at reboot', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-fbc-'));
    try {
      expect(ksim(tmp, 'init', 'fb', '--os', 'freebsd').status).toBe(0);
      const dir = path.join(tmp, 'fb');
      fs.writeFileSync(path.join(dir, 'forgetful.c'), MODULE);
      fs.writeFileSync(path.join(dir, 'Makefile'), 'KMOD=\tforgetful\nSRCS=\tforgetful.c\n\n.include <bsd.kmod.mk>\n');
      fs.writeFileSync(path.join(dir, 'u.c'), USER);
      expect(ksim(dir, 'make').err).toBe('');
      expect(ksim(dir, 'cc', '-o', 'u', 'u.c').status).toBe(0);
      expect(ksim(dir, 'kldload', './forgetful.ko').status).toBe(0);
      expect(ksim(dir, 'run', './u').out).toBe('42\n');
      const un = ksim(dir, 'kldunload', 'forgetful');
      expect(un.status).toBe(0);
      expect(un.out).toBe('Warning: memory type forgetful leaked memory on destroy (1 allocations, 64 bytes leaked).\n');
      const crash = ksim(dir, 'run', './u');
      expect(crash.out).toBe('');
      expect(crash.status).toBe(137);
      expect(crash.err).toContain('ksim: panic: page fault: the machine is stopped; `ksim dmesg` shows the panic, `ksim reboot` starts it again\n');
      for (const cmd of [['run', './u'], ['kldstat']]) {
        const r = ksim(dir, ...cmd);
        expect([r.status, r.err]).toEqual([1, `ksim ${cmd[0]}: ${DOWN}\n`]);
      }
      const log = ksim(dir, 'dmesg').out;
      expect(log).toContain('\nFatal trap 12: page fault while in kernel mode\n');
      expect(log).toContain('fault code\t\t= supervisor read instruction, page not present\n');
      expect(log).toMatch(/current process\t\t= \d+ \(u\)\ntrap number\t\t= 12\npanic: page fault\n/);
      expect(ksim(dir, 'reboot').status).toBe(0);
      const after = ksim(dir, 'run', './u');
      expect(after.status).toBe(140); // lkmnosys again: SIGSYS
      expect(ksim(dir, 'kldstat').status).toBe(0);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 180_000);
});
