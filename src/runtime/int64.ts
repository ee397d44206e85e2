// 64-bit integer arithmetic for compiled C (see docs/runtime-abi.md, "Values"). An Int64 is the
// signed two's complement view of a 64-bit value, held canonically: a JS number when
// |v| <= 2^53 - 1, otherwise a bigint. Unsigned 64-bit types use the same representation (so
// (unsigned long)-1 is the number -1); only division, remainder, right shift, comparison and
// conversion to double differ, and they have their own u* functions here.
//
// Every operation has a fast path on numbers that is taken when the exact result is known to be
// safe, and an exact BigInt path otherwise. Canonical form makes equality plain `===`.

export type Int64 = number | bigint;

const MAX_SAFE = Number.MAX_SAFE_INTEGER; // 2^53 - 1
const TWO32 = 4294967296;
const B64 = 1n << 64n;

/** Thrown by integer division or remainder by zero (and INT_MIN / -1); the runtime raises SIGFPE. */
export class DivideError extends Error {
  constructor(message = 'integer divide by zero') {
    super(message);
    this.name = 'DivideError';
  }
}

/** Brings any bigint into canonical Int64 form, wrapping to 64 bits. */
export function fromBig(b: bigint): Int64 {
  const w = BigInt.asIntN(64, b);
  if (w >= -9007199254740991n && w <= 9007199254740991n) return Number(w);
  return w;
}

/** The value as a bigint (signed view). */
export function toBig(a: Int64): bigint {
  return typeof a === 'bigint' ? a : BigInt(a);
}

/** The value as an unsigned bigint in [0, 2^64). */
export function toBigU(a: Int64): bigint {
  return BigInt.asUintN(64, typeof a === 'bigint' ? a : BigInt(a));
}

/** Canonical Int64 from a JS integer-valued number of any magnitude (wrapped to 64 bits). */
export function fromInteger(n: number): Int64 {
  if (n <= MAX_SAFE && n >= -MAX_SAFE) return n;
  return fromBig(BigInt(n));
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

export function add(a: Int64, b: Int64): Int64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r <= MAX_SAFE && r >= -MAX_SAFE) return r;
  }
  return fromBig(toBig(a) + toBig(b));
}

export function sub(a: Int64, b: Int64): Int64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (r <= MAX_SAFE && r >= -MAX_SAFE) return r;
  }
  return fromBig(toBig(a) - toBig(b));
}

export function mul(a: Int64, b: Int64): Int64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (r <= MAX_SAFE && r >= -MAX_SAFE) return r === 0 ? 0 : r;
  }
  return fromBig(toBig(a) * toBig(b));
}

export function neg(a: Int64): Int64 {
  if (typeof a === 'number') return a === 0 ? 0 : -a;
  return fromBig(-a);
}

const INT64_MIN = -(2n ** 63n);

/** Signed division truncating toward zero. Zero divisors and -2^63 / -1 trap, as idiv does. */
export function sdiv(a: Int64, b: Int64): Int64 {
  if (b === 0) throw new DivideError();
  if (typeof a === 'number' && typeof b === 'number') {
    const r = Math.trunc(a / b);
    return r === 0 ? 0 : r;
  }
  if (a === INT64_MIN && b === -1) throw new DivideError();
  return fromBig(toBig(a) / toBig(b));
}

/** Signed remainder, with the sign of the dividend as C specifies. */
export function srem(a: Int64, b: Int64): Int64 {
  if (b === 0) throw new DivideError();
  if (a === INT64_MIN && b === -1) throw new DivideError();
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a % b;
    return r === 0 ? 0 : r;
  }
  return fromBig(toBig(a) % toBig(b));
}

export function udiv(a: Int64, b: Int64): Int64 {
  if (b === 0) throw new DivideError();
  if (typeof a === 'number' && typeof b === 'number' && a >= 0 && b > 0) return Math.floor(a / b);
  return fromBig(toBigU(a) / toBigU(b));
}

export function urem(a: Int64, b: Int64): Int64 {
  if (b === 0) throw new DivideError();
  if (typeof a === 'number' && typeof b === 'number' && a >= 0 && b > 0) return a % b;
  return fromBig(toBigU(a) % toBigU(b));
}

// ---------------------------------------------------------------------------------------------
// Bitwise operations. Numbers are split into a signed high word and an unsigned low word.

function hiWord(a: number): number {
  return Math.floor(a / TWO32) | 0;
}

function combine(hi: number, lo: number): Int64 {
  // hi is an int32, lo a uint32; the sum is exact when hi fits 21 bits signed.
  if (hi >= -0x200000 && hi < 0x200000) {
    const r = hi * TWO32 + lo;
    if (r >= -MAX_SAFE) return r;
  }
  return fromBig((BigInt(hi) << 32n) | BigInt(lo));
}

export function and(a: Int64, b: Int64): Int64 {
  if (typeof a === 'number' && typeof b === 'number') {
    if ((a | 0) === a && (b | 0) === b) return a & b;
    return combine(hiWord(a) & hiWord(b), (a & b) >>> 0);
  }
  return fromBig(toBig(a) & toBig(b));
}

export function or(a: Int64, b: Int64): Int64 {
  if (typeof a === 'number' && typeof b === 'number') {
    if ((a | 0) === a && (b | 0) === b) return a | b;
    return combine(hiWord(a) | hiWord(b), (a | b) >>> 0);
  }
  return fromBig(toBig(a) | toBig(b));
}

export function xor(a: Int64, b: Int64): Int64 {
  if (typeof a === 'number' && typeof b === 'number') {
    if ((a | 0) === a && (b | 0) === b) return a ^ b;
    return combine(hiWord(a) ^ hiWord(b), (a ^ b) >>> 0);
  }
  return fromBig(toBig(a) ^ toBig(b));
}

export function not(a: Int64): Int64 {
  if (typeof a === 'number' && a < MAX_SAFE) return -a - 1;
  return fromBig(~toBig(a));
}

/** Shift left by n & 63 (x86 masks the count). */
export function shl(a: Int64, n: number): Int64 {
  n &= 63;
  if (typeof a === 'number') {
    if (n === 0) return a;
    const r = a * 2 ** n;
    if (r <= MAX_SAFE && r >= -MAX_SAFE) return r === 0 ? 0 : r;
  }
  return fromBig(toBig(a) << BigInt(n));
}

/** Arithmetic (signed) shift right by n & 63. */
export function sar(a: Int64, n: number): Int64 {
  n &= 63;
  if (typeof a === 'number') return n === 0 ? a : Math.floor(a / 2 ** n);
  return fromBig(a >> BigInt(n));
}

/** Logical (unsigned) shift right by n & 63. */
export function shr(a: Int64, n: number): Int64 {
  n &= 63;
  if (typeof a === 'number' && a >= 0) return n === 0 ? a : Math.floor(a / 2 ** n);
  if (n === 0) return a;
  return fromBig(toBigU(a) >> BigInt(n));
}

// ---------------------------------------------------------------------------------------------
// Comparisons. Signed ones are the JS operators (they compare number with bigint exactly);
// unsigned ones flip the order when the signs differ.

export function eq(a: Int64, b: Int64): boolean {
  return a === b;
}
export function slt(a: Int64, b: Int64): boolean {
  return a < b;
}
export function sle(a: Int64, b: Int64): boolean {
  return a <= b;
}
export function ult(a: Int64, b: Int64): boolean {
  return a < 0 === b < 0 ? a < b : b < 0;
}
export function ule(a: Int64, b: Int64): boolean {
  return a < 0 === b < 0 ? a <= b : b < 0;
}
export function ugt(a: Int64, b: Int64): boolean {
  return ult(b, a);
}
export function uge(a: Int64, b: Int64): boolean {
  return ule(b, a);
}

// ---------------------------------------------------------------------------------------------
// Conversions

/** Truncates to int32 (C conversion to int / int32_t). */
export function toI32(a: Int64): number {
  return typeof a === 'number' ? a | 0 : Number(BigInt.asIntN(32, a));
}
/** Truncates to uint32. */
export function toU32(a: Int64): number {
  return typeof a === 'number' ? a >>> 0 : Number(BigInt.asUintN(32, a));
}
/** The signed value as a double (rounded to nearest, as cvtsi2sd does). */
export function toF64(a: Int64): number {
  return typeof a === 'number' ? a : Number(a);
}
/** The unsigned value as a double. */
export function utoF64(a: Int64): number {
  if (typeof a === 'number') return a >= 0 ? a : Number(BigInt.asUintN(64, BigInt(a)));
  return Number(BigInt.asUintN(64, a));
}
/** A bigint rounded to 53 significant bits "to odd" (sticky low bit), as an exact double. */
function roundToOddDouble(b: bigint): number {
  const neg = b < 0n;
  let m = neg ? -b : b;
  const bits = m.toString(2).length;
  if (bits > 53) {
    const drop = BigInt(bits - 53);
    const kept = m >> drop;
    m = (kept << drop) === m ? kept << drop : ((kept | 1n) << drop);
  }
  return neg ? -Number(m) : Number(m);
}

/** The signed value as a float, rounded once (cvtsi2ss): no double rounding through double. */
export function toF32(a: Int64): number {
  return Math.fround(typeof a === 'number' ? a : roundToOddDouble(a));
}
/** The unsigned value as a float, rounded once. */
export function utoF32(a: Int64): number {
  if (typeof a === 'number' && a >= 0) return Math.fround(a);
  return Math.fround(roundToOddDouble(BigInt.asUintN(64, toBig(a))));
}

/** A uint32 zero-extended to Int64 is itself; a uint64 held as Int64 and read as unsigned bigint: */
export function toUnsignedBig(a: Int64): bigint {
  return toBigU(a);
}

/**
 * double -> long (cvttsd2si): truncation toward zero; NaN and out-of-range values give
 * 0x8000000000000000 ("integer indefinite").
 */
export function fromF64(d: number): Int64 {
  const t = Math.trunc(d);
  if (t <= MAX_SAFE && t >= -MAX_SAFE) return t === 0 ? 0 : t;
  if (!(t >= -9223372036854775808 && t < 9223372036854775808)) return -(2n ** 63n);
  return BigInt(t);
}

/** double -> unsigned long as gcc does it: values >= 2^63 are reduced by 2^63 first. */
export function fromF64U(d: number): Int64 {
  if (d >= 9223372036854775808 && d < 18446744073709551616) {
    return fromBig(BigInt(Math.trunc(d)) - B64);
  }
  return fromF64(d);
}

/** double -> int (cvttsd2si 32-bit): out of range and NaN give INT_MIN. */
export function f64ToI32(d: number): number {
  const t = Math.trunc(d);
  if (t >= -2147483648 && t <= 2147483647) return t | 0;
  return -2147483648;
}

/** double -> unsigned int as gcc -O0 does it on x86_64: through a 64-bit truncation. */
export function f64ToU32(d: number): number {
  const t = Math.trunc(d);
  if (t >= 0 && t < TWO32) return t;
  return toU32(fromF64(d));
}

/** Sign-extends the low n bits (n in 1..64). */
export function sext(a: Int64, bits: number): Int64 {
  if (bits >= 64) return a;
  if (bits <= 32 && typeof a === 'number') {
    const s = 32 - bits;
    return ((a | 0) << s) >> s;
  }
  return fromBig(BigInt.asIntN(bits, toBig(a)));
}

/** Zero-extends the low n bits (n in 1..64). */
export function zext(a: Int64, bits: number): Int64 {
  if (bits >= 64) return a;
  if (bits < 32 && typeof a === 'number') return (a >>> 0) & ((1 << bits) - 1);
  if (bits === 32) return toU32(a);
  return fromBig(BigInt.asUintN(bits, toBig(a)));
}

/** Formats as C's %lld / %llu would. */
export function toDecimal(a: Int64, unsigned = false): string {
  return unsigned ? toBigU(a).toString() : toBig(a).toString();
}

// ---------------------------------------------------------------------------------------------
// 32-bit helpers used by generated code (division traps like x86).

export function sdiv32(a: number, b: number): number {
  if (b === 0 || (b === -1 && a === -2147483648)) throw new DivideError();
  return (a / b) | 0;
}
export function srem32(a: number, b: number): number {
  if (b === 0 || (b === -1 && a === -2147483648)) throw new DivideError();
  return a % b | 0;
}
export function udiv32(a: number, b: number): number {
  if (b === 0) throw new DivideError();
  return Math.floor(a / b) >>> 0;
}
export function urem32(a: number, b: number): number {
  if (b === 0) throw new DivideError();
  return a % b >>> 0;
}
