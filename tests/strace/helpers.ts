// Test helpers for strace: a fake TraceTask whose memory is a Map of bytes, syscall rows built from
// the stock x86_64 table and the signatures, and a harness that feeds synthetic kernel events to a
// Strace and collects what it writes.
import type { Int64, StackFrameInfo, TraceTask } from '../../src/kernel/events.js';
import type { SyscallRow } from '../../src/kernel/syscall-row.js';
import { LINUX_X86_64_TABLE } from '../../src/kernel/linux/tables.js';
import { linuxSignature } from '../../src/kernel/linux/signatures.js';
import { Strace } from '../../src/strace/strace.js';
import { parseStraceArgs } from '../../src/strace/cli.js';
import { defaultStraceOptions, type StraceOptions } from '../../src/strace/options.js';

export class FakeTask implements TraceTask {
  readonly mem = new Map<number, number>();
  readonly fds = new Map<number, string>();
  stack: StackFrameInfo[] = [];
  uid = 0;
  gid = 0;
  comm = 'test';
  private next = 0x7ffd0000;

  constructor(
    readonly pid: number,
    readonly ppid = 1,
  ) {}

  get tid(): number {
    return this.pid;
  }

  poke(addr: number, data: Uint8Array | string | number[]): number {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    for (let i = 0; i < bytes.length; i++) this.mem.set(addr + i, bytes[i]!);
    return addr;
  }

  /** Places data at a fresh address and returns it. */
  put(data: Uint8Array | string | number[]): number {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : Uint8Array.from(data);
    const addr = this.next;
    this.next += Math.ceil((bytes.length + 1) / 16) * 16 + 16;
    return this.poke(addr, bytes);
  }

  /** A NUL-terminated string at a fresh address. */
  cstr(s: string): number {
    return this.put([...new TextEncoder().encode(s), 0]);
  }

  /** Little-endian 64-bit words at a fresh address. */
  words(...values: (number | bigint)[]): number {
    const b = new Uint8Array(values.length * 8);
    const dv = new DataView(b.buffer);
    values.forEach((v, i) => dv.setBigUint64(i * 8, BigInt.asUintN(64, BigInt(v)), true));
    return this.put(b);
  }

  /** Reserves len zero bytes. */
  zeros(len: number): number {
    return this.put(new Uint8Array(len));
  }

  setU32(addr: number, v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.poke(addr, b);
  }

  setU64(addr: number, v: number | bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
    this.poke(addr, b);
  }

  readUser(addr: Int64, len: number): Uint8Array | null {
    const a = Number(addr);
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const b = this.mem.get(a + i);
      if (b === undefined) return null;
      out[i] = b;
    }
    return out;
  }

  readCString(addr: Int64, max: number): { bytes: Uint8Array; complete: boolean } | null {
    const a = Number(addr);
    if (!this.mem.has(a)) return null;
    const bytes: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = this.mem.get(a + i);
      if (b === undefined) return { bytes: Uint8Array.from(bytes), complete: false };
      if (b === 0) return { bytes: Uint8Array.from(bytes), complete: true };
      bytes.push(b);
    }
    return { bytes: Uint8Array.from(bytes), complete: false };
  }

  fdPath(fd: number): string | undefined {
    return this.fds.get(fd);
  }

  userStack(): StackFrameInfo[] {
    return this.stack;
  }
}

/** The stock rows with their signatures (what the kernel's table will give strace). */
export function stockRows(): SyscallRow[] {
  return LINUX_X86_64_TABLE.filter((r) => r.abi !== 'x32').flatMap((r) => {
    const sig = linuxSignature(r.name);
    if (!sig) return [];
    return [{
      nr: r.nr, name: r.name, abi: r.abi, entry: r.entry, args: sig.args, ret: sig.ret,
      support: 'full' as const, note: '', since: r.since, classes: sig.classes, custom: false,
    }];
  });
}

export const ROWS = stockRows();
const BY_NAME = new Map(ROWS.map((r) => [r.name, r]));

export function row(name: string): SyscallRow {
  const r = BY_NAME.get(name);
  if (!r) throw new Error(`no row ${name}`);
  return r;
}

export interface CallOptions {
  errno?: number;
  /** Runs between entry and exit (the kernel filling out-buffers). */
  during?: () => void;
  durationNs?: number;
  timeNs?: number;
}

/** A Strace fed by hand, with everything it writes collected. */
export class Harness {
  readonly strace: Strace;
  stderr = '';
  readonly files = new Map<string, string>();
  time = 0;
  rows: SyscallRow[];

  constructor(options: Partial<StraceOptions> | string[] = {}, rows: SyscallRow[] = ROWS, wallBaseNs = 0) {
    let o: StraceOptions;
    if (Array.isArray(options)) {
      const parsed = parseStraceArgs([...options, 'prog'], { syscallNames: rows.map((r) => r.name) });
      if (!('options' in parsed)) throw new Error(JSON.stringify(parsed));
      o = parsed.options;
    } else o = { ...defaultStraceOptions(), ...options };
    this.rows = rows;
    this.strace = new Strace(o, rows, {
      stderr: (t) => (this.stderr += t),
      openFile: (p) => {
        this.files.set(p, this.files.get(p) ?? '');
        return (t) => this.files.set(p, this.files.get(p)! + t);
      },
    }, { wallBaseNs });
  }

  enter(task: FakeTask, name: string | number, args: Int64[], timeNs?: number): void {
    const r = typeof name === 'number' ? this.rows.find((x) => x.nr === name) : this.rows.find((x) => x.name === name);
    const nr = typeof name === 'number' ? name : r!.nr;
    const full = [...args, 0, 0, 0, 0, 0, 0].slice(0, 6);
    if (timeNs !== undefined) this.time = timeNs;
    this.strace.syscallEnter({ task, nr, row: r, args: full, timeNs: this.time });
  }

  exit(task: FakeTask, name: string | number, args: Int64[], ret: Int64, opts: CallOptions = {}): void {
    const r = typeof name === 'number' ? this.rows.find((x) => x.nr === name) : this.rows.find((x) => x.name === name);
    const nr = typeof name === 'number' ? name : r!.nr;
    const full = [...args, 0, 0, 0, 0, 0, 0].slice(0, 6);
    const errno = opts.errno ?? 0;
    const duration = opts.durationNs ?? 0;
    this.time += duration;
    this.strace.syscallExit({
      task, nr, row: r, args: full, timeNs: this.time, ret: errno ? -errno : ret, errno, durationNs: duration,
    });
  }

  call(task: FakeTask, name: string | number, args: Int64[], ret: Int64, opts: CallOptions = {}): void {
    this.enter(task, name, args, opts.timeNs);
    opts.during?.();
    this.exit(task, name, args, ret, opts);
  }
}
