// `ksim_tool` (number 1001 on x86_64 Linux machines, next to ksim_utrace, and on FreeBSD ones, past syscalls.master): how the machine's own /bin/strace,
// /bin/ktrace, /bin/kdump and /bin/dtrace reach ksim's tracers, the way libdtrace reaches
// /dev/dtrace. The program passes its tool name, argv and environment; the kernel hands them to a
// tool runner registered at boot (src/machine/tools.ts). A runner either answers at once (kdump,
// usage errors, -l listings) or names a command: the kernel starts it as a child of the caller
// (fds, cwd and credentials inherited, PATH searched), with the runner's observers attached
// before its execve, and the caller sleeps until the child ends; the call returns the runner's
// exit status. A signal that interrupts the wait (^C) returns EINTR; when the tool process then
// ends, its tracer is wound up (dtrace prints its aggregations) and the command goes on untraced. Output goes to the caller's descriptors 1 and 2 as they were at the call.
// A runner may instead grab a running process of the machine (dtrace -p PID): its observers are
// attached at once and the caller sleeps until that process ends (or the runner says it is done).
import type { SyscallHandler } from '../handler.js';
import { argPtr } from '../handler.js';
import type { SyscallRow } from '../syscall-row.js';
import type { SyscallContext } from '../context.js';
import type { Int64, KernelObserver, TraceTask } from '../events.js';
import type { Kernel, TaskEnd } from '../kernel.js';
import type { Task } from '../task.js';
import type { OpenFile } from '../file.js';
import { releaseFile } from '../file.js';
import { pipeOf } from '../pipe.js';
import { E, Errno } from '../errno.js';
import { WaitQueue } from '../wait.js';
import { bootstrapExec } from '../exec.js';
import { readStringArray } from './proc.js';
import { TASK_SIZE_32 } from '../uaccess.js';

export const KSIM_TOOL_NR = 1001;

export const ksimToolRow: SyscallRow = {
  nr: KSIM_TOOL_NR,
  name: 'ksim_tool',
  abi: 'ksim',
  entry: 'sys_ksim_tool',
  args: [
    { name: 'tool', ctype: 'const char __user *', fmt: 'str', dir: 'in' },
    { name: 'argv', ctype: 'const char __user *const __user *', fmt: 'ptr', dir: 'in' },
    { name: 'envp', ctype: 'const char __user *const __user *', fmt: 'ptr', dir: 'in' },
  ],
  ret: 'int',
  support: 'full',
  note: "ksim-specific: runs ksim's tracers (strace, ktrace, kdump, dtrace) for the machine's own /bin programs",
  classes: [],
  custom: false,
};

/** What a tool sees of the machine: the caller's terminal and files, the kernel and its rows. */
export interface ToolIo {
  kernel: Kernel;
  rows: readonly SyscallRow[];
  /** Writes to the caller's standard output / standard error. */
  stdout(data: string | Uint8Array): void;
  stderr(data: string | Uint8Array): void;
  /** Reads a whole file of the machine as the caller (relative paths from its cwd); throws Errno. */
  readFile(path: string): Uint8Array;
  /** Opens a file of the machine for writing as the caller (created 0644; truncated, or appended); throws Errno. */
  openWrite(path: string, append: boolean): (data: string | Uint8Array) => void;
}

/** How the traced command ended, for the runner's last words. */
export interface ToolEnd extends TaskEnd {
  /** The status a shell reports: the exit code, or 128 + the signal (its number on the machine's OS: FreeBSD's SIGSYS is 12). */
  status: number;
}

export type ToolStart =
  | { status: number }
  | {
      /** The command to run (argv[0] is searched in PATH when it has no slash). */
      command: string[];
      /** Observers attached before the command's execve, detached when the tool ends. */
      observers: KernelObserver[];
      /** Called with the command's task before its execve and before observers are attached (ktrace marks it traced, strace attaches). */
      started?(child: TraceTask): void;
      /**
       * The command ended (end), or the tool itself was ended first (undefined: a signal such as
       * ^C killed the calling process; the command goes on untraced); returns the tool's status.
       */
      ended(end: ToolEnd | undefined): number;
      /** The command could not be executed (errno); returns the tool's exit status. */
      execFailed(path: string, errno: number): number;
    }
  | {
      /** A running process of the machine to trace until it ends (the runner checked that it exists). */
      grab: number;
      /** Observers attached at once, detached when the tool ends. */
      observers: KernelObserver[];
      /** Asked after the machine's syscalls, context switches and time slices: true ends the wait (dtrace's exit()). */
      done?(): boolean;
      /** The process ended (end), the tool is done with it (undefined, the process goes on), or the caller was killed (undefined); returns the tool's status. */
      ended(end: ToolEnd | undefined): number;
    };

export type ToolRunner = (argv: string[], io: ToolIo) => ToolStart;

const KEY = 'ksim_tool';
const decoder = new TextDecoder();
const encoder = new TextEncoder();

interface ToolCall {
  /** What the caller sleeps on until done. */
  queue: WaitQueue;
  finish(): number;
  /** The caller stopped waiting (interrupted or dead): wind up when the child ends. */
  abandoned: boolean;
  done: boolean;
}

/** The tool's own process ended before the traced one (^C): the tracer stops and prints its last words. */
function abandon(call: ToolCall): void {
  call.abandoned = true;
  call.finish();
}

/**
 * The traced process ended (or the runner is done): when nobody waits for the result any more (the
 * caller was interrupted or has ended) the tool winds up now, else wake lets the caller collect it.
 */
function settle(t: Task, call: ToolCall, wake?: () => void): void {
  call.done = true;
  if (call.abandoned || t.state === 'zombie' || t.scratch.get(KEY) !== call) abandon(call);
  else wake?.();
}

/** How a traced process ended, with the status a shell reports (128 + the signal as the ABI numbers it). */
function toolEnd(k: Kernel, pid: number, signo: number | undefined, code: number, coreDumped: boolean): ToolEnd {
  return { pid, coreDumped, status: signo !== undefined ? 128 + (k.abi?.handlerSignal?.(signo) ?? signo) : code, ...(signo !== undefined ? { signo } : { code }) };
}

/** argv or envp as execve reads them (4-byte pointers from an i386 task). */
function readStrings(ctx: SyscallContext, p: Int64): string[] {
  return readStringArray(ctx, p).map((b) => decoder.decode(b));
}

/** A non-blocking write to a file description: a pipe takes everything (beyond its capacity). */
function writeTo(ctx: SyscallContext, file: OpenFile, data: Uint8Array): void {
  if (data.length === 0) return;
  const pipe = pipeOf(file);
  if (pipe) {
    if (pipe.readers === 0) return;
    pipe.put(data);
    pipe.readWait.wakeAll();
    return;
  }
  file.ops.write?.(ctx, file, data);
}

/** The syscall's handler over the registered runners, by tool name. */
export function ksimToolHandler(runners: Readonly<Record<string, ToolRunner>>, rows: readonly SyscallRow[]): SyscallHandler {
  return (ctx, args) => {
    const t = ctx.task;
    const pendingCall = t.scratch.get(KEY) as ToolCall | undefined;
    if (pendingCall) {
      if (!pendingCall.done) return ctx.sleepOn(pendingCall.queue, 'ksimtool');
      t.scratch.delete(KEY);
      return pendingCall.finish();
    }
    const name = decoder.decode(ctx.user.readString(args[0]!, 64));
    const runner = Object.hasOwn(runners, name) ? runners[name] : undefined;
    if (!runner) throw new Errno(E.NOSYS);
    const argv = readStrings(ctx, args[1]!);
    const envp = readStrings(ctx, args[2]!);
    const k = ctx.kernel;
    const vfs = k.vfs;
    // The caller's descriptors 1 and 2 as they are now, held until the tool ends.
    const held: OpenFile[] = [];
    const hold = (fd: number) => {
      const f = t.fds.get(fd);
      if (f) {
        f.refs++;
        held.push(f);
      }
      return f;
    };
    const out = hold(1);
    const err = hold(2);
    const bytes = (d: string | Uint8Array) => (typeof d === 'string' ? encoder.encode(d) : d);
    const io: ToolIo = {
      kernel: k,
      rows,
      stdout: (d) => {
        if (out) writeTo(ctx, out, bytes(d));
      },
      stderr: (d) => {
        if (err) writeTo(ctx, err, bytes(d));
      },
      readFile: (path) => {
        const node = vfs.lookup(t, path, true);
        const f: OpenFile = vfs.openNode(t, node, 0, path);
        try {
          const size = vfs.stat(node).size;
          return f.ops.pread ? f.ops.pread(ctx, f, size, 0) : new Uint8Array(0);
        } finally {
          f.ops.release?.(f);
        }
      },
      openWrite: (path, append) => {
        const O_WRONLY = 1, O_CREAT = 0o100, O_TRUNC = 0o1000, O_APPEND = 0o2000;
        const f: OpenFile = vfs.open(t, path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o644);
        f.refs++;
        held.push(f);
        return (d) => writeTo(ctx, f, bytes(d));
      },
    };
    const release = () => {
      for (const f of held.splice(0)) releaseFile(f);
    };
    let start: ToolStart;
    try {
      start = runner(argv, io);
    } catch (e) {
      release();
      throw e;
    }
    if ('status' in start) {
      release();
      return start.status;
    }
    if ('grab' in start) return grab(ctx, start, release);
    const s = start;
    const path = resolveCommand(k, t, s.command[0] ?? '', envp);
    // A command that is not there is reported before anything starts (as strace's stat does).
    try {
      vfs.lookup(t, path, true);
    } catch (e) {
      if (!(e instanceof Errno)) throw e;
      try {
        return s.execFailed(path, e.errno);
      } finally {
        release();
      }
    }
    const child = k.newTask(t);
    child.fds = t.fds.clone();
    // An i386 caller's command starts as an i386 process would exec it (its argv below 3 GiB).
    const execArgs = bootstrapExec(child, path, s.command, envp, t.user.taskSize === TASK_SIZE_32);
    // Observers hear the command from its execve on; none of them hears the caller's call end.
    const watcher: KernelObserver = {
      exit: (e) => {
        if (e.task.pid === t.pid) abandon(call);
        // The caller is woken by its child's exit (t.childExit) when it still waits.
        else if (e.task.pid === child.pid) settle(t, call);
      },
    };
    let finished = false;
    const call: ToolCall = {
      queue: t.childExit,
      abandoned: false,
      done: false,
      finish: () => {
        if (finished) return 0;
        finished = true;
        for (const o of [...s.observers, watcher]) k.detach(o);
        const end = call.done ? toolEnd(k, child.pid, child.killedBy, child.exitCode ?? 0, (child.exitStatus & 0x80) !== 0) : undefined;
        if (child.state === 'zombie' && child.parent === t) k.reap(child);
        let status: number;
        try {
          status = s.ended(end);
        } finally {
          release();
        }
        return status;
      },
    };
    s.started?.(k.traceView(child));
    for (const o of s.observers) k.attach(o);
    k.attach(watcher);
    const nr = k.rowsByName.get('execve')?.nr ?? 59;
    const res = k.syscall(child, nr, execArgs);
    if (typeof res === 'number' && res < 0) {
      for (const o of [...s.observers, watcher]) k.detach(o);
      k.exitTask(child, 127);
      if (child.state === 'zombie') k.reap(child);
      try {
        return s.execFailed(path, -res);
      } finally {
        release();
      }
    }
    k.enqueue(child);
    t.scratch.set(KEY, call);
    return ctx.sleepOn(t.childExit, 'ksimtool');
  };
}

/** The caller traces a running process (start.grab) until it ends or the runner is done. */
function grab(ctx: SyscallContext, start: Extract<ToolStart, { grab: number }>, release: () => void): number | ReturnType<SyscallContext['sleepOn']> {
  const t = ctx.task;
  const k = ctx.kernel;
  const pid = start.grab;
  let end: ToolEnd | undefined;
  let finished = false;
  const call: ToolCall = {
    queue: new WaitQueue('ksimtool'),
    abandoned: false,
    done: false,
    finish: () => {
      if (finished) return 0;
      finished = true;
      for (const o of [...start.observers, watcher]) k.detach(o);
      try {
        return start.ended(end);
      } finally {
        release();
      }
    },
  };
  const over = () => settle(t, call, () => call.queue.wakeAll());
  const poll = () => {
    if (!call.done && start.done?.()) over();
  };
  const watcher: KernelObserver = {
    exit: (e) => {
      if (e.task.pid === t.pid) return abandon(call);
      if (e.task.pid !== pid || call.done) return;
      end = toolEnd(k, pid, e.signo, e.code ?? 0, e.coreDumped);
      over();
    },
    // After each syscall, block and time slice: a process that never makes a syscall ends the
    // wait at its next slice.
    syscallExit: poll,
    contextSwitch: poll,
    sched: poll,
  };
  for (const o of start.observers) k.attach(o);
  k.attach(watcher);
  t.scratch.set(KEY, call);
  return ctx.sleepOn(call.queue, 'ksimtool');
}

/** argv[0] as execve gets it: with a slash as it is, else the first match in the caller's PATH. */
function resolveCommand(k: Kernel, t: Task, cmd: string, envp: string[]): string {
  if (cmd.includes('/') || cmd === '') return cmd;
  const pathVar = envp.find((e) => e.startsWith('PATH='))?.slice(5) ?? '/usr/local/bin:/usr/bin:/bin';
  for (const dir of pathVar.split(':')) {
    const candidate = `${dir === '' ? '.' : dir}/${cmd}`;
    try {
      const node = k.vfs.lookup(t, candidate, true);
      if ((k.vfs.stat(node).mode & 0o170000) === 0o100000) return candidate;
    } catch {
      // not in this directory
    }
  }
  return cmd;
}

