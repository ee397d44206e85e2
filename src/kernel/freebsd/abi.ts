// FreeBSD's user ABI numbers next to Linux's, which ksim's shared kernel code uses internally:
// errno numbers (by name), signal numbers, open(2)/mmap(2)/sigaction(2) flags, and the wait status.
// The FreeBSD syscall layer translates at its edge so the shared handlers stay Linux-numbered.
import { LINUX_ERRNOS } from '../errno-linux.js';
import { freebsdErrnoNumber } from '../errno-freebsd.js';

/** FreeBSD errno numbers ksim's FreeBSD code returns itself. */
export const FE = {
  PERM: 1, NOENT: 2, SRCH: 3, INTR: 4, IO: 5, NXIO: 6, NOEXEC: 8, BADF: 9, CHILD: 10, DEADLK: 11,
  NOMEM: 12, ACCES: 13, FAULT: 14, BUSY: 16, EXIST: 17, NODEV: 19, NOTDIR: 20, ISDIR: 21, INVAL: 22,
  NOTTY: 25, NOSPC: 28, AGAIN: 35, NAMETOOLONG: 63, OPNOTSUPP: 45, NOSYS: 78, NOTCAPABLE: 93, CAPMODE: 94,
} as const;

const linuxToFreebsdErrno = new Map<number, number>();
for (const e of LINUX_ERRNOS) {
  const fb = freebsdErrnoNumber(e.name) ?? (e.name === 'EAGAIN' ? 35 : e.name === 'EDEADLK' ? 11 : e.name === 'ENOTSUP' ? 45 : undefined);
  if (fb !== undefined && !linuxToFreebsdErrno.has(e.number)) linuxToFreebsdErrno.set(e.number, fb);
}

/** A Linux errno as FreeBSD numbers it (EIO for the few Linux-only ones). */
export function freebsdErrnoOf(linuxErrno: number): number {
  if (linuxErrno === 38) return FE.NOSYS;
  return linuxToFreebsdErrno.get(linuxErrno) ?? FE.IO;
}

// Signal numbers: index = FreeBSD number, value = Linux number (0: none on Linux).
const FB_TO_LINUX_SIG = [0, 1, 2, 3, 4, 5, 6, 0, 8, 9, 7, 11, 31, 13, 14, 15, 23, 19, 20, 18, 17, 21, 22, 29, 24, 25, 26, 27, 28, 0, 10, 12];
const LINUX_TO_FB_SIG: number[] = [];
FB_TO_LINUX_SIG.forEach((l, f) => {
  if (l) LINUX_TO_FB_SIG[l] = f;
});

export function linuxSignalOf(fbSig: number): number {
  if (fbSig >= 65 && fbSig <= 128) return fbSig - 31; // real-time signals SIGRTMIN=65
  return FB_TO_LINUX_SIG[fbSig] ?? -1;
}

export function freebsdSignalOf(linuxSig: number): number {
  if (linuxSig >= 34) return linuxSig + 31;
  return LINUX_TO_FB_SIG[linuxSig] ?? linuxSig;
}

/** A 16-byte FreeBSD sigset (bit sig-1 of FreeBSD numbers) as ksim's Linux-numbered mask. */
export function linuxMaskOf(words: number[]): bigint {
  let m = 0n;
  for (let w = 0; w < words.length; w++) {
    for (let b = 0; b < 32; b++) {
      if (!((words[w]! >>> b) & 1)) continue;
      const l = linuxSignalOf(w * 32 + b + 1);
      if (l > 0 && l <= 64) m |= 1n << BigInt(l - 1);
    }
  }
  return m;
}

/** ksim's Linux-numbered mask as FreeBSD's four sigset words. */
export function freebsdMaskOf(mask: bigint): number[] {
  const words = [0, 0, 0, 0];
  for (let l = 1; l <= 64; l++) {
    if (!((mask >> BigInt(l - 1)) & 1n)) continue;
    const f = freebsdSignalOf(l);
    if (f >= 1 && f <= 128) words[(f - 1) >> 5]! |= 1 << ((f - 1) & 31);
  }
  return words.map((w) => w >>> 0);
}

const OPEN_FLAGS: [number, number][] = [
  [0x4, 0x800], // O_NONBLOCK
  [0x8, 0x400], // O_APPEND
  [0x80, 0x101000], // O_SYNC
  [0x100, 0x20000], // O_NOFOLLOW
  [0x200, 0x40], // O_CREAT
  [0x400, 0x200], // O_TRUNC
  [0x800, 0x80], // O_EXCL
  [0x8000, 0x100], // O_NOCTTY
  [0x10000, 0x4000], // O_DIRECT
  [0x20000, 0x10000], // O_DIRECTORY
  [0x100000, 0x80000], // O_CLOEXEC
];

export function linuxOpenFlags(fb: number): number {
  let l = fb & 3;
  for (const [f, x] of OPEN_FLAGS) if (fb & f) l |= x;
  return l;
}

/** mmap flags: MAP_SHARED 1, MAP_PRIVATE 2, MAP_FIXED 0x10 are shared; MAP_ANON 0x1000 → 0x20. */
export function linuxMmapFlags(fb: number): number {
  let l = fb & 0x13;
  if (fb & 0x1000) l |= 0x20; // MAP_ANON
  if (fb & 0x400) l |= 0x20000; // MAP_STACK
  if (fb & 0x4000) l |= 0x100000; // MAP_EXCL → MAP_FIXED_NOREPLACE
  return l;
}

/** sigaction sa_flags: SA_ONSTACK 1, SA_RESTART 2, SA_RESETHAND 4, SA_NODEFER 0x10, SA_SIGINFO 0x40. */
export function linuxSaFlags(fb: number): number {
  let l = 0;
  if (fb & 1) l |= 0x08000000;
  if (fb & 2) l |= 0x10000000;
  if (fb & 4) l |= 0x80000000;
  if (fb & 0x10) l |= 0x40000000;
  if (fb & 0x20) l |= 2; // SA_NOCLDWAIT
  if (fb & 0x40) l |= 4; // SA_SIGINFO
  return l | 0;
}

export function freebsdSaFlags(l: number): number {
  let f = 0;
  if (l & 0x08000000) f |= 1;
  if (l & 0x10000000) f |= 2;
  if (l & 0x80000000) f |= 4;
  if (l & 0x40000000) f |= 0x10;
  if (l & 2) f |= 0x20;
  if (l & 4) f |= 0x40;
  return f;
}

/** A wait status with the signal numbered as FreeBSD numbers it. */
export function freebsdWaitStatus(linuxStatus: number): number {
  const low = linuxStatus & 0x7f;
  if (low === 0) return linuxStatus; // exited
  if (low === 0x7f) return (freebsdSignalOf((linuxStatus >> 8) & 0xff) << 8) | 0x7f; // stopped
  return (linuxStatus & 0x80) | freebsdSignalOf(low); // signaled (core flag kept)
}
