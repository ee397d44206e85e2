// Argument decoding for FreeBSD machines, from FreeBSD's own constants (sys/fcntl.h, sys/mman.h,
// sys/signal.h, sys/wait.h, sys/stat.h, unistd.h): the FreeBSD rows say only `int flags` or
// `struct stat *sb`, so the calls whose arguments mean more are listed here by name and argument
// name and get `fb...` formats, which ArgDecoder hands to freebsdValue. struct stat is read as
// FreeBSD amd64 lays it out (224 bytes, as ksim's FreeBSD kernel writes it).
import type { ArgSpec, SyscallRow } from '../../kernel/syscall-row.js';
import type { Int64, TraceTask } from '../../kernel/events.js';
import { enumName, hex, printEnum, printFlags, type EnumSet, type FlagSet, type Named } from './constants.js';
import { readView, s32, s64, u32, u64, UserView } from './memory.js';
import { printMode } from './text.js';
import { isoTime, printWaitStatus, type StructContext } from './structs.js';

/** FreeBSD's signal names (sys/signal.h); 65..126 are SIGRTMIN+n. */
const FB_SIGNALS = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGEMT', 'SIGFPE', 'SIGKILL', 'SIGBUS',
  'SIGSEGV', 'SIGSYS', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGURG', 'SIGSTOP', 'SIGTSTP', 'SIGCONT', 'SIGCHLD',
  'SIGTTIN', 'SIGTTOU', 'SIGIO', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGINFO',
  'SIGUSR1', 'SIGUSR2', 'SIGTHR', 'SIGLIBRT',
];

export function freebsdSignalName(signo: number): string | undefined {
  if (signo >= 1 && signo <= 33) return FB_SIGNALS[signo];
  if (signo === 65) return 'SIGRTMIN';
  if (signo > 65 && signo <= 126) return `SIGRTMIN+${signo - 65}`;
  return undefined;
}

function signalText(n: number): string {
  return freebsdSignalName(n) ?? String(n);
}

/** open(2) flags beside the access mode, in sys/fcntl.h's order. */
const FB_OPEN: FlagSet = {
  flags: [
    ['O_NONBLOCK', 0x4], ['O_APPEND', 0x8], ['O_SHLOCK', 0x10], ['O_EXLOCK', 0x20], ['O_ASYNC', 0x40],
    ['O_SYNC', 0x80], ['O_NOFOLLOW', 0x100], ['O_CREAT', 0x200], ['O_TRUNC', 0x400], ['O_EXCL', 0x800],
    ['O_NOCTTY', 0x8000], ['O_DIRECT', 0x10000], ['O_DIRECTORY', 0x20000], ['O_TTY_INIT', 0x80000],
    ['O_CLOEXEC', 0x100000], ['O_VERIFY', 0x200000], ['O_PATH', 0x400000], ['O_RESOLVE_BENEATH', 0x800000],
    ['O_DSYNC', 0x1000000], ['O_EMPTY_PATH', 0x2000000],
  ],
};
const FB_O_CREAT = 0x200;
const FB_O_EXEC = 0x40000;

function openFlags(v: number): string {
  const mode = v & 3;
  let s = v & FB_O_EXEC ? 'O_EXEC' : ['O_RDONLY', 'O_WRONLY', 'O_RDWR', '0x3'][mode]!;
  const rest = v & ~3 & ~FB_O_EXEC;
  if (v & FB_O_EXEC && mode) s += `|${hex(mode)}`;
  if (rest) s += '|' + printFlags(FB_OPEN, rest);
  return s;
}

const FB_PROT: FlagSet = { flags: [['PROT_READ', 1], ['PROT_WRITE', 2], ['PROT_EXEC', 4]], zero: 'PROT_NONE' };

const FB_MMAP: FlagSet = {
  flags: [
    ['MAP_FIXED', 0x10], ['MAP_HASSEMAPHORE', 0x200], ['MAP_STACK', 0x400], ['MAP_NOSYNC', 0x800],
    ['MAP_ANON', 0x1000], ['MAP_GUARD', 0x2000], ['MAP_EXCL', 0x4000], ['MAP_NOCORE', 0x20000],
    ['MAP_PREFAULT_READ', 0x40000], ['MAP_32BIT', 0x80000],
  ],
};

function mmapFlags(v: number): string {
  const type = v & 3;
  const parts: string[] = [];
  if (type === 1) parts.push('MAP_SHARED');
  else if (type === 2) parts.push('MAP_PRIVATE');
  else if (type === 3) parts.push('MAP_SHARED|MAP_PRIVATE');
  const align = (v >>> 24) & 0xff;
  const rest = v & ~3 & 0xffffff;
  if (rest) parts.push(printFlags(FB_MMAP, rest));
  if (align === 1) parts.push('MAP_ALIGNED_SUPER');
  else if (align) parts.push(`MAP_ALIGNED(${align})`);
  return parts.length ? parts.join('|') : 'MAP_FILE';
}

const FB_ACCESS: FlagSet = { flags: [['R_OK', 4], ['W_OK', 2], ['X_OK', 1]], zero: 'F_OK' };
const FB_WAIT: FlagSet = {
  flags: [['WNOHANG', 1], ['WUNTRACED', 2], ['WCONTINUED', 4], ['WNOWAIT', 8], ['WEXITED', 0x10], ['WTRAPPED', 0x20]],
};
const FB_AT: FlagSet = {
  flags: [
    ['AT_EACCESS', 0x100], ['AT_SYMLINK_NOFOLLOW', 0x200], ['AT_SYMLINK_FOLLOW', 0x400], ['AT_REMOVEDIR', 0x800],
    ['AT_RESOLVE_BENEATH', 0x2000], ['AT_EMPTY_PATH', 0x4000],
  ],
};
const FB_PIPE: FlagSet = { flags: [['O_NONBLOCK', 0x4], ['O_CLOEXEC', 0x100000]] };

function enumSet(unknown: string, values: readonly Named[]): EnumSet {
  return { unknown, values };
}
const FB_WHENCE = enumSet('SEEK', [['SEEK_SET', 0], ['SEEK_CUR', 1], ['SEEK_END', 2], ['SEEK_DATA', 3], ['SEEK_HOLE', 4]]);
const FB_SIGPROCMASK = enumSet('SIG', [['SIG_BLOCK', 1], ['SIG_UNBLOCK', 2], ['SIG_SETMASK', 3]]);
const FB_FCNTL = enumSet('F', [
  ['F_DUPFD', 0], ['F_GETFD', 1], ['F_SETFD', 2], ['F_GETFL', 3], ['F_SETFL', 4], ['F_GETOWN', 5], ['F_SETOWN', 6],
  ['F_OGETLK', 7], ['F_OSETLK', 8], ['F_OSETLKW', 9], ['F_DUP2FD', 10], ['F_GETLK', 11], ['F_SETLK', 12],
  ['F_SETLKW', 13], ['F_SETLK_REMOTE', 14], ['F_READAHEAD', 15], ['F_RDAHEAD', 16], ['F_DUPFD_CLOEXEC', 17],
  ['F_DUP2FD_CLOEXEC', 18], ['F_ADD_SEALS', 19], ['F_GET_SEALS', 20], ['F_ISUNIONSTACK', 21], ['F_KINFO', 22],
]);
const FB_CLOCK = enumSet('CLOCK', [
  ['CLOCK_REALTIME', 0], ['CLOCK_VIRTUAL', 1], ['CLOCK_PROF', 2], ['CLOCK_MONOTONIC', 4], ['CLOCK_UPTIME', 5],
  ['CLOCK_UPTIME_PRECISE', 7], ['CLOCK_UPTIME_FAST', 8], ['CLOCK_REALTIME_PRECISE', 9], ['CLOCK_REALTIME_FAST', 10],
  ['CLOCK_MONOTONIC_PRECISE', 11], ['CLOCK_MONOTONIC_FAST', 12], ['CLOCK_SECOND', 13], ['CLOCK_THREAD_CPUTIME_ID', 14],
  ['CLOCK_PROCESS_CPUTIME_ID', 15],
]);

/** fcntl commands without a third argument. */
const FB_FCNTL_NO_ARG = new Set([1, 3, 5, 20, 21]);

/** The format of each argument that means more than the prototype says: `call.arg`. */
const FB_FORMATS: Record<string, string> = {
  'open.flags': 'fbopen', 'openat.flag': 'fbopen',
  'mmap.prot': 'fbprot', 'mmap.flags': 'fbmmap', 'mmap.addr': 'ptr', 'mmap.fd': 'fd', 'mmap.pos': 'hex',
  'mprotect.prot': 'fbprot', 'mprotect.addr': 'ptr', 'munmap.addr': 'ptr', 'madvise.addr': 'ptr', 'minherit.addr': 'ptr',
  'msync.addr': 'ptr', 'mlock.addr': 'ptr', 'munlock.addr': 'ptr',
  'kill.signum': 'fbsigno', 'thr_kill.sig': 'fbsigno', 'sigaction.sig': 'fbsigno', 'pdkill.signum': 'fbsigno',
  'killpg.signum': 'fbsigno', 'thr_kill2.sig': 'fbsigno',
  'sigaction.act': 'fbsigaction', 'sigaction.oact': 'fbosigaction',
  'sigprocmask.how': 'fbsigprocmask', 'sigprocmask.set': 'fbsigset', 'sigprocmask.oset': 'fbosigset',
  'sigsuspend.sigmask': 'fbsigset',
  'fstat.sb': 'fbstat', 'fstatat.buf': 'fbstat', 'fstatat.flag': 'fbat', 'fstatat.fd': 'dirfd',
  'openat.fd': 'dirfd', 'unlinkat.fd': 'dirfd', 'unlinkat.flag': 'fbat', 'mkdirat.fd': 'dirfd',
  'readlinkat.fd': 'dirfd', 'fchmodat.fd': 'dirfd', 'fchmodat.flag': 'fbat', 'faccessat.fd': 'dirfd',
  'faccessat.flag': 'fbat', 'faccessat.amode': 'fbaccess', 'fchownat.fd': 'dirfd', 'fchownat.flag': 'fbat',
  'utimensat.fd': 'dirfd', 'utimensat.flag': 'fbat', 'linkat.fd1': 'dirfd', 'linkat.fd2': 'dirfd',
  'linkat.flag': 'fbat', 'renameat.oldfd': 'dirfd', 'renameat.newfd': 'dirfd', 'symlinkat.fd': 'dirfd',
  'mkfifoat.fd': 'dirfd', 'mknodat.fd': 'dirfd',
  'wait4.status': 'fbwstatus', 'wait4.options': 'fbwait', 'wait4.rusage': 'ptr',
  'lseek.whence': 'fbwhence', 'lseek.offset': 'long', 'access.amode': 'fbaccess', 'eaccess.amode': 'fbaccess',
  'pipe2.fildes': 'fds2', 'pipe2.flags': 'fbpipe',
  'fcntl.cmd': 'fbfcntl', 'fcntl.arg': 'fbfcntlarg',
  'clock_gettime.clock_id': 'fbclock', 'clock_getres.clock_id': 'fbclock', 'clock_gettime.tp': 'struct:timespec',
  'nanosleep.rqtp': 'struct:timespec', 'nanosleep.rmtp': 'struct:timespec', 'clock_nanosleep.clock_id': 'fbclock',
  'exit.rval': 'int',
};
/** Arguments the call fills (printed at exit; their address when the call fails). */
const FB_OUT = new Set(['sigaction.oact', 'fstat.sb', 'fstatat.buf', 'wait4.status', 'pipe2.fildes', 'clock_gettime.tp', 'nanosleep.rmtp', 'sigprocmask.oset']);

const specsByRow = new WeakMap<SyscallRow, readonly ArgSpec[]>();

/** A FreeBSD row's argument specs with FreeBSD's formats (cached per row). */
export function freebsdRowSpecs(row: SyscallRow): readonly ArgSpec[] {
  let specs = specsByRow.get(row);
  if (!specs) {
    specs = row.args.map((a) => {
      const key = `${row.name}.${a.name}`;
      const fmt = FB_FORMATS[key];
      if (!fmt) return a;
      return { ...a, fmt, dir: FB_OUT.has(key) ? 'out' : a.dir };
    });
    specsByRow.set(row, specs);
  }
  return specs;
}

/** The specs printed for one call: open's mode only with O_CREAT, fcntl's arg only when it has one. */
export function freebsdShownArgs(row: SyscallRow, args: readonly Int64[]): readonly ArgSpec[] {
  const specs = freebsdRowSpecs(row);
  const flagsAt = specs.findIndex((s) => s.fmt === 'fbopen');
  if (flagsAt >= 0 && !(u32(args[flagsAt] ?? 0) & FB_O_CREAT)) return specs.filter((s) => s.fmt !== 'mode');
  if (row.name === 'fcntl' && FB_FCNTL_NO_ARG.has(u32(args[1] ?? 0))) return specs.slice(0, 2);
  return specs;
}

/** fcntl's result where it is more than a number: F_GETFL's and F_GETFD's flags, F_DUPFD's fd. */
export function freebsdFcntlResult(cmd: number, ret: Int64): string | undefined {
  if (cmd === 3) return `${hex(u32(ret))} (flags ${openFlags(u32(ret))})`;
  if (cmd === 1) return `${hex(u32(ret))} (flags ${printFlags({ flags: [['FD_CLOEXEC', 1]] }, u32(ret))})`;
  return undefined;
}

/** FreeBSD's major/minor split of a dev_t (sys/types.h). */
function printFreebsdDev(dev: bigint): string {
  const major = Number(((dev >> 32n) & 0xffffff00n) | ((dev >> 8n) & 0xffn));
  const minor = Number(((dev >> 24n) & 0xff00n) | (dev & 0xffff00ffn));
  return `makedev(${major === 0 ? '0' : '0x' + major.toString(16)}, ${minor === 0 ? '0' : '0x' + minor.toString(16)})`;
}

/** FreeBSD amd64's struct stat (sys/sys/stat.h, 224 bytes). */
function statText(ctx: StructContext, v: UserView): string {
  const mode = v.u16(24);
  const type = mode & 0o170000;
  const isDev = type === 0o20000 || type === 0o60000;
  const sizeOrRdev = isDev ? `st_rdev=${printFreebsdDev(v.u64(40))}` : `st_size=${v.i64(112)}`;
  if (!ctx.verbose) return `{st_mode=${printMode(mode)}, ${sizeOrRdev}, ...}`;
  const t = (name: string, off: number) => {
    const sec = v.i64(off);
    const nsec = v.i64(off + 8);
    return `st_${name}=${sec} /* ${isoTime(sec, nsec)} */, st_${name}_nsec=${nsec}`;
  };
  return `{st_dev=${printFreebsdDev(v.u64(0))}, st_ino=${v.u64(8)}, st_mode=${printMode(mode)}, st_nlink=${v.u64(16)}, ` +
    `st_uid=${v.u32(28)}, st_gid=${v.u32(32)}, st_blksize=${v.i32(128)}, st_blocks=${v.i64(120)}, ${sizeOrRdev}, ` +
    `${t('atime', 48)}, ${t('mtime', 64)}, ${t('ctime', 80)}, ${t('birthtime', 96)}, st_flags=${hex(v.u32(132))}, st_gen=${v.u64(136)}}`;
}

/** A FreeBSD sigset_t (four 32-bit words, bit n-1 for signal n): `[USR1 TERM]`, `~[KILL STOP]`. */
function sigsetText(v: UserView): string {
  const nbits = 128;
  const set: number[] = [];
  for (let s = 1; s <= nbits; s++) if (v.u8((s - 1) >> 3) & (1 << ((s - 1) & 7))) set.push(s);
  const name = (s: number) => freebsdSignalName(s)?.replace(/^SIG/, '') ?? String(s);
  if (set.length > nbits / 2) {
    const missing: string[] = [];
    for (let s = 1; s <= nbits; s++) if (!set.includes(s)) missing.push(name(s));
    return `~[${missing.join(' ')}]`;
  }
  return `[${set.map(name).join(' ')}]`;
}

const FB_SA: FlagSet = {
  flags: [['SA_ONSTACK', 1], ['SA_RESTART', 2], ['SA_RESETHAND', 4], ['SA_NOCLDSTOP', 8], ['SA_NODEFER', 0x10], ['SA_NOCLDWAIT', 0x20], ['SA_SIGINFO', 0x40]],
};

/** FreeBSD's struct sigaction: the handler, int sa_flags at 8, sa_mask (sigset_t) at 12. */
function sigactionText(v: UserView, xlat: (raw: string, decoded: string) => string): string {
  const h = v.u64(0);
  const handler = h === 0n ? 'SIG_DFL' : h === 1n ? 'SIG_IGN' : hex(h);
  const flags = v.u32(8);
  const mask = new UserView(v.bytes.subarray(12, 28), v.addr + 12n);
  return `{sa_handler=${handler}, sa_mask=${sigsetText(mask)}, sa_flags=${xlat(hex(flags), printFlags(FB_SA, flags))}}`;
}

export interface FreebsdValueContext {
  task: TraceTask;
  struct: StructContext;
  /** -X: the text of a flag or constant given its raw and decoded forms. */
  xlat(raw: string, decoded: string): string;
  /** Whether -X raw is asked (numbers only). */
  raw: boolean;
  /** The call is exiting (out-arguments are read now), and whether it failed. */
  exiting: boolean;
  failed: boolean;
  /** The result, when exiting. */
  ret?: Int64;
  args: readonly Int64[];
  fd(v: Int64): string;
}

function ptrText(v: Int64): string {
  const a = u64(v);
  return a === 0n ? 'NULL' : hex(a);
}

/** One argument of an `fb...` format. */
export function freebsdValue(kind: string, spec: ArgSpec, v: Int64, c: FreebsdValueContext): string {
  const outFailed = spec.dir !== 'in' && c.failed;
  switch (kind) {
    case 'fbopen': return c.xlat(hex(u32(v)), openFlags(u32(v)));
    case 'fbprot': return c.xlat(hex(u32(v)), printFlags(FB_PROT, u32(v)));
    case 'fbmmap': return c.xlat(hex(u32(v)), mmapFlags(u32(v)));
    case 'fbaccess': return c.xlat(hex(u32(v)), printFlags(FB_ACCESS, u32(v)));
    case 'fbwait': return c.xlat(hex(u32(v)), printFlags(FB_WAIT, u32(v)));
    case 'fbat': return c.xlat(hex(u32(v)), printFlags(FB_AT, u32(v)));
    case 'fbpipe': return c.xlat(hex(u32(v)), printFlags(FB_PIPE, u32(v)));
    case 'fbsigno': {
      const n = s32(v);
      const name = freebsdSignalName(n);
      return c.raw || name === undefined ? String(n) : c.xlat(String(n), name);
    }
    case 'fbwhence': return enumText(FB_WHENCE, s32(v), c);
    case 'fbsigprocmask': return enumText(FB_SIGPROCMASK, s32(v), c);
    case 'fbfcntl': return enumText(FB_FCNTL, s32(v), c);
    case 'fbclock': return enumText(FB_CLOCK, s32(v), c);
    case 'fbfcntlarg': {
      const cmd = u32(c.args[1] ?? 0);
      if (cmd === 2) return c.xlat(hex(u64(v)), printFlags({ flags: [['FD_CLOEXEC', 1]] }, u64(v)));
      if (cmd === 4) return c.xlat(hex(u32(v)), openFlags(u32(v)));
      if (cmd === 0 || cmd === 10 || cmd === 17 || cmd === 18 || cmd === 6) return String(s64(v));
      if (cmd >= 7 && cmd <= 14 && cmd !== 10) return ptrText(v);
      return hex(u64(v));
    }
    case 'fbstat': {
      if (u64(v) === 0n) return 'NULL';
      if (outFailed || !c.exiting) return ptrText(v);
      const view = readView(c.task, v, 224);
      return view ? statText(c.struct, view) : ptrText(v);
    }
    case 'fbsigaction':
    case 'fbosigaction': {
      if (u64(v) === 0n) return 'NULL';
      if (kind === 'fbosigaction' && (outFailed || !c.exiting)) return ptrText(v);
      const view = readView(c.task, v, 28);
      return view ? sigactionText(view, c.xlat) : ptrText(v);
    }
    case 'fbsigset':
    case 'fbosigset': {
      if (u64(v) === 0n) return 'NULL';
      if (kind === 'fbosigset' && (outFailed || !c.exiting)) return ptrText(v);
      const view = readView(c.task, v, 16);
      return view ? sigsetText(view) : ptrText(v);
    }
    case 'fbwstatus': {
      if (u64(v) === 0n) return 'NULL';
      if (outFailed || !c.exiting || Number(s64(c.ret ?? 0)) === 0) return ptrText(v);
      const view = readView(c.task, v, 4);
      return view ? printWaitStatus(view.i32(0), (n) => (c.raw ? String(n) : signalText(n))) : ptrText(v);
    }
    default: return hex(u64(v));
  }
}

function enumText(set: EnumSet, n: number, c: FreebsdValueContext): string {
  if (c.raw) return hex(n >>> 0);
  const name = enumName(set, n);
  if (name === undefined) return printEnum(set, n);
  return c.xlat(hex(n >>> 0), name);
}
