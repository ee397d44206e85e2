// kdump streams: a generated 1,000,000-record trace is dumped with bounded memory, and torn or
// corrupted files print every good record, then one `kdump:` error with status 1.
import { describe, expect, it } from 'vitest';
import { benchKdump, syntheticTrace } from '../../src/ktrace/bench.js';
import { KtraceReader } from '../../src/ktrace/kdump.js';
import { encodeRecord } from '../../src/ktrace/format.js';
import { H, concat, kdump, memorySource, trace, u8 } from './helpers.js';

describe('streaming', () => {
  it('dumps 1,000,000 records without growing memory', () => {
    const heap = (): number => process.memoryUsage().heapUsed;
    const { size } = syntheticTrace(1_000_000);
    const r = benchKdump(1_000_000, {}, { heapUsed: heap });
    expect(r.records).toBe(1_000_000 + 4);
    expect(size).toBeGreaterThan(80_000_000);
    // The trace is ~88 MB and the text output ~58 MB; a reader holding either would show here.
    expect(r.peakHeapBytes).toBeLessThan(40 * 1024 * 1024);
    expect(r.outputBytes).toBeGreaterThan(50_000_000);
  });

  it('reads records that straddle its chunk boundaries and records larger than a chunk', () => {
    const big = new Uint8Array(200_000).fill(0x61);
    const recs = [];
    for (let i = 0; i < 3000; i++) recs.push(encodeRecord(H, { kind: 'namei', path: u8(`/p/${i}`) }));
    recs.push(encodeRecord(H, { kind: 'unknown', raw: big }, 33));
    recs.push(encodeRecord(H, { kind: 'namei', path: u8('/last') }));
    const reader = new KtraceReader(memorySource(concat(recs)));
    let n = 0;
    let last;
    for (let r = reader.next(); r; r = reader.next()) {
      n++;
      last = r;
    }
    expect(n).toBe(3002);
    expect(new TextDecoder().decode((last!.body as { path: Uint8Array }).path)).toBe('/last');
  });

  it('follows a growing file with -l', () => {
    const first = encodeRecord(H, { kind: 'namei', path: u8('/one') });
    const second = encodeRecord(H, { kind: 'namei', path: u8('/two') });
    let data: Uint8Array = first.subarray(0, 70); // torn at first: the writer is mid-record
    let sleeps = 0;
    const src = { read: (b: Uint8Array, pos: number) => memorySource(data).read(b, pos) };
    const reader = new KtraceReader(src, {
      sleepMs: () => {
        sleeps++;
        if (sleeps === 1) data = first;
        if (sleeps === 2) data = concat([first, second]);
      },
      stop: () => sleeps > 3,
    });
    const paths: string[] = [];
    for (let r = reader.next(); r; r = reader.next()) paths.push(new TextDecoder().decode((r.body as { path: Uint8Array }).path));
    expect(paths).toEqual(['/one', '/two']);
    expect(sleeps).toBe(4);
  });
});

describe('bad files', () => {
  const good = trace([
    [{}, { kind: 'namei', path: u8('/a') }],
    [{}, { kind: 'namei', path: u8('/b') }],
  ]);
  const P = '  2345 test_mysyscall ';

  it('a file torn inside a payload prints the good records, then "data too short"', () => {
    const r = kdump(good.subarray(0, good.length - 1));
    expect(r.out).toBe(`${P}NAMI  "/a"\n`);
    expect(r.err).toBe('kdump: data too short: record at offset 66 needs 2 bytes of data\n');
    expect(r.status).toBe(1);
  });

  it('a file torn inside a header', () => {
    const r = kdump(good.subarray(0, 66 + 30));
    expect(r.out).toBe(`${P}NAMI  "/a"\n`);
    expect(r.err).toBe('kdump: truncated record header at offset 66 (30 bytes)\n');
    expect(r.status).toBe(1);
  });

  it('every truncation point ends cleanly: no exception, status 1 unless on a record boundary', () => {
    for (let cut = 0; cut < good.length; cut++) {
      const r = kdump(good.subarray(0, cut));
      expect(r.status).toBe(cut === 0 || cut === 66 ? 0 : 1);
      expect(r.err.split('\n').filter(Boolean).length).toBe(cut === 0 || cut === 66 ? 0 : 1);
    }
  });

  it('corrupted lengths, versions and payloads', () => {
    const neg = good.slice();
    new DataView(neg.buffer).setInt32(66, -1, true);
    expect(kdump(neg).err).toBe('kdump: bogus length 0xffffffff at offset 66\n');
    const huge = good.slice();
    new DataView(huge.buffer).setInt32(66, 0x7fffffff, true);
    expect(kdump(huge)).toMatchObject({ out: `${P}NAMI  "/a"\n`, err: 'kdump: bogus length 0x7fffffff at offset 66\n', status: 1 });
    const ver = good.slice();
    new DataView(ver.buffer).setInt16(66 + 6, 9, true);
    expect(kdump(ver).err).toBe('kdump: unsupported ktrace header version 9 at offset 66\n');
    const sysret = concat([good, encodeRecord(H, { kind: 'unknown', raw: new Uint8Array(4) }, 2)]);
    expect(kdump(sysret)).toMatchObject({ err: 'kdump: SYSRET record at offset 132 is 4 bytes, needs 16\n', status: 1 });
  });

  it('random garbage never throws', () => {
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 8) & 0xff;
    for (let t = 0; t < 200; t++) {
      const bytes = good.slice();
      for (let k = 0; k < 4; k++) bytes[rnd() % bytes.length] = rnd();
      const r = kdump(bytes);
      expect([0, 1]).toContain(r.status);
    }
  });
});
