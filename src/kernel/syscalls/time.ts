// Time syscalls on the kernel clock: clock_gettime, clock_getres, gettimeofday, time, nanosleep,
// clock_nanosleep. CLOCK_REALTIME is the wall clock; the others count from boot. An i386 task's
// timespec and timeval have 32-bit fields (its *_time32 calls) and time() stores 32 bits.
import type { SyscallHandler } from '../handler.js';
import { argInt, argPtr } from '../handler.js';
import type { Int64 } from '../events.js';
import { E, Errno } from '../errno.js';
import { WaitQueue } from '../wait.js';
import { TASK_SIZE_32 } from '../uaccess.js';

/** Whether the caller is an i386 task (32-bit longs in its structs). */
const is32 = (ctx: Parameters<SyscallHandler>[0]): boolean => ctx.task.user.taskSize === TASK_SIZE_32;

/** A struct of two longs (timespec, timeval) in the caller's layout. */
function longPair(ctx: Parameters<SyscallHandler>[0], a: number, b: number): Uint8Array {
  const w = is32(ctx) ? 4 : 8;
  const out = new Uint8Array(2 * w);
  const v = new DataView(out.buffer);
  if (w === 4) {
    v.setInt32(0, a, true);
    v.setInt32(4, b, true);
  } else {
    v.setBigInt64(0, BigInt(a), true);
    v.setBigInt64(8, BigInt(b), true);
  }
  return out;
}

const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const CLOCK_PROCESS_CPUTIME_ID = 2;
const CLOCK_THREAD_CPUTIME_ID = 3;
const CLOCK_MONOTONIC_RAW = 4;
const CLOCK_REALTIME_COARSE = 5;
const CLOCK_MONOTONIC_COARSE = 6;
const CLOCK_BOOTTIME = 7;
const TIMER_ABSTIME = 1;

function clockNs(ctx: Parameters<SyscallHandler>[0], id: number): number {
  const k = ctx.kernel;
  switch (id) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
      return k.clock.wallNs();
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
      return k.clock.uptimeNs();
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
      return ctx.task.cpuUsed * 2;
    default:
      throw new Errno(E.INVAL);
  }
}

function writeTimespec(ctx: Parameters<SyscallHandler>[0], p: Int64, ns: number): void {
  const sec = Math.floor(ns / 1e9);
  ctx.user.write(p, longPair(ctx, sec, Math.floor(ns - sec * 1e9)));
}

function readTimespec(ctx: Parameters<SyscallHandler>[0], p: Int64): number {
  const w = is32(ctx) ? 4 : 8;
  const b = ctx.user.read(p, 2 * w);
  const v = new DataView(b.buffer, b.byteOffset);
  const sec = w === 4 ? BigInt(v.getInt32(0, true)) : v.getBigInt64(0, true);
  const nsec = w === 4 ? BigInt(v.getInt32(4, true)) : v.getBigInt64(8, true);
  if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) throw new Errno(E.INVAL);
  return Number(sec) * 1e9 + Number(nsec);
}

const sleepQueue = new WaitQueue('nanslp');

/**
 * Sleeps until deadline; when a signal wakes it early the generic path ends the call (EINTR, or
 * ERESTART_RESTARTBLOCK as tracers see it) and the time left goes to rem, as Linux writes it.
 */
function sleepUntil(ctx: Parameters<SyscallHandler>[0], deadline: number, rem: Int64): Int64 | symbol {
  const t = ctx.task;
  if (ctx.now() >= deadline) return 0;
  if (argPtr(rem) !== 0) {
    t.scratch.set('onInterrupt', () => {
      try {
        writeTimespec(ctx, rem, Math.max(0, deadline - ctx.now()));
      } catch {
        // An unwritable rem: the call still ends interrupted (Linux returns -EFAULT; rare enough).
      }
    });
  }
  return ctx.sleepUntil(deadline, sleepQueue, 'nanslp') as unknown as symbol;
}

export const timeHandlers: Record<string, SyscallHandler> = {
  clock_gettime: (ctx, a) => {
    writeTimespec(ctx, a[1]!, clockNs(ctx, argInt(a[0]!)));
    return 0;
  },
  clock_getres: (ctx, a) => {
    clockNs(ctx, argInt(a[0]!));
    if (argPtr(a[1]!) !== 0) writeTimespec(ctx, a[1]!, 1);
    return 0;
  },
  gettimeofday: (ctx, a) => {
    if (argPtr(a[0]!) !== 0) {
      const ns = ctx.kernel.clock.wallNs();
      const sec = Math.floor(ns / 1e9);
      ctx.user.write(a[0]!, longPair(ctx, sec, Math.floor((ns - sec * 1e9) / 1000)));
    }
    if (argPtr(a[1]!) !== 0) ctx.user.write(a[1]!, new Uint8Array(8));
    return 0;
  },
  time: (ctx, a) => {
    const sec = Math.floor(ctx.kernel.clock.wallNs() / 1e9);
    if (argPtr(a[0]!) !== 0) {
      if (is32(ctx)) ctx.user.writeI32(a[0]!, sec | 0);
      else ctx.user.writeI64(a[0]!, sec);
    }
    return sec;
  },
  nanosleep: (ctx, a) => {
    const t = ctx.task;
    // The deadline is fixed at the first attempt; a re-run after wake-up finds it passed.
    const key = 'nanosleep-deadline';
    let deadline = t.scratch.get(key) as number | undefined;
    if (deadline === undefined) {
      deadline = ctx.now() + readTimespec(ctx, a[0]!);
      t.scratch.set(key, deadline);
    }
    const r = sleepUntil(ctx, deadline, a[1]!);
    if (r === 0) t.scratch.delete(key);
    return r as Int64;
  },
  clock_nanosleep: (ctx, a) => {
    const t = ctx.task;
    const id = argInt(a[0]!);
    const flags = argInt(a[1]!);
    if (id !== CLOCK_REALTIME && id !== CLOCK_MONOTONIC && id !== CLOCK_BOOTTIME) throw new Errno(E.INVAL);
    const key = 'nanosleep-deadline';
    let deadline = t.scratch.get(key) as number | undefined;
    if (deadline === undefined) {
      const ts = readTimespec(ctx, a[2]!);
      deadline = flags & TIMER_ABSTIME ? (id === CLOCK_REALTIME ? ctx.now() + (ts - ctx.kernel.clock.wallNs()) : ts) : ctx.now() + ts;
      t.scratch.set(key, deadline);
    }
    // An absolute sleep has no time left to report.
    const r = sleepUntil(ctx, deadline, flags & TIMER_ABSTIME ? 0 : a[3]!);
    if (r === 0) t.scratch.delete(key);
    return r as Int64;
  },
};

// --- ITIMER_REAL: alarm, setitimer, getitimer ----------------------------------------------------

const ITIMER_REAL = 0;
const US = 1000;

/** The time left on t's real timer (0 when disarmed). */
function alarmLeftNs(ctx: Parameters<SyscallHandler>[0]): number {
  const t = ctx.task;
  return t.alarmAtNs === Infinity ? 0 : Math.max(1, t.alarmAtNs - ctx.now());
}

/** Writes struct itimerval {it_interval, it_value} (timevals of two longs: 16 bytes, 8 on i386). */
function writeItimerval(ctx: Parameters<SyscallHandler>[0], p: Int64, intervalNs: number, valueNs: number): void {
  const tv = (ns: number) => {
    const us = Math.ceil(ns / US);
    return longPair(ctx, Math.floor(us / 1e6), us % 1e6);
  };
  const a = tv(intervalNs);
  const b = new Uint8Array(2 * a.length);
  b.set(a, 0);
  b.set(tv(valueNs), a.length);
  ctx.user.write(p, b);
}

function readItimerval(ctx: Parameters<SyscallHandler>[0], p: Int64): { intervalNs: number; valueNs: number } {
  const w = is32(ctx) ? 4 : 8;
  const b = ctx.user.read(p, 4 * w);
  const v = new DataView(b.buffer, b.byteOffset);
  const long = (off: number) => (w === 4 ? BigInt(v.getInt32(off, true)) : v.getBigInt64(off, true));
  const get = (off: number) => {
    const sec = long(off);
    const usec = long(off + w);
    if (sec < 0n || usec < 0n || usec >= 1_000_000n) throw new Errno(E.INVAL);
    return Number(sec) * 1e9 + Number(usec) * US;
  };
  return { intervalNs: get(0), valueNs: get(2 * w) };
}

/**
 * The real-time interval timer of a process (SIGALRM on the kernel clock: with a virtual clock it
 * follows emulated time). ITIMER_VIRTUAL and ITIMER_PROF (CPU-time timers) are not emulated: EINVAL.
 */
export const itimerHandlers: Record<string, SyscallHandler> = {
  alarm: (ctx, a) => {
    const seconds = Number(BigInt.asUintN(32, BigInt(a[0]!)));
    const left = alarmLeftNs(ctx);
    ctx.kernel.setAlarm(ctx.task, seconds === 0 ? Infinity : ctx.now() + seconds * 1e9, 0);
    // As alarm_setitimer rounds: a partial second counts as one, half a second or more rounds up.
    const secs = Math.floor(left / 1e9);
    const usec = Math.floor((left % 1e9) / US);
    return (secs === 0 && usec > 0) || usec >= 500_000 ? secs + 1 : secs;
  },
  setitimer: (ctx, a) => {
    if (argInt(a[0]!) !== ITIMER_REAL) throw new Errno(E.INVAL);
    const t = ctx.task;
    const next = argPtr(a[1]!) !== 0 ? readItimerval(ctx, a[1]!) : { intervalNs: 0, valueNs: 0 };
    if (argPtr(a[2]!) !== 0) writeItimerval(ctx, a[2]!, t.alarmIntervalNs, alarmLeftNs(ctx));
    ctx.kernel.setAlarm(t, next.valueNs === 0 ? Infinity : ctx.now() + next.valueNs, next.valueNs === 0 ? 0 : next.intervalNs);
    return 0;
  },
  getitimer: (ctx, a) => {
    if (argInt(a[0]!) !== ITIMER_REAL) throw new Errno(E.INVAL);
    writeItimerval(ctx, a[1]!, ctx.task.alarmIntervalNs, alarmLeftNs(ctx));
    return 0;
  },
};
