// Test helpers: build trace files in memory and run kdump over them.
import { encodeRecord } from '../../src/ktrace/format.js';
import type { KtrBody, KtrHeaderInit } from '../../src/ktrace/format.js';
import { defaultKdumpOptions, runKdumpStream } from '../../src/ktrace/kdump.js';
import type { ByteSource, KdumpOptions } from '../../src/ktrace/kdump.js';
import { runKdump } from '../../src/ktrace/cli.js';
import type { TraceTask } from '../../src/kernel/events.js';
import { createMemoryHost } from './memory-host.js';

export const u8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export const H: KtrHeaderInit = { pid: 2345, tid: 100123, comm: 'test_mysyscall', sec: 1700000000, nsec: 500000000, cpu: 1 };

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A trace from [header overrides, body] pairs. */
export function trace(records: Array<[Partial<KtrHeaderInit>, KtrBody, number?]>): Uint8Array {
  return concat(records.map(([h, b, t]) => encodeRecord({ ...H, ...h }, b, t)));
}

export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    read(buf, pos) {
      const n = Math.max(0, Math.min(buf.length, bytes.length - pos));
      buf.set(bytes.subarray(pos, pos + n));
      return n;
    },
  };
}

export function kdump(bytes: Uint8Array, opts: Partial<KdumpOptions> = {}): { out: string; err: string; status: number } {
  let out = '';
  let err = '';
  const r = runKdumpStream(memorySource(bytes), { ...defaultKdumpOptions(), ...opts }, (s) => (out += s), (s) => (err += s));
  return { out, err, status: r.status };
}

/** Runs the kdump command line over a file named ktrace.out in a memory host. */
export function kdumpCli(argv: string[], file?: Uint8Array): { out: string; err: string; status: number } {
  const host = createMemoryHost();
  if (file) host.fs.writeFile('/work/ktrace.out', file);
  const status = runKdump(argv, { host });
  return { out: host.out(), err: host.errText(), status };
}

export function task(pid: number, comm = 'test', tid = pid + 100000): TraceTask {
  return {
    pid, tid, ppid: 1, uid: 0, gid: 0, comm,
    readUser: () => null, readCString: () => null, fdPath: () => undefined, userStack: () => [],
  };
}
