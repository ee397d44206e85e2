// The ktrace recorder: a KernelObserver that turns kernel events of the traced processes into
// ktrace records (format.ts) and hands each record, complete, to a sink in one call, so a sink that
// appends with one write per call leaves only whole records behind a killed process (at worst a torn
// last record, which kdump reports). With `block`, records are encoded into one buffer and handed
// over in blocks of whole records (a write per block instead of per record: ktrace's cost per call). It writes what FreeBSD's kern_ktrace.c writes: SYSCALL/SYSRET
// (c), NAMEI (n), GENIO (i), PSIG (s), CSW (w), USER (u), STRUCT (t), SYSCTL (y), CAPFAIL (p),
// FAULT/FAULTEND (f), and PROCCTOR/PROCDTOR for every traced process; plus ksim's KTR_KSIM_NAME
// record the first time a syscall number appears, so the file carries its own syscall names.
import type {
  FaultEvent, ForkEvent, IoEvent, KernelObserver, NameiEvent, ExitEvent, SignalEvent, SwitchEvent,
  SyscallEnterEvent, SyscallExitEvent, TraceTask, UserTraceEvent, Int64,
} from '../kernel/events.js';
import type { SyscallRow } from '../kernel/syscall-row.js';
import {
  DEF_POINTS, KTR_CAPFAIL, KTR_CSW, KTR_FAULT, KTR_FAULTEND, KTR_GENIO, KTR_NAMEI, KTR_PSIG, KTR_STRUCT,
  KTR_STRUCT_ARRAY, KTR_SYSCALL, KTR_SYSCTL, KTR_SYSRET, KTR_USER, KTR_GENIO_MAX, KTR_USER_MAXLEN, MAXPATHLEN,
  SV_ABI_FREEBSD, SV_ABI_LINUX, SV_IA32, SV_ILP32, SV_LP64, encodeRecord, encodeRecordAt, encodedSize, ktrfac, textToBytes,
} from './format.js';
import type { KtrBody, KtrHeaderInit } from './format.js';
import { FREEBSD_ERESTART } from '../kernel/errno-freebsd.js';

export type KtraceAbi = 'freebsd' | 'linux' | 'linux32';

export interface KtraceRecorderOptions {
  /** Trace points as KTRFAC bits (parseTracePoints of -t); default DEF_POINTS. */
  points?: number;
  /** -i: children forked by a traced process are traced too. */
  inherit?: boolean;
  /** The pids traced from the start, or 'all' (every process on the machine). */
  pids?: Iterable<number> | 'all';
  /** The machine's ABI, written in PROCCTOR records (kdump -A, names and errno texts). */
  abi?: KtraceAbi;
  /** A syscall's name by number; or give `rows`. */
  nameOf?: (nr: number) => string | undefined;
  /** The machine's syscall rows (used when nameOf is not given). */
  rows?: Iterable<SyscallRow>;
  /** Wall-clock time at boot; record times are boot time + the event's emulated time. */
  bootTime?: { sec: number; nsec: number };
  /** The cpu a task runs on (ktr_cpu); default 0. */
  cpuOf?: (task: TraceTask) => number;
  /**
   * Hand records to the sink in blocks of whole records, of at most `bytes` (a bigger record goes
   * alone), and when `maxDelayMs` has passed since the last block (looked at every 64 records, on
   * `nowMs`), so a killed writer loses at most that much; `flush()` hands over the rest.
   */
  block?: { bytes: number; maxDelayMs?: number; nowMs?: () => number };
}

/** Facts for a FreeBSD `struct stat` STRUCT record (what fstat/stat return). */
export interface KtraceStat {
  dev: Int64; ino: Int64; nlink: Int64; mode: number; uid: number; gid: number; rdev: Int64;
  atime: { sec: number; nsec: number }; mtime: { sec: number; nsec: number };
  ctime: { sec: number; nsec: number }; birthtime: { sec: number; nsec: number };
  size: Int64; blocks: Int64; blksize: number; flags: number; gen?: Int64;
}

/** A capability failure (struct ktr_cap_fail). `needed`/`held` are 16-byte cap_rights_t values. */
export interface KtraceCapFail {
  /** CAPFAIL_NOTCAPABLE ... CAPFAIL_CPUSET (format.ts). */
  type: number;
  /** The syscall number. */
  code: number;
  needed?: Uint8Array;
  held?: Uint8Array;
  /** The signal, protocol or fcntl command, for the kinds that carry one. */
  int?: number;
  /** The path of a restricted lookup, or a raw sockaddr. */
  path?: string;
  sockaddr?: Uint8Array;
}

const LINUX_RESTART_ERRNOS = new Set([512, 513, 514, 516]);

function svFlagsFor(abi: KtraceAbi): number {
  switch (abi) {
    case 'freebsd': return SV_ABI_FREEBSD | SV_LP64;
    case 'linux': return SV_ABI_LINUX | SV_LP64;
    case 'linux32': return SV_ABI_LINUX | SV_ILP32 | SV_IA32;
  }
}

export class KtraceRecorder implements KernelObserver {
  readonly points: number;
  readonly inherit: boolean;
  readonly abi: KtraceAbi;
  readonly svFlags: number;
  private readonly traceAll: boolean;
  private readonly traced = new Set<number>();
  /** Pids whose PROCCTOR is written. */
  private readonly announced = new Set<number>();
  private readonly namedSyscalls = new Set<number>();
  private readonly nameOf: (nr: number) => string | undefined;
  private readonly bootSec: number;
  private readonly bootNsec: number;
  private readonly cpuOf: (task: TraceTask) => number;
  /** Set when the sink failed; the next record carries KTR_DROP. */
  private dropped = false;
  private stopped = false;
  /** Records handed to the sink. */
  written = 0;
  /** Block mode: the block being filled, its view, bytes used, records in it. */
  private readonly blockSize: number;
  private readonly blockOpts: KtraceRecorderOptions['block'];
  private blockBytes: Uint8Array | undefined;
  private blockView: DataView | undefined;
  private blockUsed = 0;
  private blockRecords = 0;
  private lastFlushMs = 0;

  constructor(
    private readonly sink: (bytes: Uint8Array) => void,
    opts: KtraceRecorderOptions = {},
  ) {
    this.points = opts.points ?? DEF_POINTS;
    this.inherit = opts.inherit ?? false;
    this.abi = opts.abi ?? 'freebsd';
    this.svFlags = svFlagsFor(this.abi);
    this.traceAll = opts.pids === 'all';
    if (opts.pids && opts.pids !== 'all') for (const p of opts.pids) this.traced.add(p);
    if (opts.nameOf) {
      this.nameOf = opts.nameOf;
    } else {
      const names = new Map<number, string>();
      for (const r of opts.rows ?? []) if (r.name) names.set(r.nr, r.name);
      this.nameOf = (nr) => names.get(nr);
    }
    this.bootSec = opts.bootTime?.sec ?? 0;
    this.bootNsec = opts.bootTime?.nsec ?? 0;
    this.cpuOf = opts.cpuOf ?? (() => 0);
    this.blockSize = opts.block ? Math.max(1024, opts.block.bytes) : 0;
    this.blockOpts = opts.block;
    if (this.blockSize) this.newBlock();
    this.lastFlushMs = opts.block?.nowMs?.() ?? 0;
  }

  private newBlock(): void {
    this.blockBytes = new Uint8Array(this.blockSize);
    this.blockView = new DataView(this.blockBytes.buffer);
    this.blockUsed = 0;
    this.blockRecords = 0;
  }

  /** Block mode: hands the records encoded so far to the sink. */
  flush(): void {
    if (!this.blockBytes || this.blockUsed === 0) return;
    const bytes = this.blockBytes.subarray(0, this.blockUsed);
    const n = this.blockRecords;
    this.newBlock();
    if (this.blockOpts?.nowMs) this.lastFlushMs = this.blockOpts.nowMs();
    this.deliver(bytes, n);
  }

  private deliver(bytes: Uint8Array, records: number): void {
    try {
      this.sink(bytes);
      this.dropped = false;
      this.written += records;
    } catch {
      // Observers must not throw; the loss shows as `Events dropped.` on the next record.
      this.dropped = true;
    }
  }

  private emitToBlock(h: KtrHeaderInit, body: KtrBody): void {
    let size: number;
    try {
      size = encodedSize(h, body);
    } catch {
      return;
    }
    if (this.blockUsed + size > this.blockSize) {
      this.flush();
      if (size > this.blockSize) {
        let bytes: Uint8Array;
        try {
          bytes = encodeRecord(h, body);
        } catch {
          return;
        }
        this.deliver(bytes, 1);
        return;
      }
    }
    try {
      encodeRecordAt(this.blockView!, this.blockBytes!, this.blockUsed, h, body);
    } catch {
      this.blockBytes!.fill(0, this.blockUsed, this.blockUsed + size);
      return;
    }
    this.blockUsed += size;
    this.blockRecords++;
    const b = this.blockOpts!;
    if (b.nowMs && b.maxDelayMs !== undefined && (this.blockRecords & 63) === 0 && b.nowMs() - this.lastFlushMs >= b.maxDelayMs) this.flush();
  }

  /** Starts tracing a process (ktrace -p); its PROCCTOR is written with its first record. */
  trace(pid: number): void {
    this.traced.add(pid);
  }

  /** Stops tracing a process (ktrace -c -p). */
  untrace(pid: number): void {
    this.traced.delete(pid);
    this.announced.delete(pid);
  }

  /** Stops all tracing (ktrace -C); later events are ignored. What is in the block is handed over. */
  stop(): void {
    this.stopped = true;
    this.flush();
  }

  isTraced(pid: number): boolean {
    return !this.stopped && (this.traceAll || this.traced.has(pid));
  }

  private wants(type: number): boolean {
    return (this.points & ktrfac(type)) !== 0;
  }

  private header(task: TraceTask, timeNs: number): KtrHeaderInit {
    const total = this.bootNsec + Math.max(0, Math.floor(timeNs));
    const sec = this.bootSec + Math.floor(total / 1e9);
    return { pid: task.pid, tid: task.tid, comm: task.comm, sec, nsec: total % 1e9, cpu: this.cpuOf(task) };
  }

  private emit(h: KtrHeaderInit, body: KtrBody): void {
    if (this.dropped) h.drop = true;
    if (this.blockSize) {
      this.emitToBlock(h, body);
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = encodeRecord(h, body);
    } catch {
      return;
    }
    this.deliver(bytes, 1);
  }

  /** Writes the PROCCTOR of a traced task before its first record. */
  private announce(task: TraceTask, timeNs: number): void {
    if (this.announced.has(task.pid)) return;
    this.announced.add(task.pid);
    this.emit(this.header(task, timeNs), { kind: 'procctor', svFlags: this.svFlags });
  }

  private record(task: TraceTask, timeNs: number, body: KtrBody): void {
    this.announce(task, timeNs);
    this.emit(this.header(task, timeNs), body);
  }

  private nameSyscall(task: TraceTask, nr: number, timeNs: number): void {
    if (this.namedSyscalls.has(nr)) return;
    this.namedSyscalls.add(nr);
    const name = this.nameOf(nr);
    if (name !== undefined) this.record(task, timeNs, { kind: 'ksim_name', nr, name });
  }

  // KernelObserver -----------------------------------------------------------------------

  syscallEnter(e: SyscallEnterEvent): void {
    if (!this.isTraced(e.task.pid) || !this.wants(KTR_SYSCALL)) return;
    this.nameSyscall(e.task, e.nr, e.timeNs);
    const narg = e.row ? Math.min(e.row.args.length, e.args.length) : 0;
    this.record(e.task, e.timeNs, { kind: 'syscall', code: e.nr, args: e.args.slice(0, narg) });
  }

  syscallExit(e: SyscallExitEvent): void {
    if (!this.isTraced(e.task.pid)) return;
    // The kernel writes STRU records inside stat-family calls, so they come before the SYSRET.
    if (e.errno === 0 && this.wants(KTR_STRUCT)) this.statFromCall(e);
    if (!this.wants(KTR_SYSRET)) return;
    this.nameSyscall(e.task, e.nr, e.timeNs);
    let error = e.errno;
    if (this.abi !== 'freebsd' && LINUX_RESTART_ERRNOS.has(error)) error = FREEBSD_ERESTART;
    this.record(e.task, e.timeNs, { kind: 'sysret', code: e.nr, eosys: 0, error, retval: error ? 0 : e.ret });
  }

  namei(e: NameiEvent): void {
    if (!this.isTraced(e.task.pid) || !this.wants(KTR_NAMEI)) return;
    this.record(e.task, e.timeNs, { kind: 'namei', path: textToBytes(e.path).subarray(0, MAXPATHLEN) });
  }

  io(e: IoEvent): void {
    if (!this.isTraced(e.task.pid) || !this.wants(KTR_GENIO)) return;
    this.record(e.task, e.timeNs, {
      kind: 'genio', fd: e.fd, rw: e.write ? 1 : 0, data: e.data.subarray(0, KTR_GENIO_MAX),
    });
  }

  signalDeliver(e: SignalEvent): void {
    if (!this.isTraced(e.task.pid) || !this.wants(KTR_PSIG)) return;
    const mask = BigInt.asUintN(64, BigInt(e.mask));
    this.record(e.task, e.timeNs, {
      kind: 'psig', signo: e.signo, action: e.handler, code: e.info.code,
      mask: [Number(mask & 0xffffffffn), Number(mask >> 32n), 0, 0],
    });
  }

  contextSwitch(e: SwitchEvent): void {
    if (!this.isTraced(e.task.pid) || !this.wants(KTR_CSW)) return;
    // A switch without a wait channel is a preemption (involuntary, "user"); a sleep is "kernel".
    this.record(e.task, e.timeNs, {
      kind: 'csw', out: e.out ? 1 : 0, user: e.wmesg ? 0 : 1, wmesg: textToBytes(e.wmesg).subarray(0, 7),
    });
  }

  userTrace(e: UserTraceEvent): void {
    if (!this.isTraced(e.task.pid) || !this.wants(KTR_USER)) return;
    this.record(e.task, e.timeNs, { kind: 'user', data: e.data.subarray(0, KTR_USER_MAXLEN) });
  }

  fault(e: FaultEvent): void {
    if (!this.isTraced(e.task.pid) || !this.wants(KTR_FAULT)) return;
    this.record(e.task, e.timeNs, { kind: 'fault', vaddr: e.addr, type: e.type });
  }

  fault_end(e: FaultEvent & { result: number }): void {
    if (!this.isTraced(e.task.pid) || !this.wants(KTR_FAULTEND)) return;
    this.record(e.task, e.timeNs, { kind: 'faultend', result: e.result });
  }

  fork(e: ForkEvent): void {
    if (this.stopped) return;
    if (this.traceAll) {
      this.announce(e.child, e.timeNs);
      return;
    }
    // Without -i, children of traced processes are not traced (ktrace(1)).
    if (!this.inherit || !this.traced.has(e.task.pid)) return;
    this.traced.add(e.child.pid);
    this.announce(e.child, e.timeNs);
  }

  exit(e: ExitEvent): void {
    if (!this.isTraced(e.task.pid)) return;
    if (this.announced.has(e.task.pid)) this.emit(this.header(e.task, e.timeNs), { kind: 'procdtor' });
    this.announced.delete(e.task.pid);
    this.traced.delete(e.task.pid);
  }

  /** A Capsicum violation the kernel reported: a CAPFAIL record. */
  capFail(e: { task: TraceTask; type: number; code: number; timeNs: number }): void {
    this.capFailRecord(e.task, { type: e.type, code: e.code }, e.timeNs);
  }

  // Records the kernel asks for explicitly --------------------------------------------------

  /** A STRUCT record: the struct's name and its bytes as the process saw them. */
  structRecord(task: TraceTask, name: string, data: Uint8Array, timeNs: number): void {
    if (!this.isTraced(task.pid) || !this.wants(KTR_STRUCT)) return;
    const nameBytes = textToBytes(name);
    const raw = new Uint8Array(nameBytes.length + 1 + data.length);
    raw.set(nameBytes, 0);
    raw.set(data, nameBytes.length + 1);
    this.record(task, timeNs, { kind: 'struct', raw });
  }

  /** A STRUCT_ARRAY record: `count` structs of `structSize` bytes each. */
  structArrayRecord(task: TraceTask, name: string, structSize: number, data: Uint8Array, timeNs: number): void {
    if (!this.isTraced(task.pid) || !this.wants(KTR_STRUCT_ARRAY)) return;
    const nameBytes = textToBytes(name);
    const raw = new Uint8Array(nameBytes.length + 1 + data.length);
    raw.set(nameBytes, 0);
    raw.set(data, nameBytes.length + 1);
    this.record(task, timeNs, { kind: 'struct_array', structSize, raw });
  }

  /** A STRU record for a successful stat-family call, read from the struct the call filled. */
  private statFromCall(e: SyscallExitEvent): void {
    const name = e.row?.name;
    if (!name) return;
    if (this.abi === 'freebsd') {
      const at = name === 'fstat' ? 1 : name === 'fstatat' ? 2 : -1;
      if (at < 0) return;
      const raw = e.task.readUser(e.args[at]!, 224);
      if (raw) this.structRecord(e.task, 'stat', raw, e.timeNs);
      return;
    }
    if (this.abi !== 'linux') return; // the i386 stat64 layout is not decoded
    const at = name === 'stat' || name === 'fstat' || name === 'lstat' ? 1 : name === 'newfstatat' ? 2 : -1;
    if (at < 0) return;
    const b = e.task.readUser(e.args[at]!, 144);
    if (!b) return;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const u64 = (off: number): Int64 => {
      const v = dv.getBigUint64(off, true);
      return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    };
    const ts = (off: number) => ({ sec: Number(dv.getBigInt64(off, true)), nsec: Number(dv.getBigInt64(off + 8, true)) });
    // Linux x86_64 struct stat: dev ino nlink mode uid gid pad rdev size blksize blocks atim mtim ctim.
    this.statRecord(e.task, {
      dev: u64(0), ino: u64(8), nlink: u64(16), mode: dv.getUint32(24, true), uid: dv.getUint32(28, true), gid: dv.getUint32(32, true),
      rdev: u64(40), size: u64(48), blksize: Number(dv.getBigInt64(56, true)), blocks: u64(64),
      atime: ts(72), mtime: ts(88), ctime: ts(104), birthtime: ts(104), flags: 0,
    }, e.timeNs);
  }

  /** `struct stat` after stat/fstat/lstat/fstatat, laid out as FreeBSD amd64's (224 bytes). */
  statRecord(task: TraceTask, st: KtraceStat, timeNs: number): void {
    if (!this.isTraced(task.pid) || !this.wants(KTR_STRUCT)) return;
    this.structRecord(task, 'stat', encodeFreebsdStat(st), timeNs);
  }

  /** A SYSCTL record: the MIB's name (`kern.ostype`). */
  sysctlRecord(task: TraceTask, name: string, timeNs: number): void {
    if (!this.isTraced(task.pid) || !this.wants(KTR_SYSCTL)) return;
    this.record(task, timeNs, { kind: 'sysctl', name: textToBytes(name) });
  }

  /** A CAPFAIL record (Capsicum violation). */
  capFailRecord(task: TraceTask, f: KtraceCapFail, timeNs: number): void {
    if (!this.isTraced(task.pid) || !this.wants(KTR_CAPFAIL)) return;
    this.nameSyscall(task, f.code, timeNs);
    const data = new Uint8Array(MAXPATHLEN);
    const dv = new DataView(data.buffer);
    if (f.needed) data.set(f.needed.subarray(0, 16), 0);
    if (f.held) data.set(f.held.subarray(0, 16), 16);
    if (f.int !== undefined) dv.setInt32(0, f.int, true);
    if (f.path !== undefined) data.set(textToBytes(f.path).subarray(0, MAXPATHLEN - 1), 0);
    if (f.sockaddr) data.set(f.sockaddr.subarray(0, 128), 0);
    this.record(task, timeNs, { kind: 'capfail', capType: f.type, code: f.code, svFlags: this.svFlags, data });
  }
}

/** FreeBSD amd64's `struct stat` (sys/sys/stat.h, FreeBSD 12 and later): 224 bytes. */
export function encodeFreebsdStat(st: KtraceStat): Uint8Array {
  const b = new Uint8Array(224);
  const dv = new DataView(b.buffer);
  const u64 = (off: number, v: Int64): void => dv.setBigUint64(off, BigInt.asUintN(64, BigInt(v)), true);
  const ts = (off: number, t: { sec: number; nsec: number }): void => {
    dv.setBigInt64(off, BigInt(t.sec), true);
    dv.setBigInt64(off + 8, BigInt(t.nsec), true);
  };
  u64(0, st.dev);
  u64(8, st.ino);
  u64(16, st.nlink);
  dv.setUint16(24, st.mode, true);
  dv.setUint32(28, st.uid >>> 0, true);
  dv.setUint32(32, st.gid >>> 0, true);
  u64(40, st.rdev);
  ts(48, st.atime);
  ts(64, st.mtime);
  ts(80, st.ctime);
  ts(96, st.birthtime);
  u64(112, st.size);
  u64(120, st.blocks);
  dv.setUint32(128, st.blksize >>> 0, true);
  dv.setUint32(132, st.flags >>> 0, true);
  u64(136, st.gen ?? 0);
  return b;
}

/** What `ksim ktrace` needs: a recorder writing to `sink`, configured from ktrace's options. */
export function startKtrace(opts: KtraceRecorderOptions, sink: (bytes: Uint8Array) => void): KtraceRecorder {
  return new KtraceRecorder(sink, opts);
}

