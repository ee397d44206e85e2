// The kernel API for kernel C (printk levels, uaccess, kmalloc, current, capable, WARN_ON) and the
// ways kernel C fails (an Oops for a NULL or user pointer dereference, BUG_ON, a division by zero;
// a soft lockup for a loop that never returns): the log text, the caller killed, the kernel tainted
// and still serving the next run.
import { describe, expect, it } from 'vitest';
import { addKernelSource, appendRow, boot, build, compileInto, makeMachine } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';

const ROWS = [
  '329\tcommon\tkapi\tsys_kapi',
  '330\tcommon\tfill\tsys_fill',
  '331\tcommon\tcrash\tsys_crash',
];

const KERNEL_C = `
SYSCALL_DEFINE1(kapi, int, what)
{
  char *p;
  switch (what) {
  case 0:
    printk(KERN_ERR "err level %d\\n", 3);
    printk("default level\\n");
    pr_warn("warn via pr_warn: %s|%5d|%-4s|%x\\n", "s", 42, "ab", 255);
    printk(KERN_INFO "partial ");
    printk(KERN_CONT "line\\n");
    return 0;
  case 1:
    p = kmalloc(32, GFP_KERNEL);
    if (!p) return -ENOMEM;
    snprintf(p, 32, "pid=%d comm=%s", current->pid, current->comm);
    pr_info("%s uid=%u\\n", p, __kuid_val(current_uid()));
    kfree(p);
    p = kzalloc(8, GFP_KERNEL);
    pr_info("kzalloc zeroed: %d\\n", p[0] == 0 && p[7] == 0);
    kfree(p);
    return capable(CAP_SYS_ADMIN);
  case 2:
    return WARN_ON(what == 2);
  }
  return -EINVAL;
}

SYSCALL_DEFINE2(fill, int __user *, out, int, n)
{
  int i, v;
  for (i = 0; i < n; i++) {
    v = i * i;
    if (put_user(v, out + i))
      return -EFAULT;
  }
  if (copy_to_user(out + n, &n, sizeof(n)))
    return -EFAULT;
  if (get_user(v, out + 1))
    return -EFAULT;
  return v;
}

static int divide(int a, int b) { return a / b; }

SYSCALL_DEFINE2(crash, int, how, char __user *, uptr)
{
  volatile int *null = 0;
  switch (how) {
  case 0: return *null;
  case 1: return uptr[0];
  case 2: BUG_ON(how == 2); return 0;
  case 3: return divide(1, how - 3);
  case 4: for (;;) { }
  }
  return 0;
}
`;

const USER = `#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
int main(int argc, char **argv) {
  int which = atoi(argv[1]), arg = argc > 2 ? atoi(argv[2]) : 0;
  int buf[8] = {0};
  long r;
  if (which == 330) r = syscall(330, arg == -1 ? (int *)8 : buf, 4);
  else if (which == 331) r = syscall(331, arg, "user string");
  else r = syscall(which, arg);
  printf("r=%ld errno=%d buf=%d,%d,%d,%d,%d\\n", r, r < 0 ? errno : 0, buf[0], buf[1], buf[2], buf[3], buf[4]);
  return 0;
}
`;

function setup() {
  const m = makeMachine({ release: '4.7.1' });
  for (const r of ROWS) appendRow(m, r);
  addKernelSource(m, 'kapi.c', KERNEL_C);
  const b0 = build(m);
  expect(b0.text).toBe('');
  const b = boot(m, b0.built);
  compileInto(b, '/bin/t', USER);
  const run = (...args: string[]) => {
    const before = b.console.stdoutText().length;
    const logBefore = b.machine.log.records().length;
    const r = runProgram(b.machine, ['/bin/t', ...args]);
    b.machine.log.flush();
    return { ...r, out: b.console.stdoutText().slice(before), log: b.machine.log.records().slice(logBefore) };
  };
  return { b, run };
}

describe('the kernel API', () => {
  it('printk: KERN_* levels, the default level, pr_* helpers, KERN_CONT and formats', () => {
    const { run } = setup();
    const r = run('329', '0');
    expect(r.out).toBe('r=0 errno=0 buf=0,0,0,0,0\n');
    expect(r.log.map((l) => [l.level, l.text])).toEqual([
      [3, 'err level 3'],
      [4, 'default level'],
      [4, 'warn via pr_warn: s|   42|ab  |ff'],
      [6, 'partial line'],
    ]);
  });

  it('kmalloc/kzalloc/kfree, snprintf, current and capable', () => {
    const { run } = setup();
    const r = run('329', '1');
    expect(r.out).toBe('r=1 errno=0 buf=0,0,0,0,0\n');
    expect(r.log.map((l) => l.text)).toEqual([`pid=${r.pid} comm=t uid=0`, 'kzalloc zeroed: 1']);
  });

  it('put_user, copy_to_user and get_user write back to user memory, or give EFAULT', () => {
    const { run } = setup();
    expect(run('330').out).toBe('r=1 errno=0 buf=0,1,4,9,4\n');
    expect(run('330', '-1').out).toBe('r=-1 errno=14 buf=0,0,0,0,0\n');
  });

  it('WARN_ON prints a warning with a cut-here line and goes on', () => {
    const { run } = setup();
    const r = run('329', '2');
    expect(r.out).toBe('r=1 errno=0 buf=0,0,0,0,0\n');
    expect(r.log[0]!.text).toBe('------------[ cut here ]------------');
    expect(r.log[1]!.text).toMatch(/^WARNING: CPU: 0 PID: \d+ at kernel\/kapi\.c:\d+ sys_kapi/);
  });
});

describe('kernel C that fails', () => {
  it('a NULL dereference is an Oops: the caller dies, the kernel is tainted and goes on', () => {
    const { b, run } = setup();
    const r = run('331', '0');
    expect(r.out).toBe('');
    expect(r.signo).toBe(11);
    const text = r.log.map((l) => l.text);
    expect(text[0]).toBe('BUG: kernel NULL pointer dereference, address: 0000000000000000');
    expect(text[1]).toBe('#PF: supervisor read access in kernel mode');
    expect(text).toContain('Call Trace:');
    expect(text.some((l) => /^Oops: 0000 \[#1\] PREEMPT SMP NOPTI$/.test(l))).toBe(true);
    expect(text.some((l) => /^RIP: 0010:sys_crash\+/.test(l))).toBe(true);
    expect(b.machine.kernel.tainted & 128).toBe(128);
    // The kernel still serves the next run.
    expect(run('329', '1').out).toBe('r=1 errno=0 buf=0,0,0,0,0\n');
  });

  it('dereferencing a user pointer directly is an SMAP fault', () => {
    const { run } = setup();
    const r = run('331', '1');
    expect(r.signo).toBe(11);
    expect(r.log[0]!.text).toMatch(/^BUG: unable to handle page fault for address: 0000[0-9a-f]{12}$/);
    expect(r.log[2]!.text).toBe('#PF: error_code(0x0001) - permissions violation');
  });

  it('BUG_ON and a division by zero', () => {
    const { run } = setup();
    const bug = run('331', '2');
    expect(bug.log[0]!.text).toMatch(/^kernel BUG at kernel\/kapi\.c:\d+!$/);
    expect(bug.signo).toBe(11);
    const div = run('331', '3');
    expect(div.log[0]!.text).toBe('divide error: 0000 [#2] PREEMPT SMP NOPTI');
    expect(div.log.some((l) => /^RIP: 0010:divide\+/.test(l.text))).toBe(true);
    expect(div.log.some((l) => /^ sys_crash\+/.test(l.text))).toBe(true);
  });

  it('a loop that never returns trips the soft-lockup watchdog', () => {
    const { run } = setup();
    const r = run('331', '4');
    expect(r.log[0]!.text).toMatch(/^watchdog: BUG: soft lockup - CPU#0 stuck for 22s! \[t:\d+\]$/);
    expect(r.signo).toBe(9);
    expect(r.notices.some((n) => n.includes('soft lockup'))).toBe(true);
  });
});
