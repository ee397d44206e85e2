// Little-endian reads of x86_64 user memory through TraceTask's safe readers (which never throw):
// every reader returns undefined when the bytes are not readable, so a decoder can fall back to
// printing the address as strace does.
import type { Int64, TraceTask } from '../../kernel/events.js';

export function toBig(v: Int64): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

// An Int64 that is a number is an exact integer (|v| <= 2^53): the fast paths below answer without
// going through BigInt, which was a good part of strace's cost per call.

/** The unsigned 64-bit view of a register value. */
export function u64(v: Int64): bigint {
  if (typeof v === 'number' && v >= 0) return BigInt(v);
  return BigInt.asUintN(64, toBig(v));
}

/** The signed 64-bit view, as a number when exact. */
export function s64(v: Int64): Int64 {
  if (typeof v === 'number') return v;
  const b = BigInt.asIntN(64, v);
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** The low 32 bits, signed (an `int` argument). */
export function s32(v: Int64): number {
  // ToInt32 is the exact value modulo 2^32 for any integral number.
  if (typeof v === 'number') return v | 0;
  return Number(BigInt.asIntN(32, v));
}

/** The low 32 bits, unsigned. */
export function u32(v: Int64): number {
  if (typeof v === 'number') return v >>> 0;
  return Number(BigInt.asUintN(32, v));
}

export class UserView {
  constructor(
    readonly bytes: Uint8Array,
    readonly addr: bigint,
  ) {}

  private dv(): DataView {
    return new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }
  u8(off: number): number {
    return this.bytes[off]!;
  }
  u16(off: number): number {
    return this.dv().getUint16(off, true);
  }
  i32(off: number): number {
    return this.dv().getInt32(off, true);
  }
  u32(off: number): number {
    return this.dv().getUint32(off, true);
  }
  u64(off: number): bigint {
    return this.dv().getBigUint64(off, true);
  }
  i64(off: number): bigint {
    return this.dv().getBigInt64(off, true);
  }
  /** A NUL-terminated string inside a fixed field. */
  cstr(off: number, len: number): Uint8Array {
    const field = this.bytes.subarray(off, off + len);
    const nul = field.indexOf(0);
    return nul < 0 ? field : field.subarray(0, nul);
  }
}

/** Reads len bytes at addr; undefined for NULL or unreadable memory. */
export function readView(task: TraceTask, addr: Int64, len: number): UserView | undefined {
  const a = u64(addr);
  if (a === 0n) return undefined;
  const bytes = task.readUser(a <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(a) : a, len);
  return bytes ? new UserView(bytes, a) : undefined;
}

export function addrArg(v: Int64): Int64 {
  if (typeof v === 'number' && v >= 0) return v;
  const a = u64(v);
  return a <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(a) : a;
}
