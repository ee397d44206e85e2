// The kernel's own functions on the syscall path, with the names the machine's release gives them,
// for dtrace's fbt provider and stack(): the assembly entry point the trap lands in, the C dispatcher,
// the table's function (sys_NAME and its wrappers), and the few functions behind it that tutorials
// walk through (ksys_read → vfs_read, do_sys_open, do_exit, kernel_clone...).
//
// ksim's dispatch is TypeScript, so these functions have no machine code: the path is a model of
// Linux's, fired by the kernel's dispatch (through the observer interface, so it costs nothing
// when no probe wants it). Names by release, as Linux named them:
//   x86_64  <4.2   system_call (frame system_call_fastpath) → sys_NAME
//           4.2    entry_SYSCALL_64 (frame entry_SYSCALL_64_fastpath) → sys_NAME (SyS_NAME from 3.10)
//           4.6    entry_SYSCALL_64 (frame entry_SYSCALL64_slow_path) → do_syscall_64 → SyS_NAME
//           4.15   frame entry_SYSCALL_64_after_hwframe (the PTI label)
//           4.17   → __x64_sys_NAME (ARCH_HAS_SYSCALL_WRAPPER)
//   i386    <4.2   system_call (IDT vector 0x80; frame syscall_call) → sys_call_table[eax] = sys_NAME
//           4.2    entry_INT80_32; 4.4 → do_int80_syscall_32; 3.10 SyS_NAME, 4.17 __se_sys_NAME,
//           5.7    __ia32_sys_NAME
//   FreeBSD amd64  fast_syscall_common (frame only) → amd64_syscall → sys_NAME → kern_*
// A table row with no handler reaches sys_ni_syscall, as in Linux. Kernel C built by `ksim build`
// is its own level: its functions fire from kernel-c.ts, under the wrapper of their row.
//
// Offsets (`do_syscall_64+0x5d` in stack(), arg0 of a return probe) are ksim's fixed layout of
// these functions, not a Linux binary's.
import type { Int64 } from './events.js';
import type { SyscallRow } from './syscall-row.js';

export interface PathIdentity {
  os: 'linux' | 'freebsd';
  arch: 'x86_64' | 'i386';
  release: string;
}

/** What a path function's argument is, from the syscall's registers. */
type ArgSource = number | { value: Int64 } | ((a: readonly Int64[], nr: number) => Int64);

/** One kernel function on the path. */
export interface PathFunction {
  name: string;
  /** The symbol a return address into this function resolves to (a label inside it), if not name. */
  frameName?: string;
  /** Offset of the call to the next function: the return address stack() shows. */
  callOffset: number;
  /** Offset of its return instruction (arg0 of the return probe); undefined: it never returns
   *  through `ret` (assembly entry points leave with sysret/iret), so it has no return probe. */
  retOffset?: number;
  /** Only a frame (a label of assembly code with no fbt probe of its own). */
  frameOnly?: boolean;
  /** The frame symbol's size, for an Oops call trace (`do_syscall_64+0x5d/0x170`). */
  size?: number;
  args: ArgSource[];
}

/** The whole path of one syscall, outermost first, split where the syscall provider fires. */
export interface SyscallPath {
  /** Before the syscall provider's entry probe (entry_SYSCALL_64, do_syscall_64). */
  outer: PathFunction[];
  /** After it: the table's function, then the functions it calls (empty for kernel C rows on
   *  releases without wrappers: the C function is the table's function). */
  inner: PathFunction[];
}

const relParts = (r: string) => (/^(\d+(?:\.\d+)*)/.exec(r)?.[1] ?? '0').split('.').map(Number);
/** release >= v */
function atLeast(release: string, v: string): boolean {
  const a = relParts(release);
  const b = relParts(v);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

const arg = (i: number): ArgSource => i;
const konst = (v: Int64): ArgSource => ({ value: v });
/** A kernel pointer ksim does not have in kernel memory (struct file *, struct pt_regs *): 0. */
const NOPTR = konst(0);
const AT_FDCWD = -100;

/** The assembly entry point and the C dispatcher for a machine (outermost first). */
function outerPath(id: PathIdentity): PathFunction[] {
  const r = id.release;
  if (id.os === 'freebsd') {
    return [
      { name: 'fast_syscall_common', callOffset: 0x101, frameOnly: true, size: 0x130, args: [] },
      { name: 'amd64_syscall', callOffset: 0x2d4, retOffset: 0x3a1, args: [NOPTR, konst(0)] },
    ];
  }
  if (id.arch === 'i386') {
    if (!atLeast(r, '4.2')) return [{ name: 'system_call', frameName: 'syscall_call', callOffset: 0x7, size: 0xb, args: [] }];
    if (!atLeast(r, '4.4')) return [{ name: 'entry_INT80_32', frameName: 'syscall_call', callOffset: 0x7, size: 0xb, args: [] }];
    return [
      { name: 'entry_INT80_32', callOffset: 0x33, size: 0x33, args: [] },
      { name: 'do_int80_syscall_32', callOffset: 0x4e, retOffset: 0xb8, size: 0xc0, args: [NOPTR] },
    ];
  }
  if (!atLeast(r, '4.2')) return [{ name: 'system_call', frameName: 'system_call_fastpath', callOffset: 0x16, size: 0x1b, args: [] }];
  if (!atLeast(r, '4.6')) return [{ name: 'entry_SYSCALL_64', frameName: 'entry_SYSCALL_64_fastpath', callOffset: 0x16, size: 0x75, args: [] }];
  const entry: PathFunction = atLeast(r, '4.15')
    ? { name: 'entry_SYSCALL_64', frameName: 'entry_SYSCALL_64_after_hwframe', callOffset: 0x76, size: 0x7e, args: [] }
    : { name: 'entry_SYSCALL_64', frameName: 'entry_SYSCALL64_slow_path', callOffset: 0x25, size: 0x25, args: [] };
  // do_syscall_64(regs) in 4.6, (nr, regs) in 4.19, (regs, nr) in 5.11.
  const dispatchArgs: ArgSource[] = atLeast(r, '5.11') ? [NOPTR, (_a, nr) => nr] : atLeast(r, '4.19') ? [(_a, nr) => nr, NOPTR] : [NOPTR];
  return [entry, { name: 'do_syscall_64', callOffset: 0x5d, retOffset: 0x16a, size: 0x170, args: dispatchArgs }];
}

/** The entry path's lines of an Oops call trace, innermost first (` do_syscall_64+0x5d/0x170`). */
export function oopsEntryFrames(id: PathIdentity): string[] {
  return outerPath(id).reverse().map((f) => ` ${f.frameName ?? f.name}+0x${f.callOffset.toString(16)}/0x${(f.size ?? f.callOffset).toString(16)}`);
}

/** The symbol of a table row's function: sys_read, SyS_read, __x64_sys_read... */
export function tableFunctionName(id: PathIdentity, row: SyscallRow | undefined, implemented: boolean): string {
  const base = !implemented || !row ? 'ni_syscall' : baseName(row);
  if (id.os === 'freebsd') return implemented && row ? row.entry || `sys_${base}` : 'nosys';
  const r = id.release;
  // SyS_ and __se_sys_ are made by SYSCALL_DEFINE1..6 only: SYSCALL_DEFINE0's function stays sys_NAME.
  const noArgs = !!row && row.args.length === 0;
  if (id.arch === 'i386') {
    if (atLeast(r, '5.7')) return `__ia32_sys_${base}`;
    if (base === 'ni_syscall' || noArgs || !atLeast(r, '3.10')) return `sys_${base}`;
    return atLeast(r, '4.17') ? `__se_sys_${base}` : `SyS_${base}`;
  }
  if (atLeast(r, '4.17')) return `__x64_sys_${base}`;
  if (base === 'ni_syscall' || noArgs || !atLeast(r, '3.10')) return `sys_${base}`;
  return `SyS_${base}`;
}

function baseName(row: SyscallRow): string {
  const e = row.entry.replace(/\/ptregs$/, '');
  if (e.startsWith('sys_')) return e.slice(4);
  if (e.startsWith('__x64_sys_')) return e.slice(10);
  if (e.startsWith('__ia32_sys_')) return e.slice(11);
  return row.name;
}

const pf = (name: string, callOffset: number, retOffset: number, args: ArgSource[]): PathFunction => ({ name, callOffset, retOffset, args });

/** The functions a syscall's table function calls on the path tutorials walk (Linux and FreeBSD). */
function calleesOf(id: PathIdentity, name: string): PathFunction[] {
  const r = id.release;
  if (id.os === 'freebsd') {
    switch (name) {
      case 'read': return [pf('kern_readv', 0x4c, 0x8f, [NOPTR, arg(0), NOPTR]), pf('dofileread', 0xb1, 0x12e, [NOPTR, arg(0), NOPTR, NOPTR, konst(-1), konst(0)])];
      case 'write': return [pf('kern_writev', 0x4c, 0x8f, [NOPTR, arg(0), NOPTR]), pf('dofilewrite', 0xb6, 0x14b, [NOPTR, arg(0), NOPTR, NOPTR, konst(-1), konst(0)])];
      case 'open': return [pf('kern_openat', 0x2f3, 0x5a0, [NOPTR, konst(AT_FDCWD), arg(0), konst(0), arg(1), arg(2)])];
      case 'openat': return [pf('kern_openat', 0x2f3, 0x5a0, [NOPTR, arg(0), arg(1), konst(0), arg(2), arg(3)])];
      case 'exit': return [pf('exit1', 0x3d, 0x71e, [NOPTR, arg(0), konst(0)])];
      case 'fork': case 'vfork': case 'rfork': return [pf('fork1', 0x4ba, 0x9c0, [NOPTR, NOPTR])];
      default: return [];
    }
  }
  const wrapped = atLeast(r, '4.17');
  const status = (a: readonly Int64[]) => (Number(a[0] ?? 0) & 0xff) << 8;
  switch (name) {
    case 'read':
      return [...(wrapped ? [pf('ksys_read', 0x6f, 0xe1, [arg(0), arg(1), arg(2)])] : []), pf('vfs_read', 0xab, 0x1a4, [NOPTR, arg(1), arg(2), NOPTR])];
    case 'write':
      return [...(wrapped ? [pf('ksys_write', 0x6f, 0xe1, [arg(0), arg(1), arg(2)])] : []), pf('vfs_write', 0xc7, 0x1e5, [NOPTR, arg(1), arg(2), NOPTR])];
    case 'pread64':
      return [...(wrapped ? [pf('ksys_pread64', 0x76, 0xb0, [arg(0), arg(1), arg(2), arg(3)])] : []), pf('vfs_read', 0xab, 0x1a4, [NOPTR, arg(1), arg(2), NOPTR])];
    case 'pwrite64':
      return [...(wrapped ? [pf('ksys_pwrite64', 0x76, 0xb0, [arg(0), arg(1), arg(2), arg(3)])] : []), pf('vfs_write', 0xc7, 0x1e5, [NOPTR, arg(1), arg(2), NOPTR])];
    case 'open': case 'openat': case 'creat': {
      const args: ArgSource[] =
        name === 'open' ? [konst(AT_FDCWD), arg(0), arg(1), arg(2)] :
        name === 'openat' ? [arg(0), arg(1), arg(2), arg(3)] :
        [konst(AT_FDCWD), arg(0), konst(0o1101), arg(1)];
      const openat2 = atLeast(r, '5.6') ? [pf('do_sys_openat2', 0x8f, 0x12b, [args[0]!, args[1]!, NOPTR])] : [];
      return [pf('do_sys_open', 0x5c, 0x7e, args), ...openat2];
    }
    case 'exit':
      return [{ name: 'do_exit', callOffset: 0x2cd, args: [status] }];
    case 'exit_group':
      return [{ name: 'do_group_exit', callOffset: 0x33, args: [status] }, { name: 'do_exit', callOffset: 0x2cd, args: [status] }];
    case 'fork': case 'vfork': case 'clone': case 'clone3': {
      const SIGCHLD = 17;
      const flags: ArgSource = name === 'fork' ? konst(SIGCHLD) : name === 'vfork' ? konst(0x4000 | 0x100 | SIGCHLD) : name === 'clone' ? arg(0) : NOPTR;
      if (atLeast(r, '5.10')) return [pf('kernel_clone', 0x7b, 0x1f4, [NOPTR])];
      if (atLeast(r, '5.3')) return [pf('_do_fork', 0x7b, 0x1f4, [NOPTR])];
      const fname = atLeast(r, '4.2') ? '_do_fork' : 'do_fork';
      return [pf(fname, 0x7b, 0x1f4, name === 'clone' ? [flags, arg(1), konst(0), arg(2), arg(3), arg(4)] : [flags, konst(0), konst(0), konst(0), konst(0), konst(0)])];
    }
    case 'execve':
      return [pf('do_execve', 0x3f, 0x4a, [NOPTR, arg(1), arg(2)])];
    case 'close':
      if (atLeast(r, '5.11')) return [pf('close_fd', 0x2a, 0x6d, [arg(0)])];
      if (atLeast(r, '3.7')) return [pf('__close_fd', 0x2a, 0x8c, [NOPTR, arg(0)])];
      return [];
    case 'kill':
      return [pf('kill_something_info', 0x101, 0x1c8, [(a) => a[1] ?? 0, NOPTR, (a) => a[0] ?? 0])];
    default:
      return [];
  }
}

/** Every function name the path can ever use on this machine, for the probe catalog. */
export function pathFunctionNames(id: PathIdentity, rows: readonly SyscallRow[]): PathFunction[] {
  const out = new Map<string, PathFunction>();
  const add = (f: PathFunction) => { if (!f.frameOnly && !out.has(f.name)) out.set(f.name, f); };
  for (const f of outerPath(id)) add(f);
  for (const row of rows) for (const f of calleesOf(id, row.name)) add(f);
  return [...out.values()];
}

/**
 * The path of a syscall. kernelCEntry: the row's function is kernel C (its own fbt level) — the
 * table function is then a wrapper only where the release wraps, and nothing follows it.
 */
export function syscallPath(id: PathIdentity, row: SyscallRow | undefined, implemented: boolean, kernelCEntry: boolean): SyscallPath {
  const outer = outerPath(id);
  const table = tableFunctionName(id, row, implemented);
  // FreeBSD's lkmnosys slots call whatever a module put in sysent: that function is the level.
  if (id.os === 'freebsd' && (table === 'lkmnosys' || table === 'nosys')) return { outer, inner: [] };
  if (kernelCEntry) {
    const inner = row && table !== row.entry ? [pf(table, 0x1d, 0x2a, tableArgs(id, table))] : [];
    return { outer, inner };
  }
  const callees = implemented && row ? calleesOf(id, row.name) : [];
  const noReturn = callees.length > 0 && callees[callees.length - 1]!.retOffset === undefined;
  const tableFn: PathFunction = { name: table, callOffset: 0x1d, retOffset: noReturn ? undefined : 0x2a, args: tableArgs(id, table) };
  return { outer, inner: [tableFn, ...callees] };
}

/** __x64_sys_NAME takes the saved registers (a struct pt_regs *); sys_NAME and SyS_NAME the arguments. */
function tableArgs(id: PathIdentity, name: string): ArgSource[] {
  if (id.os === 'freebsd') return [NOPTR, NOPTR];
  if (name.startsWith('__x64_') || name.startsWith('__ia32_')) return [NOPTR];
  return [0, 1, 2, 3, 4, 5].map(arg);
}

/** A path function's arguments for a syscall's registers. */
export function pathArgs(f: PathFunction, args: readonly Int64[], nr: number): Int64[] {
  return f.args.map((s) => (typeof s === 'number' ? (args[s] ?? 0) : typeof s === 'function' ? s(args, nr) : s.value));
}
