// FreeBSD's syscall rows from syscalls.master: names as FreeBSD's syscallnames[] gives them
// (`compat11.fstat`, `old.creat`, `obs_execv`, `#208`), entry points (sys_NAME, freebsdN_NAME),
// argument formats from the prototypes (so strace, kdump and D args[] decode them), and the
// machine's <sys/syscall.h> numbers and <sys/sysproto.h> argument structs generated from the rows.
import type { ArgSpec, SyscallRow } from '../syscall-row.js';
import type { MasterRow } from './syscalls-master.js';

/** The base type of a row (its first flag): STD, COMPAT11, NODEF... */
export function rowKind(r: { type: string }): string {
  return r.type.split('|')[0]!;
}

export function isCapEnabled(r: { type: string }): boolean {
  return r.type.split('|').includes('CAPENABLED');
}

/** The name FreeBSD's syscallnames[] (and so kdump and dtrace) use for a row. */
export function freebsdRowName(r: MasterRow): string {
  const kind = rowKind(r);
  if (kind === 'RESERVED' || kind === 'UNIMPL' || !r.name) return `#${r.nr}`;
  if (kind === 'OBSOL') return `obs_${r.name}`;
  if (kind === 'COMPAT') return `old.${r.name}`;
  const m = /^COMPAT(\d+)$/.exec(kind);
  if (m) return `compat${m[1]}.${r.name}`;
  return r.name;
}

/** The kernel function a row calls: sys_NAME, oNAME, freebsdN_NAME, lkmnosys, or '' for none. */
export function freebsdEntry(r: MasterRow): string {
  const kind = rowKind(r);
  if (kind === 'RESERVED' || kind === 'UNIMPL' || kind === 'OBSOL' || !r.name) return '';
  if (kind === 'NODEF') return r.alt?.[0] ?? r.name;
  if (kind === 'COMPAT') return `o${r.name}`;
  const m = /^COMPAT(\d+)$/.exec(kind);
  if (m) return `freebsd${m[1]}_${r.name}`;
  return `sys_${r.name}`;
}

/** Whether user programs see SYS_name for the row (sys/syscall.h defines only current calls). */
export function definesSysName(r: MasterRow): boolean {
  const kind = rowKind(r);
  return (kind === 'STD' || kind === 'NOSTD' || kind === 'SYSMUX' || kind === 'NOPROTO' || kind === 'NOARGS') && !!r.name;
}

/** How tracers show an argument of a FreeBSD prototype. */
export function argFromPrototype(ctype: string, name: string, index: number, params: [string, string][]): ArgSpec {
  const t = ctype.replace(/\s+/g, ' ').trim();
  const bare = t.replace(/\b(const|volatile|restrict)\b/g, '').replace(/\s+/g, ' ').trim();
  const next = params[index + 1];
  let fmt = 'long';
  let dir: ArgSpec['dir'] = 'in';
  if (/^(char|u_char) ?\*$/.test(bare)) fmt = /path|link|file|from|to|name/.test(name) && name !== 'buf' ? 'path' : 'str';
  else if (bare.includes('*')) {
    if (/^(void|char) ?\*$/.test(bare) && next && /^(size_t|u_int|int)$/.test(next[0]) && /nbyte|len|size|count|buflen/.test(next[1])) {
      fmt = t.startsWith('const') ? `buf:${index + 1}` : `obuf:${index + 1}`;
      dir = t.startsWith('const') ? 'in' : 'out';
    } else fmt = 'ptr';
  } else if (/^(int|pid_t|lwpid_t|id_t|idtype_t|short|char|u_char)$/.test(bare)) fmt = /^(fd|fd\d|s|fdes|fildes)$/.test(name) ? 'fd' : name === 'signum' || name === 'sig' ? 'signo' : 'int';
  else if (/^(u_int|unsigned|unsigned int|uid_t|gid_t|u_int32_t|uint32_t|u_short|fflags_t|cap_rights_t)$/.test(bare)) fmt = bare === 'uid_t' || bare === 'gid_t' ? 'uid' : 'uint';
  else if (bare === 'mode_t') fmt = 'mode';
  else if (/^(size_t|u_long|unsigned long|uint64_t|u_int64_t|off_t|dev_t|rlim_t)$/.test(bare)) fmt = 'ulong';
  return { name, ctype: t, fmt, dir };
}

export interface FreebsdRowSources {
  /** Whether a row has a handler (a TypeScript one, or a C function of the built kernel). */
  hasHandler(r: MasterRow): boolean;
  /** Whether the row is in the stock table. */
  isStock(r: MasterRow): boolean;
}

/** The SyscallRow for each syscalls.master row. */
export function buildFreebsdRows(master: MasterRow[], src: FreebsdRowSources): SyscallRow[] {
  return master.map((r) => {
    const kind = rowKind(r);
    const has = src.hasHandler(r);
    const entry = freebsdEntry(r);
    let note = '';
    if (!has) {
      if (kind === 'RESERVED' || kind === 'UNIMPL') note = 'reserved slot: nosys (SIGSYS)';
      else if (kind === 'OBSOL') note = 'obsolete: nosys (SIGSYS)';
      else if (kind === 'NODEF') note = 'free for a loadable module (lkmnosys until one is loaded)';
      else if (!src.isStock(r)) note = `no kernel function defines ${entry}`;
      else note = 'not implemented in ksim yet';
    }
    return {
      nr: r.nr,
      name: freebsdRowName(r),
      abi: r.type,
      entry,
      args: r.params.map(([t, n], i) => argFromPrototype(t, n, i, r.params)),
      ret: r.ret === 'void' ? 'none' : r.ret.includes('*') || r.name === 'mmap' || r.name === 'break' ? 'hex' : 'long',
      support: has ? 'full' : 'enosys',
      note,
      classes: [],
      custom: !src.isStock(r),
    } satisfies SyscallRow;
  });
}

/** <sys/syscall.h> numbers for user programs: SYS_name for current calls, custom rows included. */
export function freebsdSyscallHeaderText(master: MasterRow[]): string {
  const lines = [
    '/* Generated by ksim from the machine\'s sys/kern/syscalls.master: do not edit. */',
    '#ifndef _KSIM_SYSCALL_NUMBERS_H',
    '#define _KSIM_SYSCALL_NUMBERS_H',
  ];
  const seen = new Set<string>();
  for (const r of master) {
    if (!definesSysName(r)) continue;
    if (seen.has(r.name)) continue;
    seen.add(r.name);
    lines.push(`#define SYS_${r.name} ${r.nr}`);
  }
  lines.push(`#define SYS_MAXSYSCALL ${master.length ? Math.max(...master.map((r) => r.nr)) + 1 : 0}`, '#endif', '');
  return lines.join('\n');
}

/** Sizes of the scalar types sysproto.h keeps as they are (others become register_t or void *). */
const SCALAR_SIZES: Record<string, number> = {
  int: 4, 'u_int': 4, unsigned: 4, 'unsigned int': 4, long: 8, 'u_long': 8, 'unsigned long': 8, size_t: 8, ssize_t: 8,
  off_t: 8, pid_t: 4, uid_t: 4, gid_t: 4, id_t: 8, mode_t: 2, short: 2, 'u_short': 2, char: 1, 'u_char': 1,
  int32_t: 4, uint32_t: 4, 'u_int32_t': 4, int64_t: 8, uint64_t: 8, 'u_int64_t': 8, lwpid_t: 4, dev_t: 8, register_t: 8,
  intptr_t: 8, uintptr_t: 8, socklen_t: 4, key_t: 8, time_t: 8, clockid_t: 4, fflags_t: 4,
};
const POINTEE_KEPT = /^(const )?(char|u_char|void|int|u_int|long|u_long|size_t|off_t|pid_t|uid_t|gid_t|struct \w+|const struct \w+)( ?\*)+$/;

/** A sysproto member type ksim's kernel headers can compile, and its size. */
function sysprotoType(t: string): { type: string; size: number } {
  const type = t.replace(/\s+/g, ' ').trim();
  if (type.includes('*')) return { type: POINTEE_KEPT.test(type.replace(/\*/g, ' *').replace(/ +\*/g, ' *')) ? type : 'void *', size: 8 };
  const size = SCALAR_SIZES[type];
  return size ? { type, size } : { type: 'register_t', size: 8 };
}

/** <sys/sysproto.h>: the argument struct of every row with a prototype, FreeBSD's padded layout. */
export function sysprotoText(master: MasterRow[]): string {
  const out = [
    '/* sys/sysproto.h: system call argument structures, generated by ksim from the machine\'s',
    ' * sys/kern/syscalls.master: do not edit. Each argument fills a register-sized (8-byte) slot,',
    ' * low bytes first, as FreeBSD\'s PADL_/PADR_ lay them out on amd64. */',
    '#ifndef _SYS_SYSPROTO_H_',
    '#define _SYS_SYSPROTO_H_',
    '#include <sys/types.h>',
    'struct thread;',
    'struct nosys_args { register_t dummy; };',
  ];
  const seen = new Set<string>(['nosys']);
  for (const r of master) {
    const kind = rowKind(r);
    if (!(kind === 'STD' || kind === 'NOSTD') || !r.name || seen.has(r.name)) continue;
    seen.add(r.name);
    if (r.params.length === 0) {
      out.push(`struct ${r.name}_args { register_t dummy; };`);
      continue;
    }
    out.push(`struct ${r.name}_args {`);
    for (const [t, n] of r.params) {
      const { type, size } = sysprotoType(t);
      const sp = type.endsWith('*') ? '' : ' ';
      out.push(`\t${type}${sp}${n};${size < 8 ? ` char ${n}_r_[${8 - size}];` : ''}`);
    }
    out.push('};');
  }
  for (const r of master) {
    if (rowKind(r) !== 'STD' || !r.name) continue;
    out.push(`int sys_${r.name}(struct thread *, struct ${r.name}_args *);`);
  }
  out.push('#endif', '');
  return out.join('\n');
}
