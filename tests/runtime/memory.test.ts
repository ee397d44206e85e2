// The paged address space: loads and stores of every width, page-crossing accesses, protection,
// faults, mapping changes, fork copies, and the kernel's SMAP view.
import { describe, expect, it } from 'vitest';
import { AddressSpace, KernelMemoryView, MemoryFault, PROT_READ, PROT_WRITE } from '../../src/runtime/memory.js';

const RW = PROT_READ | PROT_WRITE;

describe('AddressSpace', () => {
  it('stores and loads every width, little endian, with sign and zero extension', () => {
    const m = new AddressSpace();
    m.map(0x400000, 0x2000, RW);
    m.w32(0x400000, -2);
    expect(m.i32(0x400000)).toBe(-2);
    expect(m.u32(0x400000)).toBe(0xfffffffe);
    expect(m.u8(0x400000)).toBe(0xfe);
    expect(m.i8(0x400000)).toBe(-2);
    expect(m.u16(0x400000)).toBe(0xfffe);
    expect(m.i16(0x400000)).toBe(-2);
    m.wf64(0x400010, 3.25);
    expect(m.f64(0x400010)).toBe(3.25);
    m.wf32(0x400020, 0.1);
    expect(m.f32(0x400020)).toBe(Math.fround(0.1));
  });

  it('keeps 64-bit values exact: numbers when safe, bigints otherwise', () => {
    const m = new AddressSpace();
    m.map(0x400000, 0x1000, RW);
    for (const v of [0, 1, -1, 2 ** 53 - 1, -(2 ** 53 - 1), -4294967297, 4294967296, 0x7ffffffff000, -0x777800000000]) {
      m.w64(0x400008, v);
      expect(m.i64(0x400008)).toBe(v);
    }
    for (const v of [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n]) {
      m.w64(0x400008, v);
      expect(m.i64(0x400008)).toBe(v);
    }
  });

  it('reads and writes across a page boundary', () => {
    const m = new AddressSpace();
    m.map(0x400000, 0x2000, RW);
    m.w64(0x400ffc, 0x1122334455667);
    expect(m.i64(0x400ffc)).toBe(0x1122334455667);
    m.w32(0x400ffe, 0x01020304);
    expect(m.i32(0x400ffe)).toBe(0x01020304);
    m.write(0x400ff0, new TextEncoder().encode('hello, pages!\0'));
    expect(new TextDecoder().decode(m.read(0x400ff0, 13))).toBe('hello, pages!');
    expect(new TextDecoder().decode(m.cstring(0x400ff0, 100))).toBe('hello, pages!');
  });

  it('faults on unmapped and protected pages, and a faulting write changes nothing', () => {
    const m = new AddressSpace();
    m.map(0x400000, 0x1000, PROT_READ);
    m.map(0x401000, 0x1000, RW);
    expect(() => m.u8(0)).toThrow(MemoryFault);
    expect(() => m.w8(0x400000, 1)).toThrowError(/ACCERR/);
    try {
      m.u8(0x500000);
    } catch (e) {
      expect(e).toBeInstanceOf(MemoryFault);
      expect((e as MemoryFault).code).toBe('MAPERR');
      expect((e as MemoryFault).addr).toBe(0x500000);
    }
    m.w8(0x401fff, 7);
    expect(() => m.write(0x401ffe, new Uint8Array([1, 2, 3]))).toThrow(MemoryFault);
    expect(m.u8(0x401fff)).toBe(7);
    expect(m.accessible(0x401000, 0x1000, true)).toBe(true);
    expect(m.accessible(0x400000, 1, true)).toBe(false);
  });

  it('unmaps, re-protects and finds free ranges top-down', () => {
    const m = new AddressSpace();
    m.map(0x7f0000000000 - 0x3000, 0x3000, RW);
    m.w8(0x7f0000000000 - 0x1000, 9);
    expect(m.protect(0x7f0000000000 - 0x1000, 0x1000, PROT_READ)).toBe(true);
    expect(() => m.w8(0x7f0000000000 - 0x1000, 1)).toThrow(MemoryFault);
    expect(m.u8(0x7f0000000000 - 0x1000)).toBe(9);
    expect(m.findFree(0x1000, 0x7f0000000000)).toBe(0x7f0000000000 - 0x4000);
    m.unmap(0x7f0000000000 - 0x2000, 0x1000);
    expect(m.findFree(0x1000, 0x7f0000000000)).toBe(0x7f0000000000 - 0x2000);
    expect(m.protect(0x7f0000000000 - 0x2000, 0x1000, PROT_READ)).toBe(false);
  });

  it('clone gives an independent copy (fork)', () => {
    const m = new AddressSpace();
    m.map(0x400000, 0x1000, RW);
    m.w32(0x400000, 1);
    const c = m.clone();
    c.w32(0x400000, 2);
    expect(m.i32(0x400000)).toBe(1);
    expect(c.i32(0x400000)).toBe(2);
  });

  it('enforces the page limit', () => {
    const m = new AddressSpace();
    m.map(0x400000, 0x10000, RW);
    m.pageLimit = 2;
    m.w8(0x400000, 1);
    m.w8(0x401000, 1);
    expect(() => m.w8(0x402000, 1)).toThrow(MemoryFault);
  });
});

describe('KernelMemoryView', () => {
  it('reaches kernel addresses and faults on user addresses (SMAP)', () => {
    const k = new AddressSpace();
    const base = -0x777800000000; // 0xffff888000000000
    k.map(base, 0x1000, RW);
    const v = new KernelMemoryView(k);
    v.w32(base, 42);
    expect(v.i32(base)).toBe(42);
    try {
      v.u8(0x400000);
      expect.unreachable();
    } catch (e) {
      expect((e as MemoryFault).smap).toBe(true);
    }
    try {
      v.u8(0);
      expect.unreachable();
    } catch (e) {
      expect((e as MemoryFault).smap).toBe(false);
      expect((e as MemoryFault).code).toBe('MAPERR');
    }
  });
});
