// Test harness for compiled C: parses, compiles and links a program (entry main), maps it into an
// AddressSpace and runs it on a Cpu with a minimal trap handler (write = 1, exit = 60).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseC as frontendParseC } from '../../src/cc/frontend.js';
import type { TranslationUnit } from '../../src/cc/ast.js';

const INCLUDE_DIR = fileURLToPath(new URL('../../include', import.meta.url));
import { compileC, linkProgram, type CompileOptions } from '../../src/cc/compile.js';
import { loadImage, type LoadedImage } from '../../src/cc/image.js';
import { formatDiagnostics, type Diagnostic } from '../../src/cc/diagnostics.js';
import { Cpu } from '../../src/runtime/cpu.js';
import { AddressSpace, PROT_READ, PROT_WRITE } from '../../src/runtime/memory.js';
import { userIntrinsics } from '../../src/runtime/user-intrinsics.js';
import type { Target } from '../../src/cc/types.js';

/** Small output helpers written in C, so tests exercise the compiler through them too. */
export const PRELUDE = `
static long __out_len(const char *s) { long n = 0; while (s[n]) n++; return n; }
static void print_str(const char *s) { __syscall3(1, 1, (long)s, __out_len(s)); }
static void print_char(int c) { char b = c; __syscall3(1, 1, (long)&b, 1); }
static void print_ulong(unsigned long v) {
  char buf[24]; int i = 23; buf[i] = 0;
  do { buf[--i] = '0' + v % 10; v /= 10; } while (v);
  print_str(buf + i);
}
static void print_long(long v) {
  if (v < 0) { print_char('-'); print_ulong(-(unsigned long)v); } else print_ulong(v);
}
static void print_int(int v) { print_long(v); }
`;

/** Preprocesses (with ksim's include/ directory) and parses C text through the front end. */
export function parseC(file: string, text: string): { unit?: TranslationUnit; diagnostics: Diagnostic[] } {
  const r = frontendParseC(file, {
    readFile: (p) => (p === file ? text : existsSync(p) ? readFileSync(p, 'utf8') : undefined),
    includeDirs: [INCLUDE_DIR],
    predefined: { __x86_64__: '1', __linux__: '1', __STDC__: '1' },
  });
  return { unit: r.unit, diagnostics: r.diagnostics };
}

export interface BuildResult {
  image?: LoadedImage;
  diagnostics: Diagnostic[];
  text: string;
}

export function build(src: string, opts: { target?: Target; prelude?: boolean; file?: string } = {}): BuildResult {
  const file = opts.file ?? 'test.c';
  const target = opts.target ?? { arch: 'x86_64', os: 'linux' };
  const text = (opts.prelude === false ? '' : PRELUDE) + src;
  const copts: CompileOptions = { target, mode: 'user', parse: parseC };
  const c = compileC({ file, text }, copts);
  if (!c.objects) return { diagnostics: c.diagnostics, text: formatDiagnostics(c.diagnostics) };
  const l = linkProgram(c.objects, { entry: 'main' });
  if (!l.text) return { diagnostics: [...c.diagnostics, ...l.diagnostics], text: formatDiagnostics([...c.diagnostics, ...l.diagnostics]) };
  return { image: loadImage(l.text, userIntrinsics as never), diagnostics: c.diagnostics, text: formatDiagnostics(c.diagnostics) };
}

export interface RunResult {
  out: string;
  status: number | null;
  fault?: string;
  yields: number;
  cpu: Cpu;
}

export function setup(image: LoadedImage, argv: number[] = [0, 0]): Cpu {
  const STACK_TOP = image.json.arch === 'i386' ? 0xbffff000 : 0x7ffffffff000;
  const mem = new AddressSpace();
  for (const s of image.segments) {
    mem.map(s.addr, Math.max(s.size, 1), PROT_READ | PROT_WRITE, s.name);
    if (s.bytes.length) mem.write(s.addr, s.bytes);
    mem.protect(s.addr, Math.max(s.size, 1), s.prot);
  }
  mem.map(STACK_TOP - (1 << 20), 1 << 20, PROT_READ | PROT_WRITE, '[stack]');
  const cpu = new Cpu(mem, { sp: STACK_TOP - 64, stackLimit: STACK_TOP - (1 << 20) + 4096, lookup: (a) => image.lookup(a) });
  cpu.start(image.entry, argv);
  return cpu;
}

/** Runs a set-up Cpu to completion, collecting what it writes. */
export function runCpu(cpu: Cpu, budget = Infinity): RunResult {
  let out = '';
  let yields = 0;
  const dec = new TextDecoder();
  const i386 = cpu.trapArgs.length > 0 && cpu.frames[0]?.fn.addr !== undefined && cpu.frames[0].fn.addr < 0x10000000 && cpu.frames[0].fn.addr >= 0x8000000;
  for (;;) {
    cpu.budget = budget;
    const why = cpu.run();
    if (why === 'yield') {
      yields++;
      continue;
    }
    if (why === 'exit') return { out, status: Number(cpu.rv ?? 0) | 0, yields, cpu };
    if (why === 'fault') return { out, status: null, fault: `${cpu.fault!.signal} ${cpu.fault!.message}`, yields, cpu };
    const nr = cpu.trapNr;
    // i386 registers are 32 bits: a pointer passed as a (signed) long is read back unsigned.
    const a = cpu.trapArgs.map((v) => (i386 ? Number(v) >>> 0 : Number(v)));
    if (nr === 1) {
      out += dec.decode(cpu.mem.read(a[1]!, a[2]!));
      cpu.rv = a[2];
    } else if (nr === 60) {
      return { out, status: a[0]! | 0, yields, cpu };
    } else cpu.rv = -38;
  }
}

/** Builds and runs; throws with the diagnostics if the build fails. */
export function run(src: string, opts: { target?: Target; budget?: number } = {}): RunResult {
  const b = build(src, opts);
  if (!b.image) throw new Error(`build failed:\n${b.text}`);
  return runCpu(setup(b.image), opts.budget);
}
