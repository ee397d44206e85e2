// Kernel locks for kernel C, and what the kernel says when code misuses them. The tracker records
// which task holds which lock (by the lock's address) and where it took it; the Linux side gives
// mutex_lock/mutex_unlock and spin_lock/spin_unlock as intrinsics, with lockdep's reports as a
// CONFIG_PROVE_LOCKING kernel prints them: "WARNING: lock held when returning to user space!" at
// syscall exit, "WARNING: possible recursive locking detected" when a task takes a lock it already
// holds, after which the task deadlocks: a mutex leaves it in D state (the hung-task detector's
// "INFO: task ... blocked for more than 120 seconds."), a spinlock spins (soft lockup). As real
// lockdep does, the first report turns lockdep off (debug_locks_off) for the rest of the boot.
// FreeBSD's mtx(9)/sx(9) use the same tracker (src/kernel/freebsd/locks.ts).
//
// Kernel C cannot sleep in ksim (a C handler runs to completion), so taking a lock that another
// task holds is reported as a deadlock as well, with a ksim line saying so.
import type { IntrinsicDef } from '../../cc/intrinsics.js';
import type { Cpu, StackEntry } from '../../runtime/cpu.js';
import { toHex } from '../../runtime/memory.js';
import type { Int64 } from '../events.js';
import type { Task } from '../task.js';
import type { KernelC } from './kernel-c.js';
import { SIG } from '../signals.js';

export type LockClass = 'mutex' | 'spinlock' | 'sleep mutex' | 'spin mutex' | 'sx';

export interface HeldLock {
  addr: number;
  name: string;
  /** FreeBSD WITNESS's name for the lock (mtx_init's type), when it differs. */
  witnessName?: string;
  cls: LockClass;
  exclusive: boolean;
  /** Where it was taken: the calling function (Linux %pS) and, on FreeBSD, __FILE__/__LINE__. */
  site: StackEntry | undefined;
  file: string;
  line: number;
  /** Recursion count (FreeBSD MTX_RECURSE). */
  recursed: number;
}

/** Ends the kernel path from inside an intrinsic: `end` reports and finishes the task. */
export class KernelPathEnded extends Error {
  constructor(readonly end: (task: Task) => void) {
    super('kernel path ended');
  }
}

/** Which task holds which lock. */
export class LockTracker {
  private readonly byTask = new Map<number, HeldLock[]>();
  private readonly owners = new Map<number, { pid: number; lock: HeldLock }>();
  /** lockdep's debug_locks: cleared by the first report. */
  debugLocks = true;

  held(t: Task): HeldLock[] {
    return this.byTask.get(t.pid) ?? [];
  }

  owner(addr: number): { pid: number; lock: HeldLock } | undefined {
    return this.owners.get(addr);
  }

  acquire(t: Task, lock: HeldLock): void {
    const list = this.byTask.get(t.pid) ?? [];
    list.push(lock);
    this.byTask.set(t.pid, list);
    if (lock.exclusive) this.owners.set(lock.addr, { pid: t.pid, lock });
  }

  /** Releases a lock t holds (the last taken, if several shared); undefined when t does not hold it. */
  release(t: Task, addr: number): HeldLock | undefined {
    const list = this.byTask.get(t.pid) ?? [];
    let i = list.length - 1;
    while (i >= 0 && list[i]!.addr !== addr) i--;
    if (i < 0) return undefined;
    const lock = list.splice(i, 1)[0]!;
    if (!list.length) this.byTask.delete(t.pid);
    if (this.owners.get(addr)?.lock === lock) this.owners.delete(addr);
    return lock;
  }

  /** Every task holding locks, by pid. */
  holders(): [number, HeldLock[]][] {
    return [...this.byTask];
  }
}

// --- Linux --------------------------------------------------------------------------------------

export const LINUX_LOCK_API: IntrinsicDef[] = [
  { name: '__ksim_mutex_init', ret: 'void', params: ['struct mutex *', 'const char *'], modes: ['kernel'] },
  { name: 'mutex_lock', ret: 'void', params: ['struct mutex *'], modes: ['kernel'] },
  { name: 'mutex_lock_interruptible', ret: 'int', params: ['struct mutex *'], modes: ['kernel'] },
  { name: 'mutex_trylock', ret: 'int', params: ['struct mutex *'], modes: ['kernel'] },
  { name: 'mutex_unlock', ret: 'void', params: ['struct mutex *'], modes: ['kernel'] },
  { name: 'mutex_is_locked', ret: 'int', params: ['struct mutex *'], modes: ['kernel'] },
  { name: '__ksim_spin_lock_init', ret: 'void', params: ['spinlock_t *', 'const char *'], modes: ['kernel'] },
  { name: 'spin_lock', ret: 'void', params: ['spinlock_t *'], modes: ['kernel'] },
  { name: 'spin_trylock', ret: 'int', params: ['spinlock_t *'], modes: ['kernel'] },
  { name: 'spin_unlock', ret: 'void', params: ['spinlock_t *'], modes: ['kernel'] },
  { name: 'spin_is_locked', ret: 'int', params: ['spinlock_t *'], modes: ['kernel'] },
];

// struct mutex and spinlock_t as kernel-include/linux/{mutex,spinlock}.h lay them out.
const LOCK_OWNER = 0;
const LOCK_NAME = 8;

function num(v: Int64): number {
  return typeof v === 'number' ? v : Number(BigInt.asIntN(64, v));
}

const dec = new TextDecoder('latin1');

/** A kernel function of ksim's own (TypeScript) in a printed call trace. */
export function frame(name: string): StackEntry {
  return { name, file: '', line: 0, addr: 0, module: '' } as StackEntry;
}

/** %pS of a kernel C frame, as the Oops code prints frames. */
export function symbolOffset(s: StackEntry | undefined): string {
  return s ? `${s.name}+0x${((s.line % 64) * 4).toString(16)}/0x100` : '0x0';
}

/** lockdep's print_lock(): address, class name, usage, wait types, and where it was taken. */
function lockLine(l: HeldLock): string {
  const wait = l.cls === 'mutex' ? '{3:3}' : '{2:2}'; // LD_WAIT_SLEEP / LD_WAIT_CONFIG
  return `${toHex(l.addr).padStart(16, '0')} (${l.name}){+.+.}-${wait}, at: ${symbolOffset(l.site)}`;
}

/** lockdep_print_held_locks(). */
function heldLocksLines(t: Task, held: HeldLock[]): string[] {
  if (!held.length) return [`no locks held by ${t.comm}/${t.pid}.`];
  return [`${held.length} lock${held.length > 1 ? 's' : ''} held by ${t.comm}/${t.pid}:`, ...held.map((l, i) => ` #${i}: ${lockLine(l)}`)];
}

/** The Linux lock intrinsics and lockdep/hung-task reports of a KernelC. */
export function linuxLockIntrinsics(kc: KernelC): Record<string, (...a: any[]) => unknown> {
  const locks = kc.locks;
  const task = (P: Cpu) => (P.context as { task: Task }).task;
  const ident = () => `${kc.kernel.identity.release}${kc.kernel.identity.localversion} #1 ${kc.taintString()}`;
  const print = (lines: string[], level = 4) => {
    for (const l of lines) kc.kernel.printk(`\x01${level}${l}\n`);
  };
  const nameOf = (P: Cpu, addr: number, fallback: string) => {
    const p = num(P.mem.i64(addr + LOCK_NAME));
    if (!p) return fallback;
    try {
      return dec.decode(P.mem.cstring(p, 256));
    } catch {
      return fallback;
    }
  };
  const take = (P: Cpu, lockp: Int64, cls: 'mutex' | 'spinlock', trying: boolean): number => {
    const addr = num(lockp);
    const t = task(P);
    const stack = P.callStack();
    const lock: HeldLock = { addr, name: nameOf(P, addr, cls === 'mutex' ? 'mutex' : 'spinlock'), cls, exclusive: true, site: stack[0], file: '', line: 0, recursed: 0 };
    const o = locks.owner(addr);
    if (!o) {
      locks.acquire(t, lock);
      P.mem.w64(addr + LOCK_OWNER, t.pid);
      return 1;
    }
    if (trying) return 0;
    throw new KernelPathEnded((victim) => {
      const lines: string[] = [];
      if (o.pid === victim.pid && locks.debugLocks) {
        locks.debugLocks = false;
        lines.push('', '============================================', 'WARNING: possible recursive locking detected', ident(),
          '--------------------------------------------', `${victim.comm}/${victim.pid} is trying to acquire lock:`, lockLine(lock), '',
          'but task is already holding lock:', lockLine(o.lock), '', 'other info that might help us debug this:',
          ' Possible unsafe locking scenario:', '', '       CPU0', '       ----', `  lock(${lock.name});`, `  lock(${lock.name});`, '',
          ' *** DEADLOCK ***', '', ' May be due to missing lock nesting notation', '', ...heldLocksLines(victim, locks.held(victim)), '',
          'stack backtrace:', ...kc.header(victim), ...kc.callTrace([stack[0]!, frame(cls === 'mutex' ? 'mutex_lock' : 'spin_lock'), ...stack]));
        print(lines);
      }
      const holder = o.pid === victim.pid ? 'itself' : `pid ${o.pid}`;
      if (cls === 'spinlock') {
        // The CPU spins on the lock with preemption off: the watchdog sees a soft lockup.
        kc.softLockup(victim, [frame('spin_lock'), ...stack], `spins forever on ${lock.name}, held by ${holder}`);
        return;
      }
      // A mutex sleeps in D state forever: khungtaskd reports it after hung_task_timeout_secs.
      print([`INFO: task ${victim.comm}:${victim.pid} blocked for more than 120 seconds.`,
        `      ${kc.taintString()} ${kc.kernel.identity.release}${kc.kernel.identity.localversion} #1`,
        '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.'], 3);
      print([`task:${victim.comm.slice(0, 15).padEnd(15)} state:D stack:0     pid:${String(victim.pid).padEnd(5)} tgid:${String(victim.pid).padEnd(5)} ppid:${String(victim.ppid).padEnd(6)} flags:0x00000000`,
        ...kc.callTrace([stack[0]!, frame('__schedule'), frame('schedule'), frame('schedule_preempt_disabled'), frame('__mutex_lock'), frame('mutex_lock'), ...stack])], 6);
      if (!locks.debugLocks) print(['INFO: lockdep is turned off.']);
      else {
        print(['', 'Showing all locks held in the system:']);
        for (const [pid, held] of locks.holders()) {
          const h = kc.kernel.tasks.get(pid);
          if (h) print(heldLocksLines(h, held));
        }
        print(['', '=============================================', '']);
      }
      kc.kernel.killTask(victim, SIG.KILL, false, `ksim: pid ${victim.pid} (${victim.comm}) killed: deadlocked in mutex_lock(${lock.name}), held by ${holder} (a real kernel leaves it in D state forever)`);
    });
  };
  const drop = (P: Cpu, lockp: Int64) => {
    const addr = num(lockp);
    const t = task(P);
    if (locks.release(t, addr)) P.mem.w64(addr + LOCK_OWNER, 0);
    else if (locks.debugLocks) {
      // lockdep's print_unlock_imbalance_bug().
      locks.debugLocks = false;
      const stack = P.callStack();
      print(['', '=====================================', 'WARNING: bad unlock balance detected!', ident(), '-------------------------------------',
        `${t.comm}/${t.pid} is trying to release lock (${nameOf(P, addr, 'lock')}) at:`, symbolOffset(stack[0]),
        'but there are no more locks to release!', '', 'other info that might help us debug this:', ...heldLocksLines(t, locks.held(t)), '',
        'stack backtrace:', ...kc.header(t), ...kc.callTrace([stack[0]!, ...stack])]);
    }
  };
  const init = (P: Cpu, lockp: Int64, name: Int64) => {
    P.mem.w64(num(lockp) + LOCK_OWNER, 0);
    P.mem.w64(num(lockp) + LOCK_NAME, name);
  };
  return {
    __ksim_mutex_init: init,
    mutex_lock: (P: Cpu, m: Int64) => void take(P, m, 'mutex', false),
    mutex_lock_interruptible: (P: Cpu, m: Int64) => (take(P, m, 'mutex', false), 0),
    mutex_trylock: (P: Cpu, m: Int64) => take(P, m, 'mutex', true),
    mutex_unlock: drop,
    mutex_is_locked: (_P: Cpu, m: Int64) => (locks.owner(num(m)) ? 1 : 0),
    __ksim_spin_lock_init: init,
    spin_lock: (P: Cpu, l: Int64) => void take(P, l, 'spinlock', false),
    spin_trylock: (P: Cpu, l: Int64) => take(P, l, 'spinlock', true),
    spin_unlock: drop,
    spin_is_locked: (_P: Cpu, l: Int64) => (locks.owner(num(l)) ? 1 : 0),
  };
}

/**
 * lockdep_sys_exit(): a task returning to user space with locks held gets lockdep's warning (once
 * per boot: the report turns lockdep off). The locks stay held.
 */
export function lockdepSysExit(kc: KernelC, t: Task): void {
  const held = kc.locks.held(t);
  if (!held.length || !kc.locks.debugLocks) return;
  kc.locks.debugLocks = false;
  const lines = ['', '================================================', 'WARNING: lock held when returning to user space!',
    `${kc.kernel.identity.release}${kc.kernel.identity.localversion} #1 ${kc.taintString()}`, '------------------------------------------------',
    `${t.comm}/${t.pid} is leaving the kernel with locks still held!`, ...heldLocksLines(t, held)];
  for (const l of lines) kc.kernel.printk(`\x014${l}\n`);
}
