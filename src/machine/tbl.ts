// Linux's syscall_64.tbl / syscall_32.tbl: writing the stock table of a release in the kernel's own
// format, and reading a (possibly edited) table back with errors that name the file and line.
import { LINUX_X86_64_TABLE, LINUX_I386_TABLE_ROWS } from '../kernel/linux/tables.js';
import type { StockTableRow } from '../kernel/linux/table-x86_64.js';
import { presentIn } from './release.js';
import type { Diagnostic } from '../cc/diagnostics.js';

export interface TblRow {
  nr: number;
  abi: string;
  name: string;
  entry: string;
  /** Entry point for compat (x32 / i386 on x86_64) if a fifth column is present. */
  compat?: string;
  line: number;
}

export type LinuxArch = 'x86_64' | 'i386';

export function tblPath(arch: LinuxArch): string {
  return arch === 'x86_64' ? 'arch/x86/entry/syscalls/syscall_64.tbl' : 'arch/x86/entry/syscalls/syscall_32.tbl';
}

export function stockRows(arch: LinuxArch, release: string): StockTableRow[] {
  const all = arch === 'x86_64' ? LINUX_X86_64_TABLE : LINUX_I386_TABLE_ROWS;
  return all.filter((r) => presentIn(r.since, release));
}

/** The table file of a release, in the kernel's format (tab-separated, comment header). */
export function writeTbl(arch: LinuxArch, release: string): string {
  const rows = stockRows(arch, release);
  const out: string[] = [];
  if (arch === 'x86_64') {
    out.push('#', '# 64-bit system call numbers and entry vectors', '#', '# The format is:',
      '# <number> <abi> <name> <entry point>', '#', '# The abi is "common", "64" or "x32" for this file.', '#');
  } else {
    out.push('#', '# 32-bit system call numbers and entry vectors', '#', '# The format is:',
      '# <number> <abi> <name> <entry point> <compat entry point>', '#', '# The abi is always "i386" for this file.', '#');
  }
  let inX32 = false;
  for (const r of rows) {
    if (r.abi === 'x32' && !inX32) {
      inX32 = true;
      out.push('', '#', '# x32-specific system call numbers start at 512 to avoid cache impact', '# for native 64-bit operation.', '#');
    }
    out.push([String(r.nr), r.abi, r.name, r.entry].filter((c, i) => i < 3 || c !== '').join('\t'));
  }
  return out.join('\n') + '\n';
}

/** Parses a table; malformed rows and duplicate numbers are errors with the file and line. */
export function parseTbl(text: string, file: string, arch: LinuxArch): { rows: TblRow[]; diagnostics: Diagnostic[] } {
  const rows: TblRow[] = [];
  const diagnostics: Diagnostic[] = [];
  const byNr = new Map<string, TblRow>();
  const lines = text.split('\n');
  const abis = arch === 'x86_64' ? ['common', '64', 'x32'] : ['i386'];
  lines.forEach((raw, i) => {
    const line = i + 1;
    const content = raw.replace(/#.*$/, '');
    if (!content.trim()) return;
    const cols = content.trim().split(/\s+/);
    const col = raw.length - raw.trimStart().length + 1;
    const loc = { file, line, col };
    if (cols.length < 3) {
      diagnostics.push({ severity: 'error', loc, message: `malformed row: expected '<number> <abi> <name> [<entry point>]', found ${cols.length} column${cols.length === 1 ? '' : 's'}` });
      return;
    }
    const [nrText, abi, name, entry = '', compat] = cols as [string, string, string, string?, string?];
    if (!/^\d+$/.test(nrText)) {
      diagnostics.push({ severity: 'error', loc, message: `malformed row: '${nrText}' is not a syscall number` });
      return;
    }
    if (!abis.includes(abi)) {
      diagnostics.push({ severity: 'error', loc: { file, line, col: raw.indexOf(abi) + 1 }, message: `unknown ABI '${abi}' (expected ${abis.map((a) => `'${a}'`).join(', ')})` });
      return;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      diagnostics.push({ severity: 'error', loc: { file, line, col: raw.indexOf(name) + 1 }, message: `malformed row: '${name}' is not a valid syscall name` });
      return;
    }
    const nr = Number(nrText);
    // x86_64: a number may appear once per ABI family (64-bit: common/64; x32: common/x32).
    const families = arch === 'x86_64' ? (abi === 'common' ? ['64', 'x32'] : [abi]) : ['i386'];
    for (const fam of families) {
      const prev = byNr.get(`${fam}:${nr}`);
      if (prev) {
        const next = nextFreeNumber(rows, nr);
        diagnostics.push({
          severity: 'error',
          loc,
          message: `syscall number ${nr} is already used by '${prev.name}' (${file}:${prev.line}); the next free number is ${next}`,
        });
        return;
      }
    }
    const row: TblRow = { nr, abi, name, entry, line, ...(compat ? { compat } : {}) };
    for (const fam of families) byNr.set(`${fam}:${nr}`, row);
    rows.push(row);
  });
  return { rows, diagnostics };
}

/**
 * The number a new syscall should take: one past the highest native (below 512) number in use, as
 * new syscalls are appended at the end of the table upstream.
 */
export function nextFreeNumber(rows: { nr: number; abi: string }[], _taken: number): number {
  const native = rows.filter((r) => r.abi !== 'x32' && r.nr < 512).map((r) => r.nr);
  return native.length ? Math.max(...native) + 1 : 0;
}
