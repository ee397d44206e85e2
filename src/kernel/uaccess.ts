// The only way kernel code touches user memory: checked copy helpers with Linux's semantics.
// An address is acceptable when the whole range lies below TASK_SIZE (access_ok) and every byte is
// mapped with the needed permission; NULL, unmapped and kernel addresses fail with EFAULT.
import type { Int64 } from './events.js';
import type { AddressSpace } from '../runtime/memory.js';
import { E, Errno } from './errno.js';

/** x86_64: the top of user space (0x0000800000000000 minus a guard page, as Linux's TASK_SIZE_MAX). */
export const TASK_SIZE_64 = 0x7ffffffff000;
export const TASK_SIZE_32 = 0xffffe000;

/** A user pointer as a plain address, or -1 when it cannot be one (a bigint or negative value). */
export function userAddr(p: Int64): number {
  if (typeof p === 'bigint') return -1;
  return p;
}

export class UserMemory {
  constructor(
    readonly mm: AddressSpace,
    readonly taskSize: number = TASK_SIZE_64,
  ) {}

  /** access_ok(): the range lies in user space (does not check the mapping). */
  accessOk(addr: number, len: number): boolean {
    return addr >= 0 && len >= 0 && addr + len <= this.taskSize;
  }

  private ok(addr: number, len: number, write: boolean): boolean {
    return this.accessOk(addr, len) && this.mm.accessible(addr, len, write);
  }

  /** copy_from_user: copies len bytes; returns [bytes, bytes NOT copied] like Linux. */
  copyFromUser(p: Int64, len: number): { data: Uint8Array; notCopied: number } {
    const addr = userAddr(p);
    if (len === 0) return { data: new Uint8Array(0), notCopied: 0 };
    if (addr < 0 || !this.accessOk(addr, len)) return { data: new Uint8Array(len), notCopied: len };
    const data = new Uint8Array(len);
    // Copy page by page so a partial copy reports how much was left, as the real one does.
    let done = 0;
    while (done < len) {
      const a = addr + done;
      const n = Math.min(len - done, 4096 - (a % 4096));
      if (!this.mm.accessible(a, n, false)) break;
      data.set(this.mm.read(a, n), done);
      done += n;
    }
    return { data, notCopied: len - done };
  }

  /** copy_to_user: returns the number of bytes NOT copied. */
  copyToUser(p: Int64, bytes: Uint8Array): number {
    const addr = userAddr(p);
    const len = bytes.length;
    if (len === 0) return 0;
    if (addr < 0 || !this.accessOk(addr, len)) return len;
    let done = 0;
    while (done < len) {
      const a = addr + done;
      const n = Math.min(len - done, 4096 - (a % 4096));
      if (!this.mm.accessible(a, n, true)) break;
      this.mm.write(a, bytes.subarray(done, done + n));
      done += n;
    }
    return len - done;
  }

  /**
   * strncpy_from_user: copies a NUL-terminated string of at most count bytes (including the NUL).
   * Returns the length (without the NUL); count when no NUL fitted (then the buffer holds count
   * bytes, unterminated); -EFAULT when the first unreadable byte comes before the end.
   */
  strncpyFromUser(p: Int64, count: number): { length: number; bytes: Uint8Array } {
    const addr = userAddr(p);
    if (count <= 0) return { length: 0, bytes: new Uint8Array(0) };
    if (addr < 0 || addr >= this.taskSize) return { length: -E.FAULT, bytes: new Uint8Array(0) };
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const a = addr + i;
      if (a >= this.taskSize || !this.mm.accessible(a, 1, false)) return { length: -E.FAULT, bytes: Uint8Array.from(out) };
      const b = this.mm.u8(a);
      if (b === 0) return { length: i, bytes: Uint8Array.from(out) };
      out.push(b);
    }
    return { length: count, bytes: Uint8Array.from(out) };
  }

  /** clear_user: zeroes len bytes; returns bytes NOT cleared. */
  clearUser(p: Int64, len: number): number {
    return this.copyToUser(p, new Uint8Array(len));
  }

  // --- throwing forms for handlers written in TypeScript -----------------------------------------

  /** Reads len bytes or throws Errno(EFAULT). */
  read(p: Int64, len: number): Uint8Array {
    const addr = userAddr(p);
    if (len === 0) return new Uint8Array(0);
    if (addr < 0 || !this.ok(addr, len, false)) throw new Errno(E.FAULT);
    return this.mm.read(addr, len);
  }

  /** Writes bytes or throws Errno(EFAULT); nothing is written when any byte is bad. */
  write(p: Int64, bytes: Uint8Array): void {
    const addr = userAddr(p);
    if (bytes.length === 0) return;
    if (addr < 0 || !this.ok(addr, bytes.length, true)) throw new Errno(E.FAULT);
    this.mm.write(addr, bytes);
  }

  /** A NUL-terminated string of at most max bytes; ENAMETOOLONG-style error code when too long. */
  readString(p: Int64, max: number, tooLong: number = E.NAMETOOLONG): Uint8Array {
    const r = this.strncpyFromUser(p, max);
    if (r.length < 0) throw new Errno(-r.length);
    if (r.length === max) throw new Errno(tooLong);
    return r.bytes;
  }

  readI32(p: Int64): number {
    const b = this.read(p, 4);
    return new DataView(b.buffer, b.byteOffset).getInt32(0, true);
  }

  readI64(p: Int64): Int64 {
    const addr = userAddr(p);
    if (addr < 0 || !this.ok(addr, 8, false)) throw new Errno(E.FAULT);
    return this.mm.i64(addr);
  }

  writeI32(p: Int64, v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v, true);
    this.write(p, b);
  }

  writeI64(p: Int64, v: Int64): void {
    const addr = userAddr(p);
    if (addr < 0 || !this.ok(addr, 8, true)) throw new Errno(E.FAULT);
    this.mm.w64(addr, v);
  }
}
