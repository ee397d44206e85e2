// The recorder: kernel events of traced processes become ktrace records, one complete record per
// sink call (or blocks of whole records), with PROCCTOR/PROCDTOR, ksim's syscall-name records, trace
// points and inheritance.
import { describe, expect, it } from 'vitest';
import { KtraceRecorder, startKtrace } from '../../src/ktrace/recorder.js';
import { decodeAll, parseTracePoints, KTR_HEADER_SIZE } from '../../src/ktrace/format.js';
import type { SyscallRow } from '../../src/kernel/syscall-row.js';
import { concat, kdump, task, u8 } from './helpers.js';

const row = (nr: number, name: string, nargs: number, custom = false): SyscallRow => ({
  nr, name, abi: 'STD', entry: `sys_${name}`, custom, support: 'full', note: '', classes: [], ret: 'int',
  args: Array.from({ length: nargs }, (_, i) => ({ name: `a${i}`, ctype: 'long', fmt: 'hex', dir: 'in' as const })),
});
const ROWS = [row(5, 'open', 3), row(3, 'read', 3), row(548, 'stephen', 1, true)];
const T = task(2345, 'test_mysyscall', 100123);

function record(opts: ConstructorParameters<typeof KtraceRecorder>[1] = {}) {
  const writes: Uint8Array[] = [];
  const rec = new KtraceRecorder((b) => writes.push(b.slice()), { rows: ROWS, pids: [2345], ...opts });
  return { rec, writes, bytes: () => concat(writes) };
}

const enter = (nr: number, args: number[], timeNs = 1000) => ({ task: T, nr, row: ROWS.find((r) => r.nr === nr), args: [...args, 0, 0, 0, 0, 0, 0].slice(0, 6), timeNs });
const exit = (nr: number, ret: number, errno = 0, timeNs = 2000) => ({ ...enter(nr, [], timeNs), ret, errno, durationNs: 1000 });

describe('KtraceRecorder', () => {
  it('writes PROCCTOR, the syscall name, CALL and RET; a custom name survives the round trip', () => {
    const { rec, writes, bytes } = record();
    rec.syscallEnter(enter(548, [0x2a]));
    rec.syscallExit(exit(548, 84));
    expect(writes.map((w) => decodeAll(w)).every((r) => r.length === 1)).toBe(true); // one record per write
    expect(decodeAll(bytes()).map((r) => r.body.kind)).toEqual(['procctor', 'ksim_name', 'syscall', 'sysret']);
    // No syscall table given to kdump: the name comes from the file.
    expect(kdump(bytes()).out).toBe(
      '  2345 test_mysyscall CALL  stephen(0x2a)\n  2345 test_mysyscall RET   stephen 84/0x54\n');
  });

  it('records only the row\'s arguments, and none for an unknown number', () => {
    const { rec, bytes } = record();
    rec.syscallEnter(enter(5, [0x1000, 0, 0]));
    rec.syscallEnter(enter(999, [1, 2, 3]));
    const calls = decodeAll(bytes()).filter((r) => r.body.kind === 'syscall').map((r) => r.body);
    expect(calls).toEqual([{ kind: 'syscall', code: 5, args: [0x1000, 0, 0] }, { kind: 'syscall', code: 999, args: [] }]);
  });

  it('stamps records with boot time + emulated time, pid, tid, comm and cpu', () => {
    const { rec, bytes } = record({ bootTime: { sec: 1700000000, nsec: 999_999_000 }, cpuOf: () => 2 });
    rec.namei({ task: T, path: '/etc/passwd', timeNs: 2500 });
    const [, nami] = decodeAll(bytes());
    expect(nami!.header).toMatchObject({ pid: 2345, tid: 100123, comm: 'test_mysyscall', sec: 1700000001, nsec: 1500, cpu: 2 });
  });

  it('honours the trace points', () => {
    const { rec, bytes } = record({ points: parseTracePoints('n') });
    rec.syscallEnter(enter(5, [0x1000, 0, 0]));
    rec.namei({ task: T, path: '/x', timeNs: 0 });
    rec.io({ task: T, fd: 1, write: true, data: u8('hi'), timeNs: 0 });
    expect(decodeAll(bytes()).map((r) => r.body.kind)).toEqual(['procctor', 'namei']);
  });

  it('ignores untraced processes; children are traced only with inherit (-i)', () => {
    const child = task(2346, 'child');
    const a = record();
    a.rec.fork({ task: T, child, timeNs: 0 });
    a.rec.namei({ task: child, path: '/c', timeNs: 0 });
    a.rec.namei({ task: task(77), path: '/other', timeNs: 0 });
    expect(decodeAll(a.bytes()).map((r) => r.body.kind)).toEqual([]);
    const b = record({ inherit: true });
    b.rec.fork({ task: T, child, timeNs: 0 });
    b.rec.namei({ task: child, path: '/c', timeNs: 0 });
    b.rec.exit({ task: child, code: 0, coreDumped: false, timeNs: 0 });
    b.rec.namei({ task: child, path: '/after-exit', timeNs: 0 });
    expect(decodeAll(b.bytes()).map((r) => [r.header.pid, r.body.kind])).toEqual([[2346, 'procctor'], [2346, 'namei'], [2346, 'procdtor']]);
  });

  it('caps GENIO at a page and USER at 2048 bytes', () => {
    const { rec, bytes } = record();
    rec.io({ task: T, fd: 3, write: false, data: new Uint8Array(9000), timeNs: 0 });
    rec.userTrace({ task: T, data: new Uint8Array(5000), timeNs: 0 });
    const [, gio, user] = decodeAll(bytes());
    expect(gio!.header.len).toBe(8 + 4096);
    expect(user!.header.len).toBe(2048);
  });

  it('records signals, context switches, faults, structs, sysctl and capability failures', () => {
    const { rec, bytes } = record({ points: parseTracePoints('+wf') });
    rec.signalDeliver({ task: T, signo: 2, info: { code: 0x10001 }, handler: 0x401000, mask: 0x2, timeNs: 0 });
    rec.contextSwitch({ task: T, out: true, wmesg: 'wait', timeNs: 0 });
    rec.fault({ task: T, addr: 0x1000, type: 1, timeNs: 0 });
    rec.fault_end({ task: T, addr: 0x1000, type: 1, result: 0, timeNs: 0 });
    rec.statRecord(T, {
      dev: 1, ino: 2, nlink: 1, mode: 0o100644, uid: 0, gid: 0, rdev: 0, atime: { sec: 5, nsec: 0 },
      mtime: { sec: 5, nsec: 0 }, ctime: { sec: 5, nsec: 0 }, birthtime: { sec: 5, nsec: 0 }, size: 10, blocks: 1,
      blksize: 4096, flags: 0,
    }, 0);
    rec.sysctlRecord(T, 'kern.ostype', 0);
    rec.capFailRecord(T, { type: 6, code: 5, path: '/etc' }, 0);
    const P = '  2345 test_mysyscall ';
    expect(kdump(bytes()).out).toBe(
      `${P}PSIG  SIGINT caught handler=0x401000 mask=0x2 code=SI_USER\n` +
      `${P}CSW   stop kernel "wait"\n` +
      `${P}PFLT  0x1000 0x1<VM_PROT_READ>\n${P}PRET  KERN_SUCCESS\n` +
      `${P}STRU  struct stat {dev=1, ino=2, mode=0100644, nlink=1, uid=0, gid=0, rdev=0, atime=5, mtime=5, ctime=5, birthtime=5, size=10, blksize=4096, blocks=1, flags=0x0 }\n` +
      `${P}SCTL  "kern.ostype"\n` +
      `${P}CAP   open: restricted VFS lookup: /etc\n`);
  });

  it('on a Linux machine: Linux ABI, Linux errno numbers, restarts as RESTART', () => {
    const { rec, bytes } = record({ abi: 'linux' });
    rec.syscallExit(exit(5, -2, 2));
    rec.syscallExit(exit(3, -512, 512));
    expect(kdump(bytes(), { abi: true }).out).toBe(
      '  2345 test_mysyscall RET   L64  open -1 errno 2 No such file or directory\n' +
      '  2345 test_mysyscall RET   L64  read RESTART\n');
  });

  it('marks the record after a failed write with KTR_DROP', () => {
    let fail = false;
    const writes: Uint8Array[] = [];
    const rec = startKtrace({ rows: ROWS, pids: [2345] }, (b) => {
      if (fail) throw new Error('disk full');
      writes.push(b.slice());
    });
    rec.namei({ task: T, path: '/a', timeNs: 0 });
    fail = true;
    rec.namei({ task: T, path: '/lost', timeNs: 0 });
    fail = false;
    rec.namei({ task: T, path: '/b', timeNs: 0 });
    const recs = decodeAll(concat(writes));
    expect(recs.map((r) => r.header.drop)).toEqual([false, false, true]);
    expect(kdump(concat(writes)).out).toBe(
      '  2345 test_mysyscall NAMI  "/a"\n  2345 test_mysyscall Events dropped.\n  2345 test_mysyscall NAMI  "/b"\n');
    expect(KTR_HEADER_SIZE).toBe(64);
  });

  describe('block mode', () => {
    /** The same events, recorded one record per write and in blocks of `bytes`. */
    function both(bytes: number, feed: (rec: KtraceRecorder) => void) {
      const each = record();
      feed(each.rec);
      const blocks = record({ block: { bytes } });
      feed(blocks.rec);
      return { each, blocks };
    }
    const calls = (rec: KtraceRecorder, n: number) => {
      for (let i = 0; i < n; i++) {
        rec.syscallEnter(enter(5, [0x1000 + i, 0, 0], 1000 * i));
        rec.syscallExit(exit(5, i, 0, 1000 * i + 500));
      }
    };

    it('writes the same bytes in blocks of whole records, the rest on flush', () => {
      const { each, blocks } = both(4096, (rec) => calls(rec, 100));
      // 2 + 200 records of 64 + 4..48 bytes: some full blocks, the rest waits for flush().
      expect(blocks.writes.length).toBeGreaterThan(2);
      const before = concat(blocks.writes).length;
      blocks.rec.flush();
      expect(before).toBeLessThan(concat(blocks.writes).length);
      expect(blocks.bytes()).toEqual(each.bytes());
      for (const w of blocks.writes) {
        expect(w.length).toBeLessThanOrEqual(4096);
        // Each block decodes alone: it holds whole records only.
        expect(decodeAll(w).length).toBeGreaterThan(0);
      }
      expect(blocks.rec.written).toBe(each.rec.written);
      expect(blocks.rec.written).toBe(202);
    });

    it('stop() hands over the block; a record bigger than a block goes alone', () => {
      const big = new Uint8Array(3000).fill(0x41);
      const { each, blocks } = both(1024, (rec) => {
        rec.namei({ task: T, path: '/a', timeNs: 0 });
        rec.io({ task: T, fd: 1, write: true, data: big, timeNs: 1 });
        rec.namei({ task: T, path: '/b', timeNs: 2 });
        rec.stop();
      });
      expect(blocks.bytes()).toEqual(each.bytes());
      expect(blocks.writes.map((w) => decodeAll(w).map((r) => r.body.kind))).toEqual([['procctor', 'namei'], ['genio'], ['namei']]);
    });

    it('hands over a block when maxDelayMs has passed (looked at every 64 records)', () => {
      let now = 0;
      const { rec, writes } = record({ block: { bytes: 1 << 20, maxDelayMs: 100, nowMs: () => now } });
      calls(rec, 30); // PROCCTOR, open's name and 60 records
      now = 150;
      expect(writes.length).toBe(0);
      calls(rec, 1); // the 63rd and 64th records
      expect(writes.length).toBe(1);
      expect(decodeAll(writes[0]!).length).toBe(64);
      calls(rec, 32);
      expect(writes.length).toBe(1); // 100 ms have not passed since
    });

    it('a failed block write marks the next record with KTR_DROP', () => {
      let fail = true;
      const writes: Uint8Array[] = [];
      const rec = startKtrace({ rows: ROWS, pids: [2345], block: { bytes: 1024 } }, (b) => {
        if (fail) throw new Error('disk full');
        writes.push(b.slice());
      });
      rec.namei({ task: T, path: '/lost', timeNs: 0 });
      rec.flush();
      fail = false;
      rec.namei({ task: T, path: '/b', timeNs: 0 });
      rec.flush();
      expect(kdump(concat(writes)).out).toBe('  2345 test_mysyscall Events dropped.\n  2345 test_mysyscall NAMI  "/b"\n');
    });
  });
});
