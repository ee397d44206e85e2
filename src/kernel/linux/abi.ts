// Linux x86_64 structure layouts the file syscalls copy to and from user memory: struct stat
// (144 bytes), struct statx (256), struct linux_dirent64, struct iovec, struct pollfd, and the
// poll bits. Other ABIs (i386, FreeBSD) add their own encoders next to these.
import type { Int64 } from '../events.js';
import type { KStat } from '../file.js';

export const STAT_SIZE = 144;
export const STATX_SIZE = 256;
export const IOVEC_SIZE = 16;
export const POLLFD_SIZE = 8;

export const POLLIN = 0x1;
export const POLLPRI = 0x2;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;
export const POLLRDNORM = 0x40;
export const POLLWRNORM = 0x100;

/** Splits nanoseconds since the epoch into (seconds, nanoseconds), keeping nsec in [0, 1e9). */
export function splitNs(ns: number): [number, number] {
  const sec = Math.floor(ns / 1e9);
  let nsec = Math.round(ns - sec * 1e9);
  if (nsec >= 1e9) nsec = 999_999_999;
  if (nsec < 0) nsec = 0;
  return [sec, nsec];
}

function setU64(v: DataView, off: number, n: number): void {
  v.setBigUint64(off, BigInt.asUintN(64, BigInt(Math.trunc(n))), true);
}

/** struct stat (x86_64, asm/stat.h). */
export function encodeStat(st: KStat): Uint8Array {
  const b = new Uint8Array(STAT_SIZE);
  const v = new DataView(b.buffer);
  setU64(v, 0, st.dev);
  setU64(v, 8, st.ino);
  setU64(v, 16, st.nlink);
  v.setUint32(24, st.mode >>> 0, true);
  v.setUint32(28, st.uid >>> 0, true);
  v.setUint32(32, st.gid >>> 0, true);
  // 36: __pad0
  setU64(v, 40, st.rdev);
  setU64(v, 48, st.size);
  setU64(v, 56, st.blksize);
  setU64(v, 64, st.blocks);
  const times = [st.atimeNs, st.mtimeNs, st.ctimeNs];
  for (let i = 0; i < 3; i++) {
    const [sec, nsec] = splitNs(times[i]);
    setU64(v, 72 + i * 16, sec);
    setU64(v, 80 + i * 16, nsec);
  }
  // 120..143: __unused[3]
  return b;
}

/** Decodes a struct stat (for tests and tracers). */
export function decodeStat(b: Uint8Array): KStat & { atimeSec: number; mtimeSec: number; ctimeSec: number } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u64 = (o: number): number => Number(v.getBigUint64(o, true));
  return {
    dev: u64(0), ino: u64(8), nlink: u64(16), mode: v.getUint32(24, true), uid: v.getUint32(28, true),
    gid: v.getUint32(32, true), rdev: u64(40), size: u64(48), blksize: u64(56), blocks: u64(64),
    atimeNs: u64(72) * 1e9 + u64(80), mtimeNs: u64(88) * 1e9 + u64(96), ctimeNs: u64(104) * 1e9 + u64(112),
    atimeSec: u64(72), mtimeSec: u64(88), ctimeSec: u64(104),
  };
}

export const STATX_TYPE = 0x1;
export const STATX_MODE = 0x2;
export const STATX_NLINK = 0x4;
export const STATX_UID = 0x8;
export const STATX_GID = 0x10;
export const STATX_ATIME = 0x20;
export const STATX_MTIME = 0x40;
export const STATX_CTIME = 0x80;
export const STATX_INO = 0x100;
export const STATX_SIZE_MASK = 0x200;
export const STATX_BLOCKS = 0x400;
export const STATX_BASIC_STATS = 0x7ff;

/** Linux's dev_t split back into major and minor (new_decode_dev). */
export function devMajorMinor(dev: number): [number, number] {
  return [(dev & 0xfff00) >>> 8, (dev & 0xff) | ((dev >>> 12) & 0xfff00)];
}

/** struct statx (linux/stat.h): every basic field is filled; btime is not (stx_mask says so). */
export function encodeStatx(st: KStat): Uint8Array {
  const b = new Uint8Array(STATX_SIZE);
  const v = new DataView(b.buffer);
  v.setUint32(0, STATX_BASIC_STATS, true); // stx_mask
  v.setUint32(4, st.blksize, true); // stx_blksize
  setU64(v, 8, 0); // stx_attributes
  v.setUint32(16, st.nlink, true);
  v.setUint32(20, st.uid >>> 0, true);
  v.setUint32(24, st.gid >>> 0, true);
  v.setUint16(28, st.mode & 0xffff, true);
  setU64(v, 32, st.ino);
  setU64(v, 40, st.size);
  setU64(v, 48, st.blocks);
  setU64(v, 56, 0); // stx_attributes_mask
  const ts = (off: number, ns: number): void => {
    const [sec, nsec] = splitNs(ns);
    setU64(v, off, sec);
    v.setUint32(off + 8, nsec, true);
  };
  ts(64, st.atimeNs); // stx_atime
  // 80: stx_btime (not provided)
  ts(96, st.ctimeNs);
  ts(112, st.mtimeNs);
  const [rmaj, rmin] = devMajorMinor(st.rdev);
  const [dmaj, dmin] = devMajorMinor(st.dev);
  v.setUint32(128, rmaj, true);
  v.setUint32(132, rmin, true);
  v.setUint32(136, dmaj, true);
  v.setUint32(140, dmin, true);
  return b;
}

/** struct linux_dirent64: d_ino, d_off, d_reclen, d_type, d_name NUL-terminated, 8-byte aligned. */
export function encodeDirent64(ino: number, off: number, type: number, name: Uint8Array): Uint8Array {
  const reclen = (19 + name.length + 1 + 7) & ~7;
  const b = new Uint8Array(reclen);
  const v = new DataView(b.buffer);
  setU64(v, 0, ino);
  setU64(v, 8, off);
  v.setUint16(16, reclen, true);
  b[18] = type;
  b.set(name, 19);
  return b;
}

export interface Iovec {
  base: Int64;
  len: Int64;
}

/** Reads an array of struct iovec. */
export function decodeIovecs(b: Uint8Array, count: number): Iovec[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Iovec[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ base: int64At(v, i * 16), len: int64At(v, i * 16 + 8) });
  }
  return out;
}

function int64At(v: DataView, off: number): Int64 {
  const x = v.getBigInt64(off, true);
  return x >= -(2n ** 53n) + 1n && x <= 2n ** 53n - 1n ? Number(x) : x;
}
