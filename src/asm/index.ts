// Assembly programs as ksim executables: `assembleProgram` assembles .s files (AT&T syntax), lays
// them out at the machine's user addresses and produces the image text `ksim cc` writes (the same
// `#!` + JSON format as compiled C, docs/runtime-abi.md "Images"): the sections become the image's
// data segments (.text read+exec, .rodata read-only, .data, .bss) and the instructions one step
// function entered at `_start` with the initial stack pointer.
import { assemble, type AsmProgram } from './assemble.js';
import { generateAsm, SLOT } from './codegen.js';
import type { Arch } from './isa.js';
import type { ImageJson } from '../cc/link.js';
import { serializeImage } from '../cc/image.js';

export { AsmError, parseAsm } from './syntax.js';
export { assemble } from './assemble.js';
export type { Arch } from './isa.js';

export interface AssembleResult {
  /** The executable image text, when assembly and layout succeeded. */
  image?: string;
  program?: AsmProgram;
  /** gas/ld messages (errors and warnings), one per line. */
  messages: string[];
  failed: boolean;
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Whether a file name is assembly source for ksim cc (.s, or .S which is preprocessed first). */
export function isAssemblyFile(path: string): boolean {
  return /\.[sS]$/.test(path);
}

/**
 * Readies a .S file for the C preprocessor: gcc's assembler-with-cpp mode does not let `$` start an
 * identifier, so `$NR_EXIT` must expand NR_EXIT; a space after each `$` outside strings and comments
 * does that (the assembler reads `$ 1` as `$1`).
 */
export function prepareForCpp(text: string): string {
  let out = '';
  let inStr = false;
  let inComment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    out += c;
    if (c === '\n') inComment = false;
    if (inComment) continue;
    if (inStr) {
      if (c === '\\' && i + 1 < text.length) out += text[++i];
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '$' && /[A-Za-z_]/.test(text[i + 1] ?? '')) out += ' ';
  }
  return out;
}

/** Builds the image JSON of an assembled program. */
export function asmImage(p: AsmProgram, os: 'linux' | 'freebsd', module: string, file: string): ImageJson {
  const gen = generateAsm(p);
  const entryLine = p.insns.find((i) => i.addr === p.entry)?.line ?? 1;
  const data: ImageJson['data'] = [];
  for (const s of p.segments) {
    if (s.name === '.bss' || s.size === 0) continue;
    data.push({ addr: s.addr, size: s.size, bytes: base64(s.bytes), prot: s.prot, name: s.name });
  }
  const bss = p.segments.find((s) => s.name === '.bss')!;
  const text = p.segments.find((s) => s.name === '.text')!;
  return {
    format: 'ksim-exe',
    version: 1,
    arch: p.arch,
    os,
    mode: 'user',
    entry: p.entry,
    text: {
      base: text.addr,
      size: Math.max(text.size, 1),
      functions: [{
        name: '_start', addr: p.entry, size: Math.max(text.size, 1), file, line: entryLine, module,
        nparams: 1, nlocals: SLOT.COUNT, frameSize: 0, variadic: false, blockLines: gen.blockLines,
        paramTypes: [], returnType: 'void',
      }],
    },
    data,
    bss: { addr: bss.addr, size: bss.size },
    code: gen.code,
    symbols: p.symbols,
  };
}

/** Assembles source files into an executable image for arch. */
export function assembleProgram(files: { path: string; text: string; lineMarkers?: boolean }[], arch: Arch, os: 'linux' | 'freebsd' = 'linux'): AssembleResult {
  const r = assemble(files, arch);
  if (r.failed || !r.program) return { messages: r.messages, failed: true };
  const first = files[0]?.path ?? 'a.s';
  const module = first.replace(/^.*\//, '').replace(/\.[sS]$/, '');
  const img = asmImage(r.program, os, module, first);
  return { image: serializeImage(img), program: r.program, messages: r.messages, failed: false };
}
