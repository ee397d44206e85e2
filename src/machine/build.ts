// `ksim build`: reads the machine's syscall table and kernel sources and makes the kernel that the
// next runs use (.ksim/kernel.json). Errors name the file and line: a malformed row, a duplicate
// number (the syscall that owns it and the next free number), an entry point nothing defines.
import type { Host } from '../host/host.js';
import type { Diagnostic } from '../cc/diagnostics.js';
import type { MachineConfig } from './config.js';
import { stateDir } from './state.js';
import { parseTbl, stockRows, tblPath, type TblRow } from './tbl.js';
import { linuxHandlerFor } from '../kernel/linux/handlers.js';
import type { MasterRow } from '../kernel/freebsd/syscalls-master.js';
import { SYSCALLS_MASTER_PATH } from '../kernel/freebsd/syscalls-master.js';
import { buildFreebsd, freebsdStockKernel } from '../kernel/freebsd/machine.js';

export const KERNEL_FILE = 'kernel.json';

/** A kernel source file as the build saw it (to tell later runs whether sources changed). */
export interface SourceStamp {
  path: string;
  size: number;
  hash: string;
}

export interface BuiltKernel {
  format: 'ksim-kernel';
  version: 1;
  os: string;
  arch: string;
  release: string;
  tbl: TblRow[];
  sources: SourceStamp[];
  /** The linked kernel C image (ksim image text), when the machine has kernel C. */
  kernelImage?: string;
  /** C parameter lists of the kernel's functions that rows bind to, by entry point. */
  cParams: Record<string, [string, string][]>;
  /** Parameter lists of TypeScript syscalls (kernel/*.ts modules), by entry point. */
  tsParams?: Record<string, [string, string][]>;
  builtAtMs: number;
  /** FreeBSD: the syscalls.master rows (prototypes, type flags) the table was built from. */
  master?: MasterRow[];
}

/** What the build needs from the C toolchain (kept as an interface so the core stays testable). */
export interface KernelCompiler {
  compile(
    files: { path: string; text: string }[],
    config: MachineConfig,
    /** Generated headers the sources may include (FreeBSD's sys/sysproto.h), not compiled themselves. */
    opts?: { headers?: { path: string; text: string }[] },
  ): { image?: string; functions: { name: string; params: [string, string][] }[]; diagnostics: Diagnostic[] };
}

export interface BuildResult {
  built?: BuiltKernel;
  diagnostics: Diagnostic[];
  /** Source texts by file, for printing diagnostics with the offending line. */
  sources: Map<string, string>;
}

const dec = new TextDecoder();

/** A short, stable content hash (FNV-1a 32-bit, hex) for change detection. */
export function hashBytes(b: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) {
    h ^= b[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The machine's kernel C sources: kernel/**\/*.c (Linux), sorted. Paths are relative to dir. */
export function kernelSourceFiles(host: Host, dir: string, config: MachineConfig): string[] {
  const roots = config.os === 'linux' ? ['kernel'] : ['sys'];
  const out: string[] = [];
  const walk = (rel: string) => {
    let names: string[];
    try {
      names = host.fs.readdir(`${dir}/${rel}`);
    } catch {
      return;
    }
    for (const n of names.sort()) {
      const p = `${rel}/${n}`;
      const st = host.fs.lstat(`${dir}/${p}`);
      if (st.type === 'dir') walk(p);
      else if (st.type === 'file' && n.endsWith('.c')) out.push(p);
    }
  };
  for (const r of roots) walk(r);
  return out;
}

/** Stamps of everything a build reads, to compare with the last build. */
export function stampSources(host: Host, dir: string, config: MachineConfig): SourceStamp[] {
  const files = [config.os === 'freebsd' ? SYSCALLS_MASTER_PATH : tblPath(config.arch), ...kernelSourceFiles(host, dir, config)];
  return files.map((path) => {
    const bytes = host.fs.readFile(`${dir}/${path}`);
    return { path, size: bytes.length, hash: hashBytes(bytes) };
  });
}

/** The files whose content differs from the build's stamps (added, removed or changed). */
export function changedSources(now: SourceStamp[], built: SourceStamp[]): string[] {
  const before = new Map(built.map((s) => [s.path, s.hash]));
  const after = new Map(now.map((s) => [s.path, s.hash]));
  const changed: string[] = [];
  for (const [p, h] of after) if (before.get(p) !== h) changed.push(p);
  for (const p of before.keys()) if (!after.has(p)) changed.push(p);
  return changed;
}

export function buildMachine(
  host: Host,
  dir: string,
  config: MachineConfig,
  cc: KernelCompiler,
  tsSyscalls: { entry: string; params: [string, string][] }[] = [],
): BuildResult {
  if (config.os === 'freebsd') {
    const files = kernelSourceFiles(host, dir, config).map((path) => ({ path, text: dec.decode(host.fs.readFile(`${dir}/${path}`)) }));
    return buildFreebsd(host, dir, config, cc, files, () => stampSources(host, dir, config));
  }
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const tblFile = tblPath(config.arch);
  let tblText: string;
  try {
    tblText = dec.decode(host.fs.readFile(`${dir}/${tblFile}`));
  } catch {
    return { diagnostics: [{ severity: 'fatal error', message: `${tblFile}: No such file or directory` }], sources };
  }
  sources.set(tblFile, tblText);
  const parsed = parseTbl(tblText, tblFile, config.arch);
  diagnostics.push(...parsed.diagnostics);

  const files = kernelSourceFiles(host, dir, config).map((path) => {
    const text = dec.decode(host.fs.readFile(`${dir}/${path}`));
    sources.set(path, text);
    return { path, text };
  });
  let image: string | undefined;
  const cParams: Record<string, [string, string][]> = {};
  const defined = new Set<string>(tsSyscalls.map((t) => t.entry));
  const tsParams: Record<string, [string, string][]> = Object.fromEntries(tsSyscalls.map((t) => [t.entry, t.params]));
  if (files.length) {
    const r = cc.compile(files, config);
    diagnostics.push(...r.diagnostics);
    image = r.image;
    for (const f of r.functions) {
      defined.add(f.name);
      cParams[f.name] = f.params;
    }
  }
  if (diagnostics.some((d) => d.severity === 'error' || d.severity === 'fatal error')) return { diagnostics, sources };

  // Every custom row must bind to a handler: a C function or one of ksim's own.
  const stock = new Set(stockRows(config.arch, config.release).map((r) => `${r.nr}:${r.name}`));
  for (const row of parsed.rows) {
    if (row.abi === 'x32' || !row.entry || stock.has(`${row.nr}:${row.name}`)) continue;
    if (defined.has(row.entry) || linuxHandlerFor(row.name, row.entry)) continue;
    diagnostics.push({
      severity: 'error',
      loc: { file: tblFile, line: row.line, col: 1 },
      message: `undefined reference to '${row.entry}' (row ${row.nr} '${row.name}': no SYSCALL_DEFINE or defineSyscall in kernel/ defines it)`,
    });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, sources };

  const built: BuiltKernel = {
    format: 'ksim-kernel',
    version: 1,
    os: config.os,
    arch: config.arch,
    release: config.release,
    tbl: parsed.rows,
    sources: stampSources(host, dir, config),
    kernelImage: image,
    cParams,
    ...(tsSyscalls.length ? { tsParams } : {}),
    builtAtMs: host.clock.wallMs(),
  };
  const s = stateDir(dir);
  if (!host.fs.exists(s)) host.fs.mkdir(s, true);
  // Write then rename, so a killed build never leaves a half-written kernel.
  host.fs.writeFile(`${s}/${KERNEL_FILE}.tmp`, JSON.stringify(built));
  host.fs.rename(`${s}/${KERNEL_FILE}.tmp`, `${s}/${KERNEL_FILE}`);
  return { built, diagnostics, sources };
}

/** The last built kernel, or undefined when there is none (or it is unreadable: rebuild). */
export function readBuiltKernel(host: Host, dir: string): BuiltKernel | undefined {
  const file = `${stateDir(dir)}/${KERNEL_FILE}`;
  if (!host.fs.exists(file)) return undefined;
  try {
    const k = JSON.parse(dec.decode(host.fs.readFile(file))) as BuiltKernel;
    return k.format === 'ksim-kernel' && k.version === 1 ? k : undefined;
  } catch {
    return undefined;
  }
}

/** The kernel of a machine that was never built: its stock table, as if built from pristine sources. */
export function stockKernel(config: MachineConfig): BuiltKernel {
  if (config.os === 'freebsd') return freebsdStockKernel(config);
  return {
    format: 'ksim-kernel',
    version: 1,
    os: config.os,
    arch: config.arch,
    release: config.release,
    tbl: stockRows(config.arch, config.release).map((r) => ({ nr: r.nr, abi: r.abi, name: r.name, entry: r.entry, line: 0 })),
    sources: [],
    cParams: {},
    builtAtMs: 0,
  };
}
