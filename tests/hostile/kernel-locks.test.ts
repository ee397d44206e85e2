// Kernel C that misuses Linux locks is reported as a CONFIG_PROVE_LOCKING kernel reports it:
// lockdep's "lock held when returning to user space" (once per boot: lockdep then turns itself
// off), a mutex taken twice (recursive locking, then the hung task report and the task ended), a
// spinlock taken twice (soft lockup), an unlock of a lock not held (bad unlock balance); the next
// boot is clean.
import { describe, expect, it } from 'vitest';
import { addKernelSource, appendRow, boot, build, compileInto, makeMachine } from '../helpers/machine.js';
import { runProgram } from '../../src/machine/boot.js';

const KERNEL_C = `
DEFINE_MUTEX(demo_lock);
DEFINE_SPINLOCK(demo_spin);

static void take_twice(void)
{
  mutex_lock(&demo_lock);
  mutex_lock(&demo_lock);
}

SYSCALL_DEFINE1(locks, int, how)
{
  switch (how) {
  case 0:
    mutex_lock(&demo_lock);
    mutex_unlock(&demo_lock);
    spin_lock(&demo_spin);
    spin_unlock(&demo_spin);
    return mutex_is_locked(&demo_lock);
  case 1:
    mutex_lock(&demo_lock);
    return 1;
  case 2:
    take_twice();
    return 2;
  case 3:
    spin_lock(&demo_spin);
    spin_lock(&demo_spin);
    return 3;
  case 4:
    mutex_unlock(&demo_lock);
    return 4;
  case 5:
    return mutex_trylock(&demo_lock);
  case 6:
    spin_lock(&demo_spin);
    return *(int *)0;
  }
  return -EINVAL;
}
`;

const USER = `#include <stdio.h>
#include <unistd.h>
int atoi(const char *);
int main(int argc, char **argv) {
  int i;
  for (i = 1; i < argc; i++) printf("%ld\\n", syscall(462, atoi(argv[i])));
  return 0;
}
`;

function setup() {
  const m = makeMachine({ release: '6.8.0' });
  appendRow(m, '462\tcommon\tlocks\tsys_locks');
  addKernelSource(m, 'locks.c', KERNEL_C);
  const b0 = build(m);
  expect(b0.text).toBe('');
  const fresh = () => {
    const b = boot(m, b0.built);
    compileInto(b, '/bin/t', USER);
    return (...args: string[]) => {
      const before = b.console.stdoutText().length;
      const logBefore = b.machine.log.records().length;
      const r = runProgram(b.machine, ['/bin/t', ...args]);
      b.machine.log.flush();
      return { ...r, out: b.console.stdoutText().slice(before), log: b.machine.log.records().slice(logBefore).map((l) => l.text) };
    };
  };
  return fresh;
}

const ADDR = /^[0-9a-f]{16}$/;

describe('Linux kernel locks misused by kernel C', () => {
  it('balanced locking prints nothing', () => {
    const r = setup()()('0', '0');
    expect([r.out, r.log]).toEqual(['0\n0\n', []]);
  });

  it('returning to user space with a mutex held: lockdep warns once, the lock stays held; a reboot is clean', () => {
    const machine = setup();
    const run = machine();
    const r = run('1', '5', '1');
    // mutex_trylock of the held mutex fails (0); the mutex_lock after it deadlocks on the task itself,
    // with no lockdep report (lockdep is off) but the hung-task report. Its buffered stdout is lost.
    expect(r.out).toBe('');
    expect(r.signo).toBe(9);
    expect(r.notices).toEqual([`ksim: pid ${r.pid} (t) killed: deadlocked in mutex_lock(demo_lock), held by itself (a real kernel leaves it in D state forever)`]);
    expect(r.log.slice(0, 6)).toEqual([
      '',
      '================================================',
      'WARNING: lock held when returning to user space!',
      '6.8.0 #1 Not tainted',
      '------------------------------------------------',
      `t/${r.pid} is leaving the kernel with locks still held!`,
    ]);
    expect(r.log[6]).toBe(`1 lock held by t/${r.pid}:`);
    const m = /^ #0: (\S+) \(demo_lock\)\{\+\.\+\.\}-\{3:3\}, at: sys_locks\+0x[0-9a-f]+\/0x100$/.exec(r.log[7]!);
    expect(m?.[1]).toMatch(ADDR);
    expect(r.log.slice(8)).toEqual([
      `INFO: task t:${r.pid} blocked for more than 120 seconds.`,
      '      Not tainted 6.8.0 #1',
      '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
      `task:t               state:D stack:0     pid:${r.pid}   tgid:${r.pid}   ppid:1      flags:0x00000000`,
      'Call Trace:', ' <TASK>', ' __schedule+0x0/0x100', ' schedule+0x0/0x100', ' schedule_preempt_disabled+0x0/0x100',
      ' __mutex_lock+0x0/0x100', ' mutex_lock+0x0/0x100', r.log[7]!.replace(/^.*, at: /, ' '),
      ' do_syscall_64+0x5d/0x170', ' entry_SYSCALL_64_after_hwframe+0x76/0x7e', ' </TASK>',
      'INFO: lockdep is turned off.',
    ]);
    // The next boot (ksim reboot): the mutex is free, lockdep is on again.
    const again = machine()('0', '1');
    expect(again.out).toBe('0\n1\n');
    expect(again.log[2]).toBe('WARNING: lock held when returning to user space!');
  });

  it('a mutex taken twice by one task: recursive locking, then the task hangs (hung task, ended by ksim)', () => {
    const r = setup()()('2');
    expect(r.signo).toBe(9);
    const LOCK = /^[0-9a-f]{16} \(demo_lock\)\{\+\.\+\.\}-\{3:3\}, at: take_twice\+0x[0-9a-f]+\/0x100$/;
    const trying = r.log[6]!;
    const holding = r.log[9]!;
    expect(trying).toMatch(LOCK);
    expect(holding).toMatch(LOCK);
    expect(r.log.slice(0, 27)).toEqual([
      '',
      '============================================',
      'WARNING: possible recursive locking detected',
      '6.8.0 #1 Not tainted',
      '--------------------------------------------',
      `t/${r.pid} is trying to acquire lock:`,
      trying,
      '',
      'but task is already holding lock:',
      holding,
      '',
      'other info that might help us debug this:',
      ' Possible unsafe locking scenario:',
      '',
      '       CPU0',
      '       ----',
      '  lock(demo_lock);',
      '  lock(demo_lock);',
      '',
      ' *** DEADLOCK ***',
      '',
      ' May be due to missing lock nesting notation',
      '',
      `1 lock held by t/${r.pid}:`,
      ` #0: ${holding}`,
      '',
      'stack backtrace:',
    ]);
    expect(r.log[27]).toBe(`CPU: 0 PID: ${r.pid} Comm: t Not tainted 6.8.0 #1`);
    expect(r.log).toContain(`INFO: task t:${r.pid} blocked for more than 120 seconds.`);
    expect(r.log[r.log.length - 1]).toBe('INFO: lockdep is turned off.');
  });

  it('a spinlock taken twice: recursive locking, then a soft lockup', () => {
    const r = setup()()('3');
    expect(r.signo).toBe(9);
    expect(r.log[2]).toBe('WARNING: possible recursive locking detected');
    expect(r.log[6]).toMatch(/^[0-9a-f]{16} \(demo_spin\)\{\+\.\+\.\}-\{2:2\}, at: sys_locks\+0x[0-9a-f]+\/0x100$/);
    expect(r.log).toContain(`watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [t:${r.pid}]`);
    expect(r.notices).toEqual([`ksim: pid ${r.pid} (t) killed: soft lockup in kernel code (spins forever on demo_spin, held by itself)`]);
  });

  it('unlocking a mutex nobody holds: bad unlock balance', () => {
    const r = setup()()('4');
    expect(r.out).toBe('4\n');
    expect(r.log.slice(0, 10)).toEqual([
      '',
      '=====================================',
      'WARNING: bad unlock balance detected!',
      '6.8.0 #1 Not tainted',
      '-------------------------------------',
      `t/${r.pid} is trying to release lock (demo_lock) at:`,
      r.log[6]!,
      'but there are no more locks to release!',
      '',
      'other info that might help us debug this:',
    ]);
    expect(r.log[6]).toMatch(/^sys_locks\+0x[0-9a-f]+\/0x100$/);
    expect(r.log[10]).toBe(`no locks held by t/${r.pid}.`);
  });

  it('an Oops turns lockdep off: a later return with a lock held is not reported', () => {
    const run = setup()();
    const oops = run('6');
    expect(oops.signo).toBe(11);
    expect(oops.log[0]).toBe('BUG: kernel NULL pointer dereference, address: 0000000000000000');
    const r = run('1');
    expect(r.out).toBe('1\n');
    expect(r.log).toEqual([]);
  });
});
