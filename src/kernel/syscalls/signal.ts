// Signal syscalls: rt_sigaction, rt_sigprocmask, rt_sigreturn, kill, tgkill, tkill, pause,
// rt_sigpending, alarm. The kernel's delivery path is in kernel.ts.
import type { SyscallHandler } from '../handler.js';
import { argInt, argPtr, argLong } from '../handler.js';
import type { Int64 } from '../events.js';
import { E, Errno } from '../errno.js';
import { SIG, SI, NSIG, sigbit } from '../signals.js';
import { WaitQueue } from '../wait.js';
import type { Task } from '../task.js';
import { TASK_SIZE_32 } from '../uaccess.js';

const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
const SIG_SETMASK = 2;
const UNBLOCKABLE = sigbit(SIG.KILL) | sigbit(SIG.STOP);

function toBig(v: Int64): bigint {
  return BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(v));
}

function fromBig(v: bigint): Int64 {
  const s = BigInt.asIntN(64, v);
  return s >= -(2n ** 53n) + 1n && s <= 2n ** 53n - 1n ? Number(s) : s;
}

function canSignal(from: Task, to: Task): boolean {
  return from.euid === 0 || from.uid === to.uid || from.euid === to.uid;
}

/** Sends signo to the targets of kill(pid, ...): one task, a process group, or everyone. */
function kill(ctx: Parameters<SyscallHandler>[0], pid: number, signo: number): Int64 {
  const k = ctx.kernel;
  if (signo < 0 || signo > NSIG) throw new Errno(E.INVAL);
  let targets: Task[];
  if (pid > 0) {
    const t = k.tasks.get(pid);
    // Only the processes of this machine's run exist here: other pids are ESRCH, never the host's.
    if (!t || t.state === 'zombie') {
      if (t && t.state === 'zombie') return 0;
      throw new Errno(E.SRCH);
    }
    targets = [t];
  } else if (pid === 0) {
    targets = [...k.tasks.values()].filter((t) => t.pgid === ctx.task.pgid && t.state !== 'zombie');
  } else if (pid === -1) {
    targets = [...k.tasks.values()].filter((t) => t !== ctx.task && t.state !== 'zombie');
  } else {
    targets = [...k.tasks.values()].filter((t) => t.pgid === -pid && t.state !== 'zombie');
  }
  if (targets.length === 0) throw new Errno(E.SRCH);
  const allowed = targets.filter((t) => canSignal(ctx.task, t));
  if (allowed.length === 0) throw new Errno(E.PERM);
  if (signo === 0) return 0;
  for (const t of allowed) k.sendSignal(t, signo, { code: SI.USER, pid: ctx.task.pid, uid: ctx.task.uid }, ctx.task);
  return 0;
}

const pauseQueue = new WaitQueue('pause');

/** Installs a disposition (the common tail of rt_sigaction, signal and sigaction); returns the old one. */
function setAction(t: Task, signo: number, next: Task['sigactions'][number]): Task['sigactions'][number] {
  if (signo < 1 || signo > NSIG) throw new Errno(E.INVAL);
  if (signo === SIG.KILL || signo === SIG.STOP) throw new Errno(E.INVAL);
  const cur = t.sigactions[signo]!;
  t.sigactions[signo] = next;
  // Setting SIG_IGN discards pending instances.
  if (next.handler === 1) t.pending = t.pending.filter((p) => p.signo !== signo);
  return cur;
}

const SA_NODEFER = 0x40000000;
const SA_RESETHAND = 0x80000000;
const low32 = (v: Int64) => Number(BigInt.asUintN(32, toBig(v)));

export const signalHandlers: Record<string, SyscallHandler> = {
  rt_sigaction: (ctx, a) => {
    const signo = argInt(a[0]!);
    const act = argPtr(a[1]!);
    const oact = argPtr(a[2]!);
    if (argLong(a[3]!) !== 8) throw new Errno(E.INVAL);
    if (signo < 1 || signo > NSIG) throw new Errno(E.INVAL);
    if (act !== 0 && (signo === SIG.KILL || signo === SIG.STOP)) throw new Errno(E.INVAL);
    const t = ctx.task;
    const cur = t.sigactions[signo]!;
    let next = cur;
    // An i386 task's struct sigaction has 4-byte handler, flags and restorer, then the 8-byte mask.
    const compat = t.user.taskSize === TASK_SIZE_32;
    if (act !== 0) {
      if (compat) {
        const handler = ctx.user.readI32(act) >>> 0;
        const flags = ctx.user.readI32(act + 4) >>> 0;
        const restorer = ctx.user.readI32(act + 8) >>> 0;
        const mask = toBig(ctx.user.readI64(act + 12)) & ~UNBLOCKABLE;
        next = { handler, flags, restorer, mask };
      } else {
        const handler = ctx.user.readI64(act);
        const flags = Number(BigInt.asUintN(32, toBig(ctx.user.readI64(act + 8))));
        const restorer = ctx.user.readI64(act + 16);
        const mask = toBig(ctx.user.readI64(act + 24)) & ~UNBLOCKABLE;
        next = { handler, flags, restorer, mask };
      }
    }
    if (oact !== 0) {
      if (compat) {
        ctx.user.writeI32(oact, low32(cur.handler) | 0);
        ctx.user.writeI32(oact + 4, cur.flags | 0);
        ctx.user.writeI32(oact + 8, low32(cur.restorer) | 0);
        ctx.user.writeI64(oact + 12, fromBig(cur.mask));
      } else {
        ctx.user.writeI64(oact, cur.handler);
        ctx.user.writeI64(oact + 8, cur.flags);
        ctx.user.writeI64(oact + 16, cur.restorer);
        ctx.user.writeI64(oact + 24, fromBig(cur.mask));
      }
    }
    if (act !== 0) setAction(t, signo, next);
    return 0;
  },
  rt_sigprocmask: (ctx, a) => {
    const how = argInt(a[0]!);
    const set = argPtr(a[1]!);
    const oset = argPtr(a[2]!);
    if (argLong(a[3]!) !== 8) throw new Errno(E.INVAL);
    const t = ctx.task;
    const old = t.blocked;
    if (set !== 0) {
      const s = toBig(ctx.user.readI64(set)) & ~UNBLOCKABLE;
      if (how === SIG_BLOCK) t.blocked = old | s;
      else if (how === SIG_UNBLOCK) t.blocked = old & ~s;
      else if (how === SIG_SETMASK) t.blocked = s;
      else throw new Errno(E.INVAL);
    }
    if (oset !== 0) ctx.user.writeI64(oset, fromBig(old));
    return 0;
  },
  rt_sigpending: (ctx, a) => {
    let set = 0n;
    for (const p of ctx.task.pending) set |= sigbit(p.signo);
    ctx.user.writeI64(a[0]!, fromBig(set & ctx.task.blocked));
    return 0;
  },
  rt_sigreturn: (ctx) => ctx.kernel.sigreturn(ctx.task) as Int64,
  kill: (ctx, a) => kill(ctx, argInt(a[0]!), argInt(a[1]!)),
  tkill: (ctx, a) => kill(ctx, Math.max(1, argInt(a[0]!)), argInt(a[1]!)),
  tgkill: (ctx, a) => {
    if (argInt(a[0]!) <= 0 || argInt(a[1]!) <= 0) throw new Errno(E.INVAL);
    return kill(ctx, argInt(a[1]!), argInt(a[2]!));
  },
  pause: (ctx) => {
    // Sleeps until a signal arrives; the interrupted call then returns EINTR.
    return ctx.sleepOn(pauseQueue, 'pause');
  },
};


/**
 * The old i386 signal calls that hand-written assembly uses: signal(2) (SysV semantics: the
 * handler is reset on delivery and the signal is not blocked while it runs), sigaction(2) with
 * struct old_sigaction {handler, 32-bit mask, flags, restorer}, sigprocmask/sigpending on a 32-bit
 * old_sigset_t, and sigreturn, which returns from a handler like rt_sigreturn.
 */
export const oldSignalHandlers: Record<string, SyscallHandler> = {
  signal: (ctx, a) => {
    const handler = argPtr(a[1]!) >>> 0;
    const old = setAction(ctx.task, argInt(a[0]!), { handler, flags: SA_RESETHAND | SA_NODEFER, restorer: 0, mask: 0n });
    return low32(old.handler);
  },
  sigaction: (ctx, a) => {
    const signo = argInt(a[0]!);
    const act = argPtr(a[1]!);
    const oact = argPtr(a[2]!);
    const t = ctx.task;
    if (signo < 1 || signo > NSIG) throw new Errno(E.INVAL);
    let cur = t.sigactions[signo]!;
    if (act !== 0) {
      const next = {
        handler: ctx.user.readI32(act) >>> 0,
        mask: BigInt(ctx.user.readI32(act + 4) >>> 0) & ~UNBLOCKABLE,
        flags: ctx.user.readI32(act + 8) >>> 0,
        restorer: ctx.user.readI32(act + 12) >>> 0,
      };
      cur = setAction(t, signo, next);
    }
    if (oact !== 0) {
      ctx.user.writeI32(oact, low32(cur.handler) | 0);
      ctx.user.writeI32(oact + 4, Number(cur.mask & 0xffffffffn) | 0);
      ctx.user.writeI32(oact + 8, cur.flags | 0);
      ctx.user.writeI32(oact + 12, low32(cur.restorer) | 0);
    }
    return 0;
  },
  sigprocmask: (ctx, a) => {
    const how = argInt(a[0]!);
    const set = argPtr(a[1]!);
    const oset = argPtr(a[2]!);
    const t = ctx.task;
    const old = t.blocked;
    if (set !== 0) {
      const s = BigInt(ctx.user.readI32(set) >>> 0) & ~UNBLOCKABLE;
      if (how === SIG_BLOCK) t.blocked = old | s;
      else if (how === SIG_UNBLOCK) t.blocked = old & ~s;
      else if (how === SIG_SETMASK) t.blocked = (old & ~0xffffffffn) | s;
      else throw new Errno(E.INVAL);
    }
    if (oset !== 0) ctx.user.writeI32(oset, Number(old & 0xffffffffn) | 0);
    return 0;
  },
  sigpending: (ctx, a) => {
    let set = 0n;
    for (const p of ctx.task.pending) set |= sigbit(p.signo);
    ctx.user.writeI32(a[0]!, Number(set & ctx.task.blocked & 0xffffffffn) | 0);
    return 0;
  },
  sigreturn: (ctx) => ctx.kernel.sigreturn(ctx.task, false) as Int64,
};
