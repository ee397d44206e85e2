// The ktrace binary layout: header fields at FreeBSD's offsets, payload layouts, round trips,
// version 0 headers, and the ksim syscall-name record.
import { describe, expect, it } from 'vitest';
import {
  KTR_HEADER_SIZE, KTR_KSIM_NAME, KTR_SYSCALL, KTR_VERSIONED, KTR_DROP, decodeAll, encodeRecord, parseTracePoints,
  DEF_POINTS, ktrfac, KTR_CSW, KTR_FAULT, KTR_FAULTEND, KTR_STRUCT, KTR_STRUCT_ARRAY, KtraceFormatError,
} from '../../src/ktrace/format.js';
import type { KtrBody } from '../../src/ktrace/format.js';

const H = { pid: 2345, tid: 100123, comm: 'test_mysyscall', sec: 1700000000, nsec: 123456789, cpu: 3 };
const u8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('ktr_header version 1', () => {
  it('puts every field at its offset, 64 bytes, little endian', () => {
    const rec = encodeRecord(H, { kind: 'syscall', code: 42, args: [0x2a, -1] });
    expect(rec.length).toBe(64 + 8 + 16);
    const dv = new DataView(rec.buffer);
    expect(dv.getInt32(0, true)).toBe(24); // len: payload only
    expect(dv.getUint16(4, true)).toBe(KTR_SYSCALL | KTR_VERSIONED);
    expect(dv.getInt16(6, true)).toBe(1);
    expect(dv.getInt32(8, true)).toBe(2345);
    expect(new TextDecoder().decode(rec.subarray(12, 12 + 14))).toBe('test_mysyscall');
    expect(rec.subarray(26, 32).every((b) => b === 0)).toBe(true);
    expect(dv.getBigInt64(32, true)).toBe(1700000000n);
    expect(dv.getBigInt64(40, true)).toBe(123456789n);
    expect(dv.getBigInt64(48, true)).toBe(100123n);
    expect(dv.getInt32(56, true)).toBe(3);
    expect(dv.getInt32(60, true)).toBe(0);
    // struct ktr_syscall: short code, short narg, pad, register_t args[] at 8
    expect(dv.getInt16(64, true)).toBe(42);
    expect(dv.getInt16(66, true)).toBe(2);
    expect(dv.getBigInt64(72, true)).toBe(0x2an);
    expect(dv.getBigInt64(80, true)).toBe(-1n);
  });

  it('truncates comm to MAXCOMLEN (19) bytes plus NUL', () => {
    const rec = encodeRecord({ ...H, comm: 'a_very_long_command_name_indeed' }, { kind: 'procdtor' });
    expect(rec[12 + 18]).toBe('a_very_long_command_name_indeed'.charCodeAt(18));
    expect(rec[12 + 19]).toBe(0);
    expect(decodeAll(rec)[0]!.header.comm).toBe('a_very_long_command');
  });

  it('sets KTR_DROP', () => {
    const rec = encodeRecord({ ...H, drop: true }, { kind: 'procdtor' });
    expect(new DataView(rec.buffer).getUint16(4, true)).toBe(11 | KTR_VERSIONED | KTR_DROP);
    const [r] = decodeAll(rec);
    expect(r!.header.drop).toBe(true);
    expect(r!.header.type).toBe(11);
  });
});

describe('payload layouts', () => {
  const cases: Array<[string, KtrBody, number, (dv: DataView) => void]> = [
    ['SYSRET', { kind: 'sysret', code: 5, eosys: 0, error: 2, retval: 0 }, 16, (dv) => {
      expect(dv.getInt16(64, true)).toBe(5);
      expect(dv.getInt32(68, true)).toBe(2);
      expect(dv.getBigInt64(72, true)).toBe(0n);
    }],
    ['GENIO', { kind: 'genio', fd: 1, rw: 1, data: u8('hi') }, 10, (dv) => {
      expect(dv.getInt32(64, true)).toBe(1);
      expect(dv.getInt32(68, true)).toBe(1);
      expect(dv.getUint8(72)).toBe(0x68);
    }],
    ['PSIG', { kind: 'psig', signo: 11, action: 0x401000, code: 1, mask: [0x4000, 0, 0, 0] }, 40, (dv) => {
      expect(dv.getInt32(64, true)).toBe(11);
      expect(dv.getBigInt64(72, true)).toBe(0x401000n); // sig_t after 4 bytes of padding
      expect(dv.getInt32(80, true)).toBe(1);
      expect(dv.getUint32(84, true)).toBe(0x4000); // sigset_t, 16 bytes at 20
    }],
    ['CSW', { kind: 'csw', out: 1, user: 0, wmesg: u8('piperd\0\0') }, 16, (dv) => {
      expect(dv.getInt32(64, true)).toBe(1);
      expect(dv.getInt32(68, true)).toBe(0);
      expect(dv.getUint8(72)).toBe('p'.charCodeAt(0));
    }],
    ['PROCCTOR', { kind: 'procctor', svFlags: 0x209 }, 4, (dv) => expect(dv.getUint32(64, true)).toBe(0x209)],
    ['FAULT', { kind: 'fault', vaddr: 0xdead000, type: 2 }, 16, (dv) => {
      expect(dv.getBigUint64(64, true)).toBe(0xdead000n);
      expect(dv.getInt32(72, true)).toBe(2);
    }],
    ['FAULTEND', { kind: 'faultend', result: 1 }, 4, (dv) => expect(dv.getInt32(64, true)).toBe(1)],
    ['CAPFAIL', { kind: 'capfail', capType: 2, code: 5, svFlags: 0x209, data: new Uint8Array(1024) }, 1040, (dv) => {
      expect(dv.getUint32(64, true)).toBe(2);
      expect(dv.getInt16(68, true)).toBe(5);
      expect(dv.getUint32(72, true)).toBe(0x209);
    }],
    ['STRUCT_ARRAY', { kind: 'struct_array', structSize: 16, raw: u8('timespec\0') }, 17, (dv) => {
      expect(dv.getBigUint64(64, true)).toBe(16n);
      expect(dv.getUint8(72)).toBe('t'.charCodeAt(0));
    }],
    ['KSIM_NAME', { kind: 'ksim_name', nr: 548, name: 'stephen' }, 19, (dv) => {
      expect(dv.getUint16(4, true) & 0xff).toBe(KTR_KSIM_NAME);
      expect(new TextDecoder().decode(new Uint8Array(dv.buffer, 64, 4))).toBe('ksim');
      expect(dv.getInt32(72, true)).toBe(548);
    }],
  ];
  for (const [name, body, size, check] of cases) {
    it(`${name}: ${size}-byte payload round-trips`, () => {
      const rec = encodeRecord(H, body);
      expect(rec.length).toBe(KTR_HEADER_SIZE + size);
      check(new DataView(rec.buffer));
      const [back] = decodeAll(rec);
      expect(back!.body).toEqual(body);
      expect(back!.header).toMatchObject({ pid: 2345, tid: 100123, comm: 'test_mysyscall', sec: 1700000000, nsec: 123456789, cpu: 3, version: 1, len: size });
    });
  }

  it('caps GENIO at 4096 bytes and USER at 2048', () => {
    const big = new Uint8Array(10000).fill(0x41);
    expect(encodeRecord(H, { kind: 'genio', fd: 1, rw: 0, data: big }).length).toBe(64 + 8 + 4096);
    expect(encodeRecord(H, { kind: 'user', data: big }).length).toBe(64 + 2048);
  });

  it('round-trips 64-bit arguments beyond 2^53 as bigints', () => {
    const args = [0x7fffffffffffffffn, -0x8000000000000000n, 0xffffffff, -100];
    const [back] = decodeAll(encodeRecord(H, { kind: 'syscall', code: 1, args }));
    expect(back!.body).toEqual({ kind: 'syscall', code: 1, args });
  });
});

describe('version 0 headers', () => {
  it('reads the 56-byte header with a timeval', () => {
    const rec = encodeRecord({ ...H, version: 0, nsec: 123456000 }, { kind: 'namei', path: u8('/etc/passwd') });
    expect(rec.length).toBe(56 + 11);
    const dv = new DataView(rec.buffer);
    expect(dv.getUint16(4, true)).toBe(3); // no KTR_VERSIONED
    expect(dv.getBigInt64(40, true)).toBe(123456n); // microseconds
    const [back] = decodeAll(rec);
    expect(back!.header).toMatchObject({ version: 0, headerSize: 56, nsec: 123456000, tid: 100123, cpu: 0 });
    expect(new TextDecoder().decode((back!.body as { path: Uint8Array }).path)).toBe('/etc/passwd');
  });
});

describe('errors', () => {
  it('reports torn and corrupted records', () => {
    const rec = encodeRecord(H, { kind: 'namei', path: u8('/etc/passwd') });
    expect(() => decodeAll(rec.subarray(0, 70))).toThrow(KtraceFormatError);
    expect(() => decodeAll(rec.subarray(0, 40))).toThrow(/truncated record header/);
    const bad = rec.slice();
    new DataView(bad.buffer).setInt32(0, -5, true);
    expect(() => decodeAll(bad)).toThrow(/bogus length/);
    const sys = encodeRecord(H, { kind: 'syscall', code: 1, args: [1] });
    new DataView(sys.buffer).setInt16(66, 30, true);
    expect(() => decodeAll(sys)).toThrow(/claims 30 arguments/);
  });
});

describe('trace points (-t)', () => {
  it('maps letters as getpoints() does', () => {
    expect(parseTracePoints('+')).toBe(DEF_POINTS);
    expect(parseTracePoints('w')).toBe(ktrfac(KTR_CSW));
    expect(parseTracePoints('f')).toBe(ktrfac(KTR_FAULT) | ktrfac(KTR_FAULTEND));
    expect(parseTracePoints('t')).toBe(ktrfac(KTR_STRUCT) | ktrfac(KTR_STRUCT_ARRAY));
    expect(parseTracePoints('cx')).toBe(-1);
    expect(DEF_POINTS & ktrfac(KTR_KSIM_NAME)).toBe(0);
  });
});
