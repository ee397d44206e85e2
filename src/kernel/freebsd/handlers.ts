// FreeBSD's syscalls written in TypeScript. Where FreeBSD and Linux mean the same thing the Linux
// handler runs (src/kernel/syscalls/*.ts) with FreeBSD's numbers translated at the edge: open flags,
// mmap flags, signal numbers and masks, sigaction's struct, the wait status, FreeBSD's 224-byte
// struct stat, ioctl requests. A handler returns Linux's convention (value or -errno, Linux numbers;
// dispatch turns errno into FreeBSD's) or throws FreebsdErrno for FreeBSD-only errors (ECAPMODE).
// The kld and mod calls and Capsicum are FreeBSD's own and live in kernel.ts / here.
import type { SyscallContext } from '../context.js';
import type { Int64 } from '../events.js';
import { argInt, argPtr, type SyscallHandler } from '../handler.js';
import { LINUX_HANDLERS } from '../linux/handlers.js';
import { sysctlHandlers } from './sysctl.js';
import { E, Errno } from '../errno.js';
import { BLOCK } from '../wait.js';
import { createPipe } from '../pipe.js';
import { encodeFreebsdStat } from '../../ktrace/recorder.js';
import {
  freebsdMaskOf, freebsdSaFlags, freebsdSignalOf, freebsdWaitStatus, linuxMaskOf, linuxMmapFlags, linuxOpenFlags,
  linuxSaFlags, linuxSignalOf,
} from './abi.js';

/** A FreeBSD errno that has no Linux twin (ECAPMODE...), thrown by a handler. */
export class FreebsdErrno extends Error {
  constructor(readonly errno: number) {
    super(`FreeBSD errno ${errno}`);
    this.name = 'FreebsdErrno';
  }
}

/** What FreeBSD handlers need beyond the SyscallContext (the FreeBSD kernel layer provides it). */
export interface FreebsdServices {
  /** Sets td_retval[1], the second return register, for this call. */
  setRetval2(ctx: SyscallContext, v: Int64): void;
  /** The kld and mod system calls, answered by the module registry. */
  kld: Record<string, SyscallHandler>;
}

const L = LINUX_HANDLERS;

function linux(name: string): SyscallHandler {
  const h = L[name];
  if (!h) throw new Error(`ksim: no Linux handler '${name}'`);
  return h;
}

const FB_TIOCGETA = 0x402c7413;
const FB_TIOCGWINSZ = 0x40087468;
const FB_FIONREAD = 0x4004667f;
const FB_FIONBIO = 0x8004667e;

function ioctlRequest(req: number): number {
  switch (req >>> 0) {
    case FB_TIOCGETA: return 0x5401; // TCGETS
    case FB_TIOCGWINSZ: return 0x5413;
    case FB_FIONREAD: return 0x541b;
    case FB_FIONBIO: return 0x5421;
    default: return -1;
  }
}

/** Linux's struct stat (x86_64, 144 bytes) read back and laid out as FreeBSD's (224 bytes). */
function statToFreebsd(b: Uint8Array): Uint8Array {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u64 = (o: number) => Number(dv.getBigUint64(o, true));
  const ts = (o: number) => ({ sec: Number(dv.getBigInt64(o, true)), nsec: Number(dv.getBigInt64(o + 8, true)) });
  return encodeFreebsdStat({
    dev: u64(0), ino: u64(8), nlink: u64(16), mode: dv.getUint32(24, true), uid: dv.getUint32(28, true),
    gid: dv.getUint32(32, true), rdev: u64(40), size: u64(48), blksize: Number(dv.getBigInt64(56, true)),
    blocks: u64(64), atime: ts(72), mtime: ts(88), ctime: ts(104), birthtime: ts(104), flags: 0,
  });
}

function withStat(ctx: SyscallContext, bufArg: Int64, run: () => Int64 | typeof BLOCK): Int64 | typeof BLOCK {
  // The Linux handler writes its 144-byte struct into the caller's buffer (which holds 224 bytes);
  // it is then rewritten in FreeBSD's layout.
  const r = run();
  if (r === BLOCK || (typeof r === 'number' && r < 0)) return r;
  const linuxStat = ctx.user.read(bufArg, 144);
  ctx.user.write(bufArg, statToFreebsd(linuxStat));
  return r;
}

function readSigset(ctx: SyscallContext, p: Int64): bigint {
  const b = ctx.user.read(p, 16);
  const dv = new DataView(b.buffer, b.byteOffset, 16);
  return linuxMaskOf([0, 4, 8, 12].map((o) => dv.getUint32(o, true)));
}

function writeSigset(ctx: SyscallContext, p: Int64, mask: bigint): void {
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  freebsdMaskOf(mask).forEach((w, i) => dv.setUint32(i * 4, w, true));
  ctx.user.write(p, out);
}

const UNBLOCKABLE = (1n << 8n) | (1n << 18n); // SIGKILL (9), SIGSTOP (19), Linux-numbered bits

// *at() flags: FreeBSD's bits and Linux's.
const FB_AT_EACCESS = 0x100;
const FB_AT_SYMLINK_NOFOLLOW = 0x200;
const FB_AT_SYMLINK_FOLLOW = 0x400;
const FB_AT_REMOVEDIR = 0x800;

function linuxAtFlags(fb: number): number {
  let l = 0;
  if (fb & FB_AT_EACCESS) l |= 0x200;
  if (fb & FB_AT_SYMLINK_NOFOLLOW) l |= 0x100;
  if (fb & FB_AT_SYMLINK_FOLLOW) l |= 0x400;
  if (fb & FB_AT_REMOVEDIR) l |= 0x200;
  if (fb & ~(FB_AT_EACCESS | FB_AT_SYMLINK_NOFOLLOW | FB_AT_SYMLINK_FOLLOW | FB_AT_REMOVEDIR)) throw new Errno(E.INVAL);
  return l;
}

/** FreeBSD's clock ids (sys/_clock_id.h) as Linux's. */
function linuxClockId(fb: number): number {
  if ([0, 9, 10, 13].includes(fb)) return 0; // REALTIME, _PRECISE, _FAST, SECOND
  if ([4, 5, 7, 8, 11, 12].includes(fb)) return 1; // MONOTONIC, UPTIME and their _PRECISE/_FAST
  if (fb === 15) return 2; // PROCESS_CPUTIME_ID
  if (fb === 14) return 3; // THREAD_CPUTIME_ID
  throw new Errno(E.INVAL);
}

/** Linux open flags (F_GETFL's answer) as FreeBSD's. */
function freebsdOpenFlags(l: number): number {
  let fb = l & 3;
  for (const [f, x] of [[0x4, 0x800], [0x8, 0x400], [0x80, 0x101000], [0x100, 0x20000], [0x20000, 0x10000], [0x100000, 0x80000]] as const) {
    if ((l & x) === x) fb |= f;
  }
  return fb;
}

/** FreeBSD 12+ struct dirent: d_fileno, d_off, d_reclen, d_type, d_namlen, then the name (8-aligned). */
function encodeFreebsdDirent(ino: number, off: number, type: number, name: Uint8Array): Uint8Array {
  const len = (24 + name.length + 1 + 7) & ~7;
  const out = new Uint8Array(len);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(ino), true);
  dv.setBigInt64(8, BigInt(off), true);
  dv.setUint16(16, len, true);
  dv.setUint8(18, type);
  dv.setUint16(20, name.length, true);
  out.set(name, 24);
  return out;
}

const textEncoder = new TextEncoder();

export function freebsdHandlers(svc: FreebsdServices): Record<string, SyscallHandler> {
  const h: Record<string, SyscallHandler> = {
    read: linux('read'),
    write: linux('write'),
    close: linux('close'),
    getpid: linux('getpid'),
    getppid: linux('getppid'),
    getuid: linux('getuid'),
    geteuid: linux('geteuid'),
    getgid: linux('getgid'),
    getegid: linux('getegid'),
    fork: linux('fork'),
    execve: linux('execve'),
    munmap: linux('munmap'),
    // exit(2) ends the process (every thread): Linux's exit_group.
    exit: linux('exit_group'),
    open: (ctx, a) => linux('open')(ctx, [a[0]!, linuxOpenFlags(argInt(a[1]!)), a[2]!, 0, 0, 0]),
    openat: (ctx, a) => linux('openat')(ctx, [a[0]!, a[1]!, linuxOpenFlags(argInt(a[2]!)), a[3]!, 0, 0]),
    wait4: (ctx, a) => {
      const r = linux('wait4')(ctx, a);
      if (r === BLOCK || typeof r !== 'number' || r <= 0 || argPtr(a[1]!) <= 0) return r;
      const b = ctx.user.read(a[1]!, 4);
      const st = new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true);
      const out = new Uint8Array(4);
      new DataView(out.buffer).setInt32(0, freebsdWaitStatus(st), true);
      ctx.user.write(a[1]!, out);
      return r;
    },
    pipe2: (ctx, a) => {
      const fl = argInt(a[1]!);
      if (fl & ~(0x100000 | 0x4)) throw new Errno(E.INVAL);
      return linux('pipe2')(ctx, [a[0]!, linuxOpenFlags(fl), 0, 0, 0, 0]);
    },
    // FreeBSD 10's pipe(): both descriptors come back in registers, td_retval[0] and [1].
    'compat10.pipe': (ctx) => {
      const [r, w] = createPipe(ctx.now(), 0);
      const rfd = ctx.task.fds.install(r, false);
      if (rfd < 0) throw new Errno(E.MFILE);
      const wfd = ctx.task.fds.install(w, false);
      if (wfd < 0) {
        ctx.task.fds.close(rfd);
        throw new Errno(E.MFILE);
      }
      svc.setRetval2(ctx, wfd);
      return rfd;
    },
    kill: (ctx, a) => {
      const sig = argInt(a[1]!);
      const l = sig === 0 ? 0 : linuxSignalOf(sig);
      if (l < 0) throw new Errno(E.INVAL);
      return linux('kill')(ctx, [a[0]!, l, 0, 0, 0, 0]);
    },
    // Returning from a handler: the kernel restores the state its signal frame saved.
    sigreturn: (ctx) => ctx.kernel.sigreturn(ctx.task) as Int64,
    // struct sigaction { void (*sa_handler)(int); int sa_flags; sigset_t sa_mask; } (32 bytes)
    sigaction: (ctx, a) => {
      const sig = argInt(a[0]!);
      const l = linuxSignalOf(sig);
      if (sig <= 0 || sig > 128 || l <= 0) throw new Errno(E.INVAL);
      const t = ctx.task;
      const cur = t.sigactions[l]!;
      let next: typeof cur | undefined;
      if (argPtr(a[1]!) !== 0) {
        const b = ctx.user.read(a[1]!, 32);
        const dv = new DataView(b.buffer, b.byteOffset, 32);
        const handler = Number(dv.getBigInt64(0, true));
        const words = [12, 16, 20, 24].map((o) => dv.getUint32(o, true));
        if ((l === 9 || l === 19) && handler !== 0) throw new Errno(E.INVAL);
        next = { handler, flags: linuxSaFlags(dv.getInt32(8, true)), mask: linuxMaskOf(words) & ~UNBLOCKABLE, restorer: 0 };
      }
      if (argPtr(a[2]!) !== 0) {
        const out = new Uint8Array(32);
        const dv = new DataView(out.buffer);
        dv.setBigInt64(0, BigInt(cur.handler), true);
        dv.setInt32(8, freebsdSaFlags(cur.flags), true);
        freebsdMaskOf(cur.mask).forEach((w, i) => dv.setUint32(12 + i * 4, w, true));
        ctx.user.write(a[2]!, out);
      }
      if (next) t.sigactions[l] = next;
      return 0;
    },
    sigprocmask: (ctx, a) => {
      const how = argInt(a[0]!);
      const t = ctx.task;
      const old = t.blocked;
      if (argPtr(a[1]!) !== 0) {
        const set = readSigset(ctx, a[1]!);
        if (how === 1) t.blocked = old | set;
        else if (how === 2) t.blocked = old & ~set;
        else if (how === 3) t.blocked = set;
        else throw new Errno(E.INVAL);
        t.blocked &= ~UNBLOCKABLE;
      }
      if (argPtr(a[2]!) !== 0) writeSigset(ctx, a[2]!, old);
      return 0;
    },
    mmap: (ctx, a) => linux('mmap')(ctx, [a[0]!, a[1]!, a[2]!, linuxMmapFlags(argInt(a[3]!)), a[4]!, a[5]!]),
    // break(2): moves the end of the data segment and returns the break (td_retval[0], as FreeBSD's
    // sys_break sets it); break(0) reports the current break.
    break: (ctx, a) => {
      const want = argPtr(a[0]!);
      const r = linux('brk')(ctx, [want, 0, 0, 0, 0, 0]);
      if (want !== 0 && typeof r === 'number' && r !== want) throw new Errno(E.NOMEM);
      return r;
    },
    fstat: (ctx, a) => withStat(ctx, a[1]!, () => linux('fstat')(ctx, a)),
    ioctl: (ctx, a) => {
      const req = ioctlRequest(argInt(a[1]!));
      if (req < 0) {
        if (!ctx.task.fds.get(argInt(a[0]!))) throw new Errno(E.BADF);
        throw new Errno(E.NOTTY);
      }
      return linux('ioctl')(ctx, [a[0]!, req, a[2]!, 0, 0, 0]);
    },
    utrace: (ctx, a) => {
      const len = argInt(a[1]!);
      if (len < 0 || len > 2048) throw new Errno(E.INVAL);
      const data = ctx.user.read(a[0]!, len);
      const k = ctx.kernel;
      if (k.observers.length) {
        const e = { task: k.traceView(ctx.task), data, timeNs: ctx.now() };
        for (const o of k.observers) o.userTrace?.(e);
      }
      return 0;
    },
    dup: linux('dup'),
    dup2: linux('dup2'),
    lseek: linux('lseek'),
    pread: linux('pread64'),
    pwrite: linux('pwrite64'),
    readv: linux('readv'),
    writev: linux('writev'),
    chdir: linux('chdir'),
    fchdir: linux('fchdir'),
    access: linux('access'),
    faccessat: (ctx, a) => linux('faccessat2')(ctx, [a[0]!, a[1]!, a[2]!, linuxAtFlags(argInt(a[3]!)), 0, 0]),
    unlink: linux('unlink'),
    unlinkat: (ctx, a) => linux('unlinkat')(ctx, [a[0]!, a[1]!, linuxAtFlags(argInt(a[2]!)), 0, 0, 0]),
    rmdir: linux('rmdir'),
    mkdir: linux('mkdir'),
    mkdirat: linux('mkdirat'),
    rename: linux('rename'),
    renameat: linux('renameat'),
    symlink: linux('symlink'),
    symlinkat: linux('symlinkat'),
    readlink: linux('readlink'),
    readlinkat: linux('readlinkat'),
    link: linux('link'),
    chmod: linux('chmod'),
    fchmod: linux('fchmod'),
    chown: linux('chown'),
    fchown: linux('fchown'),
    lchown: linux('lchown'),
    umask: linux('umask'),
    fsync: linux('fsync'),
    ftruncate: linux('ftruncate'),
    truncate: linux('truncate'),
    getpgrp: linux('getpgrp'),
    getpgid: linux('getpgid'),
    setpgid: linux('setpgid'),
    setsid: linux('setsid'),
    getsid: linux('getsid'),
    setuid: linux('setuid'),
    setgid: linux('setgid'),
    poll: linux('poll'),
    sched_yield: linux('sched_yield'),
    nanosleep: linux('nanosleep'),
    gettimeofday: linux('gettimeofday'),
    clock_gettime: (ctx, a) => linux('clock_gettime')(ctx, [linuxClockId(argInt(a[0]!)), a[1]!, 0, 0, 0, 0]),
    clock_getres: (ctx, a) => linux('clock_getres')(ctx, [linuxClockId(argInt(a[0]!)), a[1]!, 0, 0, 0, 0]),
    fstatat: (ctx, a) => withStat(ctx, a[2]!, () => linux('newfstatat')(ctx, [a[0]!, a[1]!, a[2]!, linuxAtFlags(argInt(a[3]!)), 0, 0])),
    fcntl: (ctx, a) => {
      const cmd = argInt(a[1]!);
      if (cmd === 17) return linux('fcntl')(ctx, [a[0]!, 1030, a[2]!, 0, 0, 0]); // F_DUPFD_CLOEXEC
      if (cmd === 4) return linux('fcntl')(ctx, [a[0]!, 4, linuxOpenFlags(argInt(a[2]!)), 0, 0, 0]); // F_SETFL
      if (cmd === 3) {
        const r = linux('fcntl')(ctx, [a[0]!, 3, 0, 0, 0, 0]); // F_GETFL
        return typeof r === 'number' && r >= 0 ? freebsdOpenFlags(r) : r;
      }
      if (cmd >= 0 && cmd <= 2) return linux('fcntl')(ctx, [a[0]!, cmd, a[2]!, 0, 0, 0]); // F_DUPFD, F_GETFD, F_SETFD
      throw new Errno(E.INVAL);
    },
    // __getcwd(2) returns 0, not the length as Linux's getcwd does.
    __getcwd: (ctx, a) => {
      const r = linux('getcwd')(ctx, a);
      return typeof r === 'number' && r > 0 ? 0 : r;
    },
    getdirentries: (ctx, a) => {
      const fd = argInt(a[0]!);
      const file = ctx.task.fds.get(fd);
      if (!file) throw new Errno(E.BADF);
      if (!file.ops.readdir) throw new Errno(E.INVAL); // FreeBSD: not a directory
      const count = argInt(a[2]!) >>> 0;
      const base = file.pos;
      const recs: Uint8Array[] = [];
      let used = 0;
      for (const e of file.ops.readdir(file)) {
        const rec = encodeFreebsdDirent(e.ino, base + recs.length + 1, e.type, textEncoder.encode(e.name));
        if (used + rec.length > count) {
          if (!recs.length) throw new Errno(E.INVAL);
          break;
        }
        recs.push(rec);
        used += rec.length;
      }
      const out = new Uint8Array(used);
      let off = 0;
      for (const r of recs) {
        out.set(r, off);
        off += r.length;
      }
      ctx.user.write(a[1]!, out);
      file.pos += recs.length;
      if (argPtr(a[3]!) !== 0) {
        const b = new Uint8Array(8);
        new DataView(b.buffer).setBigInt64(0, BigInt(base), true);
        ctx.user.write(a[3]!, b);
      }
      return used;
    },
    // sysctl(3): uname(3)'s strings and dmesg(8)'s kern.msgbuf (src/kernel/freebsd/sysctl.ts).
    ...sysctlHandlers,
    cap_enter: (ctx) => {
      ctx.task.capMode = true;
      return 0;
    },
    cap_getmode: (ctx, a) => {
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, ctx.task.capMode ? 1 : 0, true);
      ctx.user.write(a[0]!, out);
      return 0;
    },
    ...svc.kld,
  };
  return h;
}

export { freebsdSignalOf };
