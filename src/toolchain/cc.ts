// The C toolchain driver: what `ksim cc`, `ksim run file.c` and `ksim build` use. It runs the
// named compiler stages (preprocess+parse in cc/frontend.ts, sema, codegen in cc/compile.ts, the
// linker in cc/link.ts) over the user's files and ksim's libc (user mode) or the machine's kernel
// sources (kernel mode), with ksim's headers and the machine's predefined macros.
import { parseC } from '../cc/frontend.js';
import { compileUnit, linkProgram } from '../cc/compile.js';
import type { CObject } from '../cc/link.js';
import type { Diagnostic } from '../cc/diagnostics.js';
import type { Target } from '../cc/types.js';
import { registerKernelApi } from '../kernel/kc/kernel-c.js';
import { registerFreebsdKernelApi } from '../kernel/freebsd/kernel.js';

/** Where ksim's own C files are: the package's include/, libc/ and kernel-include/ directories. */
export interface Sysroot {
  root: string;
  readFile(path: string): string | undefined;
  listDir(path: string): string[];
}

export interface CcOptions {
  target: Target;
  /** -D NAME[=VALUE] */
  defines?: Record<string, string>;
  /** -U NAME */
  undefines?: string[];
  /** -I DIR, searched before ksim's headers. */
  includeDirs?: string[];
  /** Directories with machine-generated headers (the machine's <ksim/syscall_numbers.h>). */
  machineIncludeDirs?: string[];
}

export interface CcResult {
  image?: string;
  objects?: CObject[];
  diagnostics: Diagnostic[];
  /** Texts of the files read, to print diagnostics with their source line. */
  sources: Map<string, string>;
  preprocessed?: string;
}

/** The macros gcc predefines for the machine. */
export function predefinedMacros(target: Target, kernel: boolean): Record<string, string> {
  const m: Record<string, string> = {
    __ksim__: '1',
    __CHAR_BIT__: '8',
    __SIZEOF_INT__: '4',
    __SIZEOF_SHORT__: '2',
    __SIZEOF_LONG_LONG__: '8',
    __SIZEOF_DOUBLE__: '8',
    __SIZEOF_FLOAT__: '4',
    __ORDER_LITTLE_ENDIAN__: '1234',
    __ORDER_BIG_ENDIAN__: '4321',
    __BYTE_ORDER__: '__ORDER_LITTLE_ENDIAN__',
    __ELF__: '1',
    __unix__: '1',
    __unix: '1',
  };
  if (target.arch === 'x86_64') {
    Object.assign(m, { __x86_64__: '1', __x86_64: '1', __amd64__: '1', __amd64: '1', __LP64__: '1', _LP64: '1', __SIZEOF_LONG__: '8', __SIZEOF_POINTER__: '8', __SIZEOF_SIZE_T__: '8' });
  } else {
    Object.assign(m, { __i386__: '1', __i386: '1', i386: '1', __ILP32__: '1', __SIZEOF_LONG__: '4', __SIZEOF_POINTER__: '4', __SIZEOF_SIZE_T__: '4' });
  }
  if (target.os === 'linux') Object.assign(m, { __linux__: '1', __linux: '1', __gnu_linux__: '1' });
  else Object.assign(m, { __FreeBSD__: '14' });
  if (kernel) m.__KERNEL__ = '1';
  return m;
}

const objectCache = new Map<string, CObject[]>();

function hasErrors(ds: Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error' || d.severity === 'fatal error');
}

/** Compiles one file to an object (preprocess, parse, sema, codegen). */
function compileFile(
  file: string,
  readFile: (p: string) => string | undefined,
  opts: { target: Target; kernel: boolean; includeDirs: string[]; defines?: Record<string, string>; undefines?: string[]; prelude?: string },
  sources: Map<string, string>,
): { object?: CObject; diagnostics: Diagnostic[]; preprocessed: string } {
  const read = (p: string) => {
    if (p === file && opts.prelude !== undefined) {
      const t = readFile(p);
      if (t === undefined) return undefined;
      sources.set(p, t);
      return `${opts.prelude}\n#line 1 "${file}"\n${t}`;
    }
    const t = readFile(p);
    if (t !== undefined) sources.set(p, t);
    return t;
  };
  const fe = parseC(file, {
    readFile: read,
    includeDirs: opts.includeDirs,
    predefined: predefinedMacros(opts.target, opts.kernel),
    defines: opts.defines,
    undefines: opts.undefines,
  });
  if (!fe.unit) return { diagnostics: fe.diagnostics, preprocessed: fe.preprocessed };
  const r = compileUnit(fe.unit, { target: opts.target, mode: opts.kernel ? 'kernel' : 'user' });
  return { object: r.object, diagnostics: [...fe.diagnostics, ...r.diagnostics], preprocessed: fe.preprocessed };
}

/** A hash of everything the libc build reads (its sources and ksim's headers), to validate a cache. */
export function libcSourceHash(sys: Sysroot): string {
  let h = 0x811c9dc5;
  const walk = (dir: string) => {
    for (const name of sys.listDir(dir).sort()) {
      const p = `${dir}/${name}`;
      if (name.endsWith('.c') || name.endsWith('.h')) {
        const text = sys.readFile(p) ?? '';
        for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
        for (let i = 0; i < p.length; i++) h = Math.imul(h ^ p.charCodeAt(i), 0x01000193) >>> 0;
      } else if (!name.includes('.')) walk(p);
    }
  };
  walk(`${sys.root}/libc`);
  walk(`${sys.root}/include`);
  return h.toString(16);
}

/** The file a prebuilt libc for a target is kept in (written by scripts/build-libc.js). */
export function libcCachePath(sys: Sysroot, target: Target): string {
  return `${sys.root}/dist/libc/${target.arch}-${target.os}.json`;
}

/** Serializes objects (Uint8Arrays as base64) for the libc cache. */
export function serializeObjects(objects: CObject[], hash: string): string {
  return JSON.stringify({ hash, objects }, (_k, v) => (v instanceof Uint8Array ? { $b64: btoa(String.fromCharCode(...v)) } : v));
}

function reviveObjects(text: string, hash: string): CObject[] | undefined {
  try {
    const j = JSON.parse(text, (_k, v) => {
      if (v && typeof v === 'object' && typeof v.$b64 === 'string') {
        const s = atob(v.$b64);
        const out = new Uint8Array(s.length);
        for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
        return out;
      }
      return v;
    }) as { hash: string; objects: CObject[] };
    return j.hash === hash ? j.objects : undefined;
  } catch {
    return undefined;
  }
}

/** ksim's libc compiled for a target: from the prebuilt cache when it matches the sources, else compiled now. */
export function libcObjects(sys: Sysroot, target: Target, sources: Map<string, string>, useCache = true): { objects?: CObject[]; diagnostics: Diagnostic[] } {
  const key = `${target.arch}-${target.os}`;
  const cached = objectCache.get(key);
  if (cached) return { objects: cached, diagnostics: [] };
  if (useCache) {
    const text = sys.readFile(libcCachePath(sys, target));
    const objs = text ? reviveObjects(text, libcSourceHash(sys)) : undefined;
    if (objs) {
      objectCache.set(key, objs);
      return { objects: objs, diagnostics: [] };
    }
  }
  const files = sys.listDir(`${sys.root}/libc`).filter((f) => f.endsWith('.c')).sort();
  const objects: CObject[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    const r = compileFile(`${sys.root}/libc/${f}`, sys.readFile, { target, kernel: false, includeDirs: [`${sys.root}/libc`, `${sys.root}/include`] }, sources);
    diagnostics.push(...r.diagnostics.filter((d) => d.severity !== 'warning'));
    if (r.object) objects.push(r.object);
  }
  if (hasErrors(diagnostics)) return { diagnostics };
  objectCache.set(key, objects);
  return { objects, diagnostics };
}

/** Compiles and links a user program: the files plus ksim's libc. */
export function compileProgram(files: string[], readFile: (p: string) => string | undefined, sys: Sysroot, o: CcOptions & { preprocessOnly?: boolean; compileOnly?: boolean }): CcResult {
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const includeDirs = [...(o.includeDirs ?? []), ...(o.machineIncludeDirs ?? []), `${sys.root}/include`];
  const objects: CObject[] = [];
  let preprocessed = '';
  for (const f of files) {
    const r = compileFile(f, readFile, { target: o.target, kernel: false, includeDirs, defines: o.defines, undefines: o.undefines }, sources);
    diagnostics.push(...r.diagnostics);
    preprocessed += r.preprocessed;
    if (r.object) objects.push(r.object);
  }
  if (o.preprocessOnly) return { diagnostics, sources, preprocessed };
  if (hasErrors(diagnostics)) return { diagnostics, sources };
  if (o.compileOnly) return { diagnostics, sources, objects };
  const libc = libcObjects(sys, o.target, sources);
  diagnostics.push(...libc.diagnostics);
  if (!libc.objects) return { diagnostics, sources };
  const linked = linkProgram([...objects, ...libc.objects], { entry: '_start', module: files[0]?.replace(/^.*\//, '').replace(/\.c$/, ''), directRoots: objects.length });
  diagnostics.push(...linked.diagnostics);
  return { image: linked.text, diagnostics, sources };
}

/** Extra choices for kernel C: FreeBSD's generated headers, and where a module's image lives. */
export interface KernelCompileOptions {
  /** Generated headers (FreeBSD's sys/sysproto.h), found before the sysroot's, not compiled. */
  headers?: { path: string; text: string }[];
  /** Text base of the image (a FreeBSD module gets its own range); default the kernel's. */
  textBase?: number;
  /** Module name in stack traces (`mysyscall.ko`); default vmlinux / kernel. */
  module?: string;
}

/**
 * Compiles a machine's kernel C into a kernel image: Linux kernel C with kernel-include/ and the
 * kernel prelude; FreeBSD kernel C with kernel-include-freebsd/ and its own #include lines.
 */
export function compileKernel(files: { path: string; text: string }[], target: Target, sys: Sysroot, ko: KernelCompileOptions = {}): CcResult & { functions: { name: string; params: [string, string][] }[] } {
  registerKernelApi();
  const freebsd = target.os === 'freebsd';
  if (freebsd) registerFreebsdKernelApi();
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const genDir = '/__ksim_generated';
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  for (const h of ko.headers ?? []) byPath.set(`${genDir}/${h.path}`, h.text);
  const read = (p: string) => byPath.get(p) ?? sys.readFile(p);
  const objects: CObject[] = [];
  for (const f of files) {
    const r = compileFile(f.path, read, {
      target,
      kernel: true,
      includeDirs: freebsd ? [genDir, `${sys.root}/kernel-include-freebsd`] : [`${sys.root}/kernel-include`],
      prelude: freebsd ? undefined : '#include <ksim/kernel_prelude.h>',
    }, sources);
    diagnostics.push(...r.diagnostics);
    if (r.object) objects.push(r.object);
  }
  if (hasErrors(diagnostics)) return { diagnostics, sources, functions: [] };
  const linked = linkProgram(objects, { entry: null, module: ko.module ?? (freebsd ? 'kernel' : 'vmlinux'), ...(ko.textBase !== undefined ? { textBase: ko.textBase } : {}) });
  diagnostics.push(...linked.diagnostics);
  const functions = objects.flatMap((o) => o.functions.map((fn) => ({ name: fn.name, params: fn.paramTypes.map((t, i): [string, string] => [t, `arg${i}`]) })));
  return { image: linked.text, diagnostics, sources, functions };
}

export { loadExecutable, loadKernelImage } from './loader.js';
