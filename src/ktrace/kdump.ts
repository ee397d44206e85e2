// kdump(1): a streaming reader of ktrace files (constant memory: the file is read in chunks through
// a positional byte source, records are decoded and printed one at a time) and kdump's formatter,
// byte for byte as FreeBSD's usr.bin/kdump prints: the line header, CALL with kdump's per-syscall
// decoding, RET, NAMI, GIO (vis or hex dump), PSIG, CSW, USER, STRU, SCTL, CAP, PFLT, PRET,
// `Events dropped.` and UNKNOWN(n); plus a --json mode with one object per record.
//
// Where ksim differs from FreeBSD, on purpose:
// - Syscall names come from the file's KTR_KSIM_NAME records first, then from the caller's table.
// - A Linux process's SYSRET error is Linux's errno number (ksim's Linux kernel records its own
//   numbers); it is printed with Linux's strerror text. FreeBSD stores FreeBSD numbers and converts.
// - A torn or corrupted file ends with one `kdump: ...` error and exit status 1, also when the tail
//   is a partial header (FreeBSD stops silently there).
// - -r prints times in UTC (the core has no time zone) and uid/gid numbers (no passwd database).
import {
  ALL_POINTS, KTR_CAPFAIL, KTR_CSW, KTR_FAULT, KTR_FAULTEND, KTR_GENIO, KTR_HEADER_SIZE, KTR_HEADER_V0_SIZE,
  KTR_KSIM_NAME, KTR_NAMEI, KTR_PROCCTOR, KTR_PROCDTOR, KTR_PSIG, KTR_STRUCT, KTR_STRUCT_ARRAY, KTR_SYSCALL,
  KTR_SYSCTL, KTR_SYSRET, KTR_USER, KTR_VERSIONED, KtraceFormatError, SV_ABI_CLOUDABI, SV_ABI_FREEBSD,
  SV_ABI_LINUX, SV_ABI_MASK, SV_ILP32, SV_LP64, bytesToText, decodeBody, decodeHeader, toUint64,
  CAPFAIL_NOTCAPABLE, CAPFAIL_INCREASE, CAPFAIL_SYSCALL, CAPFAIL_SIGNAL, CAPFAIL_PROTO, CAPFAIL_SOCKADDR,
  CAPFAIL_NAMEI, CAPFAIL_CPUSET, MAXPATHLEN,
} from './format.js';
import type { KtrBody, KtrHeader, KtrRecord } from './format.js';
import type { Int64 } from '../kernel/events.js';
import * as sd from './sysdecode.js';
import { FREEBSD_EJUSTRETURN, FREEBSD_ERESTART, freebsdStrerror } from '../kernel/errno-freebsd.js';
import { linuxStrerror } from '../kernel/errno-linux.js';

export type SyscallAbi = 'freebsd' | 'linux' | 'linux32' | 'unknown';

export const TIMESTAMP_ABSOLUTE = 1;
export const TIMESTAMP_ELAPSED = 2;
export const TIMESTAMP_RELATIVE = 4;

export interface KdumpOptions {
  /** -d: numbers in decimal. */
  decimal: boolean;
  /** Decode arguments and errno texts (kdump's `fancy`; -n clears it). */
  fancy: boolean;
  /** -s: no GENIO data. */
  suppressData: boolean;
  /** -m: at most this many GENIO bytes (0: all). */
  maxData: number;
  /** -p: only this pid or tid (0: all). */
  pid: number;
  /** -t: the record types to show, as KTRFAC bits. */
  trpoints: number;
  /** -T / -E / -R, or-ed TIMESTAMP_* bits. */
  timestamps: number;
  /** -H: thread ids. */
  threads: boolean;
  /** -c: cpu numbers. */
  cpu: boolean;
  /** -S: syscall numbers after names. */
  syscallNumbers: boolean;
  /** -A: the ABI of each record. */
  abi: boolean;
  /** -r: resolve ids, modes and times in struct stat. */
  resolve: boolean;
  /** --json: one JSON object per record instead of kdump lines. */
  json: boolean;
  /** Terminal width used to lay out GIO data (kdump asks stderr's terminal; 80 otherwise). */
  screenWidth: number;
  /** Names for syscall numbers when the file has no KTR_KSIM_NAME record for them. */
  syscallName?: (abi: SyscallAbi, nr: number) => string | undefined;
  /** strerror for an ABI; defaults to FreeBSD's and Linux's tables. */
  errnoText?: (abi: SyscallAbi, errno: number) => string;
}

export function defaultKdumpOptions(): KdumpOptions {
  return {
    decimal: false, fancy: true, suppressData: false, maxData: 0, pid: 0, trpoints: ALL_POINTS, timestamps: 0,
    threads: false, cpu: false, syscallNumbers: false, abi: false, resolve: false, json: false, screenWidth: 80,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading.

/** Where kdump reads bytes: a file through a HostReadHandle, or standard input. */
export interface ByteSource {
  /** Reads up to buf.length bytes at position; returns the count (0 at end of data for now). */
  read(buf: Uint8Array, position: number): number;
}

/** How -l waits for a growing file. */
export interface FollowOptions {
  sleepMs(ms: number): void;
  /** Checked after each sleep; true ends the loop (tests, or the command on a signal). */
  stop?(): boolean;
}

/** Largest record kdump accepts; anything larger is a corrupted length. */
export const MAX_RECORD_LENGTH = 1 << 20;
const CHUNK = 1 << 16;

/**
 * Reads records one at a time with a bounded buffer. The body of a returned record may point
 * into the reader's buffer: use it before calling next() again.
 */
export class KtraceReader {
  private buf = new Uint8Array(CHUNK);
  private dv = new DataView(this.buf.buffer);
  /** File offset of buf[0]. */
  private bufStart = 0;
  private bufLen = 0;
  /** File offset of the next record. */
  private pos = 0;
  private eof = false;

  constructor(
    private readonly source: ByteSource,
    private readonly follow?: FollowOptions,
  ) {}

  /** File offset of the next record. */
  get offset(): number {
    return this.pos;
  }

  /** Makes `n` bytes at the current position available; false when the data ends first. */
  private fill(n: number): boolean {
    for (;;) {
      const have = this.bufStart + this.bufLen - this.pos;
      if (have >= n) return true;
      // Move the unread tail to the front, grow if one record needs more room.
      const keep = this.pos - this.bufStart;
      if (keep > 0) {
        this.buf.copyWithin(0, keep, this.bufLen);
        this.bufLen -= keep;
        this.bufStart = this.pos;
      }
      if (n > this.buf.length) {
        const bigger = new Uint8Array(Math.max(n, this.buf.length * 2));
        bigger.set(this.buf.subarray(0, this.bufLen));
        this.buf = bigger;
        this.dv = new DataView(bigger.buffer);
      } else if (n <= CHUNK && this.buf.length > CHUNK && this.bufLen <= CHUNK) {
        // Shrink back after a large record, so memory stays constant.
        const smaller = new Uint8Array(CHUNK);
        smaller.set(this.buf.subarray(0, this.bufLen));
        this.buf = smaller;
        this.dv = new DataView(smaller.buffer);
      }
      const got = this.source.read(this.buf.subarray(this.bufLen), this.bufStart + this.bufLen);
      if (got > 0) {
        this.bufLen += got;
        continue;
      }
      if (!this.follow) return false;
      this.follow.sleepMs(1000);
      if (this.follow.stop?.()) return false;
    }
  }

  /**
   * The next record, or null at a clean end of data. Throws KtraceFormatError for a torn or
   * corrupted record (the error says where).
   */
  next(): KtrRecord | null {
    if (this.eof) return null;
    if (!this.fill(1)) {
      this.eof = true;
      return null;
    }
    const start = this.pos;
    if (!this.fill(8)) throw this.torn(start, 'record header');
    let off = start - this.bufStart;
    const versioned = (this.dv.getUint16(off + 4, true) & KTR_VERSIONED) !== 0;
    const headerSize = versioned ? KTR_HEADER_SIZE : KTR_HEADER_V0_SIZE;
    if (!this.fill(headerSize)) throw this.torn(start, 'record header');
    off = start - this.bufStart;
    const header = decodeHeader(this.dv, off);
    if (header.version !== 0 && header.version !== 1) {
      this.eof = true;
      throw new KtraceFormatError(`unsupported ktrace header version ${header.version} at offset ${start}`, start);
    }
    if (header.len < 0 || header.len > MAX_RECORD_LENGTH) {
      this.eof = true;
      throw new KtraceFormatError(`bogus length 0x${(header.len >>> 0).toString(16)} at offset ${start}`, start);
    }
    if (!this.fill(headerSize + header.len)) {
      this.eof = true;
      throw new KtraceFormatError(`data too short: record at offset ${start} needs ${header.len} bytes of data`, start);
    }
    off = start - this.bufStart;
    let body: KtrBody;
    try {
      body = decodeBody(header, this.buf, off + headerSize, start, this.dv);
    } catch (e) {
      this.eof = true;
      throw e;
    }
    this.pos = start + headerSize + header.len;
    return { header, body };
  }

  private torn(start: number, what: string): KtraceFormatError {
    this.eof = true;
    const have = this.bufStart + this.bufLen - start;
    return new KtraceFormatError(`truncated ${what} at offset ${start} (${have} bytes)`, start);
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers (printf equivalents).

const pad = (s: string, w: number): string => (s.length >= w ? s : ' '.repeat(w - s.length) + s);
const padEnd = (s: string, w: number): string => (s.length >= w ? s : s + ' '.repeat(w - s.length));

/** %#jx of a register: unsigned 64-bit hex, `0` for zero. */
export function hex64(v: Int64): string {
  if (v === 0 || v === 0n) return '0';
  const u = toUint64(v);
  return '0x' + u.toString(16);
}

/** %jd of a register. */
function dec64(v: Int64): string {
  return typeof v === 'bigint' ? BigInt.asIntN(64, v).toString() : String(v);
}

/** (int) of a register: its low 32 bits, signed. */
function int32(v: Int64): number {
  if (typeof v === 'bigint') return Number(BigInt.asIntN(32, v));
  return v | 0;
}

/** %#x of an int. */
function hex32(v: number): string {
  const u = v >>> 0;
  return u === 0 ? '0' : '0x' + u.toString(16);
}

/** %#o of an int. */
function oct32(v: number): string {
  const u = v >>> 0;
  return u === 0 ? '0' : '0' + u.toString(8);
}

/** %p on FreeBSD: 0x... (0x0 for NULL). */
function ptr(v: Int64): string {
  return '0x' + toUint64(v).toString(16);
}

function cstr(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return bytesToText(nul < 0 ? bytes : bytes.subarray(0, nul));
}

// ---------------------------------------------------------------------------------------------
// The formatter.

interface RecordContext {
  svFlags: number;
  abi: SyscallAbi;
}

function syscallAbi(svFlags: number): SyscallAbi {
  if (svFlags === 0) return 'freebsd';
  switch (svFlags & SV_ABI_MASK) {
    case SV_ABI_FREEBSD: return 'freebsd';
    case SV_ABI_LINUX: return svFlags & SV_ILP32 ? 'linux32' : 'linux';
    default: return 'unknown';
  }
}

/** What kdump prints for a whole file; keeps the per-file state (names, ABIs, times). */
export class KdumpFormatter {
  /** Syscall names carried by the file (KTR_KSIM_NAME records). */
  readonly fileNames = new Map<number, string>();
  private readonly procAbi = new Map<number, number>();
  private dropLogged = false;
  private prevSec = 0;
  private prevNsec = 0;
  private prevESec = 0;
  private prevENsec = 0;

  constructor(readonly opts: KdumpOptions) {}

  /** The text kdump prints for this record (possibly empty), each line ending in \n. */
  format(rec: KtrRecord, offset = 0): string {
    const h = rec.header;
    let out = '';
    if (h.drop) {
      if (!this.dropLogged) {
        if (this.opts.json) {
          out += JSON.stringify({ offset, pid: h.pid, tid: h.tid > 0 ? h.tid : 0, comm: h.comm, event: 'dropped' }) + '\n';
        } else if (this.opts.threads) {
          out += `${pad(String(h.pid), 6)} ${pad(String(h.tid > 0 ? h.tid : 0), 6)} ${padEnd(h.comm, 8)} Events dropped.\n`;
        } else {
          out += `${pad(String(h.pid), 6)} ${padEnd(h.comm, 8)} Events dropped.\n`;
        }
        this.dropLogged = true;
      }
    }
    // fetchprocinfo(): ABI records are consumed, never printed; so are ksim's name records.
    if (rec.body.kind === 'procctor' && h.type === KTR_PROCCTOR) {
      this.procAbi.set(h.pid, rec.body.svFlags);
      return out;
    }
    if (h.type === KTR_PROCDTOR) {
      this.procAbi.delete(h.pid);
      return out;
    }
    if (rec.body.kind === 'ksim_name') {
      this.fileNames.set(rec.body.nr, rec.body.name);
      return out;
    }
    if (this.opts.pid && h.pid !== this.opts.pid && h.tid !== this.opts.pid) return out;
    // JavaScript's shift, like the C one on amd64, uses the low five bits of the type.
    if ((this.opts.trpoints & (1 << h.type)) === 0) return out;
    this.dropLogged = false;
    const svFlags = this.procAbi.get(h.pid) ?? 0;
    const ctx: RecordContext = { svFlags, abi: syscallAbi(svFlags) };
    const line = this.header(h, svFlags);
    const body = this.body(rec, ctx);
    if (this.opts.json) return out + this.json(rec, ctx, body, offset) + '\n';
    return out + line + body;
  }

  private header(h: KtrHeader, svFlags: number): string {
    const o = this.opts;
    let s = o.threads
      ? `${pad(String(h.pid), 6)} ${pad(String(h.tid > 0 ? h.tid : 0), 6)} ${padEnd(h.comm, 8)} `
      : `${pad(String(h.pid), 6)} ${padEnd(h.comm, 8)} `;
    if (o.timestamps) {
      if (o.timestamps & TIMESTAMP_ABSOLUTE) s += `${h.sec}.${pad9(h.nsec)} `;
      if (o.timestamps & TIMESTAMP_ELAPSED) {
        if (this.prevESec === 0) {
          this.prevESec = h.sec;
          this.prevENsec = h.nsec;
        }
        s += timeDiff(h.sec, h.nsec, this.prevESec, this.prevENsec);
      }
      if (o.timestamps & TIMESTAMP_RELATIVE) {
        if (this.prevSec === 0) {
          this.prevSec = h.sec;
          this.prevNsec = h.nsec;
        }
        s += timeDiff(h.sec, h.nsec, this.prevSec, this.prevNsec);
        this.prevSec = h.sec;
        this.prevNsec = h.nsec;
      }
    }
    if (o.cpu) s += `${pad(String(h.cpu), 3)} `;
    s += typeName(h.type) + '  ';
    if (o.abi) {
      let abi: string;
      switch (svFlags & SV_ABI_MASK) {
        case SV_ABI_LINUX: abi = 'L'; break;
        case SV_ABI_FREEBSD: abi = 'F'; break;
        case SV_ABI_CLOUDABI: abi = 'C'; break;
        default: abi = 'U';
      }
      const arch = svFlags & SV_LP64 ? '64' : svFlags & SV_ILP32 ? '32' : '00';
      s += `${abi}${arch}  `;
    }
    return s;
  }

  /** The syscall's name as kdump prints it: `name`, `name[N]` with -S, `[N]` when unknown. */
  syscallName(code: number, ctx: RecordContext): string {
    const name = this.fileNames.get(code) ?? this.opts.syscallName?.(ctx.abi, code);
    if (name === undefined) return `[${code}]`;
    return this.opts.syscallNumbers ? `${name}[${code}]` : name;
  }

  private rawName(code: number, ctx: RecordContext): string | undefined {
    return this.fileNames.get(code) ?? this.opts.syscallName?.(ctx.abi, code);
  }

  private errnoText(abi: SyscallAbi, errno: number): string {
    if (this.opts.errnoText) return this.opts.errnoText(abi, errno);
    return abi === 'linux' || abi === 'linux32' ? linuxStrerror(errno) : freebsdStrerror(errno);
  }

  private body(rec: KtrRecord, ctx: RecordContext): string {
    const b = rec.body;
    switch (b.kind) {
      case 'syscall': return this.syscall(b.code, b.args, ctx) + '\n';
      case 'sysret': return this.sysret(b.code, b.error, b.retval, ctx) + '\n';
      case 'namei': return `"${cstr(b.path)}"\n`;
      case 'sysctl': return `"${cstr(b.name)}"\n`;
      case 'genio': return this.genio(b.fd, b.rw, b.data);
      case 'psig': return this.psig(b, ctx) + '\n';
      case 'csw':
        return b.wmesg === undefined
          ? `${b.out ? 'stop' : 'resume'} ${b.user ? 'user' : 'kernel'}\n`
          : `${b.out ? 'stop' : 'resume'} ${b.user ? 'user' : 'kernel'} "${cstr(b.wmesg)}"\n`;
      case 'user': return this.user(b.data) + '\n';
      case 'struct': return this.struct(b.raw);
      case 'struct_array': return this.structArray(b.structSize, b.raw);
      case 'capfail': return this.capfail(b);
      case 'capfail_old': return this.capfailOld(b);
      case 'fault': {
        const m = sd.maskPart(sd.VM_PROT, b.type);
        return `0x${toUint64(b.vaddr).toString(16)} ${maskArg(b.type, m)}\n`;
      }
      case 'faultend': {
        const name = sd.lookupValue(sd.VM_RESULTS, b.result);
        return (name ?? `<invalid=${b.result}>`) + '\n';
      }
      default:
        return '\n';
    }
  }

  // CALL -----------------------------------------------------------------------------------

  syscall(code: number, args: Int64[], ctx: RecordContext): string {
    let s = this.syscallName(code, ctx);
    if (args.length === 0) return s;
    const cur: ArgCursor = { args, ip: 0, narg: args.length, c: '(', out: '', decimal: this.opts.decimal };
    if (this.opts.fancy) {
      const name = this.rawName(code, ctx);
      if (name !== undefined) {
        if (ctx.abi === 'freebsd') decodeFreebsdArgs(name, cur);
        else if (ctx.abi === 'linux' || ctx.abi === 'linux32') decodeLinuxArgs(name, cur);
      }
    }
    while (cur.narg > 0) printNumber(cur);
    s += cur.out + ')';
    return s;
  }

  // RET ------------------------------------------------------------------------------------

  sysret(code: number, error: number, retval: Int64, ctx: RecordContext): string {
    let s = this.syscallName(code, ctx) + ' ';
    if (error === 0) {
      if (this.opts.fancy) {
        s += dec64(retval);
        const neg = typeof retval === 'bigint' ? BigInt.asIntN(64, retval) < 0n : retval < 0;
        const big = typeof retval === 'bigint' ? BigInt.asIntN(64, retval) > 9n : retval > 9;
        if (neg || big) s += '/' + hex64(retval);
      } else {
        s += this.opts.decimal ? dec64(retval) : hex64(retval);
      }
    } else if (error === FREEBSD_ERESTART) {
      s += 'RESTART';
    } else if (error === FREEBSD_EJUSTRETURN) {
      s += 'JUSTRETURN';
    } else {
      s += `-1 errno ${error}`;
      if (this.opts.fancy) s += ' ' + this.errnoText(ctx.abi, error);
    }
    return s;
  }

  // GIO ------------------------------------------------------------------------------------

  genio(fd: number, rw: number, data: Uint8Array): string {
    const n = data.length;
    let s = `fd ${fd} ${rw === 0 ? 'read' : 'wrote'} ${n} byte${n === 1 ? '' : 's'}\n`;
    if (this.opts.suppressData) return s;
    const width = this.opts.fancy && this.opts.screenWidth > 8 ? this.opts.screenWidth : 80;
    let len = n;
    if (this.opts.maxData && len > this.opts.maxData) len = this.opts.maxData;
    const shown = data.subarray(0, len);
    let binary = false;
    for (let i = 0; i < len; i++) {
      const c = shown[i]!;
      if (c >= 32 && c < 127) continue;
      if (c === 10 || c === 13 || c === 0 || c === 9) continue;
      binary = true;
      break;
    }
    s += binary ? hexdump(shown, width) : visdump(shown, width);
    return s;
  }

  // PSIG -----------------------------------------------------------------------------------

  private psig(b: Extract<KtrBody, { kind: 'psig' }>, ctx: RecordContext): string {
    const linux = ctx.abi === 'linux' || ctx.abi === 'linux32';
    let s = sd.signalName(b.signo, linux) ?? `SIG ${b.signo}`;
    if (b.action === 0 || b.action === 0n) s += ' SIG_DFL';
    else s += ` caught handler=0x${toUint64(b.action).toString(16)} mask=0x${(b.mask[0] >>> 0).toString(16)}`;
    const code = sd.sigcodeName(b.signo, b.code, linux);
    s += ' code=' + (code ?? `<invalid=${hex32(b.code)}>`);
    return s;
  }

  // USER -----------------------------------------------------------------------------------

  private user(data: Uint8Array): string {
    // sysdecode_utrace(): malloc's utrace records (LP64: 24 bytes; 32-bit: 12 bytes).
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (data.length === 24) {
      const p = dv.getBigInt64(0, true);
      const size = dv.getBigUint64(8, true);
      const r = dv.getBigInt64(16, true);
      return utraceMalloc(p, size, r);
    }
    if (data.length === 12) {
      return utraceMalloc(BigInt(dv.getInt32(0, true)), BigInt(dv.getUint32(4, true)), BigInt(dv.getInt32(8, true)), true);
    }
    let s = `${data.length} `;
    for (let i = 0; i < data.length; i++) {
      s += this.opts.decimal ? ` ${data[i]}` : ` ${data[i]! < 16 ? '0' : ''}${data[i]!.toString(16)}`;
    }
    return s;
  }

  // STRU -----------------------------------------------------------------------------------

  private struct(buf: Uint8Array): string {
    const nul = buf.indexOf(0);
    if (nul < 0) return 'invalid record\n';
    const name = bytesToText(buf.subarray(0, nul));
    const data = buf.subarray(nul + 1);
    if (data.length === 0) return 'invalid record\n';
    if (!/^[A-Za-z_]*$/.test(name)) return 'invalid record\n';
    return this.structBody(name, data);
  }

  private structBody(name: string, data: Uint8Array): string {
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    switch (name) {
      case 'stat':
        if (data.length !== STAT_SIZE) return 'invalid record\n';
        return this.stat(dv) + '\n';
      case 'caprights':
        if (data.length !== 16) return 'invalid record\n';
        return `cap_rights_t ${sd.capRights(data)}\n`;
      case 'timespec':
        if (data.length !== 16) return 'invalid record\n';
        return `struct timespec {${dv.getBigInt64(0, true)}.${pad9(Number(dv.getBigInt64(8, true)))}}\n`;
      case 'timeval':
        if (data.length !== 16) return 'invalid record\n';
        return `struct timeval {${dv.getBigInt64(0, true)}.${pad6(Number(dv.getBigInt64(8, true)))}}\n`;
      case 'itimerval':
        if (data.length !== 32) return 'invalid record\n';
        return `struct itimerval {interval={${dv.getBigInt64(0, true)}.${pad6(Number(dv.getBigInt64(8, true)))}}, ` +
          `value={${dv.getBigInt64(16, true)}.${pad6(Number(dv.getBigInt64(24, true)))}} }\n`;
      case 'sockaddr':
        if (data.length > 128 || data.length !== data[0]) return 'invalid record\n';
        return sockaddr(data);
      default:
        return 'unknown structure\n';
    }
  }

  private structArray(structSize: number, buf: Uint8Array): string {
    const nul = buf.indexOf(0);
    if (nul < 0) return 'invalid record\n';
    const name = bytesToText(buf.subarray(0, nul));
    const data = buf.subarray(nul + 1);
    if (!/^[A-Za-z_]*$/.test(name) || structSize <= 0 || data.length % structSize !== 0) return 'invalid record\n';
    // kdump decodes arrays of kevents and sockaddrs; ksim prints each item like a STRU record.
    let s = '';
    for (let i = 0; i < data.length; i += structSize) {
      const item = this.structBody(name, data.subarray(i, i + structSize));
      s += (i === 0 ? '' : '\t') + item;
    }
    return s || '\n';
  }

  private stat(dv: DataView): string {
    const o = this.opts;
    const u64 = (off: number): string => dv.getBigUint64(off, true).toString();
    const i64 = (off: number): string => dv.getBigInt64(off, true).toString();
    const mode = dv.getUint16(24, true);
    let s = 'struct stat {';
    s += `dev=${u64(0)}, ino=${u64(8)}, `;
    s += o.resolve ? `mode=${strmode(mode)}, ` : `mode=0${mode.toString(8)}, `;
    s += `nlink=${u64(16)}, `;
    s += `uid=${dv.getUint32(28, true)}, `;
    s += `gid=${dv.getUint32(32, true)}, `;
    s += `rdev=${u64(40)}, `;
    const time = (label: string, off: number): string => {
      const sec = dv.getBigInt64(off, true);
      const nsec = Number(dv.getBigInt64(off + 8, true));
      let t = `${label}=`;
      t += o.resolve ? `"${utcTime(Number(sec))}"` : sec.toString();
      t += nsec !== 0 ? `.${pad9(nsec)}, ` : ', ';
      return t;
    };
    s += time('atime', 48) + time('mtime', 64) + time('ctime', 80) + time('birthtime', 96);
    s += `size=${i64(112)}, blksize=${dv.getUint32(128, true)}, blocks=${i64(120)}, flags=0x${dv.getUint32(132, true).toString(16)}`;
    s += ' }';
    return s;
  }

  // CAP ------------------------------------------------------------------------------------

  /** The record carries its own sv_flags (the ABI of the failing call). */
  private capfail(b: Extract<KtrBody, { kind: 'capfail' }>): string {
    const ctx: RecordContext = { svFlags: b.svFlags, abi: syscallAbi(b.svFlags) };
    const dv = new DataView(b.data.buffer, b.data.byteOffset, b.data.byteLength);
    const capInt = dv.getInt32(0, true);
    const name = (): string => this.syscallName(b.code, ctx);
    switch (b.capType) {
      case CAPFAIL_NOTCAPABLE:
        return `operation requires ${sd.capRights(b.data.subarray(0, 16))}, descriptor holds ${sd.capRights(b.data.subarray(16, 32))}\n`;
      case CAPFAIL_INCREASE:
        return `attempt to increase capabilities from ${sd.capRights(b.data.subarray(16, 32))} to ${sd.capRights(b.data.subarray(0, 16))}\n`;
      case CAPFAIL_SYSCALL: {
        let s = `system call not allowed: ${name()}`;
        if (ctx.abi === 'freebsd') {
          const raw = this.rawName(b.code, ctx);
          if (raw === 'fcntl') s += ', cmd: ' + integerArg(sd.FCNTL_CMDS, capInt, this.opts.decimal);
        }
        return s + '\n';
      }
      case CAPFAIL_SIGNAL:
        return `${name()}: signal delivery not allowed: ${sd.signalName(capInt) ?? (this.opts.decimal ? `<invalid=${capInt}>` : `<invalid=${hex32(capInt)}>`)}\n`;
      case CAPFAIL_PROTO:
        return `${name()}: protocol not allowed: ${integerArg(sd.IP_PROTOCOLS, capInt, this.opts.decimal)}\n`;
      case CAPFAIL_SOCKADDR:
        return `${name()}: restricted address lookup: ${sockaddr(b.data.subarray(0, Math.max(2, b.data[0]!)))}`;
      case CAPFAIL_NAMEI:
        return `${name()}: restricted VFS lookup: ${cstr(b.data.subarray(0, MAXPATHLEN))}\n`;
      case CAPFAIL_CPUSET:
        return `${name()}: restricted cpuset operation\n`;
      default:
        return `${name()}: unknown capability failure\n`;
    }
  }

  private capfailOld(b: Extract<KtrBody, { kind: 'capfail_old' }>): string {
    switch (b.capType) {
      case 0: return `operation requires ${sd.capRights(b.needed)}, descriptor holds ${sd.capRights(b.held)}\n`;
      case 1: return `attempt to increase capabilities from ${sd.capRights(b.held)} to ${sd.capRights(b.needed)}\n`;
      case 2: return 'disallowed system call\n';
      case 3: return 'restricted VFS lookup\n';
      default: return `unknown capability failure: ${sd.capRights(b.needed)} ${sd.capRights(b.held)}\n`;
    }
  }

  // JSON -----------------------------------------------------------------------------------

  private json(rec: KtrRecord, ctx: RecordContext, text: string, offset: number): string {
    const h = rec.header;
    const b = rec.body;
    const o: Record<string, unknown> = {
      offset, pid: h.pid, tid: h.tid > 0 ? h.tid : 0, comm: h.comm, sec: h.sec, nsec: h.nsec, cpu: h.cpu,
      type: typeName(h.type).trim(),
    };
    const num = (v: Int64): number | string => (typeof v === 'bigint' ? BigInt.asIntN(64, v).toString() : v);
    switch (b.kind) {
      case 'syscall':
        o.syscall = this.rawName(b.code, ctx) ?? null;
        o.nr = b.code;
        o.args = b.args.map(num);
        break;
      case 'sysret':
        o.syscall = this.rawName(b.code, ctx) ?? null;
        o.nr = b.code;
        o.error = b.error;
        o.retval = num(b.retval);
        break;
      case 'namei': o.path = cstr(b.path); break;
      case 'sysctl': o.name = cstr(b.name); break;
      case 'genio':
        o.fd = b.fd;
        o.rw = b.rw === 0 ? 'read' : 'wrote';
        o.length = b.data.length;
        if (!this.opts.suppressData) o.hex = toHex(this.opts.maxData ? b.data.subarray(0, this.opts.maxData) : b.data);
        break;
      case 'psig':
        o.signo = b.signo;
        o.handler = num(b.action);
        o.code = b.code;
        o.mask = b.mask[0];
        break;
      case 'csw':
        o.out = b.out !== 0;
        o.user = b.user !== 0;
        if (b.wmesg) o.wmesg = cstr(b.wmesg);
        break;
      case 'user': o.length = b.data.length; o.hex = toHex(b.data); break;
      case 'fault': o.addr = num(b.vaddr); o.prot = b.type; break;
      case 'faultend': o.result = b.result; break;
      case 'unknown': o.rawType = h.type; o.length = h.len; break;
      default: break;
    }
    o.text = text.replace(/\n$/, '');
    return JSON.stringify(o);
  }
}

function typeName(type: number): string {
  switch (type) {
    case KTR_SYSCALL: return 'CALL';
    case KTR_SYSRET: return 'RET ';
    case KTR_NAMEI: return 'NAMI';
    case KTR_GENIO: return 'GIO ';
    case KTR_PSIG: return 'PSIG';
    case KTR_CSW: return 'CSW ';
    case KTR_USER: return 'USER';
    case KTR_STRUCT:
    case KTR_STRUCT_ARRAY: return 'STRU';
    case KTR_SYSCTL: return 'SCTL';
    case KTR_CAPFAIL: return 'CAP ';
    case KTR_FAULT: return 'PFLT';
    case KTR_FAULTEND: return 'PRET';
    default: return `UNKNOWN(${type})`;
  }
}

const pad9 = (n: number): string => (n < 0 ? String(n) : String(n).padStart(9, '0'));
const pad6 = (n: number): string => (n < 0 ? String(n) : String(n).padStart(6, '0'));

/** timespecsub() printed as `%jd.%09ld `. */
function timeDiff(sec: number, nsec: number, sec0: number, nsec0: number): string {
  let s = sec - sec0;
  let n = nsec - nsec0;
  if (n < 0) {
    s--;
    n += 1_000_000_000;
  }
  return `${s}.${pad9(n)} `;
}

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return s;
}

function utraceMalloc(p: bigint, size: bigint, r: bigint, is32 = false): string {
  const P = (v: bigint): string => '0x' + BigInt.asUintN(is32 ? 32 : 64, v).toString(16);
  if (p === -1n) return 'malloc_init()';
  if (size === 0n) return `free(${P(p)})`;
  if (p === 0n) return `${P(r)} = malloc(${size})`;
  return `${P(r)} = realloc(${P(p)}, ${size})`;
}

// ---------------------------------------------------------------------------------------------
// GIO data layouts.

/** kdump's hexdump(): as many byte pairs per line as fit the width (16 at 80 columns). */
export function hexdump(p: Uint8Array, screenWidth: number): string {
  const len = p.length;
  let width = 0;
  let i: number;
  do {
    width += 2;
    i = 13 + (width / 2 + 1) + width * 2 + 3 + width + 1;
  } while (i < screenWidth);
  width -= 2;
  let s = '';
  i = 0;
  for (let n = 0; n < len; n += width) {
    for (i = n; i < n + width; i++) {
      if (i % width === 0) s += '       0x' + i.toString(16).padStart(4, '0');
      if (i % 2 === 0) s += ' ';
      s += i < len ? (p[i]! < 16 ? '0' : '') + p[i]!.toString(16) : '  ';
    }
    s += '  |';
    for (i = n; i < n + width; i++) {
      if (i >= len) break;
      const c = p[i]!;
      s += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '.';
    }
    s += '|\n';
  }
  // kdump ends a partial last line with an extra newline (its `(i % width) != 0` test).
  if (i % width !== 0) s += '\n';
  return s;
}

/** vis(3) with VIS_CSTYLE of one byte that passed kdump's "printable" test. */
function visByte(c: number, next: number): string {
  if (c === 0x5c) return '\\\\';
  if (c >= 0x20 && c < 0x7f) return String.fromCharCode(c);
  if (c === 10) return '\n';
  if (c === 9) return '\t';
  if (c === 13) return '\\r';
  if (c === 0) return next >= 0x30 && next <= 0x37 ? '\\000' : '\\0';
  return '\\' + c.toString(8).padStart(3, '0');
}

/** kdump's visdump(): the text between quotes, folded like fold(1), continuation lines with a TAB. */
export function visdump(dp: Uint8Array, screenWidth: number): string {
  let s = '       "';
  let col = 8;
  for (let k = 0; k < dp.length; k++) {
    const cp = visByte(dp[k]!, k + 1 < dp.length ? dp[k + 1]! : 0);
    if (col === 0) {
      s += '\t';
      col = 8;
    }
    let width: number;
    if (cp === '\n') {
      col = 0;
      s += '\n';
      continue;
    } else if (cp === '\t') {
      width = 8 - (col & 7);
    } else {
      width = cp.length;
    }
    if (col + width > screenWidth - 2) {
      s += '\\\n\t';
      col = 8;
    }
    col += width;
    s += cp;
  }
  if (col === 0) s += '       ';
  s += '"\n';
  return s;
}

// ---------------------------------------------------------------------------------------------
// Argument decoding (ktrsyscall_freebsd / ktrsyscall_linux).

interface ArgCursor {
  args: Int64[];
  ip: number;
  narg: number;
  c: string;
  out: string;
  decimal: boolean;
}

function cur0(cur: ArgCursor, k = 0): Int64 {
  return cur.args[cur.ip + k] ?? 0;
}

function consume(cur: ArgCursor, n = 1): void {
  cur.ip += n;
  cur.narg -= n;
}

function printNumber(cur: ArgCursor): void {
  const v = cur0(cur);
  cur.out += cur.c + (cur.decimal ? dec64(v) : hex64(v));
  consume(cur);
  cur.c = ',';
}

/** print_mask_arg(): `%#x<NAMES>`, then `<invalid>N` when no name applied. */
function maskArg(value: number, m: sd.MaskText): string {
  let s = `${hex32(value)}<${m.text}>`;
  if (!m.printed) s += `<invalid>${m.rem >>> 0}`;
  return s;
}

/** print_mask_arg0(): like maskArg, but 0 prints `0`. */
function maskArg0(value: number, m: () => sd.MaskText): string {
  return value === 0 ? '0' : maskArg(value, m());
}

/** decode_filemode(): `%#o<S_...>`, 0 prints `0`. */
function fileMode(value: number): string {
  if (value === 0) return '0';
  const m = sd.maskPart(sd.FILE_MODES, value);
  let s = `${oct32(value)}<${m.text}>`;
  if (!m.printed) s += `<invalid>${m.rem >>> 0}`;
  return s;
}

/** print_integer_arg(): the name, or `<invalid=%#x>` (`<invalid=%d>` with -d). */
function integerArg(table: sd.NameTable, value: number, decimal: boolean): string {
  const name = sd.lookupValue(table, value);
  if (name !== undefined) return name;
  return decimal ? `<invalid=${value}>` : `<invalid=${hex32(value)}>`;
}

/** print_integer_arg_valid(sysdecode_atfd): AT_FDCWD or the number. */
function atfd(value: number, decimal: boolean): string {
  if (value === sd.AT_FDCWD) return 'AT_FDCWD';
  return decimal ? String(value) : hex32(value);
}

function signal(value: number, linux: boolean): string {
  return sd.signalName(value, linux) ?? `SIG ${value}`;
}

const FREEBSD_ATFD_FIRST = new Set([
  'bindat', 'connectat', 'faccessat', 'fchmodat', 'fchownat', 'fstatat', 'futimesat', 'linkat', 'mkdirat',
  'mkfifoat', 'mknodat', 'openat', 'readlinkat', 'renameat', 'unlinkat', 'utimensat',
]);
const FREEBSD_ATFLAGS_LAST = new Set(['fchownat', 'faccessat', 'fchmodat', 'fstatat', 'linkat', 'unlinkat', 'utimensat']);

/** ktrsyscall_freebsd(): the per-syscall decoding of FreeBSD's kdump (the common calls). */
function decodeFreebsdArgs(name: string, cur: ArgCursor): void {
  const d = cur.decimal;
  const arg = (): number => int32(cur0(cur));
  if (FREEBSD_ATFD_FIRST.has(name)) {
    cur.out += '(' + atfd(arg(), d);
    cur.c = ',';
    consume(cur);
  }
  switch (name) {
    case 'ioctl': {
      printNumber(cur);
      const v = cur0(cur);
      const u = toUint64(v);
      const nm = typeof u === 'number' && u <= 0xffffffff ? sd.ioctlName(u) : undefined;
      cur.out += cur.c + (nm ?? (d ? toUint64(v).toString() : hex64(v)));
      cur.c = ',';
      consume(cur);
      break;
    }
    case 'access':
    case 'eaccess':
    case 'faccessat':
      printNumber(cur);
      cur.out += ',' + maskArg(arg(), sd.maskPart(sd.ACCESS_MODES, arg()));
      consume(cur);
      break;
    case 'open':
    case 'openat': {
      printNumber(cur);
      const flags = arg();
      cur.out += ',' + maskArg(flags, sd.openFlags(flags));
      if ((flags & sd.O_CREAT) === sd.O_CREAT) cur.out += ',' + fileMode(int32(cur0(cur, 1)));
      consume(cur, 2);
      break;
    }
    case 'wait4':
      printNumber(cur);
      printNumber(cur);
      cur.out += ',' + maskArg0(arg(), () => sd.wait4Options(arg()));
      consume(cur);
      break;
    case 'chmod':
    case 'fchmod':
    case 'lchmod':
    case 'fchmodat':
    case 'mknodat':
    case 'mkfifo':
    case 'mkfifoat':
    case 'mkdir':
    case 'mkdirat':
      printNumber(cur);
      cur.out += ',' + fileMode(arg());
      consume(cur);
      break;
    case 'recvmsg':
    case 'sendmsg':
      printNumber(cur);
      printNumber(cur);
      cur.out += ',' + maskArg0(arg(), () => sd.maskPart(sd.MSG_FLAGS, arg()));
      consume(cur);
      break;
    case 'recvfrom':
    case 'sendto':
      printNumber(cur);
      printNumber(cur);
      printNumber(cur);
      cur.out += ',' + maskArg0(arg(), () => sd.maskPart(sd.MSG_FLAGS, arg()));
      consume(cur);
      break;
    case 'kill':
    case 'thr_kill':
      printNumber(cur);
      cur.out += ',' + signal(arg(), false);
      consume(cur);
      break;
    case 'umask':
      cur.out += '(' + fileMode(arg());
      consume(cur);
      break;
    case 'msync':
      printNumber(cur);
      printNumber(cur);
      cur.out += ',' + maskArg(arg(), sd.maskPart(sd.MSYNC_FLAGS, arg()));
      consume(cur);
      break;
    case 'mmap':
      printNumber(cur);
      printNumber(cur);
      cur.out += ',' + maskArg(arg(), sd.maskPart(sd.MMAP_PROT, arg())) + ',';
      consume(cur);
      cur.out += maskArg(arg(), sd.mmapFlags(arg()));
      consume(cur);
      break;
    case 'mprotect':
      printNumber(cur);
      printNumber(cur);
      cur.out += ',' + maskArg(arg(), sd.maskPart(sd.MMAP_PROT, arg()));
      consume(cur);
      break;
    case 'madvise':
      printNumber(cur);
      printNumber(cur);
      cur.out += ',' + integerArg(sd.MADVICE, arg(), d);
      consume(cur);
      break;
    case 'getpriority':
    case 'setpriority':
      cur.out += '(' + integerArg(sd.PRIO_WHICH, arg(), d);
      cur.c = ',';
      consume(cur);
      break;
    case 'fcntl': {
      printNumber(cur);
      const cmd = arg();
      cur.out += ',' + integerArg(sd.FCNTL_CMDS, cmd, d);
      if (sd.fcntlHasArg(cmd)) {
        const v = cur0(cur, 1);
        cur.out += ',';
        if (cmd === sd.F_SETFL) cur.out += maskArg(int32(v), sd.fcntlFileFlags(int32(v)));
        else if (cmd === sd.F_SETFD) cur.out += int32(v) === 1 ? 'FD_CLOEXEC' : d ? dec64(v) : hex64(v);
        else if (cmd === sd.F_GETLK || cmd === sd.F_SETLK || cmd === sd.F_SETLKW) cur.out += ptr(v);
        else cur.out += d ? dec64(v) : hex64(v);
      }
      consume(cur, 2);
      break;
    }
    case 'socket': {
      const domain = arg();
      cur.out += '(' + integerArg(sd.SOCKET_DOMAINS, domain, d);
      consume(cur);
      cur.out += ',' + maskArg(arg(), sd.socketType(arg()));
      consume(cur);
      if (domain === sd.PF_INET || domain === sd.PF_INET6) {
        cur.out += ',' + integerArg(sd.IP_PROTOCOLS, arg(), d);
        consume(cur);
      }
      cur.c = ',';
      break;
    }
    case 'socketpair':
      cur.out += '(' + integerArg(sd.SOCKET_DOMAINS, arg(), d);
      consume(cur);
      cur.out += ',' + maskArg(arg(), sd.socketType(arg()));
      consume(cur);
      cur.c = ',';
      break;
    case 'lseek':
      printNumber(cur);
      printNumber(cur);
      cur.out += ',' + integerArg(sd.WHENCE, arg(), d);
      consume(cur);
      break;
    case 'flock':
      printNumber(cur);
      cur.out += ',' + maskArg(arg(), sd.maskPart(sd.FLOCK_OPS, arg()));
      consume(cur);
      break;
    case 'shutdown':
      printNumber(cur);
      cur.out += ',' + integerArg(sd.SHUTDOWN_HOW, arg(), d);
      consume(cur);
      break;
    case 'getrlimit':
    case 'setrlimit':
      cur.out += '(' + integerArg(sd.RLIMITS, arg(), d);
      consume(cur);
      cur.c = ',';
      break;
    case 'getrusage':
      cur.out += '(' + integerArg(sd.RUSAGE_WHO, arg(), d);
      consume(cur);
      cur.c = ',';
      break;
    case 'mlockall':
      cur.out += '(' + maskArg(arg(), sd.maskPart(sd.MLOCKALL_FLAGS, arg()));
      consume(cur);
      break;
    case 'sigprocmask':
      cur.out += '(' + integerArg(sd.SIGPROCMASK_HOW, arg(), d);
      consume(cur);
      cur.c = ',';
      break;
    case 'sigaction':
      cur.out += '(' + signal(arg(), false);
      consume(cur);
      cur.c = ',';
      break;
    case 'linkat':
    case 'renameat':
    case 'symlinkat':
      printNumber(cur);
      cur.out += ',' + atfd(arg(), d);
      consume(cur);
      printNumber(cur);
      break;
    case 'ftruncate':
    case 'truncate':
      printNumber(cur);
      printNumber(cur);
      break;
    case 'fchownat':
      printNumber(cur);
      printNumber(cur);
      printNumber(cur);
      break;
    case 'fstatat':
    case 'utimensat':
      printNumber(cur);
      printNumber(cur);
      break;
    case 'unlinkat':
      printNumber(cur);
      break;
    case 'getitimer':
    case 'setitimer':
      cur.out += '(' + integerArg(sd.ITIMERS, arg(), d);
      consume(cur);
      cur.c = ',';
      break;
  }
  if (FREEBSD_ATFLAGS_LAST.has(name)) {
    cur.out += ',' + maskArg0(arg(), () => sd.maskPart(sd.AT_FLAGS, arg()));
    consume(cur);
  }
}

const LINUX_OPEN_FLAGS: sd.NameTable = [
  [0o100, 'O_CREAT'], [0o200, 'O_EXCL'], [0o400, 'O_NOCTTY'], [0o1000, 'O_TRUNC'], [0o2000, 'O_APPEND'],
  [0o4000, 'O_NONBLOCK'], [0o10000, 'O_DSYNC'], [0o20000, 'O_ASYNC'], [0o40000, 'O_DIRECT'],
  [0o100000, 'O_LARGEFILE'], [0o200000, 'O_DIRECTORY'], [0o400000, 'O_NOFOLLOW'], [0o1000000, 'O_NOATIME'],
  [0o2000000, 'O_CLOEXEC'], [0o4000000, 'O_SYNC'], [0o10000000, 'O_PATH'], [0o20000000, 'O_TMPFILE'],
];
const LINUX_AT_FLAGS: sd.NameTable = [
  [0x100, 'AT_SYMLINK_NOFOLLOW'], [0x200, 'AT_REMOVEDIR'], [0x400, 'AT_SYMLINK_FOLLOW'], [0x800, 'AT_NO_AUTOMOUNT'],
  [0x1000, 'AT_EMPTY_PATH'],
];
const LINUX_CLOCK_IDS: sd.NameTable = [
  [0, 'CLOCK_REALTIME'], [1, 'CLOCK_MONOTONIC'], [2, 'CLOCK_PROCESS_CPUTIME_ID'], [3, 'CLOCK_THREAD_CPUTIME_ID'],
  [4, 'CLOCK_MONOTONIC_RAW'], [5, 'CLOCK_REALTIME_COARSE'], [6, 'CLOCK_MONOTONIC_COARSE'], [7, 'CLOCK_BOOTTIME'],
  [8, 'CLOCK_REALTIME_ALARM'], [9, 'CLOCK_BOOTTIME_ALARM'], [11, 'CLOCK_TAI'],
];
const LINUX_ATFD_FIRST = new Set([
  'faccessat', 'faccessat2', 'fchmodat', 'fchownat', 'newfstatat', 'futimesat', 'linkat', 'mkdirat', 'mknodat',
  'openat', 'readlinkat', 'renameat', 'renameat2', 'unlinkat', 'utimensat',
]);
const LINUX_ATFLAGS_LAST = new Set(['fchownat', 'faccessat', 'fchmodat', 'newfstatat', 'linkat', 'unlinkat', 'utimensat']);

/** ktrsyscall_linux(): the few calls FreeBSD's kdump decodes for Linux processes. */
function decodeLinuxArgs(name: string, cur: ArgCursor): void {
  const d = cur.decimal;
  const arg = (): number => int32(cur0(cur));
  if (LINUX_ATFD_FIRST.has(name)) {
    cur.out += '(' + atfd(arg(), d);
    cur.c = ',';
    consume(cur);
  }
  switch (name) {
    case 'access':
    case 'faccessat':
      printNumber(cur);
      cur.out += ',' + maskArg(arg(), sd.maskPart(sd.ACCESS_MODES, arg()));
      consume(cur);
      break;
    case 'clock_gettime':
    case 'clock_settime':
    case 'clock_getres':
    case 'timer_create':
      cur.out += '(' + integerArg(LINUX_CLOCK_IDS, arg(), d);
      cur.c = ',';
      consume(cur);
      break;
    case 'kill':
    case 'tkill':
    case 'rt_sigqueueinfo':
      printNumber(cur);
      cur.out += ',' + signal(arg(), true);
      consume(cur);
      break;
    case 'tgkill':
    case 'rt_tgsigqueueinfo':
      printNumber(cur);
      printNumber(cur);
      cur.out += ',' + signal(arg(), true);
      consume(cur);
      break;
    case 'open':
    case 'openat': {
      printNumber(cur);
      const flags = arg();
      const acc = flags & 3;
      const accName = acc === 0 ? 'O_RDONLY' : acc === 1 ? 'O_WRONLY' : acc === 2 ? 'O_RDWR' : '';
      const part = sd.maskPart(LINUX_OPEN_FLAGS, flags & ~3, accName !== '');
      cur.out += ',' + maskArg(flags, { text: accName + part.text, printed: part.printed, rem: part.rem | (accName ? 0 : acc) });
      if (flags & 0o100) cur.out += ',' + fileMode(int32(cur0(cur, 1)));
      consume(cur, 2);
      break;
    }
    case 'rt_sigaction':
      cur.out += '(' + signal(arg(), true);
      consume(cur);
      cur.c = ',';
      break;
    case 'getitimer':
    case 'setitimer':
      cur.out += '(' + integerArg(sd.ITIMERS, arg(), d);
      consume(cur);
      cur.c = ',';
      break;
    case 'rt_sigprocmask':
    case 'sigprocmask':
      cur.out += '(' + integerArg(sd.LINUX_SIGPROCMASK_HOW, arg(), d);
      consume(cur);
      cur.c = ',';
      break;
  }
  if (LINUX_ATFLAGS_LAST.has(name)) {
    cur.out += ',' + maskArg0(arg(), () => sd.maskPart(LINUX_AT_FLAGS, arg()));
    consume(cur);
  }
}

// ---------------------------------------------------------------------------------------------
// Structs.

/** sizeof(struct stat) on FreeBSD amd64 (12 and later). */
export const STAT_SIZE = 224;

/** strmode(3): `-rw-r--r-- ` (ten characters and a space). */
export function strmode(mode: number): string {
  const types: Record<number, string> = {
    0o040000: 'd', 0o020000: 'c', 0o060000: 'b', 0o100000: '-', 0o120000: 'l', 0o140000: 's', 0o010000: 'p',
    0o160000: 'w',
  };
  let s = types[mode & 0o170000] ?? '?';
  s += mode & 0o400 ? 'r' : '-';
  s += mode & 0o200 ? 'w' : '-';
  s += mode & 0o4000 ? (mode & 0o100 ? 's' : 'S') : mode & 0o100 ? 'x' : '-';
  s += mode & 0o40 ? 'r' : '-';
  s += mode & 0o20 ? 'w' : '-';
  s += mode & 0o2000 ? (mode & 0o10 ? 's' : 'S') : mode & 0o10 ? 'x' : '-';
  s += mode & 0o4 ? 'r' : '-';
  s += mode & 0o2 ? 'w' : '-';
  s += mode & 0o1000 ? (mode & 0o1 ? 't' : 'T') : mode & 0o1 ? 'x' : '-';
  return s + ' ';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** TIME_FORMAT "%b %e %T %Y", in UTC. */
function utcTime(sec: number): string {
  const d = new Date(sec * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:` +
    `${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** ktrsockaddr(): AF_INET, AF_INET6 and AF_UNIX addresses. */
function sockaddr(sa: Uint8Array): string {
  const family = sa[1];
  const dv = new DataView(sa.buffer, sa.byteOffset, sa.byteLength);
  let s = 'struct sockaddr { ';
  switch (family) {
    case 2:
      if (sa.length < 8) return 'invalid record\n';
      s += `AF_INET, ${sa[4]}.${sa[5]}.${sa[6]}.${sa[7]}:${dv.getUint16(2, false)}`;
      break;
    case 28: {
      if (sa.length < 24) return 'invalid record\n';
      const words: string[] = [];
      for (let i = 0; i < 8; i++) words.push(dv.getUint16(8 + 2 * i, false).toString(16));
      s += `AF_INET6, [${words.join(':')}]:${dv.getUint16(2, false)}`;
      break;
    }
    case 1:
      s += `AF_UNIX, ${cstr(sa.subarray(2))}`;
      break;
    default:
      s += `unknown address family ${family}`;
  }
  return s + ' }\n';
}

// ---------------------------------------------------------------------------------------------
// Running kdump over a source.

export interface KdumpRunResult {
  /** 0 on success, 1 after an error. */
  status: number;
  records: number;
  /** The error message (without `kdump: `), when there was one. */
  error?: string;
}

/**
 * Dumps every record of `source` to `out` (batched), then reports an error, if any, to `err` as
 * `kdump: ...`. Never throws for bad data.
 */
export function runKdumpStream(
  source: ByteSource,
  opts: KdumpOptions,
  out: (text: string) => void,
  err: (text: string) => void,
  follow?: FollowOptions,
): KdumpRunResult {
  const reader = new KtraceReader(source, follow);
  const fmt = new KdumpFormatter(opts);
  let pending = '';
  let records = 0;
  const flush = (): void => {
    if (pending) out(pending);
    pending = '';
  };
  // With -l, every record shows as soon as it is read (kdump fflush()es after each one).
  const flushEach = follow !== undefined;
  try {
    for (;;) {
      const offset = reader.offset;
      const rec = reader.next();
      if (!rec) break;
      records++;
      pending += fmt.format(rec, offset);
      if (flushEach || pending.length > 65536) flush();
    }
  } catch (e) {
    flush();
    const message = e instanceof KtraceFormatError ? e.message : e instanceof Error ? e.message : String(e);
    err(`kdump: ${message}\n`);
    return { status: 1, records, error: message };
  }
  flush();
  return { status: 0, records };
}
