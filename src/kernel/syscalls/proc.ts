// Process syscalls: identity (getpid...), fork/vfork/clone, execve, exit/exit_group, wait4, and
// credentials. Semantics and errno values are Linux's.
import type { SyscallHandler } from '../handler.js';
import { argInt, argPtr } from '../handler.js';
import type { Int64 } from '../events.js';
import { E, Errno } from '../errno.js';
import { BLOCK } from '../wait.js';
import { NORETURN, type Kernel } from '../kernel.js';
import type { Task } from '../task.js';
import type { Cpu } from '../../runtime/cpu.js';
import { setupImage, type ExecImage } from '../exec.js';
import { TASK_SIZE_32 } from '../uaccess.js';

const WNOHANG = 1;
const WUNTRACED = 2;
const __WALL = 0x40000000;
const CLONE_VM = 0x100;
const CLONE_THREAD = 0x10000;
const MAX_ARG_STRINGS = 0x7fffffff;
const ARG_MAX = 2 * 1024 * 1024;

/** What execve needs from the file system and the image format (set up by the machine). */
export interface ExecSupport {
  /** Resolves and reads an executable for t; an errno number on failure (ENOENT, EACCES...). */
  readExecutable(t: Task, path: string): { bytes: Uint8Array; path: string } | number;
  /** Reads a whole file the kernel itself loads (a FreeBSD .ko for kldload(2)): it must be readable. */
  readFileForKernel?(t: Task, path: string): { bytes: Uint8Array; path: string } | number;
  loadImage(bytes: Uint8Array, path: string): ExecImage | number;
  /** 16 bytes for AT_RANDOM. */
  random(): Uint8Array;
}

function execSupport(k: Kernel): ExecSupport {
  return (k as unknown as { exec: ExecSupport }).exec;
}

function forkTask(ctx: Parameters<SyscallHandler>[0]): Int64 {
  const k = ctx.kernel;
  const parent = ctx.task;
  if (k.liveTaskCount() >= k.limits.nproc) {
    k.notices.push(`ksim: fork refused for pid ${parent.pid} (${parent.comm}): process limit of ${k.limits.nproc} reached (raise it with --max-procs)`);
    throw new Errno(E.AGAIN);
  }
  const child = k.newTask(parent);
  const mm = parent.mm.clone();
  child.setMemory(mm, parent.user.taskSize);
  child.fds = parent.fds.clone();
  child.brkStart = parent.brkStart;
  child.brk = parent.brk;
  child.image = parent.image;
  const cpu = (parent.cpu as Cpu).clone(mm);
  cpu.context = child;
  cpu.rv = 0; // the child sees fork() return 0
  child.cpu = cpu;
  if (k.observers.length) {
    const e = { task: k.traceView(parent), child: k.traceView(child), timeNs: k.clock.uptimeNs() };
    for (const o of k.observers) o.fork?.(e);
  }
  k.enqueue(child);
  return child.pid;
}

/** A NULL-terminated array of string pointers (argv, envp): 4-byte pointers for i386 tasks. */
export function readStringArray(ctx: Parameters<SyscallHandler>[0], p: Int64): Uint8Array[] {
  const out: Uint8Array[] = [];
  const addr = argPtr(p);
  if (addr === 0) return out;
  // An i386 task's argv/envp are arrays of 4-byte pointers (the compat execve of a 64-bit kernel).
  const compat = ctx.task.user.taskSize === TASK_SIZE_32;
  const word = compat ? 4 : 8;
  let total = 0;
  for (let i = 0; i < MAX_ARG_STRINGS; i++) {
    const s = compat ? ctx.user.readI32(addr + i * 4) >>> 0 : ctx.user.readI64(addr + i * 8);
    if (s === 0) break;
    const bytes = ctx.user.readString(s, 131072, E['2BIG']);
    total += bytes.length + 1 + word;
    if (total > ARG_MAX) throw new Errno(E['2BIG']);
    out.push(bytes);
  }
  return out;
}

const decoder = new TextDecoder();

function execve(ctx: Parameters<SyscallHandler>[0], pathArg: Int64, argvArg: Int64, envpArg: Int64): Int64 {
  const k = ctx.kernel;
  const t = ctx.task;
  const pathBytes = ctx.user.readString(pathArg, 4096);
  const argv = readStringArray(ctx, argvArg);
  const envp = readStringArray(ctx, envpArg);
  const path = decoder.decode(pathBytes);
  if (path === '') throw new Errno(E.NOENT);
  const support = execSupport(k);
  const file = support.readExecutable(t, path);
  const fail = (errno: number): never => {
    if (k.observers.length) {
      const e = { task: k.traceView(t), path, argv: argv.map((a) => decoder.decode(a)), ok: false, errno, timeNs: k.clock.uptimeNs() };
      for (const o of k.observers) o.exec?.(e);
    }
    throw new Errno(errno);
  };
  if (typeof file === 'number') return fail(file);
  const image = support.loadImage(file.bytes, file.path);
  if (typeof image === 'number') return fail(image);
  // Point of no return: the old image is gone.
  t.cpu = setupImage(t, image, argv, envp, pathBytes, support.random(), k.limits.memPages);
  t.image = image;
  t.exePath = file.path;
  const base = file.path.slice(file.path.lastIndexOf('/') + 1);
  t.comm = base.slice(0, 15);
  t.argv = argv.map((a) => decoder.decode(a));
  t.fds.closeOnExec();
  for (const a of t.sigactions) if (typeof a.handler !== 'number' || a.handler > 1) {
    a.handler = 0;
    a.flags = 0;
    a.mask = 0n;
  }
  if (k.observers.length) {
    const e = { task: k.traceView(t), path: file.path, argv: t.argv, ok: true, errno: 0, timeNs: k.clock.uptimeNs() };
    for (const o of k.observers) o.exec?.(e);
  }
  return 0;
}

function wait4(ctx: Parameters<SyscallHandler>[0], pidArg: Int64, statusPtr: Int64, optArg: Int64): Int64 | typeof BLOCK {
  const k = ctx.kernel;
  const t = ctx.task;
  const pid = argInt(pidArg);
  const options = argInt(optArg);
  if (options & ~(WNOHANG | WUNTRACED | 8 /* WCONTINUED */ | __WALL | 0x80000000 | 0x20000000)) throw new Errno(E.INVAL);
  const matches = (c: Task) =>
    pid === -1 ? true : pid > 0 ? c.pid === pid : pid === 0 ? c.pgid === t.pgid : c.pgid === -pid;
  const candidates = [...t.children].filter(matches);
  if (candidates.length === 0) throw new Errno(E.CHILD);
  const zombie = candidates.find((c) => c.state === 'zombie');
  if (zombie) {
    if (argPtr(statusPtr) !== 0) ctx.user.writeI32(statusPtr, zombie.exitStatus);
    k.reap(zombie);
    return zombie.pid;
  }
  if (options & WNOHANG) return 0;
  return ctx.sleepOn(t.childExit, 'wait');
}

export const procHandlers: Record<string, SyscallHandler> = {
  getpid: (ctx) => ctx.task.pid,
  gettid: (ctx) => ctx.task.tid,
  getppid: (ctx) => ctx.task.ppid,
  getuid: (ctx) => ctx.task.uid,
  geteuid: (ctx) => ctx.task.euid,
  getgid: (ctx) => ctx.task.gid,
  getegid: (ctx) => ctx.task.egid,
  getpgrp: (ctx) => ctx.task.pgid,
  getpgid: (ctx, a) => {
    const pid = argInt(a[0]!);
    if (pid === 0) return ctx.task.pgid;
    const t = ctx.kernel.tasks.get(pid);
    if (!t) throw new Errno(E.SRCH);
    return t.pgid;
  },
  setpgid: (ctx, a) => {
    const pid = argInt(a[0]!) || ctx.task.pid;
    const pgid = argInt(a[1]!) || pid;
    if (pgid < 0) throw new Errno(E.INVAL);
    const t = ctx.kernel.tasks.get(pid);
    if (!t || (t !== ctx.task && t.parent !== ctx.task)) throw new Errno(E.SRCH);
    t.pgid = pgid;
    return 0;
  },
  getsid: (ctx, a) => {
    const pid = argInt(a[0]!);
    const t = pid === 0 ? ctx.task : ctx.kernel.tasks.get(pid);
    if (!t) throw new Errno(E.SRCH);
    return t.sid;
  },
  setsid: (ctx) => {
    const t = ctx.task;
    if (t.pgid === t.pid) throw new Errno(E.PERM);
    t.sid = t.pid;
    t.pgid = t.pid;
    return t.sid;
  },
  setuid: (ctx, a) => {
    const uid = argInt(a[0]!);
    const t = ctx.task;
    if (uid < 0) throw new Errno(E.INVAL);
    if (t.euid === 0) {
      t.uid = t.euid = t.suid = uid;
    } else if (uid === t.uid || uid === t.suid) {
      t.euid = uid;
    } else throw new Errno(E.PERM);
    return 0;
  },
  setgid: (ctx, a) => {
    const gid = argInt(a[0]!);
    const t = ctx.task;
    if (gid < 0) throw new Errno(E.INVAL);
    if (t.euid === 0) {
      t.gid = t.egid = t.sgid = gid;
    } else if (gid === t.gid || gid === t.sgid) {
      t.egid = gid;
    } else throw new Errno(E.PERM);
    return 0;
  },
  fork: (ctx) => forkTask(ctx),
  vfork: (ctx) => forkTask(ctx),
  clone: (ctx, a) => {
    const flags = argInt(a[0]!);
    // Threads (a shared address space) are not supported: ksim's processes are single-threaded.
    if (flags & (CLONE_VM | CLONE_THREAD)) throw new Errno(E.NOSYS);
    return forkTask(ctx);
  },
  execve: (ctx, a) => execve(ctx, a[0]!, a[1]!, a[2]!),
  exit: (ctx, a) => {
    ctx.kernel.exitTask(ctx.task, argInt(a[0]!));
    return NORETURN as never;
  },
  exit_group: (ctx, a) => {
    ctx.kernel.exitTask(ctx.task, argInt(a[0]!));
    return NORETURN as never;
  },
  wait4: (ctx, a) => wait4(ctx, a[0]!, a[1]!, a[2]!),
  set_tid_address: (ctx, a) => {
    ctx.task.clearChildTid = a[0]!;
    return ctx.task.tid;
  },
  arch_prctl: (ctx, a) => {
    const code = argInt(a[0]!);
    const ARCH_SET_FS = 0x1002;
    const ARCH_GET_FS = 0x1003;
    if (code === ARCH_SET_FS) {
      ctx.task.fsBase = a[1]!;
      return 0;
    }
    if (code === ARCH_GET_FS) {
      ctx.user.writeI64(a[1]!, ctx.task.fsBase);
      return 0;
    }
    throw new Errno(E.INVAL);
  },
  sched_yield: (ctx) => {
    const cpu = ctx.task.cpu as Cpu;
    cpu.budget = 0; // give up the rest of the time slice
    return 0;
  },
};
