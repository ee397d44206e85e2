// The FreeBSD example (examples/freebsd-syscall) run as its README says: a syscall in a loadable
// module (make, kldload, run, dmesg, kdump, kldunload, SIGSYS), and one in syscalls.master.
import { describe, expect, it } from 'vitest';
import { ksimCli as ksim } from '../helpers/cli.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const example = path.resolve(import.meta.dirname, '../../examples/freebsd-syscall');


describe('examples/freebsd-syscall', () => {
  it('a syscall in a loadable module', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-fbsd-'));
    expect(ksim(['init', 'fb', '--os', 'freebsd'], work).status).toBe(0);
    const dir = path.join(work, 'fb');
    for (const f of ['Makefile', 'counter.c', 'use_counter.c']) fs.copyFileSync(path.join(example, f), path.join(dir, f));
    expect(ksim(['make'], dir).status).toBe(0);
    expect(ksim(['kldload', './counter.ko'], dir).stdout).toBe('counter loaded at 211\n');
    expect(ksim(['cc', '-o', 'use_counter', 'use_counter.c'], dir).status).toBe(0);
    const r = ksim(['run', './use_counter'], dir);
    expect(r.stdout).toBe('5\n42\n-1 Invalid argument\n');
    expect(ksim(['dmesg'], dir).stdout).toMatch(/counter_add: \+5 = 5 \(pid \d+\)\ncounter_add: \+37 = 42 \(pid \d+\)\n$/);
    // The module's counter lives in kernel memory, which lasts until reboot: the next run goes on from 42.
    expect(ksim(['ktrace', '-t', 'c', './use_counter'], dir).stdout).toBe('47\n84\n-1 Invalid argument\n');
    const k = ksim(['kdump'], dir).stdout;
    expect(k).toMatch(/CALL  counter_add\(0x5\)\n.* RET   counter_add 47\/0x2f\n/);
    expect(ksim(['kldunload', 'counter'], dir).stdout).toBe('counter unloaded\n');
    expect(ksim(['run', './use_counter'], dir).status).toBe(140);
  }, 180_000);

  it('a syscall in syscalls.master', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-fbsd-'));
    ksim(['init', 'fs', '--os', 'freebsd'], work);
    const dir = path.join(work, 'fs');
    fs.appendFileSync(path.join(dir, 'sys/kern/syscalls.master'), '600\tAUE_NULL\tSTD {\n\t\tint counter_add(\n\t\t    long n\n\t\t);\n\t}\n');
    fs.writeFileSync(
      path.join(dir, 'sys/kern/sys_counter.c'),
      '#include <sys/param.h>\n#include <sys/systm.h>\n#include <sys/sysproto.h>\n#include <sys/proc.h>\n\nint\nsys_counter_add(struct thread *td, struct counter_add_args *uap)\n{\n\ttd->td_retval[0] = uap->n * 2;\n\treturn (0);\n}\n',
    );
    const b = ksim(['build'], dir);
    expect(b.stderr).toBe('');
    fs.writeFileSync(path.join(dir, 'use.c'), '#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf("%ld\\n", (long)syscall(600, 21L)); return 0; }\n');
    expect(ksim(['cc', '-o', 'use', 'use.c'], dir).status).toBe(0);
    expect(ksim(['run', './use'], dir).stdout).toBe('42\n');
    ksim(['ktrace', '-t', 'c', './use'], dir);
    expect(ksim(['kdump'], dir).stdout).toContain('CALL  counter_add(0x15)');
  }, 180_000);
});
