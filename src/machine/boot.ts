// Booting a machine: assembles a Kernel from a built kernel (rows, TypeScript handlers, kernel C),
// a VFS with the host directory mounted, the console, the clock and the kernel log; then runs
// programs on it. Used by `ksim run`, the tracers and the library alike. Core code: the host comes
// in through the Host interface.
import type { Host } from '../host/host.js';
import type { MachineConfig } from './config.js';
import type { BuiltKernel } from './build.js';
import { Kernel, NORETURN, type TaskEnd } from '../kernel/kernel.js';
import type { Console } from '../kernel/console.js';
import type { KernelClock } from '../kernel/clock.js';
import type { TaskLimits, Task } from '../kernel/task.js';
import type { SyscallHandler } from '../kernel/handler.js';
import type { SyscallRow } from '../kernel/syscall-row.js';
import { buildLinuxRows, type SignatureInfo } from '../kernel/linux/rows.js';
import { LINUX_PARTIAL, linuxHandlerFor } from '../kernel/linux/handlers.js';
import { LINUX_I386_PARTIAL, linuxI386HandlerFor, widenI386Args } from '../kernel/linux/handlers-i386.js';
import { stockRows } from './tbl.js';
import { KernelC, registerKernelApi } from '../kernel/kc/kernel-c.js';
import { KernelLog, type LogRecord, type LogSink } from '../kernel/log.js';
import { Vfs } from '../kernel/vfs/vfs.js';
import { KernelRandom } from '../kernel/syscalls/info.js';
import { ksimUtrace, ksimUtraceRow } from '../kernel/syscalls/ksim.js';
import { ksimToolHandler, ksimToolRow, type ToolRunner } from '../kernel/syscalls/ksim-tool.js';
import { E, Errno } from '../kernel/errno.js';
import { bootstrapExec, type ExecImage } from '../kernel/exec.js';
import { unameRelease } from './config.js';
import { compareReleases } from './release.js';
import { attachFreebsd, freebsdRowsOf } from '../kernel/freebsd/machine.js';
import type { FreebsdKernel } from '../kernel/freebsd/kernel.js';
import { registerFreebsdKernelApi } from '../kernel/freebsd/kernel.js';
import { freebsdSignalOf } from '../kernel/freebsd/abi.js';
import { attachSyslog } from '../kernel/syscalls/syslog.js';

export const DEFAULT_LIMITS: TaskLimits = {
  cpuSoft: 4_000_000_000,
  cpuHard: 5_000_000_000,
  memPages: (512 * 1024 * 1024) / 4096,
  nproc: 256,
};

/** Loads executables and kernel images (the C toolchain's loader, injected to keep layers apart). */
export interface ImageSupport {
  loadExecutable(bytes: Uint8Array, path: string): ExecImage | number;
  loadKernel(image: string, kc: KernelC): void;
  /** The typed signature of a stock syscall (strace/D decoding). */
  signature(name: string): SignatureInfo | undefined;
}

export interface BootOptions {
  host: Host;
  config: MachineConfig;
  built: BuiltKernel;
  console: Console;
  clock: KernelClock;
  images: ImageSupport;
  /** Where printk records go (the machine's .ksim/kmsg.ndjson), if anywhere beyond memory. */
  logSink?: LogSink;
  /** Host directory mounted at the same path inside, as the processes' starting cwd. */
  mount?: { hostDir: string; at: string; readOnly: boolean };
  limits?: Partial<TaskLimits>;
  firstPid?: number;
  randomSeed?: number;
  wallLimitMs?: number;
  /** Extra TypeScript handlers (defineSyscall modules), by entry point or name. */
  extraHandlers?: Record<string, SyscallHandler>;
  /** The machine's directory, where FreeBSD keeps its loaded modules (.ksim/modules.json). */
  machineDir?: string;
  /** Programs installed in the VFS at boot (ksim's userland: /bin/sh, /bin/ls...), by path. */
  programs?: ReadonlyMap<string, Uint8Array>;
  /** A host directory of programs mounted read-only at /bin (ksim's userland): read only when run. */
  binDir?: string;
  /** The tracers the machine's /bin/strace, ktrace, kdump, dtrace call through ksim_tool (src/machine/tools.ts). */
  tools?: Record<string, ToolRunner>;
}

export interface Machine {
  kernel: Kernel;
  log: KernelLog;
  vfs: Vfs;
  kc: KernelC;
  rows: SyscallRow[];
  config: MachineConfig;
  cwd: string;
  /** The FreeBSD layer (sysent, modules) on a FreeBSD machine. */
  freebsd?: FreebsdKernel;
}


/**
 * A machine's syscall rows from its built kernel: FreeBSD's from syscalls.master, Linux's from the
 * table with signatures and handler presence (kernel C, ksim's handlers, or extra ones such as
 * TypeScript syscalls). Boot and `ksim syscalls` both list the machine this way.
 */
export function machineRows(
  config: MachineConfig,
  built: BuiltKernel,
  o: { signature: (name: string) => SignatureInfo | undefined; hasExtraHandler?: (entry: string, name: string) => boolean },
): SyscallRow[] {
  if (config.os === 'freebsd') return freebsdRowsOf(built);
  const stock = new Set(stockRows(config.arch, config.release).map((r) => `${r.nr}:${r.name}`));
  const handlerFor = config.arch === 'i386' ? linuxI386HandlerFor : linuxHandlerFor;
  return buildLinuxRows(built.tbl, {
    signature: o.signature,
    hasHandler: (r) => Object.hasOwn(built.cParams, r.entry) || !!o.hasExtraHandler?.(r.entry, r.name) || !!handlerFor(r.name, r.entry),
    partial: config.arch === 'i386' ? { ...LINUX_PARTIAL, ...LINUX_I386_PARTIAL } : LINUX_PARTIAL,
    cParams: (entry) => built.cParams[entry] ?? built.tsParams?.[entry],
    isStock: (r) => stock.has(`${r.nr}:${r.name}`),
  });
}

export function bootMachine(o: BootOptions): Machine {
  registerKernelApi();
  const { config, built } = o;
  const limits: TaskLimits = { ...DEFAULT_LIMITS, ...o.limits };
  const log = new KernelLog({
    uptimeUsec: () => Math.floor(o.clock.uptimeNs() / 1000),
    flavour: config.os,
    sink: o.logSink,
  });
  const handlers: Record<string, SyscallHandler> = {};
  // Kernel is built first so kernel C handlers can refer to it.
  let kernelRef: Kernel | undefined;
  let kc: KernelC | undefined;
  const cEntries = new Set(Object.keys(built.cParams));
  // An i386 machine's rows take the i386 handlers (32-bit arguments, stat64, mmap2...).
  const handlerFor = config.arch === 'i386' ? linuxI386HandlerFor : linuxHandlerFor;
  const isFreebsd = config.os === 'freebsd';
  if (isFreebsd) registerFreebsdKernelApi();
  const rows = machineRows(config, built, {
    signature: (name) => o.images.signature(name),
    hasExtraHandler: (entry, name) => !!o.extraHandlers?.[entry] || !!o.extraHandlers?.[name],
  });
  // ksim's own utrace for Linux programs, outside Linux's numbering (src/kernel/syscalls/ksim.ts).
  if (!isFreebsd && !rows.some((r) => r.nr === ksimUtraceRow.nr)) {
    rows.push(ksimUtraceRow);
    handlers[ksimUtraceRow.entry] = ksimUtrace;
  }
  // ksim_tool for the machine's /bin/strace, ktrace, kdump, dtrace (argv read as execve reads it:
  // 4-byte pointers from i386 programs). On FreeBSD, 1001 is past syscalls.master's numbers: the
  // row extends sysent so the slot runs the tool instead of nosys.
  const toolHandlers: Record<string, SyscallHandler> = {};
  if (o.tools && !rows.some((r) => r.nr === ksimToolRow.nr)) {
    rows.push(ksimToolRow);
    const h = ksimToolHandler(o.tools, rows);
    if (isFreebsd) toolHandlers[ksimToolRow.name] = h;
    else handlers[ksimToolRow.entry] = h;
  }
  for (const r of isFreebsd ? [] : rows) {
    if (r.support === 'enosys') continue;
    if (cEntries.has(r.entry)) {
      handlers[r.entry] = (ctx, args) => {
        const h = kc!.handlerFor(r.entry)!;
        const res = h(ctx.task, args);
        if (res === 'died') throw NORETURN;
        return res;
      };
      continue;
    }
    const extra = o.extraHandlers?.[r.entry] ?? o.extraHandlers?.[r.name];
    const h = extra ?? handlerFor(r.name, r.entry);
    if (h) handlers[r.entry || r.name] = h;
  }
  // uname -v / /proc/version: PREEMPT_DYNAMIC appeared in Linux 5.12.
  const buildFlags = config.os === 'linux' && compareReleases(config.release, '5.12') < 0 ? '#1 SMP' : '#1 SMP PREEMPT_DYNAMIC';
  const identity = {
    os: config.os,
    arch: config.arch,
    release: config.release,
    localversion: config.localversion,
    hostname: config.hostname,
    version: `${buildFlags} ksim`,
  };
  const kernel = new Kernel({
    identity,
    rows,
    handlers,
    console: o.console,
    clock: o.clock,
    printk: (text, caller, t) => log.printk(text, { caller: t ? `T${t.pid}` : caller, pid: t?.pid }),
    limits,
    firstPid: o.firstPid,
    wallLimitMs: o.wallLimitMs,
    hostNowMs: () => o.host.clock.monotonicNs() / 1e6,
  });
  kernelRef = kernel;
  // syslog(2) reads the machine's whole log: the persistent store when there is one, else the ring.
  const sinkReader = o.logSink as (LogSink & { read?: () => LogRecord[] }) | undefined;
  attachSyslog(kernel, {
    records: () => (sinkReader?.read ? sinkReader.read() : log.records()),
    clear: () => log.clear(),
    capacityBytes: log.capacityBytes,
  });
  // i386 tasks pass 32-bit registers: widened once, so handlers and tracers see C values.
  if (config.arch === 'i386') kernel.abi = { widenArgs: widenI386Args };
  kc = new KernelC(kernel);
  if (built.kernelImage) o.images.loadKernel(built.kernelImage, kc);
  const freebsd = isFreebsd ? attachFreebsd({ kernel, kc, built, rows, host: o.host, machineDir: o.machineDir, extraHandlers: toolHandlers }) : undefined;
  const vfs = new Vfs({
    host: o.host,
    console: o.console,
    clock: { nowNs: () => o.clock.uptimeNs(), wallBaseMs: (o.clock.wallNs() - o.clock.uptimeNs()) / 1e6 },
    mounts: [
      ...(o.binDir ? [{ at: '/bin', hostDir: o.binDir, readOnly: true }] : []),
      ...(o.mount ? [{ at: o.mount.at, hostDir: o.mount.hostDir, readOnly: o.mount.readOnly }] : []),
    ],
    tasks: () => kernel.tasks.values(),
    tainted: () => kernel.tainted,
    // Linux machines have /sys/kernel/debug/kmemleak (src/kernel/kc/kmemleak.ts).
    sys: isFreebsd ? undefined : { kmemleak: () => kc.kmemleak, timeNs: () => o.clock.wallNs() },
    release: unameRelease(config),
    version: `Linux version ${unameRelease(config)} (ksim@ksim) (ksim cc) ${buildFlags}`,
    randomSeed: o.randomSeed,
    onNamei: (t, path) => {
      if (t) kernel.emitNamei(t, path);
    },
  });
  kernel.vfs = vfs;
  if (o.programs?.size || o.binDir) {
    for (const [path, bytes] of o.programs ?? []) vfs.writeFile(path, bytes, 0o755);
    // The shell's `cd` and `~` go to root's home, $HOME in every process's environment.
    vfs.mkdirs('/root', 0o700);
  }
  const random = new KernelRandom(o.randomSeed ?? 0x5eed);
  Object.assign(kernel, {
    random,
    exec: {
      readExecutable: (t: Task, path: string) => readExecutable(vfs, t, path),
      // kldload(2) needs the .ko readable, not executable.
      readFileForKernel: (t: Task, path: string) => readExecutable(vfs, t, path, 4),
      loadImage: (bytes: Uint8Array, path: string) => o.images.loadExecutable(bytes, path),
      random: () => random.bytes(16),
    },
  });
  void kernelRef;
  return { kernel, log, vfs, kc, rows, config, cwd: o.mount?.at ?? '/', ...(freebsd ? { freebsd } : {}) };
}

/** Reads a whole file for execve (permission MAY_EXEC = 1) or for the kernel (MAY_READ = 4). */
function readExecutable(vfs: Vfs, t: Task, path: string, mask = 1): { bytes: Uint8Array; path: string } | number {
  try {
    const node = vfs.lookup(t, path, true);
    if ((vfs.stat(node).mode & 0o170000) === 0o040000) return mask === 1 ? E.ACCES : E.ISDIR;
    vfs.permission(t, node, mask);
    const file = vfs.openNode(t, node, 0, path);
    const chunks: Uint8Array[] = [];
    let total = 0;
    const size = vfs.stat(node).size;
    while (total < size) {
      const part = file.ops.pread!(undefined as never, file, Math.min(1 << 20, size - total), total);
      if (part.length === 0) break;
      chunks.push(part);
      total += part.length;
    }
    file.ops.release?.(file);
    const bytes = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      bytes.set(c, off);
      off += c.length;
    }
    return { bytes, path: path.startsWith('/') ? path : `${t.cwd === '/' ? '' : t.cwd}/${path.replace(/^\.\//, '')}` };
  } catch (e) {
    if (e instanceof Errno) return e.errno;
    throw e;
  }
}

export interface RunResult {
  pid: number;
  /** The exit status ksim run returns: the code, or 128 + signal. */
  status: number;
  code?: number;
  signo?: number;
  coreDumped: boolean;
  /** Why ksim stopped the program, if it did (limits, deadlock). */
  notices: string[];
}

const DEFAULT_ENV = ['HOME=/root', 'PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8', 'USER=root', 'LOGNAME=root', 'SHELL=/bin/sh', 'TERM=xterm'];

/**
 * Runs argv[0] (a path in the machine) with argv and envp as the first process of a run, waiting
 * for every process it starts. The execve is made as a real syscall, so tracers see it first.
 */
export function runProgram(m: Machine, argv: string[], opts: { env?: string[]; uid?: number; gid?: number; beforeExec?: (t: Task) => void } = {}): RunResult {
  const k = m.kernel;
  const t = k.newTask(undefined);
  t.comm = 'ksim';
  t.cwd = m.cwd;
  t.uid = t.euid = t.suid = opts.uid ?? 0;
  t.gid = t.egid = t.sgid = opts.gid ?? 0;
  const env = [...(opts.env ?? DEFAULT_ENV), `PWD=${m.cwd}`];
  // The bootstrap address space holds execve's arguments, as the forked shell's memory would.
  const [pathAddr, argvAddr, envAddr] = bootstrapExec(t, argv[0]!, argv, env, m.config.arch === 'i386');
  const vfs = m.vfs;
  t.fds.installAt(0, vfs.openConsole(0, 1));
  t.fds.installAt(1, vfs.openConsole(1, 1));
  t.fds.installAt(2, vfs.openConsole(1, 2));
  opts.beforeExec?.(t);
  let end: TaskEnd | undefined;
  const prev = k.onTaskEnd;
  k.onTaskEnd = (task, e) => {
    if (task === t) end = e;
    prev?.(task, e);
  };
  const nr = k.rowsByName.get('execve')?.nr ?? 59;
  const res = k.syscall(t, nr, [pathAddr, argvAddr, envAddr, 0, 0, 0]);
  if (typeof res === 'number' && res < 0) {
    // exec failed: the shell prints why, and exits 126 (not executable) or 127 (not found).
    k.exitTask(t, res === -E.NOENT ? 127 : 126);
    k.onTaskEnd = prev;
    return { pid: t.pid, status: res === -E.NOENT ? 127 : 126, code: res === -E.NOENT ? 127 : 126, coreDumped: false, notices: [`ksim: ${argv[0]}: ${execErrorText(-res)}`] };
  }
  k.enqueue(t);
  k.run();
  // The end of the run is the kernel's last moment (every ksim command boots afresh): kmemleak scans.
  if (m.config.os === 'linux') m.kc.kmemleak.scan();
  k.onTaskEnd = prev;
  const e = end ?? { pid: t.pid, coreDumped: false, code: t.exitCode ?? 0 };
  // The shell reports 128 + the signal's number as the machine's OS numbers it.
  const status = e.signo !== undefined ? 128 + (m.config.os === 'freebsd' ? freebsdSignalOf(e.signo) : e.signo) : (e.code ?? 0);
  return { pid: t.pid, status, code: e.code, signo: e.signo, coreDumped: e.coreDumped, notices: [...k.notices] };
}

function execErrorText(errno: number): string {
  switch (errno) {
    case E.NOENT: return 'No such file or directory';
    case E.ACCES: return 'Permission denied';
    case E.NOEXEC: return 'cannot execute binary file: Exec format error';
    case E.NOTDIR: return 'Not a directory';
    default: return `cannot execute (errno ${errno})`;
  }
}

export { Errno };
