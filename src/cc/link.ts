// The object format of one compiled translation unit and the linker that combines objects into an
// executable image (docs/runtime-abi.md, "Images"): it lays out text, rodata, data and bss at the
// ABI's addresses, resolves symbols (static symbols stay private to their object; tentative
// definitions merge as common symbols), applies data relocations and fills the generated code's
// address and function-index placeholders. Errors read like GNU ld's.
import type { Diagnostic } from './diagnostics.js';
import type { GeneratedFunction } from './codegen.js';
import type { Reloc } from './typed.js';
import type { Target } from './types.js';

export interface ObjData {
  sym: string;
  isStatic: boolean;
  common: boolean;
  readonly: boolean;
  size: number;
  align: number;
  bytes?: Uint8Array;
  relocs: Reloc[];
}

export interface ObjFunction extends GeneratedFunction {
  /** C parameter types as text (for callers from the host, e.g. the kernel's syscall glue). */
  paramTypes: string[];
  returnType: string;
}

/** A compiled translation unit. */
export interface CObject {
  format: 'ksim-obj';
  version: 1;
  file: string;
  target: Target;
  mode: 'user' | 'kernel';
  functions: ObjFunction[];
  data: ObjData[];
}

export interface LinkOptions {
  /** Entry symbol: `_start` for programs (default), none for kernel images. */
  entry?: string | null;
  /** Base address of text; defaults by target and mode. */
  textBase?: number;
  /** Name recorded in stack traces (`vmlinux`, a module, the program). */
  module?: string;
  /**
   * Objects [0, directRoots) are the program's own, the rest a library (libc): library functions
   * keep their direct forms only when a direct form of the program calls them (directly or
   * through other library functions), so an image does not carry a second copy of every libc
   * function it links (start-up parses it). Default: every object is the program's own.
   */
  directRoots?: number;
}

export interface ImageFunction {
  name: string;
  addr: number;
  size: number;
  file: string;
  line: number;
  module: string;
  nparams: number;
  nlocals: number;
  frameSize: number;
  variadic: boolean;
  blockLines: number[];
  paramTypes: string[];
  returnType: string;
}

/** The executable image (the JSON after the #! line). */
export interface ImageJson {
  format: 'ksim-exe';
  version: 1;
  arch: Target['arch'];
  os: Target['os'];
  mode: 'user' | 'kernel';
  entry: number | null;
  text: { base: number; size: number; functions: ImageFunction[] };
  data: { addr: number; size: number; bytes: string; prot: number; name: string }[];
  bss: { addr: number; size: number };
  code: string;
  symbols: Record<string, number>;
}

const PAGE = 4096;
const FUNC_SLOT = 16;

export const USER_TEXT_BASE = { x86_64: 0x401000, i386: 0x8049000 } as const;
/** 0xffffffff81000000 in the signed view. */
export const KERNEL_TEXT_BASE = -0x7f000000;

const roundUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** The runtime helpers every image's code binds at its top (see src/runtime/helpers.ts). */
export const HELPER_NAMES = [
  'add', 'sub', 'mul', 'neg', 'sdiv', 'srem', 'udiv', 'urem', 'and', 'or', 'xor', 'not', 'shl', 'sar', 'shr',
  'ult', 'ule', 'ugt', 'uge', 'toI32', 'toU32', 'toF64', 'utoF64', 'toF32', 'utoF32', 'fromF64', 'fromF64U', 'f64ToI32', 'f64ToU32',
  'sext', 'zext', 'sdiv32', 'srem32', 'udiv32', 'urem32', 'ptr', 'padd', 'bfget', 'bfset', 'trap', 'alloca', 'bytes', 'badpc',
];

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Links objects into an image. */
export function link(objects: CObject[], opts: LinkOptions = {}): { image?: ImageJson; diagnostics: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  const err = (message: string) => diags.push({ severity: 'error', message });
  if (objects.length === 0) {
    err('ld: no input files');
    return { diagnostics: diags };
  }
  const target = objects[0]!.target;
  const mode = objects[0]!.mode;
  const p64 = target.arch === 'x86_64';
  const module = opts.module ?? (mode === 'kernel' ? 'vmlinux' : 'a.out');

  // Symbol keys: global symbols by name, static ones as `#<object>:<name>`.
  const key = (oi: number, sym: string, isStatic: boolean) => (isStatic ? `#${oi}:${sym}` : sym);
  type FDef = { oi: number; f: ObjFunction; index: number };
  type DDef = { oi: number; d: ObjData };
  const funcDefs = new Map<string, FDef>();
  const dataDefs = new Map<string, DDef>();
  const where = new Map<string, string>();
  const allFuncs: FDef[] = [];
  objects.forEach((o, oi) => {
    for (const f of o.functions) {
      const k = key(oi, f.sym, f.isStatic);
      if (funcDefs.has(k) || (dataDefs.has(k) && !dataDefs.get(k)!.d.common)) {
        err(`ld: ${o.file}: multiple definition of '${f.sym}'; ${where.get(k)}: first defined here`);
        continue;
      }
      const def = { oi, f, index: allFuncs.length };
      funcDefs.set(k, def);
      allFuncs.push(def);
      where.set(k, o.file);
    }
  });
  objects.forEach((o, oi) => {
    for (const d of o.data) {
      const k = key(oi, d.sym, d.isStatic);
      const prev = dataDefs.get(k);
      if (funcDefs.has(k)) {
        err(`ld: ${o.file}: multiple definition of '${d.sym}'; ${where.get(k)}: first defined here`);
        continue;
      }
      if (prev) {
        if (prev.d.common && d.common) {
          if (d.size > prev.d.size) dataDefs.set(k, { oi, d });
          continue;
        }
        if (d.common) continue;
        if (!prev.d.common) {
          err(`ld: ${o.file}: multiple definition of '${d.sym}'; ${where.get(k)}: first defined here`);
          continue;
        }
      }
      dataDefs.set(k, { oi, d });
      where.set(k, o.file);
    }
  });

  // Layout
  const textBase = opts.textBase ?? (mode === 'kernel' ? KERNEL_TEXT_BASE : USER_TEXT_BASE[target.arch]);
  const funcAddr = new Map<string, number>();
  const imageFunctions: ImageFunction[] = [];
  allFuncs.forEach((def, i) => {
    const addr = textBase + i * FUNC_SLOT;
    funcAddr.set(key(def.oi, def.f.sym, def.f.isStatic), addr);
    imageFunctions.push({
      name: def.f.name, addr, size: FUNC_SLOT, file: def.f.file, line: def.f.line, module, nparams: def.f.nparams,
      nlocals: def.f.nlocals, frameSize: def.f.frameSize, variadic: def.f.variadic, blockLines: def.f.blockLines,
      paramTypes: def.f.paramTypes, returnType: def.f.returnType,
    });
  });
  const textSize = roundUp(Math.max(allFuncs.length * FUNC_SLOT, 1), PAGE);
  const dataAddr = new Map<string, number>();
  const ro: DDef[] = [], rw: DDef[] = [], bss: DDef[] = [];
  for (const def of dataDefs.values()) {
    if (def.d.readonly) ro.push(def);
    else if (def.d.bytes && !def.d.common) rw.push(def);
    else bss.push(def);
  }
  const place = (defs: DDef[], start: number): number => {
    let at = start;
    for (const def of defs) {
      at = roundUp(at, Math.max(1, def.d.align));
      dataAddr.set(key(def.oi, def.d.sym, def.d.isStatic), at);
      at += Math.max(def.d.size, 0);
    }
    return at;
  };
  const roBase = textBase + textSize;
  const roEnd = place(ro, roBase);
  // Segments start on their own pages: each is mapped with its own protection.
  const rwBase = roundUp(roEnd, PAGE);
  const rwEnd = place(rw, rwBase);
  const bssBase = roundUp(rwEnd, PAGE);
  const bssEnd = place(bss, bssBase);

  // Resolution: a reference from object oi to sym finds the static one first, then the global one.
  const undefinedReported = new Set<string>();
  const resolveAddr = (oi: number, sym: string, from: string): number => {
    const sk = `#${oi}:${sym}`;
    const a = funcAddr.get(sk) ?? dataAddr.get(sk) ?? funcAddr.get(sym) ?? dataAddr.get(sym);
    if (a === undefined) {
      const k = `${sym}@${from}`;
      if (!undefinedReported.has(k)) {
        undefinedReported.add(k);
        err(`ld: ${from}: undefined reference to '${sym}'`);
      }
      return 0;
    }
    return a;
  };
  const resolveFunc = (oi: number, sym: string, from: string): number => {
    const def = funcDefs.get(`#${oi}:${sym}`) ?? funcDefs.get(sym);
    if (!def) {
      resolveAddr(oi, sym, from);
      return -1;
    }
    return def.index;
  };

  // Data bytes with relocations
  const segBytes = (defs: DDef[], base: number, end: number): Uint8Array => {
    const out = new Uint8Array(Math.max(0, end - base));
    for (const def of defs) {
      const at = dataAddr.get(key(def.oi, def.d.sym, def.d.isStatic))! - base;
      if (def.d.bytes) out.set(def.d.bytes.subarray(0, def.d.size), at);
      for (const r of def.d.relocs) {
        const v = resolveAddr(def.oi, r.sym, `${objects[def.oi]!.file}:(.data+0x${r.off.toString(16)})`) + r.addend;
        const dv = new DataView(out.buffer, at + r.off, r.size);
        if (r.size === 8) dv.setBigInt64(0, BigInt(v), true);
        else dv.setUint32(0, v >>> 0, true);
      }
    }
    return out;
  };
  const roBytes = segBytes(ro, roBase, roEnd);
  const rwBytes = segBytes(rw, rwBase, rwEnd);

  // Direct forms (user programs only: kernel C is wrapped by fbt): a function keeps its direct form
  // if every function its direct form calls has one too.
  const direct = new Set<FDef>(mode === 'user' ? allFuncs.filter((d) => d.f.direct) : []);
  for (let changed = true; changed; ) {
    changed = false;
    for (const def of direct) {
      const ok = (def.f.directCalls ?? []).every((sym) => {
        const callee = funcDefs.get(`#${def.oi}:${sym}`) ?? funcDefs.get(sym);
        return callee !== undefined && direct.has(callee);
      });
      if (!ok) {
        direct.delete(def);
        changed = true;
      }
    }
  }
  if (opts.directRoots !== undefined) {
    const kept = new Set<FDef>();
    const work = [...direct].filter((d) => d.oi < opts.directRoots!);
    while (work.length) {
      const def = work.pop()!;
      if (kept.has(def)) continue;
      kept.add(def);
      for (const sym of def.f.directCalls ?? []) {
        const callee = funcDefs.get(`#${def.oi}:${sym}`) ?? funcDefs.get(sym);
        if (callee && direct.has(callee) && !kept.has(callee)) work.push(callee);
      }
    }
    for (const def of [...direct]) if (!kept.has(def)) direct.delete(def);
  }

  // Code: placeholders -> addresses and function indices.
  const codeParts: string[] = [];
  codeParts.push(`const FN = I.fn, DF = I.df, ${HELPER_NAMES.map((n) => `$${n} = I.${n}`).join(', ')};`);
  const fill = (def: FDef, text: string): string => {
    const from = `${def.f.file}: in function '${def.f.name}'`;
    return text.replace(/@@([AFP]):([^@]+)@@/g, (_m, kind: string, sym: string) => {
      if (kind === 'P') {
        // zero padding of a direct call's argument array up to the callee's nlocals
        const [callee, nargs] = sym.split(':') as [string, string];
        const target = funcDefs.get(`#${def.oi}:${callee}`) ?? funcDefs.get(callee);
        const pad = target ? target.f.nlocals - Number(nargs) : 0;
        return pad > 0 ? ', 0'.repeat(pad) : '';
      }
      if (kind === 'F') {
        const idx = resolveFunc(def.oi, sym, from);
        return idx < 0 ? '-1' : String(idx);
      }
      const a = resolveAddr(def.oi, sym, from);
      return a < 0 ? `(${a})` : String(a);
    });
  };
  for (const def of direct) codeParts.push(`DF[${def.index}] = ${fill(def, def.f.direct!)};`);
  codeParts.push('return [');
  for (const def of allFuncs) codeParts.push(fill(def, def.f.code) + ',');
  codeParts.push('];');

  let entry: number | null = null;
  const entrySym = opts.entry === undefined ? (mode === 'kernel' ? null : '_start') : opts.entry;
  if (entrySym) {
    const a = funcAddr.get(entrySym);
    if (a === undefined) err(`ld: warning: cannot find entry symbol ${entrySym}; undefined reference to '${entrySym}'`);
    else entry = a;
  }
  if (diags.some((d) => d.severity === 'error')) {
    diags.push({ severity: 'error', message: 'ld returned 1 exit status' });
    return { diagnostics: diags };
  }
  const symbols: Record<string, number> = {};
  for (const [k, a] of funcAddr) if (!k.startsWith('#')) symbols[k] = a;
  for (const [k, a] of dataAddr) if (!k.startsWith('#')) symbols[k] = a;
  const data: ImageJson['data'] = [];
  if (roBytes.length) data.push({ addr: roBase, size: roBytes.length, bytes: base64(roBytes), prot: 1, name: '.rodata' });
  if (rwBytes.length) data.push({ addr: rwBase, size: rwBytes.length, bytes: base64(rwBytes), prot: 3, name: '.data' });
  void p64;
  return {
    image: {
      format: 'ksim-exe', version: 1, arch: target.arch, os: target.os, mode, entry,
      text: { base: textBase, size: textSize, functions: imageFunctions },
      data, bss: { addr: bssBase, size: bssEnd - bssBase }, code: codeParts.join('\n'), symbols,
    },
    diagnostics: diags,
  };
}

/** An object file's text (`ksim cc -c`): JSON with data bytes in base64. */
export function serializeObject(o: CObject): string {
  return JSON.stringify({
    ...o,
    data: o.data.map((d) => ({ ...d, bytes: d.bytes ? base64(d.bytes) : undefined })),
  });
}

/** Parses an object file's text; throws Error with a readable message for anything else. */
export function parseObject(text: string): CObject {
  let j: CObject & { data: (ObjData & { bytes?: string | Uint8Array })[] };
  try {
    j = JSON.parse(text);
  } catch {
    throw new Error('file format not recognized');
  }
  if (j.format !== 'ksim-obj' || j.version !== 1) throw new Error('file format not recognized');
  return {
    ...j,
    data: j.data.map((d) => {
      if (typeof d.bytes !== 'string') return { ...d, bytes: undefined };
      const s = atob(d.bytes);
      const b = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
      return { ...d, bytes: b };
    }),
  };
}
