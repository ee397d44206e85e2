// Struct decoders with x86_64 Linux layouts (and i386 ones for 32-bit tasks), printed as strace prints them: abbreviated by default
// (`{st_mode=S_IFREG|0644, st_size=1234, ...}`), in full with -v. Each reads user memory only
// through the safe readers and returns undefined when the memory is unreadable, so the caller can
// print the address instead.
import type { Int64, TraceTask } from '../../kernel/events.js';
import { ENUM_SETS, FLAG_SETS, printFlags, printOpenFlags, hex } from './constants.js';
import { printDev, printMode, printSigset, quoteBytes, type HexLevel } from './text.js';
import { readView, type UserView } from './memory.js';

export interface StructContext {
  task: TraceTask;
  verbose: boolean;
  hexLevel: HexLevel;
  strsize: number;
  /** Prints a flag/constant value in the -X style: decoded is what abbrev shows, raw the number. */
  xlat(raw: string, decoded: string): string;
}

/** The ISO date strace appends to times with -v: `2026-11-22T19:24:06.547535177+0000`. */
export function isoTime(sec: bigint, nsec?: bigint): string {
  const d = new Date(Number(sec) * 1000);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  let s = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  if (nsec !== undefined && nsec !== 0n) s += '.' + nsec.toString().padStart(9, '0');
  return s + '+0000';
}

function timespecText(v: UserView, off: number): string {
  return `{tv_sec=${v.i64(off)}, tv_nsec=${v.i64(off + 8)}}`;
}

function timevalText(v: UserView, off: number): string {
  return `{tv_sec=${v.i64(off)}, tv_usec=${v.i64(off + 8)}}`;
}

function rlimValue(v: bigint): string {
  if (v === 0xffffffffffffffffn) return 'RLIM64_INFINITY';
  if (v > 0n && v % 1024n === 0n) return `${v / 1024n}*1024`;
  return String(v);
}

function statText(ctx: StructContext, v: UserView): string {
  const mode = v.u32(24);
  const type = mode & 0o170000;
  const isDev = type === 0o20000 || type === 0o60000;
  const sizeOrRdev = isDev ? `st_rdev=${printDev(v.u64(40))}` : `st_size=${v.i64(48)}`;
  if (!ctx.verbose) return `{st_mode=${printMode(mode)}, ${sizeOrRdev}, ...}`;
  const t = (name: string, off: number) => {
    const sec = v.i64(off);
    const nsec = v.i64(off + 8);
    return `st_${name}=${sec} /* ${isoTime(sec, nsec)} */, st_${name}_nsec=${nsec}`;
  };
  return `{st_dev=${printDev(v.u64(0))}, st_ino=${v.u64(8)}, st_mode=${printMode(mode)}, st_nlink=${v.u64(16)}, ` +
    `st_uid=${v.u32(28)}, st_gid=${v.u32(32)}, st_blksize=${v.i64(56)}, st_blocks=${v.i64(64)}, ${sizeOrRdev}, ` +
    `${t('atime', 72)}, ${t('mtime', 88)}, ${t('ctime', 104)}}`;
}

function statxText(ctx: StructContext, v: UserView): string {
  const mask = v.u32(0);
  const maskText = mask === 0x7ff ? 'STATX_BASIC_STATS' : (mask & 0x7ff) === 0x7ff
    ? `STATX_BASIC_STATS|${printFlags(FLAG_SETS.statx!, mask & ~0x7ff)}` : printFlags(FLAG_SETS.statx!, mask);
  const mode = v.u16(28);
  const ts = (off: number) => `{tv_sec=${v.i64(off)}, tv_nsec=${v.u32(off + 8)}}`;
  const head = `{stx_mask=${maskText}, stx_attributes=${hex(v.u64(8))}, stx_mode=${printMode(mode)}, stx_size=${v.u64(40)}`;
  if (!ctx.verbose) return `${head}, ...}`;
  return `${head}, stx_blksize=${v.u32(4)}, stx_attributes_mask=${hex(v.u64(104))}, stx_nlink=${v.u32(16)}, ` +
    `stx_uid=${v.u32(20)}, stx_gid=${v.u32(24)}, stx_ino=${v.u64(32)}, stx_blocks=${v.u64(48)}, ` +
    `stx_atime=${ts(64)}, stx_btime=${ts(80)}, stx_ctime=${ts(96)}, stx_mtime=${ts(112)}, ` +
    `stx_rdev_major=${v.u32(128)}, stx_rdev_minor=${v.u32(132)}, stx_dev_major=${v.u32(136)}, stx_dev_minor=${v.u32(140)}}`;
}

function handlerText(h: bigint): string {
  if (h === 0n) return 'SIG_DFL';
  if (h === 1n) return 'SIG_IGN';
  if (h === 0xffffffffffffffffn) return 'SIG_ERR';
  return hex(h);
}

function sigactionText(ctx: StructContext, v: UserView): string {
  const handler = v.u64(0);
  const flags = v.u64(8);
  const restorer = v.u64(16);
  const mask = v.u64(24);
  const flagText = ctx.xlat(hex(flags), printFlags(FLAG_SETS.sa!, flags));
  let s = `{sa_handler=${handlerText(handler)}, sa_mask=${printSigset(mask)}, sa_flags=${flagText}`;
  if (flags & 0x4000000n) s += `, sa_restorer=${hex(restorer)}`;
  return s + '}';
}

function utsnameText(ctx: StructContext, v: UserView): string {
  const names = ['sysname', 'nodename', 'release', 'version', 'machine', 'domainname'];
  const fields = names.map((n, i) => `${n}=${quoteBytes(v.cstr(i * 65, 65), ctx.hexLevel)}`);
  return ctx.verbose ? `{${fields.join(', ')}}` : `{${fields[0]}, ${fields[1]}, ...}`;
}

function rusageText(ctx: StructContext, v: UserView): string {
  const head = `{ru_utime=${timevalText(v, 0)}, ru_stime=${timevalText(v, 16)}`;
  if (!ctx.verbose) return `${head}, ...}`;
  const names = ['maxrss', 'ixrss', 'idrss', 'isrss', 'minflt', 'majflt', 'nswap', 'inblock', 'oublock', 'msgsnd', 'msgrcv', 'nsignals', 'nvcsw', 'nivcsw'];
  return `${head}, ${names.map((n, i) => `ru_${n}=${v.i64(32 + i * 8)}`).join(', ')}}`;
}

function sysinfoText(v: UserView): string {
  const loads = [v.u64(8), v.u64(16), v.u64(24)].join(', ');
  return `{uptime=${v.i64(0)}, loads=[${loads}], totalram=${v.u64(32)}, freeram=${v.u64(40)}, sharedram=${v.u64(48)}, ` +
    `bufferram=${v.u64(56)}, totalswap=${v.u64(64)}, freeswap=${v.u64(72)}, procs=${v.u16(80)}, ` +
    `totalhigh=${v.u64(88)}, freehigh=${v.u64(96)}, mem_unit=${v.u32(104)}}`;
}

function statfsText(ctx: StructContext, v: UserView): string {
  const magic: Record<number, string> = { 0xef53: 'EXT2_SUPER_MAGIC', 0x01021994: 'TMPFS_MAGIC', 0x9fa0: 'PROC_SUPER_MAGIC', 0x794c7630: 'OVERLAYFS_SUPER_MAGIC', 0x62656572: 'SYSFS_MAGIC' };
  const type = Number(v.i64(0));
  const typeText = magic[type] ?? hex(type);
  return `{f_type=${typeText}, f_bsize=${v.i64(8)}, f_blocks=${v.u64(16)}, f_bfree=${v.u64(24)}, f_bavail=${v.u64(32)}, ` +
    `f_files=${v.u64(40)}, f_ffree=${v.u64(48)}, f_fsid={val=[${hex(v.u32(56))}, ${hex(v.u32(60))}]}, ` +
    `f_namelen=${v.i64(64)}, f_frsize=${v.i64(72)}, f_flags=${hex(v.i64(80))}}`;
}

function openHowText(ctx: StructContext, v: UserView): string {
  const flags = Number(v.u64(0));
  const mode = Number(v.u64(8));
  const resolve = v.u64(16);
  const modeText = flags & 0o100 || (flags & 0o20200000) === 0o20200000 ? `, mode=${printMode(mode, false)}` : '';
  return `{flags=${printOpenFlags(flags)}${modeText}, resolve=${hex(resolve)}}`;
}

function timeWithDate(sec: bigint): string {
  return `${sec} /* ${isoTime(sec)} */`;
}

interface StructDecoder {
  size: number;
  print(ctx: StructContext, v: UserView): string;
}

const DECODERS: Record<string, StructDecoder> = {
  stat: { size: 144, print: statText },
  statx: { size: 256, print: statxText },
  timespec: { size: 16, print: (_c, v) => timespecText(v, 0) },
  timeval: { size: 16, print: (_c, v) => timevalText(v, 0) },
  timespec2: {
    size: 32,
    print: (_c, v) => {
      const one = (off: number) => {
        const ns = v.i64(off + 8);
        const nsText = ns === 0x3fffffffn ? 'UTIME_NOW' : ns === 0x3ffffffen ? 'UTIME_OMIT' : String(ns);
        return `{tv_sec=${v.i64(off)}, tv_nsec=${nsText}}`;
      };
      return `[${one(0)}, ${one(16)}]`;
    },
  },
  timeval2: { size: 32, print: (_c, v) => `[${timevalText(v, 0)}, ${timevalText(v, 16)}]` },
  itimerval: { size: 32, print: (_c, v) => `{it_interval=${timevalText(v, 0)}, it_value=${timevalText(v, 16)}}` },
  itimerspec: { size: 32, print: (_c, v) => `{it_interval=${timespecText(v, 0)}, it_value=${timespecText(v, 16)}}` },
  sigaction: { size: 32, print: sigactionText },
  utsname: { size: 390, print: utsnameText },
  rlimit: { size: 16, print: (_c, v) => `{rlim_cur=${rlimValue(v.u64(0))}, rlim_max=${rlimValue(v.u64(8))}}` },
  rusage: { size: 144, print: rusageText },
  timezone: { size: 8, print: (_c, v) => `{tz_minuteswest=${v.i32(0)}, tz_dsttime=${v.i32(4)}}` },
  sysinfo: { size: 112, print: (_c, v) => sysinfoText(v) },
  tms: { size: 32, print: (_c, v) => `{tms_utime=${v.i64(0)}, tms_stime=${v.i64(8)}, tms_cutime=${v.i64(16)}, tms_cstime=${v.i64(24)}}` },
  sched_param: { size: 4, print: (_c, v) => `[${v.i32(0)}]` },
  stack_t: {
    size: 24,
    print: (_c, v) => {
      const flags = v.i32(8);
      const f = flags === 0 ? '0' : flags === 1 ? 'SS_ONSTACK' : flags === 2 ? 'SS_DISABLE' : hex(flags >>> 0);
      const sp = v.u64(0);
      return `{ss_sp=${sp === 0n ? 'NULL' : hex(sp)}, ss_flags=${f}, ss_size=${v.u64(16)}}`;
    },
  },
  utimbuf: { size: 16, print: (_c, v) => `{actime=${timeWithDate(v.i64(0))}, modtime=${timeWithDate(v.i64(8))}}` },
  statfs: { size: 120, print: statfsText },
  open_how: { size: 24, print: openHowText },
};

function stat64Text(ctx: StructContext, v: UserView): string {
  const mode = v.u32(16);
  const type = mode & 0o170000;
  const isDev = type === 0o20000 || type === 0o60000;
  const sizeOrRdev = isDev ? `st_rdev=${printDev(v.u64(32))}` : `st_size=${v.i64(44)}`;
  if (!ctx.verbose) return `{st_mode=${printMode(mode)}, ${sizeOrRdev}, ...}`;
  const t = (name: string, off: number) => {
    const sec = BigInt(v.i32(off));
    const nsec = BigInt(v.u32(off + 4));
    return `st_${name}=${sec} /* ${isoTime(sec, nsec)} */, st_${name}_nsec=${nsec}`;
  };
  return `{st_dev=${printDev(v.u64(0))}, st_ino=${v.u64(88)}, st_mode=${printMode(mode)}, st_nlink=${v.u32(20)}, ` +
    `st_uid=${v.u32(24)}, st_gid=${v.u32(28)}, st_blksize=${v.u32(52)}, st_blocks=${v.u64(56)}, ${sizeOrRdev}, ` +
    `${t('atime', 64)}, ${t('mtime', 72)}, ${t('ctime', 80)}}`;
}

function sigaction32Text(ctx: StructContext, v: UserView): string {
  const handler = BigInt(v.u32(0));
  const flags = BigInt(v.u32(4));
  const restorer = BigInt(v.u32(8));
  const mask = v.u64(12);
  const flagText = ctx.xlat(hex(flags), printFlags(FLAG_SETS.sa!, flags));
  let s = `{sa_handler=${handler === 0xffffffffn ? 'SIG_ERR' : handlerText(handler)}, sa_mask=${printSigset(mask)}, sa_flags=${flagText}`;
  if (flags & 0x4000000n) s += `, sa_restorer=${hex(restorer)}`;
  return s + '}';
}

/** struct old_sigaction of i386's sigaction(2): handler, a 32-bit mask, flags, restorer. */
function oldSigactionText(ctx: StructContext, v: UserView): string {
  const handler = BigInt(v.u32(0));
  const flags = BigInt(v.u32(8));
  const flagText = ctx.xlat(hex(flags), printFlags(FLAG_SETS.sa!, flags));
  let s = `{sa_handler=${handler === 0xffffffffn ? 'SIG_ERR' : handlerText(handler)}, sa_mask=${printSigset(BigInt(v.u32(4)))}, sa_flags=${flagText}`;
  if (flags & 0x4000000n) s += `, sa_restorer=${hex(BigInt(v.u32(12)))}`;
  return s + '}';
}

function rlim32Value(v: number): string {
  return v === 0xffffffff ? 'RLIM_INFINITY' : rlimValue(BigInt(v));
}

/** The i386 layouts (4-byte longs and pointers, 32-bit time_t) of the structs that differ there. */
const I386_DECODERS: Record<string, StructDecoder> = {
  stat64: { size: 96, print: stat64Text },
  sigaction: { size: 20, print: sigaction32Text },
  old_sigaction: { size: 16, print: oldSigactionText },
  timespec: { size: 8, print: (_c, v) => `{tv_sec=${v.i32(0)}, tv_nsec=${v.i32(4)}}` },
  timeval: { size: 8, print: (_c, v) => `{tv_sec=${v.i32(0)}, tv_usec=${v.i32(4)}}` },
  rlimit: { size: 8, print: (_c, v) => `{rlim_cur=${rlim32Value(v.u32(0))}, rlim_max=${rlim32Value(v.u32(4))}}` },
  tms: { size: 16, print: (_c, v) => `{tms_utime=${v.i32(0)}, tms_stime=${v.i32(4)}, tms_cutime=${v.i32(8)}, tms_cstime=${v.i32(12)}}` },
  timezone: DECODERS.timezone!,
  utsname: DECODERS.utsname!,
  sched_param: DECODERS.sched_param!,
};

/** Decodes struct NAME at addr, or undefined when the name is unknown or the memory unreadable.
 *  An i386 task's structs are read with i386 layouts; one with no i386 decoder is not decoded. */
export function printStruct(ctx: StructContext, name: string, addr: Int64): string | undefined {
  const d = ctx.task.pointerSize === 4 ? I386_DECODERS[name] : DECODERS[name];
  if (!d) return undefined;
  const v = readView(ctx.task, addr, d.size);
  if (!v) return undefined;
  return d.print(ctx, v);
}

export function knownStruct(name: string): boolean {
  return name in DECODERS || name in I386_DECODERS;
}

/** A wait status word as strace decodes it: `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`. */
export function printWaitStatus(status: number, signame: (n: number) => string): string {
  const sig = status & 0x7f;
  let s: string;
  if ((status & 0xff) === 0x7f) s = `WIFSTOPPED(s) && WSTOPSIG(s) == ${signame((status >> 8) & 0xff)}`;
  else if (status === 0xffff) s = 'WIFCONTINUED(s)';
  else if (sig === 0) s = `WIFEXITED(s) && WEXITSTATUS(s) == ${(status >> 8) & 0xff}`;
  else s = `WIFSIGNALED(s) && WTERMSIG(s) == ${signame(sig)}${status & 0x80 ? ' && WCOREDUMP(s)' : ''}`;
  return `[{${s}}]`;
}

export { ENUM_SETS };
