// The shape of a syscall handler and the argument conversions handlers use. A handler returns the
// raw result (>= 0, or -errno), or BLOCK to sleep; it may also throw Errno(n) to fail with -n.
import type { Int64 } from './events.js';
import type { SyscallContext } from './context.js';
import type { Block } from './wait.js';

export type SyscallHandler = (ctx: SyscallContext, args: Int64[]) => Int64 | Block;

/** The low 32 bits as a signed int (an `int` argument). */
export function argInt(v: Int64): number {
  return typeof v === 'number' ? v | 0 : Number(BigInt.asIntN(32, v));
}

/** The low 32 bits as unsigned (an `unsigned int` argument). */
export function argUint(v: Int64): number {
  return argInt(v) >>> 0;
}

/** A size_t/long argument as a number; huge or negative values become Infinity / stay negative. */
export function argLong(v: Int64): number {
  if (typeof v === 'number') return v;
  return v > 0n ? Infinity : -Infinity;
}

/** A size_t argument: negative (huge unsigned) values become Infinity. */
export function argSize(v: Int64): number {
  const n = argLong(v);
  return n < 0 ? Infinity : n;
}

/** A pointer argument: user addresses are numbers; anything else is -1 (never valid). */
export function argPtr(v: Int64): number {
  return typeof v === 'number' ? v : -1;
}
