// Builds a Linux machine's syscall rows: the table file's rows (stock or edited), each with its
// typed signature (from the signature data, or from the C parameter list of a custom SYSCALL_DEFINE
// handler), its handler's presence and support level. The result drives everything else.
import type { ArgSpec, RetFormat, SyscallClass, SyscallRow } from '../syscall-row.js';
import type { TblRow } from '../../machine/tbl.js';

export interface SignatureInfo {
  args: ArgSpec[];
  ret: RetFormat;
  classes: SyscallClass[];
}

export interface RowSources {
  /** The typed signature of a stock syscall by name, when known. */
  signature(name: string): SignatureInfo | undefined;
  /** Names (entry points or syscall names) that have a handler. */
  hasHandler(row: TblRow): boolean;
  /** Support notes for partially implemented calls. */
  partial?: Record<string, string>;
  /** The C parameter list of a custom handler, by entry point: [type, name][]. */
  cParams(entry: string): [string, string][] | undefined;
  /** Whether a row is part of the stock table of the machine's release. */
  isStock(row: TblRow): boolean;
}

/** The ArgSpec for a C parameter of a custom syscall. */
export function argFromC(ctype: string, name: string): ArgSpec {
  const t = ctype.replace(/\s+/g, ' ').trim();
  const bare = t.replace(/\b(const|volatile|__user|restrict)\b/g, '').replace(/\s+/g, ' ').trim();
  let fmt = 'long';
  if (/^(unsigned )?char ?\*$/.test(bare)) fmt = 'str';
  else if (bare.includes('*')) fmt = 'ptr';
  else if (/^(unsigned( int)?|u32|uid_t|gid_t|umode_t)$/.test(bare)) fmt = 'uint';
  else if (/^(int|s32|pid_t|short|char|signed char|_Bool|bool)$/.test(bare)) fmt = 'int';
  else if (/unsigned long|size_t|u64/.test(bare)) fmt = 'ulong';
  return { name, ctype: t, fmt, dir: 'in' };
}

const UNKNOWN_ARGS: ArgSpec[] = [];

export function buildLinuxRows(tblRows: TblRow[], src: RowSources): SyscallRow[] {
  const rows: SyscallRow[] = [];
  for (const r of tblRows) {
    const custom = !src.isStock(r);
    const cParams = r.entry ? src.cParams(r.entry) : undefined;
    const sig = cParams ? undefined : src.signature(r.name);
    const args = cParams ? cParams.map(([t, n]) => argFromC(t, n)) : (sig?.args ?? UNKNOWN_ARGS);
    const has = r.abi !== 'x32' && src.hasHandler(r);
    let note = '';
    if (!has) {
      if (r.abi === 'x32') note = 'x32 ABI: only reachable with __X32_SYSCALL_BIT, which ksim does not emulate';
      else if (!r.entry) note = 'the table gives no entry point';
      else if (custom) note = `no handler defines ${r.entry}`;
      else note = 'not implemented in ksim yet';
    } else if (src.partial?.[r.name]) note = src.partial[r.name]!;
    rows.push({
      nr: r.nr,
      name: r.name,
      abi: r.abi,
      entry: r.entry,
      args,
      ret: sig?.ret ?? 'long',
      support: !has ? 'enosys' : src.partial?.[r.name] ? 'partial' : 'full',
      note,
      classes: sig?.classes ?? [],
      custom,
    });
  }
  return rows;
}
