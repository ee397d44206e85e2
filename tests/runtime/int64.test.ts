// Int64 operations checked against BigInt reference results on edge and random values.
import { describe, expect, it } from 'vitest';
import * as I from '../../src/runtime/int64.js';

const edges: bigint[] = [
  0n, 1n, -1n, 2n, -2n, 3n, 7n, -7n, 255n, 256n, 65535n, 2147483647n, -2147483648n, 2147483648n, 4294967295n,
  4294967296n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, -((1n << 53n) - 1n), -(1n << 53n), -((1n << 53n) + 1n),
  (1n << 63n) - 1n, -(1n << 63n), (1n << 62n), 0x123456789abcdefn, -0x123456789abcdefn, 1000000007n, -1000000007n,
];

// Deterministic pseudo-random 64-bit values of varying magnitude.
let seed = 12345n;
function rand64(): bigint {
  seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
  const bits = BigInt(Number(seed >> 58n)); // 0..63 significant bits
  return BigInt.asIntN(64, seed >> (63n - bits));
}
const values: bigint[] = [...edges];
for (let i = 0; i < 120; i++) values.push(rand64());

const wrap = (b: bigint) => BigInt.asIntN(64, b);
const u = (b: bigint) => BigInt.asUintN(64, b);
const canon = (b: bigint) => I.fromBig(b);

function check(name: string, got: I.Int64, want: bigint): void {
  const w = canon(want);
  if (got !== w) throw new Error(`${name}: got ${String(got)} (${typeof got}) want ${String(w)}`);
}

describe('int64', () => {
  it('canonical form: number within 2^53-1, bigint outside', () => {
    expect(I.fromBig((1n << 53n) - 1n)).toBe(9007199254740991);
    expect(I.fromBig(1n << 53n)).toBe(1n << 53n);
    expect(I.fromBig(1n << 64n)).toBe(0);
    expect(I.fromBig((1n << 64n) - 1n)).toBe(-1);
    expect(typeof I.fromBig(-(1n << 63n))).toBe('bigint');
  });

  it('add sub mul neg and or xor not match BigInt', () => {
    for (const a of values) {
      const A = canon(a);
      check(`neg ${a}`, I.neg(A), -a);
      check(`not ${a}`, I.not(A), ~a);
      for (const b of values) {
        const B = canon(b);
        check(`add ${a} ${b}`, I.add(A, B), wrap(a + b));
        check(`sub ${a} ${b}`, I.sub(A, B), wrap(a - b));
        check(`mul ${a} ${b}`, I.mul(A, B), wrap(a * b));
        check(`and ${a} ${b}`, I.and(A, B), a & b);
        check(`or ${a} ${b}`, I.or(A, B), a | b);
        check(`xor ${a} ${b}`, I.xor(A, B), a ^ b);
      }
    }
  });

  it('division and remainder, signed and unsigned, truncating toward zero', () => {
    for (const a of values) {
      for (const b of values) {
        if (b === 0n) continue;
        const A = canon(a), B = canon(b);
        if (!(a === -(1n << 63n) && b === -1n)) {
          check(`sdiv ${a} ${b}`, I.sdiv(A, B), a / b);
          check(`srem ${a} ${b}`, I.srem(A, B), a % b);
        }
        check(`udiv ${a} ${b}`, I.udiv(A, B), u(a) / u(b));
        check(`urem ${a} ${b}`, I.urem(A, B), u(a) % u(b));
      }
    }
    expect(I.sdiv(-7, 2)).toBe(-3);
    expect(I.srem(-7, 2)).toBe(-1);
    expect(I.sdiv(7, -2)).toBe(-3);
    expect(I.srem(7, -2)).toBe(1);
    expect(() => I.sdiv(1, 0)).toThrow(I.DivideError);
    expect(() => I.urem(1, 0)).toThrow(I.DivideError);
    expect(() => I.sdiv(-(1n << 63n), -1)).toThrow(I.DivideError);
  });

  it('shifts by 0..63', () => {
    for (const a of values) {
      const A = canon(a);
      for (let n = 0; n < 64; n++) {
        check(`shl ${a} ${n}`, I.shl(A, n), wrap(a << BigInt(n)));
        check(`sar ${a} ${n}`, I.sar(A, n), a >> BigInt(n));
        check(`shr ${a} ${n}`, I.shr(A, n), u(a) >> BigInt(n));
      }
    }
    expect(I.shl(1, 64)).toBe(1); // count masked like x86
  });

  it('comparisons, signed and unsigned (-1 as unsigned is the largest)', () => {
    for (const a of values) {
      for (const b of values) {
        const A = canon(a), B = canon(b);
        const got = [I.eq(A, B), I.slt(A, B), I.sle(A, B), I.ult(A, B), I.ule(A, B), I.ugt(A, B), I.uge(A, B)];
        const want = [a === b, a < b, a <= b, u(a) < u(b), u(a) <= u(b), u(a) > u(b), u(a) >= u(b)];
        if (got.join() !== want.join()) throw new Error(`compare ${a} ${b}: ${got} vs ${want}`);
      }
    }
    expect(I.ult(-1, 1)).toBe(false);
    expect(I.ult(1, -1)).toBe(true);
  });

  it('conversions', () => {
    for (const a of values) {
      const A = canon(a);
      expect(I.toI32(A)).toBe(Number(BigInt.asIntN(32, a)));
      expect(I.toU32(A)).toBe(Number(BigInt.asUintN(32, a)));
      expect(I.toF64(A)).toBe(Number(a));
      expect(I.utoF64(A)).toBe(Number(u(a)));
      for (const bits of [8, 16, 32, 48]) {
        check(`sext ${a} ${bits}`, I.sext(A, bits), BigInt.asIntN(bits, a));
        check(`zext ${a} ${bits}`, I.zext(A, bits), BigInt.asUintN(bits, a));
      }
    }
    expect(I.fromF64(3.9)).toBe(3);
    expect(I.fromF64(-3.9)).toBe(-3);
    expect(I.fromF64(2 ** 62)).toBe(1n << 62n);
    expect(I.fromF64(1e30)).toBe(-(1n << 63n));
    expect(I.fromF64(NaN)).toBe(-(1n << 63n));
    expect(I.fromF64U(2 ** 63)).toBe(-(1n << 63n));
    expect(I.fromF64U(2 ** 64 - 2048)).toBe(-2048);
    expect(I.f64ToI32(-2.5)).toBe(-2);
    expect(I.f64ToI32(3e9)).toBe(-2147483648);
    expect(I.f64ToU32(3e9)).toBe(3000000000);
    expect(I.toDecimal(-1, true)).toBe('18446744073709551615');
    expect(I.toDecimal(-(1n << 63n))).toBe('-9223372036854775808');
  });

  it('32-bit division helpers trap like idiv', () => {
    expect(I.sdiv32(-7, 2)).toBe(-3);
    expect(I.srem32(-7, 2)).toBe(-1);
    expect(I.udiv32(4294967295, 2)).toBe(2147483647);
    expect(I.urem32(4294967295, 10)).toBe(5);
    expect(() => I.sdiv32(-2147483648, -1)).toThrow(I.DivideError);
    expect(() => I.udiv32(1, 0)).toThrow(I.DivideError);
  });
  it('64-bit integers convert to float with a single rounding (no double rounding through double)', () => {
    // reference: the nearest float by exact comparison among the neighbours of a guess, ties to even
    const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
    const nextUp = (f: number, dir: number) => { f32[0] = f; u32[0] = u32[0]! + (f >= 0 === dir > 0 ? 1 : -1); return f32[0]!; };
    const exact = (f: number) => BigInt(f);
    function ref(x: bigint): number {
      const g = Math.fround(Number(x));
      let best = g;
      for (const c of [nextUp(g, -1), g, nextUp(g, 1)].filter(Number.isInteger)) {
        const dc = exact(c) - x, db = exact(best) - x;
        const ac = dc < 0n ? -dc : dc, ab = db < 0n ? -db : db;
        if (ac < ab || (ac === ab && (f32[0] = c, u32[0]! % 2 === 0))) best = c;
      }
      return best;
    }
    const samples = [...values, 0x0101010180000001n, 0x0101010180000000n, -0x0101010180000001n, (1n << 63n) - 1n, 0x7fffff8000000001n];
    for (const a of samples) {
      expect(I.toF32(I.fromBig(a))).toBe(ref(a));
      expect(I.utoF32(I.fromBig(a))).toBe(ref(u(a)));
    }
  });
});
