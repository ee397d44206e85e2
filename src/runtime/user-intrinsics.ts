// Host implementations of the user-mode intrinsics (src/cc/intrinsics.ts): libc fast paths that
// work on P.mem exactly like the C they replace, faulting the same way on bad addresses.
import type { Cpu } from './cpu.js';
import type { Int64 } from './int64.js';

const n = (v: Int64): number => (typeof v === 'number' ? v : Number(BigInt.asIntN(64, v)));
/** size_t arguments: an enormous (negative in the signed view) length faults at the first byte past the mapping. */
const len = (v: Int64): number => (typeof v === 'number' && v >= 0 ? v : Number.MAX_SAFE_INTEGER);

export const userIntrinsics = {
  __ksim_memcpy(P: Cpu, dst: Int64, src: Int64, size: Int64): Int64 {
    const l = len(size);
    if (l) P.mem.copy(n(dst), n(src), l);
    return dst;
  },
  __ksim_memmove(P: Cpu, dst: Int64, src: Int64, size: Int64): Int64 {
    const l = len(size);
    if (l) P.mem.copy(n(dst), n(src), l);
    return dst;
  },
  __ksim_memset(P: Cpu, dst: Int64, c: number, size: Int64): Int64 {
    const l = len(size);
    if (l) P.mem.fill(n(dst), c & 255, l);
    return dst;
  },
  __ksim_strlen(P: Cpu, s: Int64): number {
    return P.mem.cstring(n(s), Number.MAX_SAFE_INTEGER).length;
  },
  __ksim_memcmp(P: Cpu, a: Int64, b: Int64, size: Int64): number {
    const l = len(size);
    const M = P.mem;
    for (let i = 0; i < l; i++) {
      const d = M.u8(n(a) + i) - M.u8(n(b) + i);
      if (d) return d < 0 ? -1 : 1;
    }
    return 0;
  },
  __ksim_strcmp(P: Cpu, a: Int64, b: Int64): number {
    const M = P.mem;
    for (let i = 0; ; i++) {
      const x = M.u8(n(a) + i), y = M.u8(n(b) + i);
      if (x !== y) return x < y ? -1 : 1;
      if (x === 0) return 0;
    }
  },
};
