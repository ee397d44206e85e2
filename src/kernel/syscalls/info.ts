// System information syscalls: uname, getrandom, resource limits, sysinfo.
import type { SyscallHandler } from '../handler.js';
import { argInt, argPtr, argSize } from '../handler.js';
import { E, Errno } from '../errno.js';

const enc = new TextEncoder();

/** A deterministic generator for getrandom and AT_RANDOM (xorshift128+), seeded per kernel. */
export class KernelRandom {
  private s0: bigint;
  private s1: bigint;
  constructor(seed: number) {
    this.s0 = BigInt(seed) * 0x9e3779b97f4a7c15n + 1n;
    this.s1 = (BigInt(seed) ^ 0xdeadbeefn) * 0xbf58476d1ce4e5b9n + 7n;
    for (let i = 0; i < 8; i++) this.next();
  }
  private next(): bigint {
    let x = BigInt.asUintN(64, this.s0);
    const y = BigInt.asUintN(64, this.s1);
    this.s0 = y;
    x ^= BigInt.asUintN(64, x << 23n);
    this.s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return BigInt.asUintN(64, this.s1 + y);
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 8) {
      let v = this.next();
      for (let j = 0; j < 8 && i + j < n; j++) {
        out[i + j] = Number(v & 0xffn);
        v >>= 8n;
      }
    }
    return out;
  }
}

function field(s: string): Uint8Array {
  const b = new Uint8Array(65);
  b.set(enc.encode(s).subarray(0, 64));
  return b;
}

const RLIMIT_NAMES = 16;

export const infoHandlers: Record<string, SyscallHandler> = {
  uname: (ctx, a) => {
    const id = ctx.kernel.identity;
    const parts = [id.os === 'linux' ? 'Linux' : 'FreeBSD', id.hostname, id.release + id.localversion, id.version, id.arch, '(none)'];
    const buf = new Uint8Array(65 * 6);
    parts.forEach((p, i) => buf.set(field(p), i * 65));
    ctx.user.write(a[0]!, buf);
    return 0;
  },
  getrandom: (ctx, a) => {
    const len = argSize(a[1]!);
    const flags = argInt(a[2]!);
    if (flags & ~7) throw new Errno(E.INVAL);
    let n = Math.min(len, 33554431);
    // Linux copies chunk by chunk: it stops at the first fault (EFAULT if nothing was copied), so
    // a bad pointer with a huge length costs nothing.
    const addr = argPtr(a[0]!);
    let ok = 0;
    while (ok < n) {
      const step = Math.min(n - ok, 4096 - ((addr + ok) % 4096));
      if (addr < 0 || !ctx.user.accessOk(addr + ok, step) || !ctx.user.mm.accessible(addr + ok, step, true)) break;
      ok += step;
    }
    if (n > 0 && ok === 0) throw new Errno(E.FAULT);
    n = ok;
    const bytes = (ctx.kernel as unknown as { random: KernelRandom }).random.bytes(n);
    ctx.user.write(a[0]!, bytes);
    return n;
  },
  getrlimit: (ctx, a) => {
    const res = argInt(a[0]!);
    if (res < 0 || res >= RLIMIT_NAMES) throw new Errno(E.INVAL);
    const [cur, max] = rlimit(ctx, res);
    ctx.user.writeI64(a[1]!, cur);
    ctx.user.writeI64(argPtr(a[1]!) + 8, max);
    return 0;
  },
  prlimit64: (ctx, a) => {
    const pid = argInt(a[0]!);
    if (pid !== 0 && pid !== ctx.task.pid) throw new Errno(E.PERM);
    const res = argInt(a[1]!);
    if (res < 0 || res >= RLIMIT_NAMES) throw new Errno(E.INVAL);
    if (argPtr(a[2]!) !== 0) ctx.user.read(a[2]!, 16); // setting limits is accepted but not applied
    if (argPtr(a[3]!) !== 0) {
      const [cur, max] = rlimit(ctx, res);
      ctx.user.writeI64(a[3]!, cur);
      ctx.user.writeI64(argPtr(a[3]!) + 8, max);
    }
    return 0;
  },
  sysinfo: (ctx, a) => {
    const b = new Uint8Array(112);
    const v = new DataView(b.buffer);
    v.setBigInt64(0, BigInt(Math.floor(ctx.now() / 1e9)), true);
    v.setBigUint64(32, 1n << 32n, true); // totalram
    v.setBigUint64(40, 1n << 31n, true); // freeram
    v.setUint16(80, ctx.kernel.liveTaskCount(), true);
    v.setUint32(104, 1, true); // mem_unit
    ctx.user.write(a[0]!, b);
    return 0;
  },
};

/** The limits a task sees: RLIMIT_STACK 8 MiB, RLIMIT_NOFILE 1024, RLIMIT_NPROC from the run's limit. */
function rlimit(ctx: Parameters<SyscallHandler>[0], res: number): [number, number] {
  const INF = -1; // RLIM_INFINITY as a signed 64-bit value
  switch (res) {
    case 3: return [8 * 1024 * 1024, INF]; // RLIMIT_STACK
    case 7: return [1024, 1048576]; // RLIMIT_NOFILE
    case 6: return [ctx.kernel.limits.nproc, ctx.kernel.limits.nproc]; // RLIMIT_NPROC
    case 4: return [0, INF]; // RLIMIT_CORE
    default: return [INF, INF];
  }
}
