// The helper functions generated code calls through `I` (docs/runtime-abi.md): the Int64
// operations, pointer checks, bit-field access, traps. The loader copies them into a per-image
// object with the image's function table in `fn`.
import * as I64 from './int64.js';
import { IllegalInstruction, type CFunction, type DirectFn } from './cpu.js';
import { MemoryFault, type Memory } from './memory.js';

/** A 64-bit pointer value as a memory address; a pointer outside the number range faults. */
export function ptr(p: I64.Int64): number {
  if (typeof p === 'number') return p;
  throw new MemoryFault(Number(BigInt.asIntN(64, p)), false, 'MAPERR');
}

/** Pointer + byte offset for 64-bit pointers, giving an address (number). */
export function padd(p: I64.Int64, off: number): number {
  if (typeof p === 'number') return p + off;
  return ptr(I64.add(p, off));
}

/** Reads a bit-field from a storage unit of `size` bytes (1, 2, 4 or 8). */
export function bfget(M: Memory, a: number, size: number, bitOff: number, width: number, signed: boolean): I64.Int64 {
  if (size <= 4) {
    const unit = size === 1 ? M.u8(a) : size === 2 ? M.u16(a) : M.u32(a);
    if (signed) return ((unit << (32 - bitOff - width)) >> (32 - width));
    return width === 32 ? unit >>> 0 : (unit >>> bitOff) & ((1 << width) - 1) >>> 0;
  }
  const unit = I64.toBigU(M.i64(a));
  const raw = (unit >> BigInt(bitOff)) & ((1n << BigInt(width)) - 1n);
  return I64.fromBig(signed ? BigInt.asIntN(width, raw) : raw);
}

/** Writes a bit-field; returns the stored value as read back (truncated to the field). */
export function bfset(M: Memory, a: number, size: number, bitOff: number, width: number, v: I64.Int64): void {
  if (size <= 4) {
    const unit = size === 1 ? M.u8(a) : size === 2 ? M.u16(a) : M.u32(a);
    const mask = width === 32 ? 0xffffffff : ((1 << width) - 1) << bitOff;
    const val = (I64.toI32(v) << bitOff) & mask;
    const next = ((unit & ~mask) | val) >>> 0;
    if (size === 1) M.w8(a, next);
    else if (size === 2) M.w16(a, next);
    else M.w32(a, next);
    return;
  }
  const unit = I64.toBigU(M.i64(a));
  const mask = ((1n << BigInt(width)) - 1n) << BigInt(bitOff);
  const next = (unit & ~mask) | ((I64.toBigU(v) << BigInt(bitOff)) & mask);
  M.w64(a, I64.fromBig(next));
}

/** __builtin_trap and __builtin_unreachable: ud2. */
export function trap(what: string): never {
  throw new IllegalInstruction(`${what}: illegal instruction`);
}

/** Stack-allocated bytes below the frame (alloca), 16-byte aligned. */
export function alloca(P: { sp: number; stackLimit: number }, n: I64.Int64): number {
  const size = typeof n === 'number' ? n : Number(n);
  const sp = Math.floor((P.sp - size) / 16) * 16;
  if (!(sp >= P.stackLimit)) throw new MemoryFault(sp, true, 'MAPERR');
  P.sp = sp;
  return sp;
}

const bytesCache = new Map<string, Uint8Array>();

/** Initializer bytes embedded in generated code as base64 (decoded once). */
export function bytes(b64: string): Uint8Array {
  let b = bytesCache.get(b64);
  if (!b) {
    const s = atob(b64);
    b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    bytesCache.set(b64, b);
  }
  return b;
}

/** A step function entered at a pc it does not have: a corrupted frame. */
export function badpc(_P: unknown, F: { fn: { name: string } }, pc: number): never {
  throw new IllegalInstruction(`bad pc ${pc} in ${F.fn.name}`);
}

export const helpers = { ...I64, ptr, padd, bfget, bfset, trap, alloca, bytes, badpc };

/** The per-image `I` object: helpers plus the image's function table and its direct forms. */
export type ImageHelpers = typeof helpers & { fn: CFunction[]; df: (DirectFn | undefined)[] };

export function imageHelpers(): ImageHelpers {
  return { ...helpers, fn: [], df: [] };
}
