// kdump's throughput and memory benchmark, for `npm run bench`: dumps a generated trace of N
// records (never held in memory: the bytes are produced on demand from a repeating block) and
// reports records per second and the peak heap growth while dumping. The Node-specific probes
// (heap usage, clock) are looked up on globalThis, so this file imports nothing from Node.
import { encodeRecord, SV_ABI_FREEBSD, SV_LP64 } from './format.js';
import type { KtrBody, KtrHeaderInit } from './format.js';
import { defaultKdumpOptions, runKdumpStream } from './kdump.js';
import type { ByteSource, KdumpOptions } from './kdump.js';

const enc = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * A synthetic trace of `records` records after a short prelude (PROCCTOR and name records):
 * open/NAMI/RET/read/GIO/RET/write/GIO/RET repeating. Returns the byte source, its size and the
 * number of records kdump will print.
 */
export function syntheticTrace(records: number): { source: ByteSource; size: number; printed: number } {
  const h = (i: number): KtrHeaderInit => ({ pid: 4242, tid: 104242, comm: 'bench', sec: 1700000000, nsec: i * 1000, cpu: 0 });
  const prelude = concat([
    encodeRecord(h(0), { kind: 'procctor', svFlags: SV_ABI_FREEBSD | SV_LP64 }),
    encodeRecord(h(0), { kind: 'ksim_name', nr: 3, name: 'read' }),
    encodeRecord(h(0), { kind: 'ksim_name', nr: 4, name: 'write' }),
    encodeRecord(h(0), { kind: 'ksim_name', nr: 5, name: 'open' }),
  ]);
  const bodies: KtrBody[] = [
    { kind: 'syscall', code: 5, args: [0x7fffffffe9c0, 0x100000, 0] },
    { kind: 'namei', path: enc.encode('/usr/share/misc/bench.txt') },
    { kind: 'sysret', code: 5, eosys: 0, error: 0, retval: 3 },
    { kind: 'syscall', code: 3, args: [3, 0x7fffffffd000, 4096] },
    { kind: 'genio', fd: 3, rw: 0, data: enc.encode('hello from the benchmark\n') },
    { kind: 'sysret', code: 3, eosys: 0, error: 0, retval: 25 },
    { kind: 'syscall', code: 4, args: [1, 0x7fffffffd000, 25] },
    { kind: 'genio', fd: 1, rw: 1, data: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0x41, 0x42]) },
    { kind: 'sysret', code: 4, eosys: 0, error: 0, retval: 25 },
  ];
  const blockRecords = bodies.map((b, i) => encodeRecord(h(i + 1), b));
  const block = concat(blockRecords);
  const fullBlocks = Math.floor(records / bodies.length);
  const tail = concat(blockRecords.slice(0, records - fullBlocks * bodies.length));
  const size = prelude.length + fullBlocks * block.length + tail.length;
  const source: ByteSource = {
    read(buf, position) {
      let n = 0;
      let pos = position;
      while (n < buf.length && pos < size) {
        let src: Uint8Array;
        let off: number;
        if (pos < prelude.length) {
          src = prelude;
          off = pos;
        } else if (pos < prelude.length + fullBlocks * block.length) {
          src = block;
          off = (pos - prelude.length) % block.length;
        } else {
          src = tail;
          off = pos - prelude.length - fullBlocks * block.length;
        }
        const k = Math.min(src.length - off, buf.length - n);
        buf.set(src.subarray(off, off + k), n);
        n += k;
        pos += k;
      }
      return n;
    },
  };
  return { source, size, printed: records };
}

export interface KdumpBenchResult {
  records: number;
  bytes: number;
  seconds: number;
  recordsPerSecond: number;
  /** Output bytes kdump produced. */
  outputBytes: number;
  /** Peak heap growth over the starting heap while dumping, in bytes (-1 when unknown). */
  peakHeapBytes: number;
}

interface BenchProbes {
  now?: () => number;
  heapUsed?: () => number;
}

function defaultProbes(): Required<BenchProbes> {
  const g = globalThis as unknown as {
    performance?: { now(): number };
    process?: { memoryUsage?: () => { heapUsed: number } };
  };
  return {
    now: () => (g.performance ? g.performance.now() : Date.now()),
    heapUsed: () => g.process?.memoryUsage?.().heapUsed ?? -1,
  };
}

/** Dumps `records` generated records through kdump's text formatter; returns speed and memory. */
export function benchKdump(records: number, opts: Partial<KdumpOptions> = {}, probes: BenchProbes = {}): KdumpBenchResult {
  const p = { ...defaultProbes(), ...probes };
  const { source, size } = syntheticTrace(records);
  const base = p.heapUsed();
  let peak = base;
  let outputBytes = 0;
  let sinceSample = 0;
  const start = p.now();
  const result = runKdumpStream(source, { ...defaultKdumpOptions(), ...opts }, (text) => {
    outputBytes += text.length;
    if (++sinceSample >= 16) {
      sinceSample = 0;
      const h = p.heapUsed();
      if (h > peak) peak = h;
    }
  }, () => undefined);
  const seconds = (p.now() - start) / 1000;
  return {
    records: result.records,
    bytes: size,
    seconds,
    recordsPerSecond: seconds > 0 ? result.records / seconds : Infinity,
    outputBytes,
    peakHeapBytes: base < 0 ? -1 : peak - base,
  };
}
