// FreeBSD's mtx(9) and sx(9) locks for kernel C, checked as a kernel built with WITNESS and
// INVARIANTS checks them: a thread returning to user space with a lock held gets witness_warn()'s
// list of the locks and "panic: witness_warn"; taking a non-recursive lock it already holds panics
// with the lock class's KASSERT ("_mtx_lock_sleep: recursed on non-recursive mutex ..."); unlocking
// a lock it does not hold panics in witness_unlock. A panic stops the machine (FreebsdKernel.panic).
import type { IntrinsicDef } from '../../cc/intrinsics.js';
import type { Cpu, StackEntry } from '../../runtime/cpu.js';
import { toHex } from '../../runtime/memory.js';
import type { Int64 } from '../events.js';
import type { Task } from '../task.js';
import { KernelPathEnded, type HeldLock, type LockClass } from '../kc/locks.js';
import type { FreebsdKernel } from './kernel.js';

export const FREEBSD_LOCK_API: IntrinsicDef[] = [
  { name: 'mtx_init', ret: 'void', params: ['struct mtx *', 'const char *', 'const char *', 'int'], modes: ['kernel'], host: 'fbsd_mtx_init' },
  { name: 'mtx_destroy', ret: 'void', params: ['struct mtx *'], modes: ['kernel'], host: 'fbsd_lock_destroy' },
  { name: '__ksim_mtx_lock', ret: 'void', params: ['struct mtx *', 'int', 'const char *', 'int'], modes: ['kernel'], host: 'fbsd_mtx_lock' },
  { name: '__ksim_mtx_trylock', ret: 'int', params: ['struct mtx *', 'int', 'const char *', 'int'], modes: ['kernel'], host: 'fbsd_mtx_trylock' },
  { name: '__ksim_mtx_unlock', ret: 'void', params: ['struct mtx *', 'int', 'const char *', 'int'], modes: ['kernel'], host: 'fbsd_mtx_unlock' },
  { name: 'mtx_owned', ret: 'int', params: ['struct mtx *'], modes: ['kernel'], host: 'fbsd_lock_owned' },
  { name: 'sx_init_flags', ret: 'void', params: ['struct sx *', 'const char *', 'int'], modes: ['kernel'], host: 'fbsd_sx_init' },
  { name: 'sx_destroy', ret: 'void', params: ['struct sx *'], modes: ['kernel'], host: 'fbsd_lock_destroy' },
  { name: '__ksim_sx_xlock', ret: 'int', params: ['struct sx *', 'const char *', 'int'], modes: ['kernel'], host: 'fbsd_sx_xlock' },
  { name: '__ksim_sx_slock', ret: 'int', params: ['struct sx *', 'const char *', 'int'], modes: ['kernel'], host: 'fbsd_sx_slock' },
  { name: '__ksim_sx_unlock', ret: 'void', params: ['struct sx *', 'const char *', 'int'], modes: ['kernel'], host: 'fbsd_sx_unlock' },
  { name: 'sx_xlocked', ret: 'int', params: ['struct sx *'], modes: ['kernel'], host: 'fbsd_lock_owned' },
];

// sys/mutex.h and sys/sx.h option bits.
const MTX_SPIN = 0x1;
const MTX_RECURSE = 0x4;
const SX_RECURSE = 0x8;

/** What mtx_init/sx_init recorded about a lock. */
interface LockInfo {
  name: string;
  /** The WITNESS name (mtx_init's type, or the name). */
  type: string;
  cls: LockClass;
  recurse: boolean;
}

function num(v: Int64): number {
  return typeof v === 'number' ? v : Number(BigInt.asIntN(64, v));
}

const dec = new TextDecoder('latin1');

/** The mtx/sx intrinsics of a FreeBSD kernel. */
export function freebsdLockIntrinsics(fb: FreebsdKernel): Record<string, (...a: any[]) => unknown> {
  const locks = fb.kc.locks;
  const info = new Map<number, LockInfo>();
  const task = (P: Cpu) => (P.context as { task: Task }).task;
  const str = (P: Cpu, p: Int64) => (num(p) ? dec.decode(P.mem.cstring(num(p), 256)) : '(null)');
  const infoOf = (P: Cpu, addr: number, cls: LockClass): LockInfo => {
    const known = info.get(addr);
    if (known) return known;
    // Never initialised: lo_name is whatever the memory holds (NULL for a zeroed lock).
    const name = str(P, P.mem.i64(addr));
    return { name, type: name, cls, recurse: false };
  };
  let lastStack: StackEntry[] = [];
  const panic = (message: string, before: string[] = []) => {
    const stack = lastStack;
    return new KernelPathEnded((t) => fb.panic(t, [...before, `panic: ${message}`, ...kdbBacktrace(stack)], message));
  };
  const take = (P: Cpu, addr: number, cls: LockClass, exclusive: boolean, file: string, line: number, opts: number, trying: boolean): number => {
    const t = task(P);
    lastStack = P.callStack();
    const li = infoOf(P, addr, cls);
    const mine = locks.held(t).find((l) => l.addr === addr);
    if (mine) {
      if (mine.exclusive && !exclusive) {
        throw panic('excl->share', [`shared lock of (${li.cls}) ${li.name} @ ${file}:${line}`, `while exclusively locked from ${mine.file}:${mine.line}`]);
      }
      if (!mine.exclusive && exclusive) {
        throw panic('share->excl', [`exclusive lock of (${li.cls}) ${li.name} @ ${file}:${line}`, `while share locked from ${mine.file}:${mine.line}`]);
      }
      if (exclusive) {
        if (li.recurse || opts & MTX_RECURSE) {
          mine.recursed++;
          return 1;
        }
        if (trying) return 0;
        const who = li.cls === 'sx' ? `_sx_xlock_hard: recursed on non-recursive sx ${li.name}` : `${li.cls === 'spin mutex' ? 'mtx_lock_spin' : '_mtx_lock_sleep'}: recursed on non-recursive mutex ${li.name}`;
        throw panic(`${who} @ ${file}:${line}`);
      }
    }
    const o = locks.owner(addr);
    if (o && o.pid !== t.pid) {
      if (trying) return 0;
      // Only possible for a lock left held by a task that died: WITNESS panics at any return to
      // user space with a lock held, so no live thread can be outside the kernel holding one.
      throw new KernelPathEnded((victim) => fb.kernel.killTask(victim, 9, false, `ksim: pid ${victim.pid} (${victim.comm}) killed: ${li.name} is held by pid ${o.pid}, which can never release it`));
    }
    const lock: HeldLock = { addr, name: li.name, witnessName: li.type, cls: li.cls, exclusive, site: lastStack[0], file, line, recursed: 0 };
    locks.acquire(t, lock);
    return 1;
  };
  const drop = (P: Cpu, addr: number, cls: LockClass, file: string, line: number) => {
    const t = task(P);
    lastStack = P.callStack();
    const mine = locks.held(t).find((l) => l.addr === addr);
    if (mine && mine.recursed > 0) {
      mine.recursed--;
      return;
    }
    if (!locks.release(t, addr)) {
      const li = infoOf(P, addr, cls);
      throw panic(`witness_unlock: lock (${li.cls}) ${li.name} not locked @ ${file}:${line}`);
    }
  };
  return {
    fbsd_mtx_init(P: Cpu, m: Int64, name: Int64, type: Int64, opts: number) {
      const n = str(P, name);
      P.mem.w64(num(m), name); // lock_object.lo_name
      info.set(num(m), { name: n, type: num(type) ? str(P, type) : n, cls: opts & MTX_SPIN ? 'spin mutex' : 'sleep mutex', recurse: (opts & MTX_RECURSE) !== 0 });
    },
    fbsd_sx_init(P: Cpu, sx: Int64, name: Int64, opts: number) {
      const n = str(P, name);
      P.mem.w64(num(sx), name);
      info.set(num(sx), { name: n, type: n, cls: 'sx', recurse: (opts & SX_RECURSE) !== 0 });
    },
    fbsd_lock_destroy(_P: Cpu, l: Int64) {
      info.delete(num(l));
    },
    fbsd_mtx_lock(P: Cpu, m: Int64, opts: number, file: Int64, line: number) {
      take(P, num(m), infoOf(P, num(m), 'sleep mutex').cls, true, str(P, file), line, opts, false);
    },
    fbsd_mtx_trylock(P: Cpu, m: Int64, opts: number, file: Int64, line: number) {
      return take(P, num(m), infoOf(P, num(m), 'sleep mutex').cls, true, str(P, file), line, opts, true);
    },
    fbsd_mtx_unlock(P: Cpu, m: Int64, _opts: number, file: Int64, line: number) {
      drop(P, num(m), infoOf(P, num(m), 'sleep mutex').cls, str(P, file), line);
    },
    fbsd_lock_owned(P: Cpu, l: Int64) {
      return locks.owner(num(l))?.pid === task(P).pid ? 1 : 0;
    },
    fbsd_sx_xlock(P: Cpu, sx: Int64, file: Int64, line: number) {
      take(P, num(sx), 'sx', true, str(P, file), line, 0, false);
      return 0;
    },
    fbsd_sx_slock(P: Cpu, sx: Int64, file: Int64, line: number) {
      take(P, num(sx), 'sx', false, str(P, file), line, 0, false);
      return 0;
    },
    fbsd_sx_unlock(P: Cpu, sx: Int64, file: Int64, line: number) {
      drop(P, num(sx), 'sx', str(P, file), line);
    },
  };

  function kdbBacktrace(stack: StackEntry[]): string[] {
    const lines = ['cpuid = 0', 'time = 1', 'KDB: stack backtrace:'];
    for (const s of stack) lines.push(`${s.name}() at ${s.name}+0x${((s.line % 64) * 4).toString(16)}/frame 0xfffffe0000000000`);
    return lines;
  }
}

/**
 * userret()'s WITNESS_WARN(WARN_PANIC, NULL, "userret: returning"): a thread going back to user
 * space with locks held lists them (most recent first) and panics. True when it panicked.
 */
export function witnessUserret(fb: FreebsdKernel, t: Task): boolean {
  const held = fb.kc.locks.held(t);
  if (!held.length) return false;
  const lines = ['userret: returning with the following locks held:'];
  for (const l of [...held].reverse()) {
    lines.push(`${l.exclusive ? 'exclusive' : 'shared'} ${l.cls} ${l.name} (${l.witnessName ?? l.name}) r = ${l.recursed} (0x${toHex(l.addr)}) locked @ ${l.file}:${l.line}`);
  }
  lines.push('panic: witness_warn', 'cpuid = 0', 'time = 1', 'KDB: stack backtrace:');
  for (const name of ['kassert_panic', 'witness_warn', 'userret', 'amd64_syscall']) lines.push(`${name}() at ${name}+0x0/frame 0xfffffe0000000000`);
  fb.panic(t, lines, 'witness_warn');
  return true;
}
