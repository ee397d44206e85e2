// The sched provider on booted machines: on-cpu/off-cpu around each time slice, sleep when a task
// sleeps on a wait queue, wakeup when the running task (or the timer, as the idle task pid 0) wakes
// a sleeper, args[0]/args[1] the lwpsinfo_t/psinfo_t of the woken task (wakeup) or of the next to
// run (off-cpu); `dtrace -l -P sched` on Linux and FreeBSD; the kernel builds no sched event while
// no observer wants one.
import { describe, expect, test } from 'vitest';
import { makeMachine, boot, compileInto } from '../helpers/machine.js';
import { bootFb, compileFb, makeFreebsd } from '../freebsd/harness.js';
import { runProgram } from '../../src/machine/boot.js';
import type { KernelObserver, SchedEvent } from '../../src/kernel/events.js';
import { KernelProbes } from '../../src/dtrace/kernel-provider.js';
import { DtraceSession } from '../../src/dtrace/consumer.js';
import { dtraceOn } from './fbt-helpers.js';

// The parent sleeps in wait4 while the child writes a line and exits (its exit wakes the parent).
const PROG_C = `#include <unistd.h>
#include <sys/wait.h>
int main(void)
{
  pid_t p = fork();
  if (p == 0) {
    write(1, "child\\n", 6);
    _exit(3);
  }
  int st;
  waitpid(p, &st, 0);
  return WEXITSTATUS(st) == 3 ? 0 : 1;
}
`;

// Sleeps 5 ms: the timer wakes it, with nothing else runnable.
const NAP_C = `#include <time.h>
int main(void) { struct timespec ts = { 0, 5000000 }; nanosleep(&ts, 0); return 0; }
`;

function linuxMachine() {
  const b = boot(makeMachine({ release: '6.12.0' }));
  compileInto(b, '/bin/prog', PROG_C);
  compileInto(b, '/bin/nap', NAP_C);
  return b.machine;
}

const SCRIPT = [
  '-n', 'sched:::off-cpu /execname == "prog"/ { @[pid] = count(); }',
  '-n', 'sched:::sleep { printf("%s sleeps\\n", execname); }',
  '-n', 'sched:::wakeup { printf("%d wakes %d\\n", pid, args[1]->pr_pid); }',
];

describe('sched provider (Linux)', () => {
  test('a parent sleeping in wait4 while its child runs: sleep, wakeup by the child, off-cpu per slice', () => {
    const r = dtraceOn(linuxMachine(), ['-q', ...SCRIPT], ['/bin/prog']);
    expect(r.err).toBe('');
    // 100 runs (fork, wait4: sleeps), 101 runs and exits (waking 100), 100 runs again and exits.
    expect(r.out).toBe('prog sleeps\n101 wakes 100\n\n      101                1\n      100                2\n');
  });

  test('on-cpu and off-cpu bracket each slice; off-cpu args name the next task (the idle task at the end)', () => {
    const r = dtraceOn(linuxMachine(), ['-q', '-n', 'sched:::on-cpu { printf("%d on\\n", pid); }',
      '-n', 'sched:::off-cpu { printf("%s %d off -> %d %s lwp %d %c\\n", execname, pid, args[1]->pr_pid, args[1]->pr_fname, args[0]->pr_lwpid, args[0]->pr_sname); }'], ['/bin/prog']);
    expect(r.err).toBe('');
    expect(r.out).toBe(
      '100 on\nprog 100 off -> 101 prog lwp 101 R\n' +
      '101 on\nprog 101 off -> 100 prog lwp 100 R\n' +
      '100 on\nprog 100 off -> 0 swapper/0 lwp 0 R\n\n',
    );
  });

  test('the timer wakes a nanosleep: the waker is the idle task (pid 0, swapper/0), 5 ms after the sleep', () => {
    const r = dtraceOn(linuxMachine(), ['-q', '-n', 'sched:::sleep { t = timestamp; printf("%s %d sleeps\\n", execname, pid); } ' +
      'sched:::wakeup { printf("%s %d wakes %d (%s) after %d ns\\n", execname, pid, args[1]->pr_pid, args[1]->pr_fname, timestamp - t); }'], ['/bin/nap']);
    expect(r.err).toBe('');
    expect(r.out).toBe('nap 100 sleeps\nswapper/0 0 wakes 100 (nap) after 5000000 ns\n\n');
  });

  test('dtrace -l -P sched', () => {
    expect(dtraceOn(linuxMachine(), ['-l', '-P', 'sched']).out).toBe(
      '   ID   PROVIDER            MODULE                          FUNCTION NAME\n' +
      ' 1037      sched           vmlinux                finish_task_switch on-cpu\n' +
      ' 1038      sched           vmlinux                        __schedule off-cpu\n' +
      ' 1039      sched           vmlinux                        __schedule sleep\n' +
      ' 1040      sched           vmlinux                    try_to_wake_up wakeup\n',
    );
  });

  test('args[ ] of a probe without arguments, and past wakeup\'s two, are errors', () => {
    const r = dtraceOn(linuxMachine(), ['-n', 'sched:::on-cpu { trace(args[0]->pr_pid); }']);
    expect(r.err).toBe('dtrace: invalid probe specifier sched:::on-cpu { trace(args[0]->pr_pid); }: index 0 is out of range for sched:vmlinux:finish_task_switch:on-cpu args[ ]\n');
    const w = dtraceOn(linuxMachine(), ['-n', 'sched:::wakeup { trace(args[2]); }']);
    expect(w.err).toBe('dtrace: invalid probe specifier sched:::wakeup { trace(args[2]); }: index 2 is out of range for sched:vmlinux:try_to_wake_up:wakeup args[ ]\n');
  });
});

describe('sched provider (FreeBSD)', () => {
  test('sched:kernel:: probes with no function; the same program', () => {
    const b = bootFb(makeFreebsd());
    compileFb(b, '/bin/prog', PROG_C);
    expect(dtraceOn(b.machine, ['-l', '-P', 'sched']).out).toBe(
      '   ID   PROVIDER            MODULE                          FUNCTION NAME\n' +
      ' 2350      sched            kernel                                   on-cpu\n' +
      ' 2351      sched            kernel                                   off-cpu\n' +
      ' 2352      sched            kernel                                   sleep\n' +
      ' 2353      sched            kernel                                   wakeup\n',
    );
    const r = dtraceOn(b.machine, ['-q', ...SCRIPT], ['/bin/prog']);
    expect(r.err).toBe('');
    expect(r.out).toBe('prog sleeps\n101 wakes 100\n\n      101                1\n      100                2\n');
  });
});

describe('the kernel side', () => {
  function record(wants: boolean) {
    const m = linuxMachine();
    const seen: string[] = [];
    const o: KernelObserver = { wantsSched: () => wants, sched: (e: SchedEvent) => { seen.push(`${e.kind} ${e.task.pid}${e.other ? ` ${e.other.pid}` : ''}`); } };
    m.kernel.attach(o);
    runProgram(m, ['/bin/prog']);
    m.kernel.detach(o);
    return seen;
  }
  test('an observer that does not want sched events gets none', () => {
    expect(record(false)).toEqual([]);
  });
  test('one that wants them gets every switch, sleep and wakeup in order', () => {
    expect(record(true)).toEqual([
      'on-cpu 100', 'sleep 100', 'off-cpu 100 101',
      'on-cpu 101', 'wakeup 101 100', 'off-cpu 101 100',
      'on-cpu 100', 'off-cpu 100 0',
    ]);
  });
  test('dtrace wants them only while a sched probe is enabled', () => {
    const m = linuxMachine();
    const probes = new KernelProbes(m.rows, () => m.kernel.clock.uptimeNs(), { kernel: m.kernel, kc: m.kc });
    const wants = (script: string) => {
      const s = new DtraceSession({ catalog: probes.catalog, stdout: () => {}, stderr: () => {} });
      expect(s.compile([{ kind: 'script', name: 'x.d', text: script }], { macroArgs: ['x.d'] })).toBeUndefined();
      s.enable();
      probes.bind(s);
      return probes.wantsSched();
    };
    expect(probes.wantsSched()).toBe(false);
    expect(wants('syscall::write:entry {}')).toBe(false);
    expect(wants('sched:::wakeup {}')).toBe(true);
    expect(wants('sched:::on-cpu /pid == 1/ {}')).toBe(true);
    expect(wants('proc:::exit {}')).toBe(false);
  });
});
