// A machine booted for one ksim command on Node: the last built kernel (with a warning when the
// sources changed since), the kernel log in .ksim/kmsg.ndjson, the clock continuing from the
// machine's boot, the terminal as console, and the current directory mounted.
import { persistModuleChanges } from '../kernel/freebsd/kld.js';
import type { Host } from '../host/host.js';
import type { LocatedMachine } from '../machine/locate.js';
import { bootMachine, type Machine } from '../machine/boot.js';
import { changedSources, readBuiltKernel, stampSources, stockKernel, type BuiltKernel } from '../machine/build.js';
import { readBoot, reservePids } from '../machine/state.js';
import { restoreKernelMemory, saveKernelMemory } from '../machine/kernel-memory.js';
import { panickedText, readPanic } from '../machine/panic.js';
import { UserError } from './errors.js';
import { RealClock } from '../kernel/clock.js';
import { KmsgStore } from '../kernel/log-store.js';
import type { Console } from '../kernel/console.js';
import { loadExecutable, loadKernelImage } from '../toolchain/loader.js';
import { linuxSignature } from '../kernel/linux/signatures.js';
import { linuxI386Signature } from '../kernel/linux/signatures-i386.js';
import type { TaskLimits } from '../kernel/task.js';
import { stockRows, tblPath } from '../machine/tbl.js';
import { packageRoot } from '../toolchain/node-sysroot.js';
import * as fs from 'node:fs';
import { attachSystemwideConsumers } from './dtrace-registry.js';
import type { MachineConfig } from '../machine/config.js';

export interface SessionOptions {
  /** TypeScript syscall handlers of the machine (kernel/*.ts), by entry point. */
  extraHandlers?: Record<string, import('../kernel/handler.js').SyscallHandler>;
  readOnly?: boolean;
  noMount?: boolean;
  limits?: Partial<TaskLimits>;
  wallLimitMs?: number;
  /** The console instead of the host terminal's (ksim shell's line discipline on a terminal). */
  console?: Console;
  /** How the clock sleeps the host (default host.sleepMs); true ends a wait early. */
  sleep?: (ms: number) => void | boolean;
  /** The tracers the machine's /bin/strace, ktrace, kdump, dtrace reach (src/machine/tools.ts). */
  tools?: Record<string, import('../kernel/syscalls/ksim-tool.js').ToolRunner>;
  /** Leave out the machine's system-wide dtrace consumers (the consumer's own session). */
  noSystemwideDtrace?: boolean;
  /** A long session (ksim shell): consumers started later are picked up at the next input line. */
  watchSystemwideDtrace?: boolean;
}

/** The console on the host terminal. */
export class HostConsole implements Console {
  readonly isTerminal: boolean;
  readonly rows: number;
  readonly cols: number;
  constructor(private readonly host: Host) {
    this.isTerminal = host.isatty(1) && host.isatty(0);
    this.rows = (process.stdout.rows as number | undefined) ?? 24;
    this.cols = (process.stdout.columns as number | undefined) ?? 80;
  }
  write(stream: 1 | 2, data: Uint8Array): void {
    if (stream === 1) this.host.stdout(data);
    else this.host.stderr(data);
  }
  read(max: number): Uint8Array {
    return this.host.readStdin(max);
  }
}

/** The kernel a run uses, and a warning when it is stale or missing. */
export function currentKernel(host: Host, m: LocatedMachine): { built: BuiltKernel; warning?: string } {
  const built = readBuiltKernel(host, m.dir);
  let now;
  try {
    now = stampSources(host, m.dir, m.config);
  } catch {
    now = undefined;
  }
  if (!built) {
    const stock = stockKernel(m.config);
    // Never built: warn only when the sources differ from a pristine machine.
    const tbl = now?.find((s) => s.path === tblPath(m.config.arch));
    const edited = now && (now.length > 1 || (tbl && !tblIsStock(host, m)));
    return { built: stock, warning: edited ? `ksim: warning: this machine's kernel was never built; running the stock ${m.config.release} kernel (run 'ksim build')\n` : undefined };
  }
  if (now) {
    const changed = changedSources(now, built.sources);
    if (changed.length) {
      return {
        built,
        warning: `ksim: warning: kernel sources changed since the last 'ksim build' (${changed.join(', ')}); running the kernel built at ${new Date(built.builtAtMs).toLocaleTimeString('en-GB')}\n`,
      };
    }
  }
  return { built };
}

function tblIsStock(host: Host, m: LocatedMachine): boolean {
  try {
    const text = new TextDecoder().decode(host.fs.readFile(`${m.dir}/${tblPath(m.config.arch)}`));
    const rows = text.split('\n').filter((l) => /^\d/.test(l.trim())).length;
    return rows === stockRows(m.config.arch, m.config.release).length;
  } catch {
    return true;
  }
}

/**
 * ksim's userland built for the machine's target (dist/userland/<arch>-<os>/, made by
 * scripts/build-userland.js), as the /bin paths every machine gets; empty when it was not built.
 */
export function userlandDir(config: Pick<MachineConfig, 'arch' | 'os'>): string | undefined {
  const dir = `${packageRoot()}/dist/userland/${config.arch}-${config.os}`;
  return fs.existsSync(dir) ? dir : undefined;
}

export function userlandPrograms(config: Pick<MachineConfig, 'arch' | 'os'>): Map<string, Uint8Array> {
  const dir = `${packageRoot()}/dist/userland/${config.arch}-${config.os}`;
  const programs = new Map<string, Uint8Array>();
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return programs;
  }
  for (const name of names.sort()) {
    try {
      programs.set(`/bin/${name}`, fs.readFileSync(`${dir}/${name}`));
    } catch {
      // A program removed while reading is simply not installed.
    }
  }
  return programs;
}

export interface Session {
  machine: Machine;
  store: KmsgStore;
  warning?: string;
  close(): void;
}

export function openSession(host: Host, located: LocatedMachine, opts: SessionOptions = {}, console: Console = opts.console ?? new HostConsole(host)): Session {
  const panicked = readPanic(host, located.dir);
  if (panicked) throw new UserError(panickedText(panicked), 1);
  const { built, warning } = currentKernel(host, located);
  const boot = readBoot(host, located.dir);
  const clock = new RealClock(host.clock, boot.bootWallMs, opts.sleep ?? ((ms) => host.sleepMs(ms)));
  const store = new KmsgStore(located.dir);
  const cwd = host.cwd();
  const machine = bootMachine({
    host,
    config: located.config,
    built,
    console,
    clock,
    images: { loadExecutable, loadKernel: loadKernelImage, signature: located.config.arch === 'i386' ? linuxI386Signature : linuxSignature },
    logSink: store,
    mount: opts.noMount ? undefined : { hostDir: cwd, at: cwd, readOnly: !!opts.readOnly },
    limits: opts.limits,
    firstPid: reservePids(host, located.dir, 32),
    randomSeed: Math.floor(Math.random() * 2 ** 31),
    wallLimitMs: opts.wallLimitMs,
    machineDir: located.dir,
    extraHandlers: opts.extraHandlers,
    // ksim's userland, mounted read-only at /bin: a program's image is read only when it runs.
    binDir: userlandDir(located.config),
    tools: opts.tools,
  });
  if (opts.noMount) machine.cwd = '/';
  // The kernel's memory as the last command of this boot left it (src/machine/kernel-memory.ts):
  // after the modules of earlier kldloads were replayed, so their variables get their values back.
  const mallocMemory = machine.freebsd?.mallocMemory;
  restoreKernelMemory(host, located.dir, machine.kc, boot.bootId, mallocMemory);
  const modulesAtBoot = new Set(machine.freebsd?.modules.map((m) => m.name) ?? []);
  return {
    machine,
    store,
    warning,
    close: () => {
      // kldload(2)/kldunload(2) made by the session's programs last until `ksim reboot`.
      if (machine.freebsd) persistModuleChanges(host, located.dir, machine.freebsd, modulesAtBoot);
      saveKernelMemory(host, located.dir, machine.kc, boot.bootId, mallocMemory);
      machine.log.flush();
      store.close();
    },
  };
}

/**
 * openSession, after loading the machine's TypeScript syscall modules (kernel/*.ts), with the
 * clauses of the machine's system-wide dtrace consumers enabled (src/cli/dtrace-registry.ts).
 */
export async function openMachineSession(host: Host, located: LocatedMachine, opts: SessionOptions = {}): Promise<Session> {
  const session = await openSessionWithModules(host, located, opts);
  if (!opts.noSystemwideDtrace) await attachSystemwideConsumers(host, located.dir, session, { watch: opts.watchSystemwideDtrace });
  return session;
}

async function openSessionWithModules(host: Host, located: LocatedMachine, opts: SessionOptions): Promise<Session> {
  const { syscallModuleFiles, loadSyscallModules, handlersOf } = await import('./ts-syscalls.js');
  if (syscallModuleFiles(located.dir).length === 0) return openSession(host, located, opts);
  const { syscalls, diagnostics } = await loadSyscallModules(located.dir);
  for (const d of diagnostics) host.stderr(`${d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}: ` : ''}${d.severity}: ${d.message}\n`);
  return openSession(host, located, { ...opts, extraHandlers: { ...handlersOf(syscalls), ...opts.extraHandlers } });
}
