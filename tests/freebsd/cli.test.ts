// The module flow through the CLI, as a reader types it: ksim init --os freebsd, ksim make,
// ksim kldload (console output, persistence into later commands), kldstat, ksim run, kdump names,
// kldunload (back to nosys: SIGSYS, exit 140), a refused load, Makefile errors, and ksim reboot.
// Spawns bin/run.js: dist must be built (npx tsc -p .; npm ci's prepare step does it).
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

/* each argument fills a register-sized slot, as sysproto.h's PADL_/PADR_ lay them out */
struct add_args { long a; long b; };
static int add(struct thread *td, struct add_args *uap) {
	printf("add(%ld, %ld)\\n", uap->a, uap->b);
	td->td_retval[0] = uap->a + uap->b;
	return (0);
}
static int slot = NO_SYSCALL;
static struct sysent add_sysent = { .sy_narg = 2, .sy_call = (sy_call_t *)add, .sy_auevent = AUE_NULL, .sy_flags = SYF_CAPENABLED, .sy_thrcnt = SY_THR_STATIC };
static int ev(module_t mod, int what, void *arg) {
	if (what == MOD_LOAD) printf("adder loaded at %d\\n", slot);
	if (what == MOD_UNLOAD) printf("adder unloaded\\n");
	return (0);
}
SYSCALL_MODULE(adder, &slot, &add_sysent, ev, NULL);
`;

const USER = `#include <stdio.h>
#include <unistd.h>
int main(void) { printf("sum=%ld\\n", syscall(210, 20, 22)); return 0; }
`;

describe('ksim make / kldload / kldstat / kldunload', () => {
  it('builds, loads (persisting across commands), runs, traces, unloads a module', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-fb-'));
    try {
      expect(ksim(tmp, 'init', 'fb', '--os', 'freebsd').status).toBe(0);
      const dir = path.join(tmp, 'fb');
      expect(fs.readFileSync(path.join(dir, 'sys/kern/syscalls.master'), 'utf8')).toContain('210\tAUE_NULL\tNODEF|NOTSTATIC\tlkmnosys lkmnosys nosys_args int');
      fs.writeFileSync(path.join(dir, 'adder.c'), MODULE);
      fs.writeFileSync(path.join(dir, 'Makefile'), 'KMOD=\tadder\nSRCS=\tadder.c\n\n.include <bsd.kmod.mk>\n');
      fs.writeFileSync(path.join(dir, 'u.c'), USER);
      const made = ksim(dir, 'make');
      expect(made.err).toBe('');
      expect(fs.existsSync(path.join(dir, 'adder.ko'))).toBe(true);
      const load = ksim(dir, 'kldload', './adder.ko');
      expect(load.status).toBe(0);
      expect(load.out).toBe('adder loaded at 210\n');
      expect(ksim(dir, 'kldload', './adder.ko').err).toBe("kldload: can't load ./adder.ko: module already loaded or in kernel\n");
      const stat = ksim(dir, 'kldstat').out.split('\n');
      expect(stat[0]).toBe('Id Refs Address                Size Name');
      expect(stat[1]).toMatch(/^ 1    2 0xffffffff80200000  1f3c6c8 kernel$/);
      expect(stat[2]).toMatch(/^ 2    1 0xffffffff8[0-9a-f]{7} +[0-9a-f]+ adder\.ko$/);
      expect(ksim(dir, 'cc', '-o', 'u', 'u.c').status).toBe(0);
      const run = ksim(dir, 'run', './u');
      expect(run.out).toBe('sum=42\n');
      expect(ksim(dir, 'dmesg').out).toContain('add(20, 22)');
      ksim(dir, 'ktrace', '-t', 'c', './u');
      const kd = ksim(dir, 'kdump').out;
      expect(kd).toMatch(/CALL  add\(0x14,0x16\)/);
      expect(kd).toMatch(/RET   add 42\/0x2a/);
      const un = ksim(dir, 'kldunload', 'adder');
      expect(un.status).toBe(0);
      expect(un.out).toBe('adder unloaded\n');
      expect(ksim(dir, 'kldstat').out.split('\n').length).toBe(3);
      const after = ksim(dir, 'run', './u');
      expect(after.status).toBe(140);
      expect(after.err).toContain('Bad system call');
      // reboot forgets loaded modules
      expect(ksim(dir, 'kldload', './adder.ko').status).toBe(0);
      expect(ksim(dir, 'reboot').status).toBe(0);
      expect(ksim(dir, 'run', './u').status).toBe(140);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);

  it('reports Makefile errors with the file and line', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-fb-'));
    try {
      ksim(tmp, 'init', 'fb', '--os', 'freebsd');
      const dir = path.join(tmp, 'fb');
      fs.writeFileSync(path.join(dir, 'Makefile'), 'SRCS=\tx.c\n.include <bsd.prog.mk>\n');
      const r = ksim(dir, 'make');
      expect(r.status).toBe(2);
      expect(r.err).toContain('Makefile:2:');
      expect(r.err).toContain('Could not find bsd.prog.mk');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
