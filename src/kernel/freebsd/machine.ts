// A FreeBSD machine's life cycle: the files `ksim init --os freebsd` writes, `ksim build` (the
// tables from sys/kern/syscalls.master, sys/sysproto.h generated from its rows, sys/**/*.c compiled
// as FreeBSD kernel C and bound to rows by entry point), and the FreeBSD layer attached at boot,
// with the modules loaded by earlier `ksim kldload`s brought back (see kld.ts).
import type { Host } from '../../host/host.js';
import type { Diagnostic } from '../../cc/diagnostics.js';
import type { MachineConfig } from '../../machine/config.js';
import type { BuildResult, BuiltKernel, KernelCompiler } from '../../machine/build.js';
import type { Kernel } from '../kernel.js';
import type { KernelC } from '../kc/kernel-c.js';
import type { SyscallRow } from '../syscall-row.js';
import type { SyscallHandler } from '../handler.js';
import { parseSyscallsMaster, SYSCALLS_MASTER_PATH, writeSyscallsMaster, type MasterRow } from './syscalls-master.js';
import { buildFreebsdRows, freebsdEntry, freebsdRowName, freebsdSyscallHeaderText, isCapEnabled, rowKind, sysprotoText } from './rows.js';
import { FreebsdKernel } from './kernel.js';
import { freebsdHandlers } from './handlers.js';
import { kldHandlers, replayModules } from './kld.js';
import { writePanic } from '../../machine/panic.js';
import { FREEBSD_AMD64_TABLE } from './table.js';

const dec = new TextDecoder();
let stockCache: MasterRow[] | undefined;

/** The stock table as syscalls.master rows. */
export function stockMaster(): MasterRow[] {
  stockCache ??= parseSyscallsMaster(writeSyscallsMaster('14'), SYSCALLS_MASTER_PATH).rows;
  return stockCache;
}

const stockKeys = new Set(FREEBSD_AMD64_TABLE.map(([nr, , , name]) => `${nr}:${name}`));
export function isStockRow(r: { nr: number; name: string }): boolean {
  return stockKeys.has(`${r.nr}:${r.name}`);
}

/** Names of the TypeScript handlers (for support levels before boot). */
const TS_NAMES = new Set(Object.keys(freebsdHandlers({ setRetval2: () => {}, kld: kldHandlers(null) })));

export function hasTsHandler(r: MasterRow): boolean {
  return TS_NAMES.has(freebsdRowName(r)) && (rowKind(r) === 'STD' || rowKind(r) === 'NOSTD' || rowKind(r).startsWith('COMPAT'));
}

/** The per-machine headers user programs and kernel C see: sys/syscall.h numbers and sys/sysproto.h. */
export function writeFreebsdHeaders(host: Host, dir: string, master: MasterRow[]): void {
  const d = `${dir}/.ksim/include/ksim`;
  host.fs.mkdir(d, true);
  host.fs.writeFile(`${d}/syscall_numbers.h`, freebsdSyscallHeaderText(master));
}

/** `ksim init --os freebsd`: sys/kern/syscalls.master and the machine's syscall numbers header. */
export function initFreebsdTree(host: Host, dir: string, release: string): void {
  host.fs.mkdir(`${dir}/sys/kern`, true);
  host.fs.writeFile(`${dir}/${SYSCALLS_MASTER_PATH}`, writeSyscallsMaster(release));
  writeFreebsdHeaders(host, dir, stockMaster());
}

export function masterToTbl(master: MasterRow[]): BuiltKernel['tbl'] {
  return master.map((r) => ({ nr: r.nr, abi: r.type, name: freebsdRowName(r), entry: freebsdEntry(r), line: r.line }));
}

export function freebsdStockKernel(config: MachineConfig): BuiltKernel {
  const master = stockMaster();
  return {
    format: 'ksim-kernel', version: 1, os: config.os, arch: config.arch, release: config.release,
    tbl: masterToTbl(master), master, sources: [], cParams: {}, builtAtMs: 0,
  };
}

/** `ksim build` on a FreeBSD machine. */
export function buildFreebsd(
  host: Host,
  dir: string,
  config: MachineConfig,
  cc: KernelCompiler,
  files: { path: string; text: string }[],
  stamp: () => BuiltKernel['sources'],
): BuildResult {
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  let text: string;
  try {
    text = dec.decode(host.fs.readFile(`${dir}/${SYSCALLS_MASTER_PATH}`));
  } catch {
    return { diagnostics: [{ severity: 'fatal error', message: `${SYSCALLS_MASTER_PATH}: No such file or directory` }], sources };
  }
  sources.set(SYSCALLS_MASTER_PATH, text);
  const parsed = parseSyscallsMaster(text, SYSCALLS_MASTER_PATH);
  diagnostics.push(...parsed.diagnostics);
  if (diagnostics.length) return { diagnostics, sources };
  for (const f of files) sources.set(f.path, f.text);
  const headers = [{ path: 'sys/sysproto.h', text: sysprotoText(parsed.rows) }];
  let image: string | undefined;
  const cParams: Record<string, [string, string][]> = {};
  const defined = new Set<string>();
  if (files.length) {
    const r = cc.compile(files, config, { headers });
    diagnostics.push(...r.diagnostics);
    image = r.image;
    for (const f of r.functions) {
      defined.add(f.name);
      cParams[f.name] = f.params;
    }
  }
  if (diagnostics.some((d) => d.severity === 'error' || d.severity === 'fatal error')) return { diagnostics, sources };
  for (const row of parsed.rows) {
    if (isStockRow({ nr: row.nr, name: row.name }) || rowKind(row) !== 'STD') continue;
    const entry = freebsdEntry(row);
    if (defined.has(entry)) continue;
    diagnostics.push({
      severity: 'error',
      loc: { file: SYSCALLS_MASTER_PATH, line: row.line, col: 1 },
      message: `undefined reference to '${entry}' (row ${row.nr} '${row.name}': no C file in sys/ defines it)`,
    });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, sources };
  const built: BuiltKernel = {
    format: 'ksim-kernel', version: 1, os: config.os, arch: config.arch, release: config.release,
    tbl: masterToTbl(parsed.rows), master: parsed.rows, sources: stamp(), kernelImage: image, cParams, builtAtMs: host.clock.wallMs(),
  };
  const s = `${dir}/.ksim`;
  if (!host.fs.exists(s)) host.fs.mkdir(s, true);
  host.fs.writeFile(`${s}/kernel.json.tmp`, JSON.stringify(built));
  host.fs.rename(`${s}/kernel.json.tmp`, `${s}/kernel.json`);
  writeFreebsdHeaders(host, dir, parsed.rows);
  return { built, diagnostics, sources };
}

/** The rows of a built FreeBSD kernel (before boot: support from handlers and C functions). */
export function freebsdRowsOf(built: BuiltKernel): SyscallRow[] {
  const master = built.master ?? stockMaster();
  return buildFreebsdRows(master, {
    hasHandler: (r) => hasTsHandler(r) || !!built.cParams[freebsdEntry(r)],
    isStock: (r) => isStockRow({ nr: r.nr, name: r.name }),
  });
}

/** Attaches the FreeBSD layer to a booted kernel; brings back the modules loaded earlier. */
export function attachFreebsd(o: {
  kernel: Kernel;
  kc: KernelC;
  built: BuiltKernel;
  rows: SyscallRow[];
  host: Host;
  machineDir?: string;
  /** Handlers for rows outside syscalls.master (ksim_tool), by row name. */
  extraHandlers?: Record<string, SyscallHandler>;
}): FreebsdKernel {
  const master = o.built.master ?? stockMaster();
  const cEntries = new Map<number, string>();
  for (const r of master) {
    const e = freebsdEntry(r);
    if (e && o.built.cParams[e]) cEntries.set(r.nr, e);
  }
  let fb: FreebsdKernel | undefined;
  const handlers = {
    ...freebsdHandlers({
      setRetval2: (ctx, v) => fb!.setRetval2(ctx.task, v),
      kld: kldHandlers(() => fb!),
    }),
    ...o.extraHandlers,
  };
  fb = new FreebsdKernel({
    kernel: o.kernel,
    kc: o.kc,
    rows: o.rows,
    handlers,
    cEntries,
    capEnabled: new Set(master.filter(isCapEnabled).map((r) => r.nr)),
    lkmSlots: new Set(master.filter((r) => rowKind(r) === 'NODEF').map((r) => r.nr)),
  });
  fb.install(o.rows);
  fb.onRowsChanged = (rows) => {
    fb!.install(rows);
    o.rows.splice(0, o.rows.length, ...rows);
  };
  if (o.machineDir) {
    const dir = o.machineDir;
    fb.onPanic = (message) => writePanic(o.host, dir, { message });
    replayModules(o.host, dir, fb);
  }
  return fb;
}
