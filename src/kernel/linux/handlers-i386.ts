// Linux i386 syscall handlers: how an i386 table row finds its handler. Most i386 calls have the
// x86_64 call's semantics and reuse its handler; arguments arrive as 32-bit registers and are
// widened first (pointers and unsigned types zero-extended, signed types sign-extended). The calls
// that differ on i386 are here: mmap2 and the old mmap, the *64 stat calls (struct stat64),
// _llseek, truncate64/ftruncate64 (64-bit lengths in two registers), fcntl64, waitpid, the old
// signal calls (signal, sigaction, sigprocmask, sigpending, sigreturn), the 16-bit uid getters and
// the *_time32 calls (nanosleep, clock_gettime... with 32-bit timespecs, src/kernel/syscalls/time.ts).
import type { SyscallHandler } from '../handler.js';
import { argInt, argPtr } from '../handler.js';
import type { Int64 } from '../events.js';
import type { KStat } from '../file.js';
import type { SyscallContext } from '../context.js';
import type { Task } from '../task.js';
import type { SyscallRow } from '../syscall-row.js';
import { E, Errno } from '../errno.js';
import { TASK_SIZE_32 } from '../uaccess.js';
import { splitNs } from './abi.js';
import { LINUX_HANDLERS, linuxHandlerFor } from './handlers.js';
import { oldSignalHandlers } from '../syscalls/signal.js';

/** C types whose 32-bit register value is sign-extended; everything else is zero-extended. */
const SIGNED = /^(int|long|long long|off_t|loff_t|pid_t|clockid_t|timer_t|key_t|mqd_t|s32|ssize_t|short|signed char|__s32|old_time32_t|time_t)$/;

/** Widens the 32-bit register values of a call from an i386 task by the row's C types. */
export function widenI386Args(t: Task, row: SyscallRow | undefined, args: Int64[]): Int64[] {
  if (t.user.taskSize !== TASK_SIZE_32) return args;
  const specs = row?.args ?? [];
  return args.map((v, i) => {
    const n = typeof v === 'number' ? v : Number(BigInt.asUintN(32, v));
    const ctype = (specs[i]?.ctype ?? '').replace(/\b(const|volatile|__user)\b/g, '').replace(/\s+/g, ' ').trim();
    return SIGNED.test(ctype) ? n | 0 : n >>> 0;
  });
}

/** Handlers also widen (idempotent), for callers that dispatch without the kernel's ABI hook. */
function wrap(h: SyscallHandler): SyscallHandler {
  return (ctx, args) => h(ctx, widenI386Args(ctx.task, ctx.row, args));
}

/** struct stat64 (i386, 96 bytes). */
export function encodeStat64(st: KStat): Uint8Array {
  const b = new Uint8Array(96);
  const v = new DataView(b.buffer);
  const u64 = (off: number, n: number) => v.setBigUint64(off, BigInt.asUintN(64, BigInt(Math.trunc(n))), true);
  u64(0, st.dev);
  v.setUint32(12, st.ino >>> 0, true); // __st_ino
  v.setUint32(16, st.mode >>> 0, true);
  v.setUint32(20, st.nlink >>> 0, true);
  v.setUint32(24, st.uid >>> 0, true);
  v.setUint32(28, st.gid >>> 0, true);
  u64(32, st.rdev);
  u64(44, st.size);
  v.setUint32(52, st.blksize >>> 0, true);
  u64(56, st.blocks);
  [st.atimeNs, st.mtimeNs, st.ctimeNs].forEach((ns, i) => {
    const [sec, nsec] = splitNs(ns);
    v.setUint32(64 + i * 8, sec >>> 0, true);
    v.setUint32(68 + i * 8, nsec >>> 0, true);
  });
  u64(88, st.ino);
  return b;
}

const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;

function statPath(ctx: SyscallContext, pathArg: Int64, follow: boolean): KStat {
  const path = new TextDecoder().decode(ctx.user.readString(pathArg, 4096));
  if (path === '') throw new Errno(E.NOENT);
  const vfs = ctx.kernel.vfs as { lookup(t: unknown, path: string, follow: boolean): { stat(): KStat } };
  return vfs.lookup(ctx.task, path, follow).stat();
}

function statFd(ctx: SyscallContext, fd: number): KStat {
  const file = ctx.task.fds.get(fd);
  if (!file) throw new Errno(E.BADF);
  return file.ops.stat(file);
}

const stock = (name: string): SyscallHandler => {
  const h = LINUX_HANDLERS[name];
  if (!h) throw new Error(`no x86_64 handler ${name}`);
  return h;
};

/** A 64-bit value passed as two 32-bit registers. */
const pair = (lo: Int64, hi: Int64): number => (argInt(hi) * 0x100000000) + (argInt(lo) >>> 0);

/** Handlers of calls that differ on i386 (arguments already widened). */
const I386_OWN: Record<string, SyscallHandler> = {
  mmap2: (ctx, a) => stock('mmap')(ctx, [a[0]!, a[1]!, a[2]!, a[3]!, argInt(a[4]!), (argInt(a[5]!) >>> 0) * 4096]),
  mmap: (ctx, a) => {
    // The old mmap: one pointer to six 32-bit words.
    const p = argPtr(a[0]!);
    const w = [0, 1, 2, 3, 4, 5].map((i) => ctx.user.readI32(p + i * 4) >>> 0);
    if (w[5]! % 4096) throw new Errno(E.INVAL);
    return stock('mmap')(ctx, [w[0]!, w[1]!, w[2]!, w[3]!, w[4]! | 0, w[5]!]);
  },
  fstat64: (ctx, a) => {
    ctx.user.write(a[1]!, encodeStat64(statFd(ctx, argInt(a[0]!))));
    return 0;
  },
  stat64: (ctx, a) => {
    ctx.user.write(a[1]!, encodeStat64(statPath(ctx, a[0]!, true)));
    return 0;
  },
  lstat64: (ctx, a) => {
    ctx.user.write(a[1]!, encodeStat64(statPath(ctx, a[0]!, false)));
    return 0;
  },
  fstatat64: (ctx, a) => {
    const dirfd = argInt(a[0]!);
    const flags = argInt(a[3]!);
    if (dirfd !== AT_FDCWD) {
      const path = new TextDecoder().decode(ctx.user.readString(a[1]!, 4096));
      if (!path.startsWith('/')) throw new Errno(E.NOSYS);
    }
    ctx.user.write(a[2]!, encodeStat64(statPath(ctx, a[1]!, !(flags & AT_SYMLINK_NOFOLLOW))));
    return 0;
  },
  _llseek: (ctx, a) => {
    const off = pair(a[2]!, a[1]!);
    const r = stock('lseek')(ctx, [a[0]!, off, a[4]!]);
    if (typeof r === 'number' && r < 0) return r;
    ctx.user.writeI64(a[3]!, r as Int64);
    return 0;
  },
  truncate64: (ctx, a) => stock('truncate')(ctx, [a[0]!, pair(a[1]!, a[2]!)]),
  ftruncate64: (ctx, a) => stock('ftruncate')(ctx, [a[0]!, pair(a[1]!, a[2]!)]),
  fcntl64: (ctx, a) => stock('fcntl')(ctx, a),
  waitpid: (ctx, a) => stock('wait4')(ctx, [a[0]!, a[1]!, a[2]!, 0]),
  ...oldSignalHandlers,
};

/** The 16-bit uid getters: the 32-bit value, or the overflow id 65534 when it does not fit. */
const UID16_GETTERS: Record<string, string> = { sys_getuid16: 'getuid', sys_geteuid16: 'geteuid', sys_getgid16: 'getgid', sys_getegid16: 'getegid' };

/** The *_time32 calls: the x86_64 handlers, which read and write 32-bit timespecs for i386 tasks. */
const TIME32: Record<string, string> = {
  sys_time32: 'time', sys_nanosleep_time32: 'nanosleep', sys_clock_gettime32: 'clock_gettime',
  sys_clock_getres_time32: 'clock_getres', sys_clock_nanosleep_time32: 'clock_nanosleep',
  sys_ppoll_time32: 'ppoll', sys_pselect6_time32: 'pselect6',
};

/** The handler an i386 row runs, if any. */
export function linuxI386HandlerFor(name: string, entry: string): SyscallHandler | undefined {
  const time32 = TIME32[entry];
  if (time32) return wrap(stock(time32));
  const own = I386_OWN[name];
  if (own && (entry === `sys_${name}` || entry === 'sys_mmap_pgoff' || entry === 'sys_old_mmap' || entry === 'sys_llseek')) return wrap(own);
  const getter = UID16_GETTERS[entry];
  if (getter) {
    const h = stock(getter);
    return wrap((ctx, a) => {
      const r = h(ctx, a);
      return typeof r === 'number' && r > 0xffff ? 65534 : r;
    });
  }
  const h = linuxHandlerFor(name, entry);
  return h ? wrap(h) : undefined;
}

/** Names of i386 calls implemented only partially. */
export const LINUX_I386_PARTIAL: Record<string, string> = {
  fstatat64: 'a relative path with a directory fd other than AT_FDCWD gives ENOSYS',
};
