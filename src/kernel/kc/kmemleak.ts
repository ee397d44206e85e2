// kmemleak for Linux kernel C: every object kernel C allocates (kmalloc, kzalloc, kcalloc,
// krealloc, kstrdup) is recorded with its size (the kmalloc cache's object size), the allocating
// task, jiffies and call stack, and forgotten at kfree. A scan marks the objects reachable from the
// kernel image's data (and, transitively, from reachable objects: any aligned word pointing into an
// object) as mm/kmemleak.c does; an unreachable object not reported before is a new suspected leak.
//
// When: on `echo scan > /sys/kernel/debug/kmemleak`, and when a run ends (ksim's kernel does not
// outlive a ksim command, so that is its last chance), not every 10 minutes; objects are not
// required to be 5 s old. The kernel runs with kmemleak.verbose=1: each new leak is printed to the
// kernel log as print_unreferenced() writes it, then "kmemleak: N new suspected memory leaks (see
// /sys/kernel/debug/kmemleak)"; reading that file lists the leaks found, "clear" forgets them.
import type { Cpu, StackEntry } from '../../runtime/cpu.js';
import { toHex } from '../../runtime/memory.js';
import type { Int64 } from '../events.js';
import type { Task } from '../task.js';
import type { KernelC } from './kernel-c.js';
import { E, Errno } from '../errno.js';

interface KmemleakObject {
  addr: number;
  size: number;
  comm: string;
  pid: number;
  jiffies: number;
  trace: StackEntry[];
  reported: boolean;
  /** Painted grey by "clear": never reported again. */
  ignored: boolean;
}

/** SLUB's kmalloc caches on x86_64; larger requests go to the page allocator with their own size. */
const KMALLOC_SIZES = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192];
/** INITIAL_JIFFIES with HZ=1000: jiffies wrap 5 minutes after boot. */
const INITIAL_JIFFIES = 4294967296 - 300 * 1000;

function num(v: Int64): number {
  return typeof v === 'number' ? v : Number(BigInt.asIntN(64, v));
}

/** The size kmemleak records for a kmalloc of n bytes. */
export function kmallocObjectSize(n: number): number {
  return KMALLOC_SIZES.find((s) => s >= n) ?? n;
}

/** crc32_le(0, data) as the kernel computes an object's checksum (no pre/post inversion). */
function crc32le(data: Uint8Array): number {
  let crc = 0;
  for (const b of data) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return crc >>> 0;
}

/** hex_dump_to_buffer(ptr, len, 16, 1, ..., true): bytes, then the ASCII column at 49. */
function hexDumpLine(bytes: Uint8Array): string {
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const ascii = [...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return `${hex.padEnd(49)}${ascii}`;
}

export class Kmemleak {
  private readonly objects = new Map<number, KmemleakObject>();

  constructor(private readonly kc: KernelC) {}

  alloc(P: Cpu, addr: number, requested: number): void {
    if (addr === 0 || addr === 16) return; // NULL, ZERO_SIZE_PTR
    const t = (P.context as { task: Task }).task;
    const jiffies = INITIAL_JIFFIES + Math.floor(this.kc.kernel.clock.uptimeNs() / 1e6);
    this.objects.set(addr, { addr, size: kmallocObjectSize(requested), comm: t.comm, pid: t.pid, jiffies, trace: P.callStack(), reported: false, ignored: false });
  }

  free(addr: number): void {
    this.objects.delete(addr);
  }

  /** Objects nothing reachable points to. */
  unreferenced(): KmemleakObject[] {
    const objs = [...this.objects.values()].sort((a, b) => a.addr - b.addr);
    const marked = new Set<KmemleakObject>();
    const find = (v: number): KmemleakObject | undefined => {
      let lo = 0;
      let hi = objs.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const o = objs[mid]!;
        if (v < o.addr) hi = mid - 1;
        else if (v >= o.addr + o.size) lo = mid + 1;
        else return o;
      }
      return undefined;
    };
    const gray: KmemleakObject[] = [];
    const scan = (start: number, len: number) => {
      let bytes: Uint8Array;
      try {
        bytes = this.kc.mem.read(start, len);
      } catch {
        return;
      }
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let off = 0; off + 8 <= bytes.length; off += 8) {
        const o = find(num(dv.getBigInt64(off, true)));
        if (o && !marked.has(o)) {
          marked.add(o);
          gray.push(o);
        }
      }
    };
    for (const s of this.kc.loaded?.segments ?? []) if (!/text/.test(s.name)) scan(s.addr, s.size);
    while (gray.length) {
      const o = gray.pop()!;
      scan(o.addr, o.size);
    }
    return objs.filter((o) => !marked.has(o));
  }

  /** Objects unreferenced at the last scan (white), for the report. */
  private white = new Set<KmemleakObject>();

  /** kmemleak_scan(): reports the new suspected leaks in the kernel log; their number. */
  scan(): number {
    let fresh = 0;
    this.white = new Set(this.unreferenced());
    for (const o of this.white) {
      if (o.reported || o.ignored) continue;
      o.reported = true;
      fresh++;
      for (const l of this.describe(o)) this.kc.kernel.printk(`\x014kmemleak: ${l}\n`);
    }
    if (fresh) this.kc.kernel.printk(`\x016kmemleak: ${fresh} new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n`);
    return fresh;
  }

  /** print_unreferenced()'s lines for an object. */
  private describe(o: KmemleakObject): string[] {
    const lines = [`unreferenced object 0x${toHex(o.addr).padStart(16, '0')} (size ${o.size}):`, `  comm "${o.comm}", pid ${o.pid}, jiffies ${o.jiffies}`];
    const shown = Math.min(o.size, 32);
    const bytes = this.kc.mem.read(o.addr, o.size);
    lines.push(`  hex dump (first ${shown} bytes):`);
    for (let i = 0; i < shown; i += 16) lines.push(`    ${hexDumpLine(bytes.subarray(i, Math.min(i + 16, shown)))}`);
    lines.push(`  backtrace (crc ${crc32le(bytes).toString(16)}):`);
    for (const f of o.trace) lines.push(`    [<${toHex(f.addr).padStart(16, '0')}>] ${f.name}+0x${((f.line % 64) * 4).toString(16)}/0x100`);
    return lines;
  }

  /** Reading /sys/kernel/debug/kmemleak: every reported leak still unreferenced at the last scan. */
  report(): string {
    let out = '';
    for (const o of this.white) if (o.reported && !o.ignored && this.objects.get(o.addr) === o) out += this.describe(o).join('\n') + '\n';
    return out;
  }

  /** A command written to /sys/kernel/debug/kmemleak: "scan", or "clear" (forget the leaks reported so far). */
  command(text: string): void {
    if (text.startsWith('clear')) {
      for (const o of this.white) if (o.reported) o.ignored = true;
    } else if (text.startsWith('scan')) {
      this.scan();
    } else {
      throw new Errno(E.INVAL);
    }
  }
}

/** Wraps a KernelC's allocation intrinsics so kmemleak records and forgets their objects. */
export function trackAllocations(kc: KernelC, kmemleak: Kmemleak, intr: Record<string, (...a: any[]) => unknown>): void {
  const wrap = (name: string, size: (a: any[]) => number, freed?: (a: any[]) => number) => {
    const orig = intr[name]!;
    intr[name] = (P: Cpu, ...a: any[]) => {
      const r = orig(P, ...a);
      const addr = num(r as Int64);
      if (addr && freed) kmemleak.free(freed(a));
      kmemleak.alloc(P, addr, size(a));
      return r;
    };
  };
  wrap('kmalloc', (a) => num(a[0]));
  wrap('kzalloc', (a) => num(a[0]));
  wrap('kcalloc', (a) => num(a[0]) * num(a[1]));
  wrap('krealloc', (a) => num(a[1]), (a) => num(a[0]));
  const kstrdup = intr.kstrdup!;
  intr.kstrdup = (P: Cpu, s: Int64) => {
    const r = kstrdup(P, s);
    const addr = num(r as Int64);
    if (addr) kmemleak.alloc(P, addr, kc.heap.size(addr) === undefined ? 0 : P.mem.cstring(addr, 1 << 20).length + 1);
    return r;
  };
  const kfree = intr.kfree!;
  intr.kfree = (P: Cpu, p: Int64) => {
    const r = kfree(P, p);
    kmemleak.free(num(p));
    return r;
  };
}
