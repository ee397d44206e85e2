// The checked user-memory helpers, with Linux's semantics, on good, NULL, unmapped, read-only,
// partially mapped and kernel pointers.
import { describe, expect, it } from 'vitest';
import { AddressSpace, PROT_READ, PROT_WRITE } from '../../src/runtime/memory.js';
import { UserMemory } from '../../src/kernel/uaccess.js';
import { Errno } from '../../src/kernel/errno.js';

const KERNEL = -0x777800000000; // 0xffff888000000000
const BASE = 0x400000;

function mem() {
  const mm = new AddressSpace();
  mm.map(BASE, 0x2000, PROT_READ | PROT_WRITE);
  mm.map(BASE + 0x2000, 0x1000, PROT_READ);
  mm.write(BASE, new TextEncoder().encode('hello\0'));
  mm.fill(BASE + 0x1ffc, 0x41, 4); // "AAAA" up to the read-only page, no NUL before it
  return { mm, u: new UserMemory(mm) };
}

describe('copy_from_user', () => {
  it('copies from good memory and reports the bytes not copied for bad ones', () => {
    const { u } = mem();
    expect(new TextDecoder().decode(u.copyFromUser(BASE, 5).data)).toBe('hello');
    expect(u.copyFromUser(BASE, 5).notCopied).toBe(0);
    expect(u.copyFromUser(0, 8).notCopied).toBe(8);
    expect(u.copyFromUser(0x10000000, 8).notCopied).toBe(8);
    expect(u.copyFromUser(KERNEL, 8).notCopied).toBe(8);
    // Readable up to the end of the mapping (BASE+0x3000), then unmapped: a partial copy.
    expect(u.copyFromUser(BASE + 0x2ffc, 8).notCopied).toBe(4);
  });
});

describe('copy_to_user', () => {
  it('writes to good memory; NULL, unmapped, read-only and kernel pointers are not written', () => {
    const { mm, u } = mem();
    expect(u.copyToUser(BASE + 16, new Uint8Array([1, 2, 3]))).toBe(0);
    expect([...mm.read(BASE + 16, 3)]).toEqual([1, 2, 3]);
    expect(u.copyToUser(0, new Uint8Array(4))).toBe(4);
    expect(u.copyToUser(0x10000000, new Uint8Array(4))).toBe(4);
    expect(u.copyToUser(BASE + 0x2000, new Uint8Array(4))).toBe(4);
    expect(u.copyToUser(KERNEL, new Uint8Array(4))).toBe(4);
    expect(u.copyToUser(BASE + 0x1ffe, new Uint8Array(4))).toBe(2);
  });
});

describe('strncpy_from_user', () => {
  it('returns the length, or count when no NUL fits, or -EFAULT', () => {
    const { u } = mem();
    expect(u.strncpyFromUser(BASE, 256)).toEqual({ length: 5, bytes: new TextEncoder().encode('hello') });
    expect(u.strncpyFromUser(BASE, 3).length).toBe(3);
    expect(u.strncpyFromUser(0, 256).length).toBe(-14);
    expect(u.strncpyFromUser(0x10000000, 256).length).toBe(-14);
    expect(u.strncpyFromUser(KERNEL, 256).length).toBe(-14);
    // "AAAA" then the read-only (readable) page of zeros: terminates there.
    expect(u.strncpyFromUser(BASE + 0x1ffc, 256).length).toBe(4);
  });
});

describe('get_user, put_user and clear_user', () => {
  it('read and write 32- and 64-bit values, failing with EFAULT', () => {
    const { u } = mem();
    u.writeI32(BASE + 32, -7);
    expect(u.readI32(BASE + 32)).toBe(-7);
    u.writeI64(BASE + 40, 2n ** 60n);
    expect(u.readI64(BASE + 40)).toBe(2n ** 60n);
    for (const bad of [0, 0x10000000, KERNEL]) {
      expect(() => u.readI32(bad)).toThrow(Errno);
      expect(() => u.writeI64(bad, 1)).toThrow(Errno);
    }
    expect(() => u.writeI32(BASE + 0x2000, 1)).toThrow(Errno);
    expect(u.clearUser(BASE, 6)).toBe(0);
    expect(u.strncpyFromUser(BASE, 10).length).toBe(0);
    expect(u.clearUser(0, 6)).toBe(6);
  });

  it('access_ok accepts only user ranges', () => {
    const { u } = mem();
    expect(u.accessOk(BASE, 16)).toBe(true);
    expect(u.accessOk(KERNEL, 16)).toBe(false);
    expect(u.accessOk(0x7ffffffff000 - 8, 16)).toBe(false);
  });
});
