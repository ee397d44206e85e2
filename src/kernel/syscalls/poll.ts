// I/O multiplexing: poll, ppoll, select (and i386's _newselect) and pselect6, as Linux does them.
// Each call scans its descriptors through FileOps.poll (pipes know their data, room and hang-ups;
// regular files, devices and the console are always ready), returns at once when something is
// ready or the timeout is zero, and otherwise sleeps on the files' wait queues (FileOps.pollWait)
// until one of them changes, the deadline on the kernel clock passes, or a signal comes. Like every
// sleeping handler it runs again from its start when woken; what must survive a sleep (the
// deadline, the caller's signal mask under ppoll/pselect6) lives in the task's scratch.
// select and pselect6 end an interruption with ERESTARTNOHAND, poll with ERESTART_RESTARTBLOCK
// (kernel.ts); an interrupted call still writes back its remaining time, and the mask ppoll set
// stays in force while the handler runs, the caller's coming back after it (Linux's saved_sigmask).
import type { SyscallContext } from '../context.js';
import { E, Errno } from '../errno.js';
import type { Int64 } from '../events.js';
import { FD_LIMIT, type OpenFile } from '../file.js';
import { argInt, argPtr, argUint, type SyscallHandler } from '../handler.js';
import { POLLERR, POLLFD_SIZE, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDNORM, POLLWRNORM } from '../linux/abi.js';
import { sigbit } from '../signals.js';
import type { Task } from '../task.js';
import { TASK_SIZE_32 } from '../uaccess.js';
import { WaitQueue, type Block, type Sleeper } from '../wait.js';

const POLLRDBAND = 0x80;
const POLLWRBAND = 0x200;
/** Which poll bits make select report a descriptor readable, writable, exceptional (fs/select.c). */
const POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
const POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
const POLLEX_SET = POLLPRI;
const SIGKILL = 9;
const SIGSTOP = 19;
const UNBLOCKABLE = sigbit(SIGKILL) | sigbit(SIGSTOP);
const NS_PER_SEC = 1e9;

const fail = (errno: number): never => {
  throw new Errno(errno);
};

/** The poll mask of an open file: what it is ready for now. */
export function fileReadiness(file: OpenFile): number {
  const st = file.ops.poll?.(file) ?? { readable: true, writable: true, hangup: false };
  let mask = 0;
  if (st.readable) mask |= POLLIN | POLLRDNORM;
  if (st.writable) mask |= POLLOUT | POLLWRNORM;
  if (st.hangup) mask |= POLLHUP;
  if (st.error) mask |= POLLERR;
  return mask;
}

/** Whether the caller is a 32-bit task (4-byte longs and timevals). */
function is32(ctx: SyscallContext): boolean {
  return ctx.task.user.taskSize === TASK_SIZE_32;
}

/** A deadline in emulated ns (Infinity: no timeout), fixed at the call's first run. */
function deadlineOf(ctx: SyscallContext, relativeNs: () => number | undefined): number {
  const t = ctx.task;
  let d = t.scratch.get('poll-deadline') as number | undefined;
  if (d === undefined) {
    const rel = relativeNs();
    d = rel === undefined ? Infinity : ctx.now() + rel;
    t.scratch.set('poll-deadline', d);
  }
  return d;
}

/** Whether the call's timespec is the 32-bit old_timespec32 (i386's ppoll and pselect6, not their _time64 forms). */
function timespec32(ctx: SyscallContext): boolean {
  return is32(ctx) && !(ctx.row?.name ?? '').endsWith('_time64');
}

/** Reads a struct timespec (validated as Linux's timespec64_valid: EINVAL otherwise); ns. */
function readTimespec(ctx: SyscallContext, p: Int64): number {
  const narrow = timespec32(ctx);
  const b = ctx.user.read(p, narrow ? 8 : 16);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const sec = narrow ? v.getInt32(0, true) : Number(v.getBigInt64(0, true));
  const nsec = narrow ? v.getInt32(4, true) : Number(v.getBigInt64(8, true));
  if (sec < 0 || nsec < 0 || nsec >= NS_PER_SEC) fail(E.INVAL);
  return sec * NS_PER_SEC + nsec;
}

/** Reads select's struct timeval: negative fields are EINVAL, a large tv_usec carries into seconds. */
function readTimeval(ctx: SyscallContext, p: Int64): number {
  const b = ctx.user.read(p, is32(ctx) ? 8 : 16);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const sec = is32(ctx) ? v.getInt32(0, true) : Number(v.getBigInt64(0, true));
  const usec = is32(ctx) ? v.getInt32(4, true) : Number(v.getBigInt64(8, true));
  if (sec < 0 || usec < 0) fail(E.INVAL);
  return sec * NS_PER_SEC + usec * 1000;
}

/** Writes the time left (>= 0) back as a timespec or timeval, as poll_select_finish does. */
function writeRemaining(t: Task, p: Int64, deadline: number, nowNs: number, kind: 'timespec' | 'timeval', wide: boolean): void {
  const left = Math.max(0, deadline - nowNs);
  const sec = Math.floor(left / NS_PER_SEC);
  const frac = kind === 'timespec' ? left - sec * NS_PER_SEC : Math.floor((left - sec * NS_PER_SEC) / 1000);
  const b = new Uint8Array(wide ? 16 : 8);
  const v = new DataView(b.buffer);
  if (wide) {
    v.setBigInt64(0, BigInt(sec), true);
    v.setBigInt64(8, BigInt(frac), true);
  } else {
    v.setInt32(0, sec, true);
    v.setInt32(4, frac, true);
  }
  t.user.write(p, b);
}

/** What the caller asked about its timeout write-back: where, and in which struct. */
interface TimeoutOut {
  ptr: Int64;
  kind: 'timespec' | 'timeval';
  /** A zero timeout is not written back (Linux returns early when end_time is 0). */
  zero: boolean;
  /** 64-bit fields (x86_64, and i386's _time64 calls). */
  wide: boolean;
}

/**
 * Installs the temporary signal mask of ppoll/pselect6 at the call's first run (the caller's mask
 * is kept in scratch). Returns the caller's mask, or undefined when the call has none.
 */
function swapMask(ctx: SyscallContext, mask: bigint | undefined): bigint | undefined {
  const t = ctx.task;
  if (t.scratch.has('poll-mask')) return t.scratch.get('poll-mask') as bigint;
  if (mask === undefined) return undefined;
  t.scratch.set('poll-mask', t.blocked);
  const old = t.blocked;
  t.blocked = mask & ~UNBLOCKABLE;
  return old;
}

/** Reads a kernel sigset_t of sigsetsize bytes (only 8 is valid). */
function readSigset(ctx: SyscallContext, p: Int64, size: number): bigint {
  if (size !== 8) fail(E.INVAL);
  const b = ctx.user.read(p, 8);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}

function hasDeliverableSignal(t: Task): boolean {
  return t.pending.some((p) => p.signo === SIGKILL || !(t.blocked & sigbit(p.signo)));
}

/**
 * Nothing is ready and time is left: sleep on the watched files' queues until one changes or the
 * deadline. If an unblocked signal is already pending (ppoll's mask may have just unblocked it),
 * the call is interrupted at once, as Linux's do_poll checks signal_pending before sleeping.
 * Interruption restores the caller's mask after the handler and writes the remaining time back.
 */
function sleepOnFiles(ctx: SyscallContext, files: OpenFile[], deadline: number, timeout: TimeoutOut | undefined, wmesg: string): Block {
  const t = ctx.task;
  const oldMask = t.scratch.get('poll-mask') as bigint | undefined;
  t.scratch.set('onInterrupt', (task: Task) => {
    dropWaits(task);
    if (oldMask !== undefined) task.savedSigmask = oldMask;
    if (timeout && !timeout.zero && deadline !== Infinity) {
      try {
        writeRemaining(task, timeout.ptr, deadline, ctx.now(), timeout.kind, timeout.wide);
      } catch {
        // Linux ignores a failed write-back of an interrupted call's time left.
      }
    }
  });
  if (hasDeliverableSignal(t)) {
    t.interrupted = true;
    return ctx.sleepUntil(ctx.now(), undefined, wmesg);
  }
  dropWaits(t);
  const q = new WaitQueue(wmesg);
  const forward: Sleeper = { wake: () => q.wakeAll() };
  const queues: WaitQueue[] = [];
  for (const f of new Set(files)) {
    for (const wq of f.ops.pollWait?.(f) ?? []) {
      wq.add(forward);
      queues.push(wq);
    }
  }
  t.scratch.set('poll-waits', { queues, forward });
  return deadline === Infinity ? ctx.sleepOn(q, wmesg) : ctx.sleepUntil(deadline, q, wmesg);
}

/** Takes the call's forwarder off the files' queues it was left on (a timeout or a signal woke it). */
function dropWaits(t: Task): void {
  const w = t.scratch.get('poll-waits') as { queues: WaitQueue[]; forward: Sleeper } | undefined;
  if (!w) return;
  for (const q of w.queues) q.remove(w.forward);
  t.scratch.delete('poll-waits');
}

/** The call is ending (result or error): the caller's own signal mask comes back, the per-call state goes. */
function endCall(ctx: SyscallContext): void {
  const s = ctx.task.scratch;
  dropWaits(ctx.task);
  const old = s.get('poll-mask') as bigint | undefined;
  if (old !== undefined) ctx.task.blocked = old;
  for (const k of ['poll-mask', 'poll-deadline', 'poll-timeout', 'onInterrupt']) s.delete(k);
}

// --- poll and ppoll ----------------------------------------------------------------------------

function doPoll(ctx: SyscallContext, fdsArg: Int64, nfdsArg: Int64, timeoutNs: () => number | undefined,
  mask: () => bigint | undefined, timeout: TimeoutOut | undefined, wmesg: string): Int64 | Block {
  try {
    const nfds = argUint(nfdsArg);
    if (nfds > FD_LIMIT) fail(E.INVAL);
    const deadline = deadlineOf(ctx, timeoutNs);
    swapMask(ctx, ctx.task.scratch.has('poll-mask') ? undefined : mask());
    const raw = ctx.user.read(fdsArg, nfds * POLLFD_SIZE);
    const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = raw.slice();
    const ov = new DataView(out.buffer);
    let ready = 0;
    const watched: OpenFile[] = [];
    for (let i = 0; i < nfds; i++) {
      const fd = v.getInt32(i * 8, true);
      const events = v.getUint16(i * 8 + 4, true);
      let revents = 0;
      if (fd >= 0) {
        const file = ctx.task.fds.get(fd);
        if (!file) revents = POLLNVAL;
        else {
          revents = fileReadiness(file) & (events | POLLERR | POLLHUP);
          watched.push(file);
        }
      }
      ov.setInt16(i * 8 + 6, revents, true);
      if (revents !== 0) ready++;
    }
    const now = ctx.now();
    if (ready === 0 && (now < deadline || hasDeliverableSignal(ctx.task))) return sleepOnFiles(ctx, watched, deadline, timeout, wmesg);
    ctx.user.write(fdsArg, out);
    if (timeout && !timeout.zero) writeRemaining(ctx.task, timeout.ptr, deadline, now, timeout.kind, timeout.wide);
    endCall(ctx);
    return ready;
  } catch (e) {
    endCall(ctx);
    throw e;
  }
}

// --- select and pselect6 -----------------------------------------------------------------------

function doSelect(ctx: SyscallContext, nArg: Int64, sets: [Int64, Int64, Int64], timeoutNs: () => number | undefined,
  mask: () => bigint | undefined, timeout: TimeoutOut | undefined, wmesg: string): Int64 | Block {
  try {
    let n = argInt(nArg);
    if (n < 0) fail(E.INVAL);
    if (n > FD_LIMIT) n = FD_LIMIT; // Linux clamps to the descriptor table's size
    const deadline = deadlineOf(ctx, timeoutNs);
    swapMask(ctx, ctx.task.scratch.has('poll-mask') ? undefined : mask());
    const longBytes = is32(ctx) ? 4 : 8;
    const bytes = Math.ceil(n / (longBytes * 8)) * longBytes;
    const inSets = sets.map((p) => (argPtr(p) === 0 ? undefined : ctx.user.read(p, bytes)));
    const bit = (set: Uint8Array | undefined, fd: number) => set !== undefined && (set[fd >> 3]! & (1 << (fd & 7))) !== 0;
    const outSets = inSets.map((s) => (s === undefined ? undefined : new Uint8Array(bytes)));
    const watched: OpenFile[] = [];
    let ready = 0;
    for (let fd = 0; fd < n; fd++) {
      const want = [bit(inSets[0], fd), bit(inSets[1], fd), bit(inSets[2], fd)];
      if (!want[0] && !want[1] && !want[2]) continue;
      const file = ctx.task.fds.get(fd);
      if (!file) fail(E.BADF);
      watched.push(file!);
      const m = fileReadiness(file!);
      const got = [want[0] && (m & POLLIN_SET) !== 0, want[1] && (m & POLLOUT_SET) !== 0, want[2] && (m & POLLEX_SET) !== 0];
      for (let k = 0; k < 3; k++) {
        if (!got[k]) continue;
        outSets[k]![fd >> 3]! |= 1 << (fd & 7);
        ready++;
      }
    }
    const now = ctx.now();
    if (ready === 0 && (now < deadline || hasDeliverableSignal(ctx.task))) return sleepOnFiles(ctx, watched, deadline, timeout, wmesg);
    for (let k = 0; k < 3; k++) if (outSets[k]) ctx.user.write(sets[k]!, outSets[k]!);
    if (timeout && !timeout.zero) writeRemaining(ctx.task, timeout.ptr, deadline, now, timeout.kind, timeout.wide);
    endCall(ctx);
    return ready;
  } catch (e) {
    endCall(ctx);
    throw e;
  }
}

/** Reads a timeout once (the first run); its zero-ness decides whether the time left is written back. */
function timeoutSpec(ctx: SyscallContext, p: Int64, kind: 'timespec' | 'timeval'): { ns: () => number | undefined; out: TimeoutOut | undefined } {
  if (argPtr(p) === 0) return { ns: () => undefined, out: undefined };
  const cached = ctx.task.scratch.get('poll-timeout') as number | undefined;
  const ns = cached ?? (kind === 'timespec' ? readTimespec(ctx, p) : readTimeval(ctx, p));
  ctx.task.scratch.set('poll-timeout', ns);
  return { ns: () => ns, out: { ptr: p, kind, zero: ns === 0, wide: kind === 'timespec' ? !timespec32(ctx) : !is32(ctx) } };
}

/** pselect6's sixth argument: a struct { const sigset_t *ss; size_t ss_len; } (or NULL). */
function pselectMask(ctx: SyscallContext, p: Int64): bigint | undefined {
  if (argPtr(p) === 0) return undefined;
  const w = is32(ctx) ? 4 : 8;
  const b = ctx.user.read(p, 2 * w);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ss = w === 4 ? v.getUint32(0, true) : Number(v.getBigUint64(0, true));
  const len = w === 4 ? v.getUint32(4, true) : Number(v.getBigUint64(8, true));
  if (ss === 0) return undefined;
  return readSigset(ctx, ss, len);
}

export const pollHandlers: Record<string, SyscallHandler> = {
  poll: (ctx, a) => {
    const ms = argInt(a[2]!);
    return doPoll(ctx, a[0]!, a[1]!, () => (ms < 0 ? undefined : ms * 1e6), () => undefined, undefined, 'poll') as Int64;
  },
  ppoll: (ctx, a) => {
    const tmo = timeoutSpec(ctx, a[2]!, 'timespec');
    const mask = () => (argPtr(a[3]!) === 0 ? undefined : readSigset(ctx, a[3]!, argUint(a[4]!)));
    return doPoll(ctx, a[0]!, a[1]!, tmo.ns, mask, tmo.out, 'poll') as Int64;
  },
  select: (ctx, a) => {
    const tmo = timeoutSpec(ctx, a[4]!, 'timeval');
    return doSelect(ctx, a[0]!, [a[1]!, a[2]!, a[3]!], tmo.ns, () => undefined, tmo.out, 'select') as Int64;
  },
  pselect6: (ctx, a) => {
    const tmo = timeoutSpec(ctx, a[4]!, 'timespec');
    return doSelect(ctx, a[0]!, [a[1]!, a[2]!, a[3]!], tmo.ns, () => pselectMask(ctx, a[5]!), tmo.out, 'select') as Int64;
  },
};
