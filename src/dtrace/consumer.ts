// The dtrace consumer: a DtraceSession compiles programs (compile.ts), enables one ECB per
// (clause, matched probe) in program order (EPIDs 1, 2, ...), fires probes (`fire(probeId, ctx)`),
// runs clauses with their probe context (builtins, scratch memory, copyin through TraceTask), collects
// records, speculations and aggregations, reports faults and fires ERROR, drives profile probes from
// the kernel clock (`tick`), and prints the final output at `end()`: END, `\n`, unprinted aggregations.
import type { Int64, StackFrameInfo, TraceTask } from '../kernel/events.js';
import { compileSources, type CompileInput, type CompileOptions, type CompiledProgram, formatCompileError } from './compile.js';
import type { CompiledClause } from './codegen.js';
import { type ProbeCatalog, type ProbeInfo, profilePeriodNs } from './catalog.js';
import { Aggregation, DFault, FaultKinds, R, latin1, aggScalar, type AggEntry } from './runtime.js';
import { DCompileError } from './parser.js';
import { formatPrintf, type FormatValue, type FormatPiece } from './printf.js';
import {
  HEADER, recordPrefix, formatTraced, formatAggEntry, sortEntries, faultMessage, matchedNotice, descriptionText,
  formatAggConversion, formatBytes, type TraceShape, formatKey,
} from './output.js';
import { Options, OptionError } from './options.js';
import { PSINFO } from './sema.js';
import { FlowIndent } from './flow.js';
import { intShape, isString, type DType } from './types.js';
import { formatPrint, printSize, type PrintType } from './print.js';

/** What a probe firing tells the consumer. Everything is optional; missing values read as 0 / "". */
export interface ProbeContext {
  /** arg0..arg9. */
  args?: Int64[];
  task?: TraceTask;
  /** Emulated monotonic clock (ns since boot); defaults to the session clock. */
  timeNs?: number;
  errno?: number;
  cpu?: number;
  /** Kernel stack for stack(), innermost first. */
  stack?: StackFrameInfo[];
  /** Reads kernel memory for pointer dereferences; null when unmapped. */
  readKernel?(addr: bigint, len: number): Uint8Array | null;
  cwd?: string;
  caller?: Int64;
  /** The traced task's saved user registers for uregs[] (R_* index; undefined: no such register). */
  regs?(index: number): bigint | undefined;
}

/** Destructive actions call back into the host (only with -w / destructive). */
export interface DestructiveHost {
  raise?(pid: number, signo: number): void;
  stop?(pid: number): void;
  system?(command: string): void;
  copyout?(pid: number, addr: bigint, data: Uint8Array): boolean;
  chill?(ns: number): void;
  panic?(): void;
  breakpoint?(): void;
}

export interface SessionDeps {
  catalog: ProbeCatalog;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The kernel clock (ns since boot). */
  now?(): number;
  /** Wall-clock ns at boot (walltimestamp = boot + timestamp). */
  wallBootNs?: bigint;
  destructive?: DestructiveHost;
  /** The consumer's own identity for BEGIN/END/ERROR/profile firings. */
  consumer?: { pid: number; ppid: number; uid: number; gid: number; execname: string };
  /** Deterministic rand(). */
  seed?: number;
  /** progenyof(pid) for the current task. */
  isProgeny?(task: TraceTask | undefined, pid: number): boolean;
}

interface Ecb {
  epid: number;
  probe: ProbeInfo;
  clause: CompiledClause;
  program: CompiledProgram;
}

const SCRATCH_BASE = 0xffffff0000000000n;

/** The state compiled code sees as `S`. */
export class SessionState {
  g: Record<string, bigint | string> = {};
  assoc = new Map<string, Map<string, bigint | string>>();
  thread = new Map<string, bigint | string>();
  aggs = new Map<string, Aggregation>();
  macroVars: Record<string, bigint> = {};

  macroVar(name: string): bigint {
    return this.macroVars[name] ?? 0n;
  }
  tget(C: FiringContext, name: string, def: bigint | string): bigint | string {
    return this.thread.get(`${C.tidKey()}\u0000${name}`) ?? def;
  }
  tset(C: FiringContext, name: string, v: bigint | string): bigint | string {
    const k = `${C.tidKey()}\u0000${name}`;
    if (v === 0n) this.thread.delete(k);
    else this.thread.set(k, v);
    return v;
  }
  aget(name: string, key: string, def: bigint | string): bigint | string {
    return this.assoc.get(name)?.get(key) ?? def;
  }
  aset(name: string, key: string, v: bigint | string): bigint | string {
    let m = this.assoc.get(name);
    if (!m) this.assoc.set(name, (m = new Map()));
    if (v === 0n) m.delete(key);
    else m.set(key, v);
    return v;
  }
  aggregate(name: string, keyText: string, keys: (bigint | string)[], args: bigint[]): void {
    this.aggs.get(name)!.add(keyText, keys, args);
  }
  clear(name: string): void {
    this.aggs.get(name)!.clear();
  }
  trunc(name: string, n?: bigint): void {
    const agg = this.aggs.get(name)!;
    if (n === undefined || n === 0n) { agg.entries.clear(); return; }
    const sorted = sortEntries(agg, { aggsortkey: false, aggsortrev: false, aggsortpos: 0, aggsortkeypos: 0 });
    const keep = n > 0n ? sorted.slice(-Number(n)) : sorted.slice(0, Number(-n));
    const keepSet = new Set(keep.map((e) => e.keyText));
    for (const k of [...agg.entries.keys()]) if (!keepSet.has(k)) agg.entries.delete(k);
  }
  normalize(name: string, n: bigint): void {
    this.aggs.get(name)!.normal = n <= 0n ? 1n : n;
  }
  denormalize(name: string): void {
    this.aggs.get(name)!.normal = 1n;
  }
}

// Shared until a firing needs its own (alloca; commit() or discard()): most firings need neither.
const NO_SCRATCH = new Uint8Array(0);
const NO_SPECULATIONS: number[] = [];
/** A firing context's parts before fire() gives it its own (frozen: nothing may write there). */
const NO_PARTS: string[] = Object.freeze([]) as unknown as string[];

/** The firing context compiled code sees as `C`. */
class FiringContext {
  action = 0;
  /** Set by fire() before each clause runs. */
  parts: string[] = NO_PARTS;
  spec = 0;
  scratch = NO_SCRATCH;
  scratchUsed = 0;
  ecb!: Ecb;
  recordStarted = false;
  exitCalled = false;
  commits: number[] = NO_SPECULATIONS;
  discards: number[] = NO_SPECULATIONS;

  constructor(
    readonly session: DtraceSession,
    readonly probe: ProbeInfo,
    readonly ctx: ProbeContext,
  ) {}

  private locals: Record<string, bigint | string> | undefined = undefined;
  /** Clause-local (this->) variables, made when a clause first uses one (most firings do not). */
  get L(): Record<string, bigint | string> {
    return (this.locals ??= {});
  }
  private strtok: { rest: string | null } | undefined = undefined;
  /** strtok()'s position, made when a clause first calls it. */
  get strtokState(): { rest: string | null } {
    return (this.strtok ??= { rest: null });
  }

  private time = -1;
  /** The firing's time: the clock (the kernel's, else the session's) is read only if asked. */
  get timeNs(): number {
    if (this.time < 0) this.time = this.ctx.timeNs ?? this.session.now();
    return this.time;
  }

  get strsize(): number {
    return this.session.options.num('strsize') || 256;
  }
  tidKey(): string {
    return String(this.ctx.task?.tid ?? 0);
  }
  begin(): void {
    this.recordStarted = true;
  }
  arg(i: number): bigint {
    const a = this.ctx.args?.[i];
    return a === undefined ? 0n : BigInt.asIntN(64, BigInt(a));
  }
  ureg(i: bigint): bigint {
    const regs = this.ctx.regs;
    if (!regs) return 0n;
    const v = i >= 0n && i < 1024n ? regs(Number(i)) : undefined;
    // dtrace_getreg: an index past the architecture's registers is an illegal operation.
    if (v === undefined) throw new DFault('illop', 0n, 0);
    return v;
  }
  bv(name: string): bigint | string {
    const t = this.ctx.task;
    const c = this.session.consumer;
    switch (name) {
      case 'execname': return t ? t.comm : c.execname;
      case 'pid': return BigInt(t ? t.pid : c.pid);
      case 'tid': return BigInt(t ? t.tid : c.pid);
      case 'ppid': return BigInt(t ? t.ppid : c.ppid);
      case 'uid': return BigInt(t ? t.uid : c.uid);
      case 'gid': return BigInt(t ? t.gid : c.gid);
      case 'timestamp': case 'vtimestamp': return BigInt(Math.round(this.timeNs));
      case 'walltimestamp': return this.session.wallBootNs + BigInt(Math.round(this.timeNs));
      case 'cpu': return BigInt(this.ctx.cpu ?? 0);
      case 'id': return BigInt(this.probe.id);
      case 'epid': return BigInt(this.ecb.epid);
      case 'errno': return BigInt(this.ctx.errno ?? 0);
      case 'probeprov': return this.probe.provider;
      case 'probemod': return this.probe.module;
      case 'probefunc': return this.probe.func;
      case 'probename': return this.probe.name;
      case 'stackdepth': return BigInt(this.ctx.stack?.length ?? 0);
      case 'ustackdepth': return BigInt(t ? t.userStack().length : 0);
      case 'caller': case 'ucaller': return this.ctx.caller === undefined ? 0n : BigInt(this.ctx.caller);
      case 'cwd': return this.ctx.cwd ?? '/';
      case 'root': return '/';
      case 'zonename': return 'global';
      case 'curpsinfo': return this.psinfo();
      default:
        if (/^arg[0-9]$/.test(name)) return this.arg(Number(name.slice(3)));
        return 0n;
    }
  }

  psinfo(): bigint {
    const t = this.ctx.task;
    const c = this.session.consumer;
    const addr = this.alloca(PSINFO.size, 0);
    const put = (field: string, v: bigint | string) => {
      const m = PSINFO.members.find((x) => x.name === field)!;
      if (typeof v === 'string') {
        const bytes = new Uint8Array(Math.min(v.length, (m.type as { count: number }).count - 1));
        for (let i = 0; i < bytes.length; i++) bytes[i] = v.charCodeAt(i) & 0xff;
        this.storeBytes(addr + BigInt(m.offset), bytes, 0);
      } else this.store(addr + BigInt(m.offset), v, intShape(m.type).size, 0);
    };
    put('pr_nlwp', 1n);
    put('pr_pid', BigInt(t ? t.pid : c.pid));
    put('pr_ppid', BigInt(t ? t.ppid : c.ppid));
    put('pr_pgid', BigInt(t ? t.pid : c.pid));
    put('pr_sid', BigInt(t ? t.pid : c.pid));
    put('pr_uid', BigInt(t ? t.uid : c.uid));
    put('pr_euid', BigInt(t ? t.uid : c.uid));
    put('pr_gid', BigInt(t ? t.gid : c.gid));
    put('pr_egid', BigInt(t ? t.gid : c.gid));
    put('pr_fname', t ? t.comm : c.execname);
    put('pr_psargs', t ? t.comm : c.execname);
    return addr;
  }

  // ---- memory -----------------------------------------------------------------------------------
  isScratch(addr: bigint, len: number): boolean {
    return addr >= SCRATCH_BASE && addr + BigInt(len) <= SCRATCH_BASE + BigInt(this.scratchUsed);
  }
  alloca(size: number, site: number): bigint {
    const limit = 64 * 1024;
    const start = (this.scratchUsed + 7) & ~7;
    if (size < 0 || start + size > limit) throw new DFault('nospace', 0n, site);
    if (this.scratch.length < start + size) {
      const n = new Uint8Array(Math.max(start + size, this.scratch.length * 2, 256));
      n.set(this.scratch);
      this.scratch = n;
    }
    this.scratch.fill(0, start, start + size);
    this.scratchUsed = start + size;
    return SCRATCH_BASE + BigInt(start);
  }
  loadBytes(addr: bigint, len: number, site: number): Uint8Array {
    const a = BigInt.asUintN(64, addr);
    if (this.isScratch(a, len)) {
      const off = Number(a - SCRATCH_BASE);
      return this.scratch.slice(off, off + len);
    }
    const data = this.ctx.readKernel?.(a, len);
    if (!data) throw new DFault('badaddr', a, site);
    return data;
  }
  storeBytes(addr: bigint, data: Uint8Array, site: number): void {
    const a = BigInt.asUintN(64, addr);
    if (!this.isScratch(a, data.length)) throw new DFault('badaddr', a, site);
    this.scratch.set(data, Number(a - SCRATCH_BASE));
  }
  load(addr: bigint, size: number, signed: boolean, site: number): bigint {
    const a = BigInt.asUintN(64, addr);
    if (a < 4096n) throw new DFault('badaddr', a, site);
    if (size > 1 && a % BigInt(size) !== 0n && !this.isScratch(a, size)) throw new DFault('badalign', a, site);
    const b = this.loadBytes(a, size, site);
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    return R.cv(v, size, signed);
  }
  store(addr: bigint, v: bigint, size: number, site: number): bigint {
    const b = new Uint8Array(size);
    let x = BigInt.asUintN(size * 8, v);
    for (let i = 0; i < size; i++) { b[i] = Number(x & 0xffn); x >>= 8n; }
    this.storeBytes(addr, b, site);
    return v;
  }
  loadString(addr: bigint, site: number): string {
    const a = BigInt.asUintN(64, addr);
    if (a === 0n) throw new DFault('badaddr', 0n, site);
    let s = '';
    const max = this.strsize - 1;
    for (let i = 0; i < max; i++) {
      const b = this.loadBytes(a + BigInt(i), 1, site)[0]!;
      if (b === 0) break;
      s += String.fromCharCode(b);
    }
    return s;
  }
  storeString(addr: bigint, v: string, site: number): string {
    const b = new Uint8Array(v.length + 1);
    for (let i = 0; i < v.length; i++) b[i] = v.charCodeAt(i) & 0xff;
    this.storeBytes(addr, b, site);
    return v;
  }
  readUser(addr: bigint, len: number): Uint8Array | null {
    const t = this.ctx.task;
    if (!t) return null;
    return t.readUser(Number(BigInt.asIntN(64, addr)), len);
  }
  /**
   * stringof(v): v is already a string, or an address whose NUL-terminated string is read from
   * scratch or kernel memory, else from the traced process's memory (as copyinstr would).
   */
  stringof(v: bigint | string, site: number): string {
    if (typeof v === 'string') return v;
    const a = BigInt.asUintN(64, v);
    if (a === 0n) throw new DFault('badaddr', 0n, site);
    if (this.isScratch(a, 1) || this.ctx.readKernel?.(a, 1)) return this.loadString(a, site);
    const max = this.strsize;
    const s = this.readUserString(a, max);
    if (s === null) throw new DFault('badaddr', a, site);
    return s.length >= max ? s.slice(0, max - 1) : s;
  }
  readUserString(addr: bigint, max: number): string | null {
    const t = this.ctx.task;
    if (!t) return null;
    const r = t.readCString(Number(BigInt.asIntN(64, addr)), max);
    return r ? latin1(r.bytes) : null;
  }
  rand(): bigint {
    return this.session.nextRand();
  }
  progenyof(pid: bigint): boolean {
    const t = this.ctx.task;
    if (this.session.deps.isProgeny) return this.session.deps.isProgeny(t, Number(pid));
    return !!t && (t.pid === Number(pid) || t.ppid === Number(pid));
  }
  speculation(): bigint {
    return this.session.allocSpeculation();
  }

  // ---- recording ---------------------------------------------------------------------------------
  emit(text: string): void {
    this.parts.push(text);
  }
  trace(v: bigint | string, shape: TraceShape): void {
    this.emit(formatTraced(shape.kind === 'bytes' && typeof v === 'bigint' ? this.loadBytes(v, shape.size, 0) : v, shape, this.session.quiet));
  }
  /** print(): the value with its type (print.ts); structs and arrays are read from their address. */
  print(v: bigint | string, t: PrintType, site: number): void {
    const n = printSize(t);
    this.emit(formatPrint(t, n > 0 && typeof v === 'bigint' ? this.loadBytes(v, n, site) : v));
  }
  printf(idx: number, args: FormatValue[]): void {
    this.emit(formatPrintf(this.ecb.clause.formats[idx]!, args));
  }
  system(idx: number, args: FormatValue[]): void {
    const cmd = formatPrintf(this.ecb.clause.formats[idx]!, args);
    this.session.deps.destructive?.system?.(cmd);
  }
  freopen(idx: number, args: FormatValue[]): void {
    void idx;
    void args;
  }
  printa(idx: number, names: string[]): void {
    this.emit(this.session.printaText(this.ecb.epid, idx, names));
  }
  act(fn: string, site: number, args: (bigint | string)[]): void {
    const S = this.session;
    const t = this.ctx.task;
    const pid = t ? t.pid : S.consumer.pid;
    const num = (i: number) => (typeof args[i] === 'bigint' ? (args[i] as bigint) : 0n);
    switch (fn) {
      case 'exit':
        this.exitCalled = true;
        S.requestExit(Number(BigInt.asIntN(32, num(0))));
        return;
      case 'speculate':
        this.spec = Number(num(0));
        return;
      case 'commit':
        if (this.commits === NO_SPECULATIONS) this.commits = [];
        this.commits.push(Number(num(0)));
        return;
      case 'discard':
        if (this.discards === NO_SPECULATIONS) this.discards = [];
        this.discards.push(Number(num(0)));
        return;
      case 'stack':
        this.emit(S.formatStack(this.ctx.stack ?? [], args.length ? Number(num(0)) : undefined));
        return;
      case 'ustack':
      case 'jstack':
        this.emit(S.formatStack(t ? t.userStack() : [], args.length ? Number(num(0)) : undefined));
        return;
      case 'tracemem': {
        const n = Number(num(1));
        const len = args.length > 2 ? Math.min(n, Number(num(2))) : n;
        this.emit(formatBytes(this.loadBytes(num(0), len, site)));
        return;
      }
      case 'sym': case 'func': case 'mod': case 'usym': case 'ufunc': case 'umod': case 'uaddr':
        this.emit(S.quiet ? `0x${BigInt.asUintN(64, num(0)).toString(16)}` : `  ${`0x${BigInt.asUintN(64, num(0)).toString(16)}`.padEnd(33)}`);
        return;
      case 'setopt': {
        const name = String(args[0]);
        try {
          if (args.length > 1) S.options.set(name, String(args[1]));
          else S.options.set(name, true);
        } catch {
          S.deps.stderr(`dtrace: couldn't set option "${name}"${args.length > 1 ? ` to "${String(args[1])}"` : ''}: ${'Invalid option name'}\n`);
        }
        return;
      }
      case 'ftruncate':
        return;
      case 'raise':
        S.deps.destructive?.raise?.(pid, Number(num(0)));
        return;
      case 'stop':
        S.deps.destructive?.stop?.(pid);
        return;
      case 'copyout':
      case 'copyoutstr': {
        const data = fn === 'copyout' ? this.loadBytes(num(0), Number(num(2)), site) : (() => {
          const s = String(args[0]);
          const max = Math.min(s.length + 1, Number(num(2)));
          const b = new Uint8Array(max);
          for (let i = 0; i < max && i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
          return b;
        })();
        const ok = S.deps.destructive?.copyout?.(pid, BigInt.asUintN(64, num(1)), data) ?? false;
        if (!ok) throw new DFault('badaddr', BigInt.asUintN(64, num(1)), site);
        return;
      }
      case 'chill':
        S.deps.destructive?.chill?.(Number(num(0)));
        return;
      case 'panic':
        S.deps.destructive?.panic?.();
        return;
      case 'breakpoint':
        S.deps.destructive?.breakpoint?.();
        return;
    }
  }
}

export interface SessionResult {
  /** The exit status dtrace(1) returns. */
  status: number;
}

/** One dtrace consumer: compile, enable, fire, end. */
export class DtraceSession {
  readonly options = new Options();
  readonly state: SessionState = new SessionState();
  consumer: { pid: number; ppid: number; uid: number; gid: number; execname: string };
  wallBootNs: bigint;
  programs: CompiledProgram[] = [];
  private ecbs: Ecb[] = [];
  private byProbe = new Map<number, Ecb[]>();
  /** byProbe as an array indexed by probe id (mayFire's and fire's lookup on every firing), made by enable(). */
  private ecbsOf: (Ecb[] | undefined)[] = [];
  private profile: { probe: ProbeInfo; periodNs: number; next: number }[] = [];
  protected headerPrinted = false;
  protected exiting = false;
  protected exitStatus = 0;
  private ended = false;
  private started = false;
  private inError = false;
  private specs = new Map<number, { busy: boolean; text: string[] }>();
  private specDrops = 0;
  private randState: number;
  private nowNs = 0;

  constructor(readonly deps: SessionDeps) {
    this.consumer = deps.consumer ?? { pid: 1, ppid: 0, uid: 0, gid: 0, execname: 'dtrace' };
    this.wallBootNs = deps.wallBootNs ?? 1700000000000000000n;
    this.randState = deps.seed ?? 0x2545f491;
  }

  get quiet(): boolean {
    return this.options.flag('quiet');
  }

  nextRand(): bigint {
    // xorshift32: deterministic across runs.
    let x = this.randState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.randState = x >>> 0;
    return BigInt((x >>> 0) | 0);
  }

  now(): number {
    return this.deps.now ? this.deps.now() : this.nowNs;
  }

  /**
   * Compiles D sources (scripts and -n/-P/-m/-f/-i specifiers), each its own program as dtrace
   * compiles them. Returns the error text dtrace prints, or undefined on success.
   */
  compile(inputs: CompileInput[], opts: CompileOptions): string | undefined {
    try {
      const programs = compileSources(inputs, opts, this.deps.catalog, this.options);
      this.programs.push(...programs);
      // $target, $pid... in clause bodies read these at run time (S.macroVar).
      Object.assign(this.state.macroVars, opts.macroVars ?? {});
      return undefined;
    } catch (e) {
      if (e instanceof DCompileError) return formatCompileError(e, (e as unknown as { input?: CompileInput }).input, this.options.flag('errtags'));
      if (e instanceof OptionError) return `dtrace: ${e.message}\n`;
      throw e;
    }
  }

  /**
   * Enables every compiled clause. Returns notices and errors to print on stderr, and whether
   * tracing could start (destructive actions need the destructive option).
   */
  enable(): { ok: boolean; messages: string } {
    let messages = '';
    const destructive = this.options.flag('destructive');
    if (!destructive && this.programs.some((p) => p.clauses.some((c) => c.checked.usesDestructive))) {
      return { ok: false, messages: 'dtrace: could not enable tracing: Destructive actions not allowed\n' };
    }
    for (const agg of this.programs.flatMap((p) => [...p.sema.aggs.values()])) {
      if (!this.state.aggs.has(agg.name)) this.state.aggs.set(agg.name, new Aggregation(agg));
    }
    for (const p of this.programs) {
      for (const [name, v] of p.sema.globals) {
        if (!(name in this.state.g) && !v.keys) this.state.g[name] = isString(v.type) ? '' : 0n;
      }
      let matched = 0;
      for (const c of p.clauses) {
        for (const probe of c.checked.probes) {
          const ecb: Ecb = { epid: this.ecbs.length + 1, probe, clause: c, program: p };
          this.ecbs.push(ecb);
          let list = this.byProbe.get(probe.id);
          if (!list) this.byProbe.set(probe.id, (list = []));
          list.push(ecb);
          matched++;
          const prof = profilePeriodNs(probe.name);
          if (probe.provider === 'profile' && prof && !this.profile.some((x) => x.probe.id === probe.id)) {
            this.profile.push({ probe, periodNs: prof.periodNs, next: this.now() + prof.periodNs });
          }
        }
      }
      if (!this.quietNotices(p)) {
        messages += p.input.kind === 'script'
          ? matchedNotice('script', p.input.name, matched)
          : matchedNotice('description', p.input.flag === 'n' ? descriptionText(p.input.text) : p.input.text, matched);
      }
    }
    let maxId = -1;
    for (const id of this.byProbe.keys()) maxId = Math.max(maxId, id);
    const ecbsOf = new Array<Ecb[] | undefined>(maxId + 1).fill(undefined);
    for (const [id, list] of this.byProbe) ecbsOf[id] = list;
    this.ecbsOf = ecbsOf;
    return { ok: true, messages };
  }

  private quietNotices(_p: CompiledProgram): boolean {
    return this.suppressNotices;
  }
  /** Set by -q, -x quiet or `#pragma D option quiet` (read back after compiling, as dtrace.c does). */
  suppressNotices = false;

  /** Probe IDs with at least one enabling: the kernel's enabled-flag array. */
  enabledProbeIds(): Set<number> {
    return new Set(this.byProbe.keys());
  }

  isEnabled(probeId: number): boolean {
    return this.byProbe.has(probeId) && !this.exiting;
  }

  /**
   * Whether firing probeId for task could run a clause: false when every clause on it has a fast
   * predicate (fast-predicate.ts) that is false, so the provider builds nothing for the firing.
   */
  mayFire(probeId: number, task: TraceTask | undefined): boolean {
    const list = this.ecbsOf[probeId];
    if (list === undefined) return false;
    for (let i = 0; i < list.length; i++) {
      const ecb = list[i]!;
      const fast = ecb.clause.fastPredicate;
      if (fast === undefined || fast(task, this.consumer, ecb.probe)) return true;
    }
    return false;
  }

  /**
   * mayFire(probeId, ·) made once for a provider's hot path: undefined when no clause is enabled on
   * the probe, null when every firing may run a clause (one has no fast predicate), else the test
   * (for a single clause: its fast predicate itself, bound to the consumer and the probe).
   */
  firingGate(probeId: number): ((task: TraceTask | undefined) => boolean) | null | undefined {
    const list = this.ecbsOf[probeId];
    if (list === undefined) return undefined;
    if (list.some((ecb) => ecb.clause.fastPredicate === undefined)) return null;
    const K = this.consumer;
    if (list.length === 1) {
      const fast = list[0]!.clause.fastPredicate!;
      const P = list[0]!.probe;
      return (T) => fast(T, K, P);
    }
    return (T) => this.mayFire(probeId, T);
  }

  /** Fires BEGIN (dtrace_go). */
  go(): void {
    if (this.started) return;
    this.started = true;
    const begin = this.findProbe('dtrace', 'BEGIN');
    if (begin) this.fire(begin.id, {});
  }

  get exitRequested(): boolean {
    return this.exiting;
  }

  requestExit(status: number): void {
    if (!this.exiting) {
      this.exiting = true;
      this.exitStatus = status;
    }
  }

  private findProbe(provider: string, name: string): ProbeInfo | undefined {
    return this.deps.catalog.list().find((p) => p.provider === provider && p.name === name);
  }

  /** Advances the kernel clock: fires every profile probe due up to nowNs, in time order. */
  tick(nowNs: number): void {
    for (;;) {
      if (this.exiting || this.profile.length === 0) break;
      let due = this.profile[0]!;
      for (const p of this.profile) if (p.next < due.next || (p.next === due.next && p.probe.id < due.probe.id)) due = p;
      if (due.next > nowNs) break;
      const t = due.next;
      due.next += due.periodNs;
      this.nowNs = t;
      this.fire(due.probe.id, { timeNs: t });
    }
    if (nowNs > this.nowNs) this.nowNs = nowNs;
  }

  /** The next time a profile probe fires, or undefined. */
  nextTickNs(): number | undefined {
    if (this.profile.length === 0) return undefined;
    return Math.min(...this.profile.map((p) => p.next));
  }

  /** Fires a probe: runs every enabled clause for it in program order. */
  fire(probeId: number, ctx: ProbeContext): void {
    const list = this.ecbsOf[probeId];
    if (!list || (this.exiting && !this.isEndOrError(list[0]!.probe))) return;
    const probe = list[0]!.probe;
    // The firing context (and the clock read) is made for the first clause whose fast predicate
    // (fast-predicate.ts) does not rule it out.
    let C0: FiringContext | undefined;
    // -F: records wait for the end of the firing (dt_flowindent looks at the next record).
    const flow = this.flowindent() ? [] as { ecb: Ecb; parts: string[]; spec: number; commits: number[]; discards: number[] }[] : undefined;
    for (const ecb of list) {
      const fast = ecb.clause.fastPredicate;
      if (fast !== undefined && !fast(ctx.task, this.consumer, probe)) continue;
      const C = (C0 ??= new FiringContext(this, probe, ctx));
      C.ecb = ecb;
      C.parts = [];
      C.spec = 0;
      C.recordStarted = false;
      C.action = 0;
      C.commits = NO_SPECULATIONS;
      C.discards = NO_SPECULATIONS;
      let fired = false;
      try {
        fired = ecb.clause.run(R, this.state, C);
      } catch (e) {
        if (e instanceof DFault) {
          this.fault(ecb, C, e);
          continue;
        }
        throw e;
      }
      if (!fired) continue;
      if (flow) flow.push({ ecb, parts: C.parts, spec: C.spec, commits: C.commits, discards: C.discards });
      else this.commitRecord(ecb, C);
    }
    if (flow) {
      flow.forEach((r, i) => {
        Object.assign(C0!, r);
        const next = flow[i + 1];
        this.commitRecord(r.ecb, C0!, next && { epid: next.ecb.epid, probeId: next.ecb.probe.id });
      });
    }
  }

  private flowIndent = new FlowIndent();
  private flowindentSeen = -1;
  private flowindentOn = false;
  /** The flowindent option (-F), read again only when the options changed (setopt()). */
  private flowindent(): boolean {
    const o = this.options;
    if (o.version !== this.flowindentSeen) {
      this.flowindentSeen = o.version;
      this.flowindentOn = o.flag('flowindent');
    }
    return this.flowindentOn;
  }

  private isEndOrError(p: ProbeInfo): boolean {
    return p.provider === 'dtrace' && (p.name === 'END' || p.name === 'ERROR');
  }

  private commitRecord(ecb: Ecb, C: FiringContext, next?: { epid: number; probeId: number }): void {
    let text = '';
    const recordless = ecb.clause.checked.aggregationsOnly;
    if (!recordless) {
      // dtrace.c's chew(): with flowindent the prefix is printed even when quiet.
      if (this.options.flag('flowindent')) text += this.flowIndent.prefix(ecb.epid, ecb.probe, C.ctx.cpu ?? 0, next);
      else if (!this.quiet) {
        this.printHeader();
        text += recordPrefix(C.ctx.cpu ?? 0, ecb.probe.id, ecb.probe.func, ecb.probe.name);
      }
      text += C.parts.join('');
      if (!this.quiet) text += '\n';
    }
    if (C.spec !== 0) {
      const s = this.specs.get(C.spec);
      if (s && s.busy) s.text.push(text);
      else this.specDrops++;
    } else if (text) {
      this.emitRecord(text);
    }
    for (const id of C.commits) {
      const s = this.specs.get(id);
      if (s && s.busy) { this.emitRecord(s.text.join('')); s.text = []; s.busy = false; }
    }
    for (const id of C.discards) {
      const s = this.specs.get(id);
      if (s) { s.text = []; s.busy = false; }
    }
  }

  allocSpeculation(): bigint {
    const n = this.options.num('nspec') || 1;
    for (let i = 1; i <= n; i++) {
      let s = this.specs.get(i);
      if (!s) this.specs.set(i, (s = { busy: false, text: [] }));
      if (!s.busy) { s.busy = true; return BigInt(i); }
    }
    this.specDrops++;
    return 0n;
  }

  private fault(ecb: Ecb, C: FiringContext, f: DFault): void {
    const info = FaultKinds[f.kind];
    const addr = f.kind === 'badaddr' || f.kind === 'badalign' || f.kind === 'badstack' ? f.addr : undefined;
    this.deps.stderr(faultMessage(ecb.epid, ecb.probe, info.text, addr, C.action, f.offset));
    if (this.inError) return;
    const err = this.findProbe('dtrace', 'ERROR');
    if (err && this.byProbe.has(err.id)) {
      this.inError = true;
      try {
        this.fire(err.id, { args: [0, ecb.epid, C.action, f.offset, info.code, addr ?? 0n], timeNs: C.timeNs });
      } finally {
        this.inError = false;
      }
    }
  }

  out(text: string): void {
    if (text) this.deps.stdout(text);
  }

  /** The column header, once, before the first record of a non-quiet session. */
  printHeader(): void {
    if (!this.headerPrinted) { this.out(HEADER); this.headerPrinted = true; }
  }

  /** A committed record's text (remote.ts sends it to the consumer instead). */
  protected emitRecord(text: string): void {
    this.out(text);
  }

  /** What printa() in clause EPID prints (format idx, or -1 for the default format). */
  printaText(epid: number, idx: number, names: string[]): string {
    const ecb = this.ecbs[epid - 1];
    const pieces = ecb && idx >= 0 ? ecb.clause.formats[idx] : undefined;
    return this.formatPrinta(pieces, names);
  }

  formatStack(frames: StackFrameInfo[], limit?: number): string {
    const indent = ' '.repeat(Number(this.options.get('stackindent') ?? 14) || 14);
    let out = '\n';
    const n = limit === undefined ? frames.length : Math.min(limit, frames.length);
    for (let i = 0; i < n; i++) {
      const f = frames[i]!;
      // dt_print_stack: module`func+0xOFF, without +0x0 at a function's first instruction.
      const off = f.offset ? `+0x${f.offset.toString(16)}` : '';
      out += `${indent}${f.func ? `${f.module ?? 'kernel'}\`${f.func}${off}` : `0x${f.addr.toString(16)}`}\n`;
    }
    return out;
  }

  sortOptions() {
    return {
      aggsortkey: this.options.flag('aggsortkey'),
      aggsortrev: this.options.flag('aggsortrev'),
      aggsortpos: Number(this.options.get('aggsortpos') ?? 0) || 0,
      aggsortkeypos: Number(this.options.get('aggsortkeypos') ?? 0) || 0,
    };
  }

  formatPrinta(pieces: FormatPiece[] | undefined, names: string[]): string {
    const aggs = names.map((n) => this.state.aggs.get(n)!);
    for (const a of aggs) a.printed = true;
    const opts = this.sortOptions();
    const pos = Math.min(opts.aggsortpos, aggs.length - 1);
    // Tuples present in any of the aggregations, ordered by the sort aggregation.
    const keyed = new Map<string, AggEntry>();
    for (const a of aggs) for (const e of a.entries.values()) if (!keyed.has(e.keyText)) keyed.set(e.keyText, e);
    const primary = aggs[pos]!;
    const sorted = sortEntries(
      { ...primary, entries: keyed } as unknown as Aggregation,
      opts,
      (e) => {
        const pe = primary.entries.get(e.keyText);
        return pe ? this.scalarOf(primary, pe) : 0n;
      },
    );
    let out = pieces ? '' : '\n';
    for (const e of sorted) {
      const entries = aggs.map((a) => a.entries.get(e.keyText));
      if (!pieces) {
        out += formatAggEntry(aggs, e, entries);
        continue;
      }
      const keyVals: FormatValue[] = e.keys.map((k, i) => keyValue(k, aggs[0]!.info.keys[i]!));
      out += formatPrintf(pieces, keyVals, aggs.map((a, i) => (c) => {
        const ent = entries[i];
        return ent ? formatAggConversion(a, ent, c) : formatAggConversion(a, { keyText: '', keys: [], data: new Array(Math.max(1, ent ? 0 : a.info.fn === 'avg' ? 2 : a.info.fn === 'stddev' ? 3 : 1)).fill(0n) }, c);
      }));
    }
    return out;
  }

  private scalarOf(a: Aggregation, e: AggEntry): bigint {
    return aggScalar(a, e);
  }

  /**
   * Ends the session as dtrace does after exit() or ^C: fires END, prints `\n` and every
   * aggregation printa() did not print, reports drops. Returns the exit status.
   */
  end(): SessionResult {
    if (this.ended) return { status: this.exitStatus };
    this.ended = true;
    const wasExiting = this.exiting;
    this.exiting = false;
    const endProbe = this.findProbe('dtrace', 'END');
    if (endProbe) this.fire(endProbe.id, {});
    this.exiting = true;
    if (!wasExiting) this.exitStatus = this.exitStatus || 0;
    if (this.specDrops > 0) this.deps.stderr(`dtrace: ${this.specDrops} speculative drop${this.specDrops === 1 ? '' : 's'}\n`);
    let text = '\n';
    const opts = this.sortOptions();
    const aggs = [...this.state.aggs.values()].sort((a, b) => a.info.id - b.info.id);
    for (const a of aggs) {
      if (a.printed) continue;
      for (const e of sortEntries(a, opts)) text += formatAggEntry([a], e, [e]);
    }
    this.out(text);
    return { status: this.exitStatus };
  }
}


function keyValue(k: bigint | string, t: DType): FormatValue {
  if (typeof k === 'string') return { kind: 'str', value: k };
  const s = intShape(t);
  return { kind: 'int', value: k, size: s.size, signed: s.signed };
}

export { formatKey };
