// A bsd.kmod.mk-style Makefile, as `ksim make` reads it: variable assignments (KMOD, SRCS, CFLAGS;
// `=`, `+=`, `?=`, `:=`, backslash continuations, ${VAR} references, # comments) and
// `.include <bsd.kmod.mk>`. Errors name the file and line, as make(1) does.
import type { Diagnostic } from '../../cc/diagnostics.js';

export interface KmodMakefile {
  kmod: string;
  srcs: string[];
  /** -D and -I options from CFLAGS. */
  defines: Record<string, string>;
  includeDirs: string[];
}

export function parseKmodMakefile(text: string, file: string): { makefile?: KmodMakefile; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const vars = new Map<string, string>();
  const varLine = new Map<string, number>();
  let includesKmod = false;
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const lineNo = i + 1;
    let line = raw[i]!;
    while (line.endsWith('\\') && i + 1 < raw.length) line = line.slice(0, -1) + ' ' + raw[++i]!;
    const content = line.replace(/(^|[^\\])#.*$/, '$1');
    if (!content.trim()) continue;
    const inc = /^\s*\.\s*include\s+([<"])([^>"]+)[>"]\s*$/.exec(content);
    if (inc) {
      if (inc[2] === 'bsd.kmod.mk') includesKmod = true;
      else diagnostics.push({ severity: 'error', loc: { file, line: lineNo, col: content.indexOf(inc[2]!) }, message: `Could not find ${inc[2]} (ksim make knows only <bsd.kmod.mk>)` });
      continue;
    }
    if (/^\s*\./.test(content)) {
      diagnostics.push({ severity: 'error', loc: { file, line: lineNo, col: content.indexOf('.') + 1 }, message: `Unknown directive "${content.trim().split(/\s/)[0]!.slice(1)}"` });
      continue;
    }
    const asg = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*([+?:]?=)\s*(.*)$/.exec(content);
    if (!asg) {
      if (/^\S[^=]*:/.test(content)) continue; // a target rule: ksim make builds the module only
      if (/^\t/.test(content)) continue; // a recipe line of a rule
      diagnostics.push({ severity: 'error', loc: { file, line: lineNo, col: 1 }, message: `Invalid line '${content.trim()}' (expected VARIABLE= value)` });
      continue;
    }
    const [, name, op, value] = asg as unknown as [string, string, string, string];
    const expanded = value.replace(/\$\{([^}]+)\}|\$\(([^)]+)\)/g, (_m, a: string, b: string) => vars.get(a ?? b) ?? '').trim();
    if (op === '?=' && vars.has(name)) continue;
    vars.set(name, op === '+=' && vars.has(name) ? `${vars.get(name)} ${expanded}`.trim() : expanded);
    varLine.set(name, lineNo);
  }
  if (!includesKmod) diagnostics.push({ severity: 'error', loc: { file, line: raw.length, col: 1 }, message: 'no `.include <bsd.kmod.mk>`: not a kernel module Makefile' });
  const kmod = vars.get('KMOD') ?? '';
  if (!kmod) diagnostics.push({ severity: 'error', loc: { file, line: 1, col: 1 }, message: 'KMOD is not set (write KMOD= name of the module)' });
  else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(kmod)) diagnostics.push({ severity: 'error', loc: { file, line: varLine.get('KMOD')!, col: 1 }, message: `KMOD '${kmod}' is not a valid module name` });
  const srcs = (vars.get('SRCS') ?? (kmod ? `${kmod}.c` : '')).split(/\s+/).filter(Boolean);
  for (const s of srcs) {
    if (!s.endsWith('.c') && !s.endsWith('.h')) diagnostics.push({ severity: 'error', loc: { file, line: varLine.get('SRCS') ?? 1, col: 1 }, message: `don't know how to make '${s}' (SRCS takes .c and .h files)` });
  }
  if (diagnostics.length) return { diagnostics };
  const defines: Record<string, string> = {};
  const includeDirs: string[] = [];
  for (const w of (vars.get('CFLAGS') ?? '').split(/\s+/).filter(Boolean)) {
    if (w.startsWith('-D')) {
      const [k, v] = w.slice(2).split('=');
      defines[k!] = v ?? '1';
    } else if (w.startsWith('-I')) includeDirs.push(w.slice(2));
  }
  return { makefile: { kmod, srcs: srcs.filter((s) => s.endsWith('.c')), defines, includeDirs }, diagnostics };
}

/** Where a module's image lives in kernel memory: a 1 MiB slot chosen by its name. */
export function moduleTextBase(kmod: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < kmod.length; i++) h = Math.imul(h ^ kmod.charCodeAt(i), 0x01000193) >>> 0;
  return -0x7e000000 + (h % 256) * 0x100000; // 0xffffffff82000000 + slot * 1 MiB
}
