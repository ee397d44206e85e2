// Emulated memory: a user process's paged address space (4 KiB pages, per-page protection, VMAs),
// and the Memory interface that compiled code, the kernel's copy helpers and the tracers use.
// A bad access throws MemoryFault, which the CPU turns into SIGSEGV (user) or an Oops (kernel).
import type { Int64 } from '../kernel/events.js';

export const PAGE_SIZE = 4096;
export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

const TWO32 = 4294967296;
const MAX_SAFE_HI = 2097152; // 2^21: hi words below this (and >= -this) give a safe 64-bit number

/** Why an access failed: no mapping at all, or a mapping without the needed permission. */
export type FaultCode = 'MAPERR' | 'ACCERR';

export class MemoryFault extends Error {
  constructor(
    readonly addr: number,
    readonly write: boolean,
    readonly code: FaultCode,
    /** Set when kernel code touched a user address directly (SMAP). */
    readonly smap = false,
  ) {
    super(`${write ? 'write' : 'read'} fault at 0x${toHex(addr)} (${code}${smap ? ', SMAP' : ''})`);
    this.name = 'MemoryFault';
  }
}

/** The unsigned 64-bit hex of a signed-view address, without 0x and without padding. */
export function toHex(addr: number): string {
  if (addr >= 0) return addr.toString(16);
  return (BigInt.asUintN(64, BigInt(addr))).toString(16);
}

/** What compiled code and kernel helpers use to reach memory. */
export interface Memory {
  i8(a: number): number;
  u8(a: number): number;
  i16(a: number): number;
  u16(a: number): number;
  i32(a: number): number;
  u32(a: number): number;
  i64(a: number): Int64;
  f32(a: number): number;
  f64(a: number): number;
  w8(a: number, v: number): void;
  w16(a: number, v: number): void;
  w32(a: number, v: number): void;
  w64(a: number, v: Int64): void;
  wf32(a: number, v: number): void;
  wf64(a: number, v: number): void;
  read(a: number, len: number): Uint8Array;
  write(a: number, bytes: Uint8Array): void;
  fill(a: number, byte: number, len: number): void;
  copy(dst: number, src: number, len: number): void;
  /** Reads a NUL-terminated string of at most max bytes (without the NUL). Faults like a load. */
  cstring(a: number, max: number): Uint8Array;
}

/** A mapped range: what /proc/PID/maps shows. */
export interface Vma {
  start: number;
  end: number;
  prot: number;
  /** `[heap]`, `[stack]`, an image name, or '' for anonymous mappings. */
  name: string;
  /** For the stack: the lowest address it may grow down to. */
  growsDownTo?: number;
}

interface Page {
  data: Uint8Array;
  view: DataView;
  prot: number;
}

/**
 * A paged address space. Pages are created (zero-filled) on first touch inside a VMA. The last page
 * read and the last page written are cached, so accesses that stay in one page take a fast path.
 */
export class AddressSpace implements Memory {
  private pages = new Map<number, Page>();
  vmas: Vma[] = [];
  private rPn = -1;
  private rPage: Page | null = null;
  private wPn = -1;
  private wPage: Page | null = null;
  /** Pages touched, for the memory limit. */
  residentPages = 0;
  /** Largest number of resident pages allowed (RLIMIT_AS-like); Infinity for none. */
  pageLimit = Infinity;
  /** Called when a page could not be created because of pageLimit. */
  onOutOfMemory: (() => void) | null = null;

  // --- mapping -------------------------------------------------------------------------------

  /** Maps [start, start+len) with prot; page-aligned. Replaces what was there. */
  map(start: number, len: number, prot: number, name = ''): void {
    const end = start + roundUp(len);
    this.unmap(start, end - start);
    this.vmas.push({ start, end, prot, name });
    this.vmas.sort((a, b) => a.start - b.start);
    this.invalidate();
  }

  unmap(start: number, len: number): void {
    const end = start + roundUp(len);
    const kept: Vma[] = [];
    for (const v of this.vmas) {
      if (v.end <= start || v.start >= end) {
        kept.push(v);
        continue;
      }
      if (v.start < start) kept.push({ ...v, end: start });
      if (v.end > end) kept.push({ ...v, start: end });
    }
    this.vmas = kept;
    this.forResidentPages(start, end, (pn) => {
      this.pages.delete(pn);
      this.residentPages--;
    });
    this.invalidate();
  }

  /** Changes protection of whole pages; false when part of the range is unmapped (ENOMEM). */
  protect(start: number, len: number, prot: number): boolean {
    const end = start + roundUp(len);
    if (!this.covered(start, end)) return false;
    const next: Vma[] = [];
    for (const v of this.vmas) {
      if (v.end <= start || v.start >= end) {
        next.push(v);
        continue;
      }
      if (v.start < start) next.push({ ...v, end: start });
      next.push({ ...v, start: Math.max(v.start, start), end: Math.min(v.end, end), prot });
      if (v.end > end) next.push({ ...v, start: end });
    }
    this.vmas = next.sort((a, b) => a.start - b.start);
    this.forResidentPages(start, end, (pn) => {
      this.pages.get(pn)!.prot = prot;
    });
    this.invalidate();
    return true;
  }

  /** Whether every byte of [start, end) is mapped, walking the VMAs (not the pages: end may be huge). */
  private covered(start: number, end: number): boolean {
    let at = start;
    for (const v of [...this.vmas].sort((a, b) => a.start - b.start)) {
      if (v.end <= at) continue;
      if (v.start > at) return false;
      at = v.end;
      if (at >= end) return true;
    }
    return at >= end;
  }

  /** Calls fn for each resident page number in [start, end), in time bounded by the smaller side. */
  private forResidentPages(start: number, end: number, fn: (pn: number) => void): void {
    const first = Math.floor(start / PAGE_SIZE);
    const last = Math.ceil(end / PAGE_SIZE);
    if (last - first <= this.pages.size) {
      for (let pn = first; pn < last; pn++) if (this.pages.has(pn)) fn(pn);
      return;
    }
    for (const pn of [...this.pages.keys()]) if (pn >= first && pn < last) fn(pn);
  }

  vmaAt(addr: number): Vma | undefined {
    for (const v of this.vmas) if (addr >= v.start && addr < v.end) return v;
    return undefined;
  }

  /** Finds a free range of len bytes below `below` (mmap's top-down search). */
  findFree(len: number, below: number, above = 0x10000): number | undefined {
    const size = roundUp(len);
    let top = below;
    const sorted = [...this.vmas].sort((a, b) => b.start - a.start);
    for (const v of sorted) {
      if (v.start >= top) {
        top = Math.min(top, v.start);
        continue;
      }
      if (v.end <= top - size) break;
      top = Math.min(top, v.start);
    }
    const start = top - size;
    return start >= above ? start : undefined;
  }

  private invalidate(): void {
    this.rPn = -1;
    this.rPage = null;
    this.wPn = -1;
    this.wPage = null;
  }

  /** The page holding pn for an access, creating it on first touch; throws on a bad access. */
  private page(pn: number, write: boolean): Page {
    let p = this.pages.get(pn);
    const addr = pn * PAGE_SIZE;
    if (!p) {
      const v = this.vmaAt(addr);
      if (!v) throw new MemoryFault(addr, write, 'MAPERR');
      if (this.residentPages >= this.pageLimit) {
        this.onOutOfMemory?.();
        throw new MemoryFault(addr, write, 'MAPERR');
      }
      const data = new Uint8Array(PAGE_SIZE);
      p = { data, view: new DataView(data.buffer), prot: v.prot };
      this.pages.set(pn, p);
      this.residentPages++;
    }
    if (write ? !(p.prot & PROT_WRITE) : !(p.prot & (PROT_READ | PROT_EXEC))) {
      throw new MemoryFault(addr, write, 'ACCERR');
    }
    return p;
  }

  private rp(a: number, size: number): Page | null {
    const pn = Math.floor(a / PAGE_SIZE);
    if (pn === this.rPn) {
      if (a - pn * PAGE_SIZE + size <= PAGE_SIZE) return this.rPage;
      return null;
    }
    const p = this.page(pn, false);
    this.rPn = pn;
    this.rPage = p;
    return a - pn * PAGE_SIZE + size <= PAGE_SIZE ? p : null;
  }

  private wp(a: number, size: number): Page | null {
    const pn = Math.floor(a / PAGE_SIZE);
    if (pn === this.wPn) {
      if (a - pn * PAGE_SIZE + size <= PAGE_SIZE) return this.wPage;
      return null;
    }
    const p = this.page(pn, true);
    this.wPn = pn;
    this.wPage = p;
    return a - pn * PAGE_SIZE + size <= PAGE_SIZE ? p : null;
  }

  /** Byte-wise slow path for accesses that cross a page boundary. */
  private readSlow(a: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const addr = a + i;
      const pn = Math.floor(addr / PAGE_SIZE);
      out[i] = this.page(pn, false).data[addr - pn * PAGE_SIZE]!;
    }
    return out;
  }

  private writeSlow(a: number, bytes: Uint8Array): void {
    // Check every page first so a faulting write changes nothing.
    for (let i = 0; i < bytes.length; i += PAGE_SIZE) this.page(Math.floor((a + i) / PAGE_SIZE), true);
    this.page(Math.floor((a + bytes.length - 1) / PAGE_SIZE), true);
    for (let i = 0; i < bytes.length; i++) {
      const addr = a + i;
      const pn = Math.floor(addr / PAGE_SIZE);
      this.page(pn, true).data[addr - pn * PAGE_SIZE] = bytes[i]!;
    }
  }

  // --- loads ---------------------------------------------------------------------------------

  u8(a: number): number {
    const p = this.rp(a, 1)!;
    return p.data[a - this.rPn * PAGE_SIZE]!;
  }
  i8(a: number): number {
    return (this.u8(a) << 24) >> 24;
  }
  u16(a: number): number {
    const p = this.rp(a, 2);
    if (p) return p.view.getUint16(a - this.rPn * PAGE_SIZE, true);
    const b = this.readSlow(a, 2);
    return b[0]! | (b[1]! << 8);
  }
  i16(a: number): number {
    return (this.u16(a) << 16) >> 16;
  }
  i32(a: number): number {
    const p = this.rp(a, 4);
    if (p) return p.view.getInt32(a - this.rPn * PAGE_SIZE, true);
    const b = this.readSlow(a, 4);
    return new DataView(b.buffer).getInt32(0, true);
  }
  u32(a: number): number {
    return this.i32(a) >>> 0;
  }
  i64(a: number): Int64 {
    let lo: number;
    let hi: number;
    const p = this.rp(a, 8);
    if (p) {
      const off = a - this.rPn * PAGE_SIZE;
      lo = p.view.getUint32(off, true);
      hi = p.view.getInt32(off + 4, true);
    } else {
      const v = new DataView(this.readSlow(a, 8).buffer);
      lo = v.getUint32(0, true);
      hi = v.getInt32(4, true);
    }
    if (hi < MAX_SAFE_HI && hi >= -MAX_SAFE_HI) return hi * TWO32 + lo;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
  f32(a: number): number {
    const p = this.rp(a, 4);
    if (p) return p.view.getFloat32(a - this.rPn * PAGE_SIZE, true);
    return new DataView(this.readSlow(a, 4).buffer).getFloat32(0, true);
  }
  f64(a: number): number {
    const p = this.rp(a, 8);
    if (p) return p.view.getFloat64(a - this.rPn * PAGE_SIZE, true);
    return new DataView(this.readSlow(a, 8).buffer).getFloat64(0, true);
  }

  // --- stores --------------------------------------------------------------------------------

  w8(a: number, v: number): void {
    const p = this.wp(a, 1)!;
    p.data[a - this.wPn * PAGE_SIZE] = v;
  }
  w16(a: number, v: number): void {
    const p = this.wp(a, 2);
    if (p) p.view.setUint16(a - this.wPn * PAGE_SIZE, v & 0xffff, true);
    else this.writeSlow(a, new Uint8Array([v & 0xff, (v >> 8) & 0xff]));
  }
  w32(a: number, v: number): void {
    const p = this.wp(a, 4);
    if (p) p.view.setInt32(a - this.wPn * PAGE_SIZE, v | 0, true);
    else {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setInt32(0, v | 0, true);
      this.writeSlow(a, b);
    }
  }
  w64(a: number, v: Int64): void {
    let lo: number;
    let hi: number;
    if (typeof v === 'number') {
      lo = v >>> 0; // low 32 bits of the two's complement (exact for safe integers)
      hi = Math.floor(v / TWO32) | 0;
    } else {
      const u = BigInt.asUintN(64, v);
      lo = Number(u & 0xffffffffn);
      hi = Number(u >> 32n) | 0;
    }
    const p = this.wp(a, 8);
    if (p) {
      const off = a - this.wPn * PAGE_SIZE;
      p.view.setUint32(off, lo, true);
      p.view.setInt32(off + 4, hi, true);
    } else {
      const b = new Uint8Array(8);
      const dv = new DataView(b.buffer);
      dv.setUint32(0, lo, true);
      dv.setInt32(4, hi, true);
      this.writeSlow(a, b);
    }
  }
  wf32(a: number, v: number): void {
    const p = this.wp(a, 4);
    if (p) p.view.setFloat32(a - this.wPn * PAGE_SIZE, v, true);
    else {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setFloat32(0, v, true);
      this.writeSlow(a, b);
    }
  }
  wf64(a: number, v: number): void {
    const p = this.wp(a, 8);
    if (p) p.view.setFloat64(a - this.wPn * PAGE_SIZE, v, true);
    else {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, v, true);
      this.writeSlow(a, b);
    }
  }

  // --- blocks --------------------------------------------------------------------------------

  read(a: number, len: number): Uint8Array {
    if (len <= 0) return new Uint8Array(0);
    const p = this.rp(a, len);
    if (p) {
      const off = a - this.rPn * PAGE_SIZE;
      return p.data.slice(off, off + len);
    }
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const addr = a + done;
      const pn = Math.floor(addr / PAGE_SIZE);
      const off = addr - pn * PAGE_SIZE;
      const n = Math.min(len - done, PAGE_SIZE - off);
      out.set(this.page(pn, false).data.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  write(a: number, bytes: Uint8Array): void {
    const len = bytes.length;
    if (len === 0) return;
    // Validate every page before changing any, so a faulting copy leaves memory as it was.
    const first = Math.floor(a / PAGE_SIZE);
    const last = Math.floor((a + len - 1) / PAGE_SIZE);
    for (let pn = first; pn <= last; pn++) this.page(pn, true);
    let done = 0;
    while (done < len) {
      const addr = a + done;
      const pn = Math.floor(addr / PAGE_SIZE);
      const off = addr - pn * PAGE_SIZE;
      const n = Math.min(len - done, PAGE_SIZE - off);
      this.page(pn, true).data.set(bytes.subarray(done, done + n), off);
      done += n;
    }
  }

  fill(a: number, byte: number, len: number): void {
    if (len <= 0) return;
    const first = Math.floor(a / PAGE_SIZE);
    const last = Math.floor((a + len - 1) / PAGE_SIZE);
    for (let pn = first; pn <= last; pn++) this.page(pn, true);
    let done = 0;
    while (done < len) {
      const addr = a + done;
      const pn = Math.floor(addr / PAGE_SIZE);
      const off = addr - pn * PAGE_SIZE;
      const n = Math.min(len - done, PAGE_SIZE - off);
      this.page(pn, true).data.fill(byte, off, off + n);
      done += n;
    }
  }

  copy(dst: number, src: number, len: number): void {
    if (len > 0) this.write(dst, this.read(src, len));
  }

  cstring(a: number, max: number): Uint8Array {
    const bytes: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = this.u8(a + i);
      if (b === 0) break;
      bytes.push(b);
    }
    return Uint8Array.from(bytes);
  }

  /** Whether [a, a+len) can be accessed (write: for writing) without faulting. Creates no pages. */
  accessible(a: number, len: number, write: boolean): boolean {
    if (len <= 0) return true;
    for (let addr = Math.floor(a / PAGE_SIZE) * PAGE_SIZE; addr < a + len; addr += PAGE_SIZE) {
      const p = this.pages.get(addr / PAGE_SIZE);
      const prot = p ? p.prot : this.vmaAt(addr)?.prot;
      if (prot === undefined) return false;
      if (write ? !(prot & PROT_WRITE) : !(prot & (PROT_READ | PROT_EXEC))) return false;
    }
    return true;
  }

  /** A full copy, for fork. */
  clone(): AddressSpace {
    const c = new AddressSpace();
    c.vmas = this.vmas.map((v) => ({ ...v }));
    for (const [pn, p] of this.pages) {
      const data = p.data.slice();
      c.pages.set(pn, { data, view: new DataView(data.buffer), prot: p.prot });
    }
    c.residentPages = this.residentPages;
    c.pageLimit = this.pageLimit;
    return c;
  }
}

export function roundUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/**
 * Kernel C's view of memory: kernel addresses (negative in the signed view) reach the kernel's
 * address space; a direct access to a user address faults (SMAP), as on a modern x86_64 kernel.
 */
export class KernelMemoryView implements Memory {
  constructor(readonly kernel: AddressSpace) {}
  private k(a: number, write: boolean): AddressSpace {
    if (a >= 0) throw new MemoryFault(a, write, a < PAGE_SIZE ? 'MAPERR' : 'ACCERR', a >= PAGE_SIZE);
    return this.kernel;
  }
  i8(a: number) { return this.k(a, false).i8(a); }
  u8(a: number) { return this.k(a, false).u8(a); }
  i16(a: number) { return this.k(a, false).i16(a); }
  u16(a: number) { return this.k(a, false).u16(a); }
  i32(a: number) { return this.k(a, false).i32(a); }
  u32(a: number) { return this.k(a, false).u32(a); }
  i64(a: number) { return this.k(a, false).i64(a); }
  f32(a: number) { return this.k(a, false).f32(a); }
  f64(a: number) { return this.k(a, false).f64(a); }
  w8(a: number, v: number) { this.k(a, true).w8(a, v); }
  w16(a: number, v: number) { this.k(a, true).w16(a, v); }
  w32(a: number, v: number) { this.k(a, true).w32(a, v); }
  w64(a: number, v: Int64) { this.k(a, true).w64(a, v); }
  wf32(a: number, v: number) { this.k(a, true).wf32(a, v); }
  wf64(a: number, v: number) { this.k(a, true).wf64(a, v); }
  read(a: number, len: number) { return this.k(a, false).read(a, len); }
  write(a: number, b: Uint8Array) { this.k(a, true).write(a, b); }
  fill(a: number, byte: number, len: number) { this.k(a, true).fill(a, byte, len); }
  copy(d: number, s: number, len: number) { this.k(s, false); this.k(d, true).copy(d, s, len); }
  cstring(a: number, max: number) { return this.k(a, false).cstring(a, max); }
}
