// Turns one syscall argument into strace's text, driven only by the row's ArgSpec (the ArgFormat
// vocabulary of syscall-row.ts): numbers, fds (-y), paths, strings (-s, -x), buffers, flags and
// constants (-X), structs (-v), signal sets, iovecs, argv/envp, wait statuses. Custom syscalls get
// the same treatment from their own rows. Unreadable memory prints the address.
import type { ArgSpec } from '../../kernel/syscall-row.js';
import type { Int64, TraceTask } from '../../kernel/events.js';
import {
  ENUM_SETS, FLAG_SETS, hex, printEnum, printFlags, printFutexOp, printMmapFlags, printOpenFlags,
  printSocketType, enumName,
} from './constants.js';
import { printDev, printMode, printSignal, printSigset, quoteBuffer, quoteBytes, signalName, type HexLevel } from './text.js';
import { addrArg, readView, s32, s64, u32, u64 } from './memory.js';
import { printStruct, printWaitStatus, type StructContext } from './structs.js';
import { freebsdValue } from './freebsd.js';

export type XlatStyle = 'raw' | 'abbrev' | 'verbose';

export interface DecodeOptions {
  /** -s: the longest string shown (default 32). */
  strsize: number;
  hexLevel: HexLevel;
  /** -v: unabbreviated structs and argv/envp. */
  verbose: boolean;
  /** -y: 1 paths, -yy: 2 (paths and more). */
  decodeFds: 0 | 1 | 2;
  xlat: XlatStyle;
}

export interface CallState {
  task: TraceTask;
  name: string;
  args: Int64[];
  /** Set at exit. */
  ret?: Int64;
  failed: boolean;
}

export function ptrText(v: Int64): string {
  const a = u64(v);
  return a === 0n ? 'NULL' : hex(a);
}

/** Flag/constant text in the -X style. */
export function xlatText(style: XlatStyle, raw: string, decoded: string): string {
  if (style === 'raw') return raw;
  if (style === 'verbose') return raw === decoded ? raw : `${raw} /* ${decoded} */`;
  return decoded;
}

function argIndex(fmt: string): number {
  return Number(fmt.slice(fmt.lastIndexOf(':') + 1));
}

export class ArgDecoder {
  constructor(readonly opts: DecodeOptions) {}

  structContext(task: TraceTask): StructContext {
    return {
      task,
      verbose: this.opts.verbose,
      hexLevel: this.opts.hexLevel,
      strsize: this.opts.strsize,
      xlat: (raw, decoded) => xlatText(this.opts.xlat, raw, decoded),
    };
  }

  fd(task: TraceTask, v: Int64): string {
    const fd = s32(v);
    if (this.opts.decodeFds && fd >= 0) {
      const p = task.fdPath(fd);
      if (p !== undefined) return `${fd}<${p}>`;
    }
    return String(fd);
  }

  /** A NUL-terminated path (never cut). */
  path(task: TraceTask, v: Int64): string {
    if (u64(v) === 0n) return 'NULL';
    const r = task.readCString(addrArg(v), 4096);
    if (!r) return ptrText(v);
    return quoteBytes(r.bytes, this.opts.hexLevel) + (r.complete ? '' : '...');
  }

  /** A NUL-terminated string cut at -s. */
  str(task: TraceTask, v: Int64): string {
    if (u64(v) === 0n) return 'NULL';
    const max = this.opts.strsize;
    const r = task.readCString(addrArg(v), max + 1);
    if (!r) return ptrText(v);
    if (r.bytes.length > max) return quoteBytes(r.bytes.subarray(0, max), this.opts.hexLevel) + '...';
    return quoteBytes(r.bytes, this.opts.hexLevel) + (r.complete ? '' : '...');
  }

  /** len bytes at v, at most -s of them shown. */
  buf(task: TraceTask, v: Int64, len: number, forceHex = false): string {
    if (u64(v) === 0n) return 'NULL';
    if (len <= 0) return '""';
    const shown = Math.min(len, this.opts.strsize);
    const bytes = task.readUser(addrArg(v), shown);
    if (!bytes) return ptrText(v);
    return quoteBytes(bytes, this.opts.hexLevel, forceHex) + (len > shown ? '...' : '');
  }

  private flags(set: string, v: Int64): string {
    const value = u64(v);
    let decoded: string;
    if (set === 'open') decoded = printOpenFlags(Number(value & 0xffffffffn));
    else if (set === 'mmap') decoded = printMmapFlags(value);
    else if (set === 'socktype') decoded = printSocketType(s32(v));
    else {
      const fs = FLAG_SETS[set];
      if (!fs) return hex(value);
      decoded = printFlags(fs, value);
    }
    return xlatText(this.opts.xlat, hex(value), decoded);
  }

  private enumValue(set: string, v: Int64): string {
    if (set === 'futex') return xlatText(this.opts.xlat, hex(u32(v)), printFutexOp(s32(v)));
    if (set === 'ioctl') return this.ioctlRequest(u32(v));
    const es = ENUM_SETS[set];
    const n = set === 'rusage' || set === 'prio' ? s32(v) : u32(v);
    if (!es) return String(n);
    const name = enumName(es, n);
    if (this.opts.xlat === 'raw') return hex(n >>> 0);
    if (name === undefined) return printEnum(es, n);
    return xlatText(this.opts.xlat, hex(n >>> 0), name);
  }

  private ioctlRequest(req: number): string {
    const name = enumName(ENUM_SETS.ioctl!, req);
    if (name) return xlatText(this.opts.xlat, hex(req), name);
    if (this.opts.xlat === 'raw') return hex(req);
    const dir = req >>> 30;
    const dirText = ['_IOC_NONE', '_IOC_WRITE', '_IOC_READ', '_IOC_READ|_IOC_WRITE'][dir]!;
    return `_IOC(${dirText}, ${hex((req >> 8) & 0xff)}, ${hex(req & 0xff)}, ${hex((req >> 16) & 0x3fff)})`;
  }

  private signo(v: Int64): string {
    const n = s32(v);
    if (this.opts.xlat === 'raw') return String(n);
    const name = signalName(n);
    if (name === undefined) return String(n);
    return xlatText(this.opts.xlat, String(n), name);
  }

  private sigset(task: TraceTask, v: Int64, size: number): string {
    if (u64(v) === 0n) return 'NULL';
    if (size <= 0 || size > 128) return ptrText(v);
    const view = readView(task, v, Math.min(size, 8));
    if (!view) return ptrText(v);
    let mask = 0n;
    for (let i = 0; i < view.bytes.length; i++) mask |= BigInt(view.bytes[i]!) << BigInt(8 * i);
    const text = printSigset(mask, Math.min(size, 8) * 8);
    if (this.opts.xlat === 'raw') return text.replace(/[A-Z][A-Z0-9_]*/g, (s) => String(signalNumberOf(s)));
    return text;
  }

  private intPtr(task: TraceTask, v: Int64, wide: boolean): string {
    if (u64(v) === 0n) return 'NULL';
    const view = readView(task, v, wide ? 8 : 4);
    if (!view) return ptrText(v);
    return `[${wide ? view.i64(0) : view.i32(0)}]`;
  }

  private iovec(task: TraceTask, v: Int64, count: number, total: number | undefined): string {
    if (u64(v) === 0n) return 'NULL';
    const shownCount = Math.min(Math.max(count, 0), this.opts.strsize);
    const view = readView(task, v, shownCount * 16);
    if (!view) return ptrText(v);
    let remaining = total ?? Infinity;
    const items: string[] = [];
    for (let i = 0; i < shownCount; i++) {
      const base = view.u64(i * 16);
      const len = Number(view.u64(i * 16 + 8));
      const data = Math.min(len, Math.max(remaining, 0));
      remaining -= data;
      items.push(`{iov_base=${this.buf(task, base, data)}, iov_len=${len}}`);
    }
    if (count > shownCount) items.push('...');
    return `[${items.join(', ')}]`;
  }

  private stringArray(task: TraceTask, v: Int64, envp: boolean): string {
    if (u64(v) === 0n) return 'NULL';
    const ptrs: bigint[] = [];
    let a = u64(v);
    const size = task.pointerSize ?? 8; // an i386 task's argv holds 4-byte pointers
    for (let i = 0; i < 4096; i++, a += BigInt(size)) {
      const view = readView(task, a, size);
      if (!view) return ptrText(v);
      const p = size === 4 ? BigInt(view.u32(0)) : view.u64(0);
      if (p === 0n) break;
      ptrs.push(p);
    }
    if (envp && !this.opts.verbose) return `${ptrText(v)} /* ${ptrs.length} var${ptrs.length === 1 ? '' : 's'} */`;
    const shown = ptrs.slice(0, this.opts.strsize).map((p) => this.str(task, p));
    if (ptrs.length > shown.length) shown.push('...');
    return `[${shown.join(', ')}]`;
  }

  private fds2(task: TraceTask, v: Int64): string {
    const view = readView(task, v, 8);
    if (!view) return ptrText(v);
    return `[${this.fd(task, view.i32(0))}, ${this.fd(task, view.i32(4))}]`;
  }

  private sockaddr(task: TraceTask, v: Int64, len: number): string {
    if (u64(v) === 0n) return 'NULL';
    const size = Math.max(0, Math.min(len, 128));
    const view = size >= 2 ? readView(task, v, size) : undefined;
    if (!view) return ptrText(v);
    const family = view.u16(0);
    const fam = enumName(ENUM_SETS.af!, family) ?? String(family);
    if (family === 1) {
      const path = view.cstr(2, size - 2);
      const abstract = size > 2 && view.u8(2) === 0;
      return `{sa_family=AF_UNIX, sun_path=${abstract ? '@' + quoteBytes(view.bytes.subarray(3, size), this.opts.hexLevel) : quoteBytes(path, this.opts.hexLevel)}}`;
    }
    if (family === 2 && size >= 8) {
      const port = (view.u8(2) << 8) | view.u8(3);
      const addr = `${view.u8(4)}.${view.u8(5)}.${view.u8(6)}.${view.u8(7)}`;
      return `{sa_family=AF_INET, sin_port=htons(${port}), sin_addr=inet_addr("${addr}")}`;
    }
    return `{sa_family=${fam}, sa_data=${quoteBytes(view.bytes.subarray(2, size), this.opts.hexLevel)}}`;
  }

  private pollfds(task: TraceTask, v: Int64, n: number, exiting: boolean): string {
    if (u64(v) === 0n) return 'NULL';
    const count = Math.min(n, this.opts.strsize);
    const view = readView(task, v, count * 8);
    if (!view) return ptrText(v);
    const ev = (e: number) => {
      const names: [string, number][] = [['POLLIN', 1], ['POLLPRI', 2], ['POLLOUT', 4], ['POLLERR', 8], ['POLLHUP', 0x10], ['POLLNVAL', 0x20], ['POLLRDNORM', 0x40], ['POLLRDBAND', 0x80], ['POLLWRNORM', 0x100], ['POLLWRBAND', 0x200], ['POLLMSG', 0x400], ['POLLRDHUP', 0x2000]];
      return printFlags({ flags: names }, e);
    };
    const items: string[] = [];
    for (let i = 0; i < count; i++) {
      const fd = this.fd(task, view.i32(i * 8));
      if (exiting) {
        const re = view.u16(i * 8 + 6);
        if (re) items.push(`{fd=${fd}, revents=${ev(re)}}`);
      } else items.push(`{fd=${fd}, events=${ev(view.u16(i * 8 + 4))}}`);
    }
    if (n > count) items.push('...');
    return `[${items.join(', ')}]`;
  }

  private bitset(task: TraceTask, v: Int64, nbits: number): string {
    if (u64(v) === 0n) return 'NULL';
    const bytes = Math.ceil(Math.max(nbits, 0) / 64) * 8;
    const view = readView(task, v, bytes);
    if (!view) return ptrText(v);
    const set: number[] = [];
    for (let i = 0; i < nbits; i++) if (view.bytes[i >> 3]! & (1 << (i & 7))) set.push(i);
    return `[${set.join(' ')}]`;
  }

  /** ioctl's third argument, by request. */
  private ioctlArg(call: CallState, v: Int64): string {
    const req = u32(call.args[1]!);
    if (enumName(ENUM_SETS.ioctl!, req) === undefined) return hex(u64(v));
    if (u64(v) === 0n) return 'NULL';
    if (req === 0x541b || req === 0x5421) return call.failed ? ptrText(v) : this.intPtr(call.task, v, false);
    if (req === 0x5413 || req === 0x5414) {
      const view = call.failed ? undefined : readView(call.task, v, 8);
      if (!view) return ptrText(v);
      return `{ws_row=${view.u16(0)}, ws_col=${view.u16(2)}, ws_xpixel=${view.u16(4)}, ws_ypixel=${view.u16(6)}}`;
    }
    if (req === 0x5401) {
      const view = call.failed ? undefined : readView(call.task, v, 36);
      if (!view) return ptrText(v);
      return `{c_iflag=${hex(view.u32(0))}, c_oflag=${hex(view.u32(4))}, c_cflag=${hex(view.u32(8))}, c_lflag=${hex(view.u32(12))}, ...}`;
    }
    return ptrText(v);
  }

  /** fcntl's third argument, by command. */
  private fcntlArg(call: CallState, v: Int64): string {
    const cmd = u32(call.args[1]!);
    switch (cmd) {
      case 0: case 1030: case 8: case 10: case 1031: case 1024: case 1026:
        return String(s64(v));
      case 2: return this.flagsText('fd', v);
      case 4: return xlatText(this.opts.xlat, hex(u64(v)), printOpenFlags(u32(v)));
      case 5: case 6: case 7: case 36: case 37: case 38: return ptrText(v);
      default: return hex(u64(v));
    }
  }

  private flagsText(set: string, v: Int64): string {
    return xlatText(this.opts.xlat, hex(u64(v)), printFlags(FLAG_SETS[set]!, u64(v)));
  }

  /** Whether fcntl's command takes a third argument (F_GETFD, F_GETFL... print only two). */
  static fcntlHasArg(cmd: number): boolean {
    return ![1, 3, 9, 11, 1025, 1032, 1034].includes(cmd);
  }

  /** One argument's text. `call.ret` is set when exiting; out-arguments of failed calls print their address. */
  formatValue(spec: ArgSpec, v: Int64, call: CallState): string {
    const fmt = spec.fmt;
    const task = call.task;
    const [kind, param] = splitFmt(fmt);
    const exiting = call.ret !== undefined;
    if (kind.charCodeAt(0) === 0x66 && kind.charCodeAt(1) === 0x62) {
      // `fb...`: a FreeBSD format (decode/freebsd.ts).
      return freebsdValue(kind, spec, v, {
        task, struct: this.structContext(task), xlat: (raw, decoded) => xlatText(this.opts.xlat, raw, decoded),
        raw: this.opts.xlat === 'raw', exiting, failed: call.failed, ret: call.ret, args: call.args, fd: (x) => this.fd(task, x),
      });
    }
    const outFailed = spec.dir !== 'in' && call.failed;
    switch (kind) {
      case 'int': return String(s32(v));
      case 'uint': return String(u32(v));
      case 'long': return String(s64(v));
      case 'ulong': return String(u64(v));
      case 'hex': return hex(u64(v));
      case 'uid': return u32(v) === 0xffffffff ? '-1' : String(u32(v));
      case 'pid': return String(s32(v));
      case 'fd': return this.fd(task, v);
      case 'dirfd': {
        const fd = s32(v);
        if (fd === -100) return xlatText(this.opts.xlat, '-100', 'AT_FDCWD');
        return this.fd(task, v);
      }
      case 'signo': return this.signo(v);
      case 'mode': return printMode(u32(v), false);
      case 'dev': return printDev(u64(v));
      case 'path': return this.path(task, v);
      case 'str': return this.str(task, v);
      case 'ostr': return outFailed || !exiting ? ptrText(v) : this.str(task, v);
      case 'ptr': return ptrText(v);
      case 'buf': return this.buf(task, v, Number(u64(call.args[argIndex(fmt)] ?? 0)));
      case 'obuf':
      case 'obufx': {
        if (outFailed || !exiting) return ptrText(v);
        const len = Math.min(Number(s64(call.ret!)), Number(u64(call.args[argIndex(fmt)] ?? 0)));
        return this.buf(task, v, len, kind === 'obufx');
      }
      case 'intptr':
      case 'int64ptr':
        return outFailed ? ptrText(v) : this.intPtr(task, v, kind === 'int64ptr');
      case 'flags': return this.flags(param, v);
      case 'enum': return this.enumValue(param, v);
      case 'struct': {
        if (u64(v) === 0n) return 'NULL';
        // nanosleep's remaining time means something only when a signal interrupted the call
        // (ERESTARTSYS..ERESTART_RESTARTBLOCK at exit): else strace prints its address.
        if (param.endsWith(':ifrestart')) {
          const r = call.ret === undefined ? 0 : Number(s64(call.ret));
          return exiting && r <= -512 && r >= -516 ? (printStruct(this.structContext(task), param.split(':')[0]!, v) ?? ptrText(v)) : ptrText(v);
        }
        if (outFailed) return ptrText(v);
        return printStruct(this.structContext(task), param.split(':')[0]!, v) ?? ptrText(v);
      }
      case 'sockaddr': {
        if (outFailed) return ptrText(v);
        return this.sockaddr(task, v, Number(u64(call.args[argIndex(fmt)] ?? 0)));
      }
      case 'pollfd': return this.pollfds(task, v, u32(call.args[argIndex(fmt)] ?? 0), exiting && !call.failed);
      case 'fdset': return outFailed ? ptrText(v) : this.bitset(task, v, s32(call.args[argIndex(fmt)] ?? 0));
      case 'cpuset': return outFailed ? ptrText(v) : this.bitset(task, v, u32(call.args[argIndex(fmt)] ?? 0) * 8);
      case 'fds2': return u64(v) === 0n ? 'NULL' : outFailed ? ptrText(v) : this.fds2(task, v);
      case 'iovec': {
        const count = Number(u64(call.args[argIndex(fmt)] ?? 0));
        if (spec.dir === 'out') {
          if (outFailed) return ptrText(v);
          return this.iovec(task, v, count, Number(s64(call.ret ?? 0)));
        }
        return this.iovec(task, v, count, undefined);
      }
      case 'argv': return this.stringArray(task, v, false);
      case 'envp': return this.stringArray(task, v, true);
      case 'sigset': return outFailed ? ptrText(v) : this.sigset(task, v, Number(u64(call.args[argIndex(fmt)] ?? 8)));
      case 'wstatus': {
        if (u64(v) === 0n) return 'NULL';
        if (outFailed || Number(s64(call.ret ?? 0)) === 0) return ptrText(v);
        const view = readView(task, v, 4);
        return view ? printWaitStatus(view.i32(0), (n) => (this.opts.xlat === 'raw' ? String(n) : printSignal(n))) : ptrText(v);
      }
      case 'ioctlarg': return this.ioctlArg(call, v);
      case 'fcntlarg': return this.fcntlArg(call, v);
      default: return hex(u64(v));
    }
  }
}

function splitFmt(fmt: string): [string, string] {
  const i = fmt.indexOf(':');
  return i < 0 ? [fmt, ''] : [fmt.slice(0, i), fmt.slice(i + 1)];
}

function signalNumberOf(name: string): number {
  for (let s = 1; s <= 64; s++) if (signalName(s) === 'SIG' + name) return s;
  return 0;
}

export { quoteBuffer, printSignal };
