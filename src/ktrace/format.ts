// The ktrace(2) trace file: FreeBSD's `struct ktr_header` (version 1, LP64 little endian, and
// read support for the 56-byte version 0 header) and every record payload laid out as
// sys/sys/ktrace.h lays it out, with an encoder (used by the recorder) and a decoder (used by kdump).
//
// Custom syscall names. A trace written by ksim carries the name of every syscall number it uses in
// a record of type KTR_KSIM_NAME (31), so ksim's kdump prints `stephen` for a custom syscall on any
// machine, without the machine's table. Why 31: real FreeBSD kdump skips a record when
// `(trpoints & (1 << type)) == 0` before it prints anything; trpoints only ever holds the bits of the
// types 1..15 (ALL_POINTS by default, or the -t letters), and types 16..31 are unassigned, so a
// real kdump reads the record's length, skips its payload and prints nothing, with any -t. Type 31
// is the unassigned type farthest from FreeBSD's next allocation (16). A KTR_USER record with a
// magic prefix was rejected: real kdump prints USER records (`USER  17  6b 73 ...`).
// Payload of KTR_KSIM_NAME: "ksim" (4 bytes), uint16 version (1), uint16 kind (1 = syscall name),
// int32 syscall number, then the name's bytes (no NUL).
import type { Int64 } from '../kernel/events.js';

export const KTR_SYSCALL = 1;
export const KTR_SYSRET = 2;
export const KTR_NAMEI = 3;
export const KTR_GENIO = 4;
export const KTR_PSIG = 5;
export const KTR_CSW = 6;
export const KTR_USER = 7;
export const KTR_STRUCT = 8;
export const KTR_SYSCTL = 9;
export const KTR_PROCCTOR = 10;
export const KTR_PROCDTOR = 11;
export const KTR_CAPFAIL = 12;
export const KTR_FAULT = 13;
export const KTR_FAULTEND = 14;
export const KTR_STRUCT_ARRAY = 15;
/** ksim's syscall-name record; see the comment at the top of this file. */
export const KTR_KSIM_NAME = 31;

/** Set in the type of a record written after records were lost. */
export const KTR_DROP = 0x8000;
/** Set in the type when the header carries a version (always, since version 1). */
export const KTR_VERSIONED = 0x4000;
export const KTR_VERSION0 = 0;
export const KTR_VERSION1 = 1;

export const KTR_HEADER_SIZE = 64;
export const KTR_HEADER_V0_SIZE = 56;
/** MAXCOMLEN: the command name holds at most 19 bytes plus a NUL. */
export const MAXCOMLEN = 19;
/** GENIO data is capped at a page (ktr_geniosize). */
export const KTR_GENIO_MAX = 4096;
/** utrace(2) refuses more than KTR_USER_MAXLEN bytes. */
export const KTR_USER_MAXLEN = 2048;
/** MAXPATHLEN: the size of ktr_cap_fail's path member. */
export const MAXPATHLEN = 1024;

// Payload sizes (LP64).
export const KTR_SYSCALL_ARGS_OFFSET = 8;
export const KTR_SYSRET_SIZE = 16;
export const KTR_GENIO_SIZE = 8;
export const KTR_PSIG_SIZE = 40;
export const KTR_CSW_SIZE = 16;
export const KTR_CSW_OLD_SIZE = 8;
export const KTR_PROC_CTOR_SIZE = 4;
/** struct ktr_cap_fail since FreeBSD 14: type, code, sv_flags, then a 1024-byte union. */
export const KTR_CAP_FAIL_SIZE = 16 + MAXPATHLEN;
/** struct ktr_cap_fail before FreeBSD 14: type, cap_needed, cap_held. */
export const KTR_CAP_FAIL_OLD_SIZE = 40;
export const KTR_FAULT_SIZE = 16;
export const KTR_FAULTEND_SIZE = 4;
export const KTR_STRUCT_ARRAY_SIZE = 8;
export const KSIM_NAME_MAGIC = 'ksim';

/** Facility bits: KTRFAC_X = 1 << KTR_X. */
export const ktrfac = (type: number): number => 1 << type;
/** ktrace's default trace points (usr.bin/ktrace/ktrace.h DEF_POINTS). */
export const DEF_POINTS =
  ktrfac(KTR_SYSCALL) | ktrfac(KTR_SYSRET) | ktrfac(KTR_NAMEI) | ktrfac(KTR_GENIO) | ktrfac(KTR_PSIG) |
  ktrfac(KTR_USER) | ktrfac(KTR_STRUCT) | ktrfac(KTR_SYSCTL) | ktrfac(KTR_CAPFAIL) | ktrfac(KTR_STRUCT_ARRAY);
/** Every point kdump shows by default (ALL_POINTS). */
export const ALL_POINTS = DEF_POINTS | ktrfac(KTR_CSW) | ktrfac(KTR_FAULT) | ktrfac(KTR_FAULTEND);
/** PROCCTOR/PROCDTOR are always written for traced processes. */
export const PROC_ABI_POINTS = ktrfac(KTR_PROCCTOR) | ktrfac(KTR_PROCDTOR);

/** getpoints(): the -t letters of ktrace(1) and kdump(1); -1 for an unknown letter. */
export function parseTracePoints(trstr: string): number {
  let facs = 0;
  for (const ch of trstr) {
    switch (ch) {
      case 'c': facs |= ktrfac(KTR_SYSCALL) | ktrfac(KTR_SYSRET); break;
      case 'i': facs |= ktrfac(KTR_GENIO); break;
      case 'f': facs |= ktrfac(KTR_FAULT) | ktrfac(KTR_FAULTEND); break;
      case 'n': facs |= ktrfac(KTR_NAMEI); break;
      case 'p': facs |= ktrfac(KTR_CAPFAIL); break;
      case 's': facs |= ktrfac(KTR_PSIG); break;
      case 't': facs |= ktrfac(KTR_STRUCT) | ktrfac(KTR_STRUCT_ARRAY); break;
      case 'u': facs |= ktrfac(KTR_USER); break;
      case 'w': facs |= ktrfac(KTR_CSW); break;
      case 'y': facs |= ktrfac(KTR_SYSCTL); break;
      case '+': facs |= DEF_POINTS; break;
      default: return -1;
    }
  }
  return facs;
}

// sv_flags bits that kdump reads from PROCCTOR (sys/sys/sysent.h).
export const SV_ILP32 = 0x000100;
export const SV_LP64 = 0x000200;
export const SV_IA32 = 0x004000;
export const SV_ABI_MASK = 0xff;
export const SV_ABI_LINUX = 3;
export const SV_ABI_FREEBSD = 9;
export const SV_ABI_CLOUDABI = 17;

/** Capability-failure kinds (enum ktr_cap_violation, FreeBSD 14). */
export const CAPFAIL_NOTCAPABLE = 0;
export const CAPFAIL_INCREASE = 1;
export const CAPFAIL_SYSCALL = 2;
export const CAPFAIL_SIGNAL = 3;
export const CAPFAIL_PROTO = 4;
export const CAPFAIL_SOCKADDR = 5;
export const CAPFAIL_NAMEI = 6;
export const CAPFAIL_CPUSET = 7;

/** A decoded header. `type` has KTR_DROP and KTR_VERSIONED removed. */
export interface KtrHeader {
  type: number;
  drop: boolean;
  version: number;
  /** Payload length in bytes. */
  len: number;
  pid: number;
  /** The command name as raw bytes up to the NUL (at most 19). */
  comm: string;
  sec: number;
  nsec: number;
  /** Thread id (version 0 files may hold a kernel pointer here; kdump prints <= 0 as 0). */
  tid: number;
  cpu: number;
  /** Size of the header on disk: 64, or 56 for version 0. */
  headerSize: number;
}

export type KtrBody =
  | { kind: 'syscall'; code: number; args: Int64[] }
  | { kind: 'sysret'; code: number; eosys: number; error: number; retval: Int64 }
  | { kind: 'namei'; path: Uint8Array }
  | { kind: 'genio'; fd: number; rw: number; data: Uint8Array }
  /** mask: sigset_t as four 32-bit words. */
  | { kind: 'psig'; signo: number; action: Int64; code: number; mask: [number, number, number, number] }
  /** wmesg is undefined for the old 8-byte struct ktr_csw_old. */
  | { kind: 'csw'; out: number; user: number; wmesg: Uint8Array | undefined }
  | { kind: 'user'; data: Uint8Array }
  /** The raw payload: NUL-terminated struct name, then the struct's bytes. */
  | { kind: 'struct'; raw: Uint8Array }
  | { kind: 'sysctl'; name: Uint8Array }
  | { kind: 'procctor'; svFlags: number }
  | { kind: 'procdtor' }
  /** data: the 1024-byte union ktr_cap_data (cap_rights_t[2] / int / sockaddr / path). */
  | { kind: 'capfail'; capType: number; code: number; svFlags: number; data: Uint8Array }
  /** Pre-FreeBSD-14 layout: only rights. */
  | { kind: 'capfail_old'; capType: number; needed: Uint8Array; held: Uint8Array }
  | { kind: 'fault'; vaddr: Int64; type: number }
  | { kind: 'faultend'; result: number }
  | { kind: 'struct_array'; structSize: number; raw: Uint8Array }
  | { kind: 'ksim_name'; nr: number; name: string }
  | { kind: 'unknown'; raw: Uint8Array };

export interface KtrRecord {
  header: KtrHeader;
  body: KtrBody;
}

/** A malformed trace file; `offset` is the file offset of the offending record. */
export class KtraceFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'KtraceFormatError';
  }
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8');

/** Bytes as text for printing (UTF-8, invalid sequences replaced). */
export function bytesToText(bytes: Uint8Array): string {
  // Fast path for ASCII, by far the common case.
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) { ascii = false; break; }
  }
  if (!ascii) return textDecoder.decode(bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(bytes.length, i + 4096)) as unknown as number[]);
  }
  return s;
}

export function textToBytes(s: string): Uint8Array {
  return textEncoder.encode(s);
}

// ---------------------------------------------------------------------------------------------
// 64-bit helpers: numbers when exact, bigint otherwise (Int64, signed view).

const TWO32 = 4294967296;

export function readInt64(dv: DataView, off: number): Int64 {
  const lo = dv.getUint32(off, true);
  const hi = dv.getInt32(off + 4, true);
  if (hi >= -0x200000 && hi < 0x200000) return hi * TWO32 + lo;
  return dv.getBigInt64(off, true);
}

export function writeInt64(dv: DataView, off: number, v: Int64): void {
  if (typeof v === 'bigint') {
    dv.setBigInt64(off, BigInt.asIntN(64, v), true);
    return;
  }
  if (!Number.isSafeInteger(v)) {
    dv.setBigInt64(off, BigInt.asIntN(64, BigInt(Math.trunc(v))), true);
    return;
  }
  const hi = Math.floor(v / TWO32);
  dv.setUint32(off, v - hi * TWO32, true);
  dv.setInt32(off + 4, hi, true);
}

/** The unsigned 64-bit value of an Int64, as a bigint when it is not exact as a number. */
export function toUint64(v: Int64): number | bigint {
  if (typeof v === 'bigint') return BigInt.asUintN(64, v);
  if (v >= 0) return v;
  return BigInt.asUintN(64, BigInt(v));
}

// ---------------------------------------------------------------------------------------------
// Header.

export interface KtrHeaderInit {
  pid: number;
  tid: number;
  comm: string;
  sec: number;
  nsec: number;
  cpu?: number;
  drop?: boolean;
  /** 1 (default) or 0 for the old 56-byte header (tests and compatibility). */
  version?: number;
}

/** The command names of recent headers, encoded once (a trace has few). */
const commBytes = new Map<string, Uint8Array>();

function encodedComm(comm: string): Uint8Array {
  let b = commBytes.get(comm);
  if (!b) {
    if (commBytes.size >= 256) commBytes.clear();
    b = textEncoder.encode(comm).subarray(0, MAXCOMLEN);
    commBytes.set(comm, b);
  }
  return b;
}

/** Writes a header at `o`; the bytes from o to o + the header's size must be zero. */
function writeHeader(dv: DataView, bytes: Uint8Array, o: number, h: KtrHeaderInit, type: number, len: number): number {
  const version = h.version ?? KTR_VERSION1;
  dv.setInt32(o, len, true);
  let t = type;
  if (h.drop) t |= KTR_DROP;
  if (version !== KTR_VERSION0) t |= KTR_VERSIONED;
  dv.setUint16(o + 4, t, true);
  dv.setInt16(o + 6, version === KTR_VERSION0 ? 0 : version, true);
  dv.setInt32(o + 8, h.pid, true);
  bytes.set(encodedComm(h.comm), o + 12);
  writeInt64(dv, o + 32, h.sec);
  if (version === KTR_VERSION0) {
    writeInt64(dv, o + 40, Math.floor(h.nsec / 1000));
    writeInt64(dv, o + 48, h.tid);
    return KTR_HEADER_V0_SIZE;
  }
  writeInt64(dv, o + 40, h.nsec);
  writeInt64(dv, o + 48, h.tid);
  dv.setInt32(o + 56, h.cpu ?? 0, true);
  return KTR_HEADER_SIZE;
}

/**
 * Reads a header at `off`. Needs KTR_HEADER_SIZE bytes available unless the header is version 0
 * (then 56 are enough; the caller checks `headerSize`). Returns null for fewer than 8 bytes.
 */
export function decodeHeader(dv: DataView, off: number): KtrHeader {
  const len = dv.getInt32(off, true);
  const rawType = dv.getUint16(off + 4, true);
  const versioned = (rawType & KTR_VERSIONED) !== 0;
  const version = versioned ? dv.getInt16(off + 6, true) : KTR_VERSION0;
  const pid = dv.getInt32(off + 8, true);
  let end = off + 12;
  const commEnd = off + 12 + MAXCOMLEN;
  let ascii = true;
  while (end < commEnd && dv.getUint8(end) !== 0) {
    if (dv.getUint8(end) >= 0x80) ascii = false;
    end++;
  }
  let comm = '';
  if (ascii) {
    for (let i = off + 12; i < end; i++) comm += String.fromCharCode(dv.getUint8(i));
  } else {
    comm = textDecoder.decode(new Uint8Array(dv.buffer, dv.byteOffset + off + 12, end - off - 12));
  }
  const sec = Number(readInt64(dv, off + 32));
  const frac = Number(readInt64(dv, off + 40));
  const tid = Number(readInt64(dv, off + 48));
  if (version === KTR_VERSION0) {
    return {
      type: rawType & ~(KTR_DROP | KTR_VERSIONED), drop: (rawType & KTR_DROP) !== 0, version, len, pid,
      comm, sec, nsec: frac * 1000, tid, cpu: 0, headerSize: KTR_HEADER_V0_SIZE,
    };
  }
  return {
    type: rawType & ~(KTR_DROP | KTR_VERSIONED), drop: (rawType & KTR_DROP) !== 0, version, len, pid,
    comm, sec, nsec: frac, tid, cpu: dv.getInt32(off + 56, true), headerSize: KTR_HEADER_SIZE,
  };
}

// ---------------------------------------------------------------------------------------------
// Payloads.

function payloadType(body: KtrBody): number {
  switch (body.kind) {
    case 'syscall': return KTR_SYSCALL;
    case 'sysret': return KTR_SYSRET;
    case 'namei': return KTR_NAMEI;
    case 'genio': return KTR_GENIO;
    case 'psig': return KTR_PSIG;
    case 'csw': return KTR_CSW;
    case 'user': return KTR_USER;
    case 'struct': return KTR_STRUCT;
    case 'sysctl': return KTR_SYSCTL;
    case 'procctor': return KTR_PROCCTOR;
    case 'procdtor': return KTR_PROCDTOR;
    case 'capfail': return KTR_CAPFAIL;
    case 'capfail_old': return KTR_CAPFAIL;
    case 'fault': return KTR_FAULT;
    case 'faultend': return KTR_FAULTEND;
    case 'struct_array': return KTR_STRUCT_ARRAY;
    case 'ksim_name': return KTR_KSIM_NAME;
    case 'unknown': return -1;
  }
}

function payloadSize(body: KtrBody): number {
  switch (body.kind) {
    case 'syscall': return KTR_SYSCALL_ARGS_OFFSET + 8 * body.args.length;
    case 'sysret': return KTR_SYSRET_SIZE;
    case 'namei': return body.path.length;
    case 'genio': return KTR_GENIO_SIZE + Math.min(body.data.length, KTR_GENIO_MAX);
    case 'psig': return KTR_PSIG_SIZE;
    case 'csw': return body.wmesg ? KTR_CSW_SIZE : KTR_CSW_OLD_SIZE;
    case 'user': return Math.min(body.data.length, KTR_USER_MAXLEN);
    case 'struct': return body.raw.length;
    case 'sysctl': return body.name.length;
    case 'procctor': return KTR_PROC_CTOR_SIZE;
    case 'procdtor': return 0;
    case 'capfail': return KTR_CAP_FAIL_SIZE;
    case 'capfail_old': return KTR_CAP_FAIL_OLD_SIZE;
    case 'fault': return KTR_FAULT_SIZE;
    case 'faultend': return KTR_FAULTEND_SIZE;
    case 'struct_array': return KTR_STRUCT_ARRAY_SIZE + body.raw.length;
    case 'ksim_name': return 12 + textEncoder.encode(body.name).length;
    case 'unknown': return body.raw.length;
  }
}

/**
 * Encodes one record (header + payload) as one buffer, so that it can be written with a single
 * write. `type` overrides the record type (needed only for `unknown` bodies).
 */
export function encodeRecord(h: KtrHeaderInit, body: KtrBody, type?: number): Uint8Array {
  const bytes = new Uint8Array(encodedSize(h, body));
  encodeRecordAt(new DataView(bytes.buffer), bytes, 0, h, body, type);
  return bytes;
}

/** The size of a record (header + payload) as encodeRecord writes it. */
export function encodedSize(h: KtrHeaderInit, body: KtrBody): number {
  return ((h.version ?? KTR_VERSION1) === KTR_VERSION0 ? KTR_HEADER_V0_SIZE : KTR_HEADER_SIZE) + payloadSize(body);
}

/**
 * Encodes one record at offset `o` of a zeroed region of `bytes` (`dv` views the same bytes, at the
 * same offsets), as encodeRecord does, for writers that put many records in one buffer. Returns the
 * record's size.
 */
export function encodeRecordAt(dv: DataView, bytes: Uint8Array, o: number, h: KtrHeaderInit, body: KtrBody, type?: number): number {
  const recType = type ?? payloadType(body);
  if (recType < 0) throw new RangeError('encodeRecord: an unknown body needs an explicit type');
  const size = payloadSize(body);
  const p = o + writeHeader(dv, bytes, o, h, recType, size);
  switch (body.kind) {
    case 'syscall':
      dv.setInt16(p, body.code, true);
      dv.setInt16(p + 2, body.args.length, true);
      for (let i = 0; i < body.args.length; i++) writeInt64(dv, p + 8 + 8 * i, body.args[i]!);
      break;
    case 'sysret':
      dv.setInt16(p, body.code, true);
      dv.setInt16(p + 2, body.eosys, true);
      dv.setInt32(p + 4, body.error, true);
      writeInt64(dv, p + 8, body.retval);
      break;
    case 'namei':
      bytes.set(body.path, p);
      break;
    case 'genio':
      dv.setInt32(p, body.fd, true);
      dv.setInt32(p + 4, body.rw, true);
      bytes.set(body.data.subarray(0, KTR_GENIO_MAX), p + 8);
      break;
    case 'psig':
      dv.setInt32(p, body.signo, true);
      writeInt64(dv, p + 8, body.action);
      dv.setInt32(p + 16, body.code, true);
      for (let i = 0; i < 4; i++) dv.setUint32(p + 20 + 4 * i, body.mask[i]! >>> 0, true);
      break;
    case 'csw':
      dv.setInt32(p, body.out, true);
      dv.setInt32(p + 4, body.user, true);
      if (body.wmesg) bytes.set(body.wmesg.subarray(0, 7), p + 8);
      break;
    case 'user':
      bytes.set(body.data.subarray(0, KTR_USER_MAXLEN), p);
      break;
    case 'struct':
      bytes.set(body.raw, p);
      break;
    case 'sysctl':
      bytes.set(body.name, p);
      break;
    case 'procctor':
      dv.setUint32(p, body.svFlags >>> 0, true);
      break;
    case 'procdtor':
      break;
    case 'capfail':
      dv.setUint32(p, body.capType >>> 0, true);
      dv.setInt16(p + 4, body.code, true);
      dv.setUint32(p + 8, body.svFlags >>> 0, true);
      bytes.set(body.data.subarray(0, MAXPATHLEN), p + 16);
      break;
    case 'capfail_old':
      dv.setUint32(p, body.capType >>> 0, true);
      bytes.set(body.needed.subarray(0, 16), p + 8);
      bytes.set(body.held.subarray(0, 16), p + 24);
      break;
    case 'fault':
      writeInt64(dv, p, body.vaddr);
      dv.setInt32(p + 8, body.type, true);
      break;
    case 'faultend':
      dv.setInt32(p, body.result, true);
      break;
    case 'struct_array':
      writeInt64(dv, p, body.structSize);
      bytes.set(body.raw, p + 8);
      break;
    case 'ksim_name': {
      bytes.set(textEncoder.encode(KSIM_NAME_MAGIC), p);
      dv.setUint16(p + 4, 1, true);
      dv.setUint16(p + 6, 1, true);
      dv.setInt32(p + 8, body.nr, true);
      bytes.set(textEncoder.encode(body.name), p + 12);
      break;
    }
    case 'unknown':
      bytes.set(body.raw, p);
      break;
  }
  return p - o + size;
}

function tooShort(what: string, need: number, got: number, offset: number): KtraceFormatError {
  return new KtraceFormatError(`${what} record at offset ${offset} is ${got} bytes, needs ${need}`, offset);
}

/**
 * Decodes a payload of `h.len` bytes at `off` in `bytes`. Throws KtraceFormatError when the length
 * cannot hold the record's structure. `fileOffset` is only used in error messages; `reuse` is a
 * DataView over `bytes` to reuse.
 */
export function decodeBody(h: KtrHeader, bytes: Uint8Array, off: number, fileOffset: number, reuse?: DataView): KtrBody {
  const len = h.len;
  const dv = reuse ?? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const view = (start: number, end: number): Uint8Array => bytes.subarray(off + start, off + end);
  switch (h.type) {
    case KTR_SYSCALL: {
      if (len < KTR_SYSCALL_ARGS_OFFSET) throw tooShort('SYSCALL', KTR_SYSCALL_ARGS_OFFSET, len, fileOffset);
      const narg = dv.getInt16(off + 2, true);
      const need = KTR_SYSCALL_ARGS_OFFSET + 8 * Math.max(narg, 0);
      if (narg < 0 || len < need) {
        throw new KtraceFormatError(`SYSCALL record at offset ${fileOffset} claims ${narg} arguments in ${len} bytes`, fileOffset);
      }
      const args: Int64[] = new Array(narg);
      for (let i = 0; i < narg; i++) args[i] = readInt64(dv, off + 8 + 8 * i);
      return { kind: 'syscall', code: dv.getInt16(off, true), args };
    }
    case KTR_SYSRET:
      if (len < KTR_SYSRET_SIZE) throw tooShort('SYSRET', KTR_SYSRET_SIZE, len, fileOffset);
      return {
        kind: 'sysret', code: dv.getInt16(off, true), eosys: dv.getInt16(off + 2, true),
        error: dv.getInt32(off + 4, true), retval: readInt64(dv, off + 8),
      };
    case KTR_NAMEI:
      return { kind: 'namei', path: view(0, len) };
    case KTR_GENIO:
      if (len < KTR_GENIO_SIZE) throw tooShort('GENIO', KTR_GENIO_SIZE, len, fileOffset);
      return { kind: 'genio', fd: dv.getInt32(off, true), rw: dv.getInt32(off + 4, true), data: view(8, len) };
    case KTR_PSIG:
      if (len < KTR_PSIG_SIZE) throw tooShort('PSIG', KTR_PSIG_SIZE, len, fileOffset);
      return {
        kind: 'psig', signo: dv.getInt32(off, true), action: readInt64(dv, off + 8), code: dv.getInt32(off + 16, true),
        mask: [dv.getUint32(off + 20, true), dv.getUint32(off + 24, true), dv.getUint32(off + 28, true), dv.getUint32(off + 32, true)],
      };
    case KTR_CSW:
      if (len === KTR_CSW_OLD_SIZE) {
        return { kind: 'csw', out: dv.getInt32(off, true), user: dv.getInt32(off + 4, true), wmesg: undefined };
      }
      if (len < KTR_CSW_SIZE) throw tooShort('CSW', KTR_CSW_SIZE, len, fileOffset);
      return { kind: 'csw', out: dv.getInt32(off, true), user: dv.getInt32(off + 4, true), wmesg: view(8, 16) };
    case KTR_USER:
      return { kind: 'user', data: view(0, len) };
    case KTR_STRUCT:
      return { kind: 'struct', raw: view(0, len) };
    case KTR_SYSCTL:
      return { kind: 'sysctl', name: view(0, len) };
    case KTR_PROCCTOR:
      if (len < KTR_PROC_CTOR_SIZE) throw tooShort('PROCCTOR', KTR_PROC_CTOR_SIZE, len, fileOffset);
      return { kind: 'procctor', svFlags: dv.getUint32(off, true) };
    case KTR_PROCDTOR:
      return { kind: 'procdtor' };
    case KTR_CAPFAIL:
      if (len === KTR_CAP_FAIL_OLD_SIZE) {
        return { kind: 'capfail_old', capType: dv.getUint32(off, true), needed: view(8, 24), held: view(24, 40) };
      }
      if (len < KTR_CAP_FAIL_SIZE) throw tooShort('CAPFAIL', KTR_CAP_FAIL_SIZE, len, fileOffset);
      return {
        kind: 'capfail', capType: dv.getUint32(off, true), code: dv.getInt16(off + 4, true),
        svFlags: dv.getUint32(off + 8, true), data: view(16, 16 + MAXPATHLEN),
      };
    case KTR_FAULT:
      if (len < KTR_FAULT_SIZE) throw tooShort('FAULT', KTR_FAULT_SIZE, len, fileOffset);
      return { kind: 'fault', vaddr: readInt64(dv, off), type: dv.getInt32(off + 8, true) };
    case KTR_FAULTEND:
      if (len < KTR_FAULTEND_SIZE) throw tooShort('FAULTEND', KTR_FAULTEND_SIZE, len, fileOffset);
      return { kind: 'faultend', result: dv.getInt32(off, true) };
    case KTR_STRUCT_ARRAY:
      if (len < KTR_STRUCT_ARRAY_SIZE) throw tooShort('STRUCT_ARRAY', KTR_STRUCT_ARRAY_SIZE, len, fileOffset);
      return { kind: 'struct_array', structSize: Number(readInt64(dv, off)), raw: view(8, len) };
    case KTR_KSIM_NAME: {
      // Anything else under this type (another program's use of 31) is treated as unknown.
      if (len >= 12 && bytesToText(view(0, 4)) === KSIM_NAME_MAGIC && dv.getUint16(off + 6, true) === 1) {
        return { kind: 'ksim_name', nr: dv.getInt32(off + 8, true), name: bytesToText(view(12, len)) };
      }
      return { kind: 'unknown', raw: view(0, len) };
    }
    default:
      return { kind: 'unknown', raw: view(0, len) };
  }
}

/** Decodes a whole in-memory trace (tests, small files). Throws KtraceFormatError on a bad tail. */
export function decodeAll(bytes: Uint8Array): KtrRecord[] {
  const out: KtrRecord[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 0;
  while (off < bytes.length) {
    if (bytes.length - off < KTR_HEADER_V0_SIZE) {
      throw new KtraceFormatError(`truncated record header at offset ${off}`, off);
    }
    const versioned = (dv.getUint16(off + 4, true) & KTR_VERSIONED) !== 0;
    if (versioned && bytes.length - off < KTR_HEADER_SIZE) {
      throw new KtraceFormatError(`truncated record header at offset ${off}`, off);
    }
    const header = decodeHeader(dv, off);
    if (header.len < 0) throw new KtraceFormatError(`bogus length 0x${(header.len >>> 0).toString(16)}`, off);
    const p = off + header.headerSize;
    if (bytes.length - p < header.len) throw new KtraceFormatError(`data too short at offset ${off}`, off);
    out.push({ header, body: decodeBody(header, bytes, p, off) });
    off = p + header.len;
  }
  return out;
}
