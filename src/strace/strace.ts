// strace as a kernel observer: hears syscall entries and exits, signals, forks and exits, and writes
// strace's output byte for byte — `name(args) = ret` aligned at -a (40), `<unfinished ...>` and
// `<... name resumed>` when processes interleave, `[pid N] ` prefixes, `--- SIG ---` and `+++ +++`
// lines, -t/-tt/-ttt/-r stamps, -T times, -k stacks, the filters (-e trace/signal/status, -P,
// -z/-Z) and the -c/-C summary. Arguments are decoded from each event's syscall row only.
import type {
  ExitEvent, ForkEvent, Int64, KernelObserver, SignalEvent, SyscallEnterEvent, SyscallExitEvent, TraceTask,
} from '../kernel/events.js';
import type { ArgSpec, SyscallRow } from '../kernel/syscall-row.js';
import { ArgDecoder, ptrText, xlatText, type CallState } from './decode/args.js';
import { ENUM_SETS, FLAG_SETS, hex, printFlags, printOpenFlags, enumName } from './decode/constants.js';
import { s32, s64, u32, u64 } from './decode/memory.js';
import { printErrno, printMode, printSigset, printSignal } from './decode/text.js';
import { freebsdErrnoName, freebsdStrerror } from '../kernel/errno-freebsd.js';
import { traceSetMatches, type StatusName, type StraceOptions } from './options.js';
import { SyscallSummary } from './summary.js';
import { freebsdFcntlResult, freebsdRowSpecs, freebsdShownArgs } from './decode/freebsd.js';
import { MULTIPLEX_CALLS, multiplexEntryArg, multiplexResult } from './decode/multiplex.js';

/** Where output goes. Without -o the trace goes to stderr, as strace's does. */
export interface StraceWriters {
  /** strace's standard error: the trace without -o, and messages (`strace: Process N attached`). */
  stderr(text: string): void;
  /** Opens -o FILE (and FILE.PID with -ff) through the host; returns its writer. */
  openFile?(path: string): (text: string) => void;
}

export interface StraceClock {
  /** Wall-clock time at emulated time 0, in nanoseconds since the epoch (for -t/-tt/-ttt). */
  wallBaseNs: number;
}

interface OutputStream {
  write(text: string): void;
  /** The task whose line is open (written without its end) on this stream. */
  open?: TaskState;
  /** The length of the open line so far. */
  col: number;
}

interface PendingCall {
  nr: number;
  name: string;
  row: SyscallRow | undefined;
  args: Int64[];
  startNs: number;
  traced: boolean;
  /** The argument specs printed for this call (see shownArgs), chosen once at entry. */
  specs: readonly ArgSpec[];
  /** All the row's argument specs (FreeBSD's formats on FreeBSD): a spec's index is its register. */
  argSpecs: readonly ArgSpec[];
  /** The args printed at entry (spec index where exit printing resumes). */
  resumeAt: number;
  /** Text buffered instead of written (status filters: the outcome decides). */
  buffered?: string;
  /** Another line was written since this call's line began. */
  interrupted: boolean;
  /** The line has been started on the stream. */
  started: boolean;
}

interface TaskState {
  pid: number;
  task: TraceTask;
  call?: PendingCall;
  /** Signals blocked, as far as rt_sigprocmask calls told (for rt_sigreturn's mask). */
  blocked: bigint;
  /** The syscall interrupted with ERESTART_RESTARTBLOCK, for restart_syscall. */
  interruptedName?: string;
  stream?: OutputStream;
}

const OPEN_LIKE = new Set(['open', 'openat', 'mq_open']);
const ERESTART_FIRST = 512;
const NO_SPECS: readonly ArgSpec[] = [];
/** The type column of a FreeBSD syscalls.master row (a Linux row's abi is common/64/x32/i386). */
const FREEBSD_ROW_TYPE = /^(STD|NOSTD|COMPAT\d*|OBSOL|UNIMPL|RESERVED|NODEF|NOPROTO|NOARGS|SYSMUX)\b/;

/** Runs of spaces for the `= ` column, made once instead of for every line. */
const PADS: string[] = [];
function pad(n: number): string {
  if (n <= 0) return '';
  if (n > 128) return ' '.repeat(n);
  return (PADS[n] ??= ' '.repeat(n));
}

export class Strace implements KernelObserver {
  /** Whose constants the trace uses: Linux's, or on FreeBSD machines FreeBSD's errno names and
   *  texts and argument decoding (decode/freebsd.ts). Told by the rows: FreeBSD's carry the
   *  syscalls.master type (STD, COMPAT, ...) where Linux's carry common/64/x32/i386. */
  abi: 'linux' | 'freebsd';
  /** The same as abi (its first name, when only errno values followed the machine). */
  get errnoFlavour(): 'linux' | 'freebsd' {
    return this.abi;
  }
  set errnoFlavour(v: 'linux' | 'freebsd') {
    this.abi = v;
  }
  private readonly decoder: ArgDecoder;
  private readonly tasks = new Map<number, TaskState>();
  private readonly summaryTable = new SyscallSummary();
  private readonly rowsByName = new Map<string, SyscallRow>();
  private readonly mainStream: OutputStream;
  private readonly clock: StraceClock;
  private lastEntryNs: number | undefined;
  /** No -t/-r stamps and no pid column of -o with -f: the leader is empty while one task is traced. */
  private readonly plainLeader: boolean;
  /** Whether -e trace selects a row (cached per row when there is no -P filter). */
  private readonly selectedRows = new Map<SyscallRow, boolean>();
  private started = false;
  private finished = false;

  constructor(
    readonly options: StraceOptions,
    readonly rows: readonly SyscallRow[],
    private readonly writers: StraceWriters,
    clock?: StraceClock,
  ) {
    this.decoder = new ArgDecoder({
      strsize: options.strsize,
      hexLevel: options.hexLevel,
      verbose: options.verbose,
      decodeFds: options.decodeFds,
      xlat: options.xlat,
    });
    for (const r of rows) this.rowsByName.set(r.name, r);
    this.abi = rows.some((r) => FREEBSD_ROW_TYPE.test(r.abi)) ? 'freebsd' : 'linux';
    this.clock = clock ?? { wallBaseNs: 0 };
    this.plainLeader = options.timestamps === 0 && !options.relativeTimestamps && !(options.outputFile !== undefined && options.followForks);
    const perProcessFiles = options.followForksSeparately && options.outputFile !== undefined;
    if (options.outputFile !== undefined && !perProcessFiles) {
      const w = this.openFile(options.outputFile);
      this.mainStream = { write: w, col: 0 };
    } else {
      this.mainStream = { write: (t) => writers.stderr(t), col: 0 };
    }
  }

  /** Starts tracing a process (the command strace runs, or -p PID). */
  attach(task: TraceTask): void {
    this.track(task);
  }

  private openFile(path: string): (text: string) => void {
    if (!this.writers.openFile) throw new Error(`strace: cannot open ${path}: no file sink`);
    return this.writers.openFile(path);
  }

  private track(task: TraceTask): TaskState {
    let ts = this.tasks.get(task.pid);
    if (!ts) {
      ts = { pid: task.pid, task, blocked: 0n };
      this.tasks.set(task.pid, ts);
    }
    ts.task = task;
    return ts;
  }

  /** The state of a traced task, or undefined for a task strace does not follow. */
  private stateOf(task: TraceTask): TaskState | undefined {
    const ts = this.tasks.get(task.pid);
    if (ts) {
      ts.task = task;
      return ts;
    }
    if (!this.started) {
      this.started = true;
      return this.track(task);
    }
    return undefined;
  }

  private streamOf(ts: TaskState): OutputStream {
    if (this.options.followForksSeparately && this.options.outputFile !== undefined) {
      if (!ts.stream) ts.stream = { write: this.openFile(`${this.options.outputFile}.${ts.pid}`), col: 0 };
      return ts.stream;
    }
    return this.mainStream;
  }

  private get printing(): boolean {
    return this.options.summary !== 'only';
  }

  // ---- line handling -------------------------------------------------------------------------

  private leader(ts: TaskState, timeNs: number): string {
    if (this.plainLeader && (this.tasks.size <= 1 || this.options.outputFile !== undefined)) return '';
    let s = '';
    const o = this.options;
    const separate = o.followForksSeparately && o.outputFile !== undefined;
    if (!separate) {
      if (o.outputFile !== undefined && o.followForks) s += `${String(ts.pid).padEnd(5)} `;
      else if (this.tasks.size > 1 && o.outputFile === undefined) s += `[pid ${String(ts.pid).padStart(5)}] `;
    }
    if (o.timestamps > 0) s += this.stamp(timeNs) + ' ';
    if (o.relativeTimestamps) {
      const delta = this.lastEntryNs === undefined ? 0 : timeNs - this.lastEntryNs;
      const sec = Math.floor(delta / 1e9);
      s += `${String(sec).padStart(6)}.${String(Math.floor((delta % 1e9) / 1000)).padStart(6, '0')} `;
    }
    return s;
  }

  private stamp(timeNs: number): string {
    const wallNs = this.clock.wallBaseNs + timeNs;
    const sec = Math.floor(wallNs / 1e9);
    const usec = String(Math.floor((wallNs % 1e9) / 1000)).padStart(6, '0');
    if (this.options.timestamps === 3) return `${sec}.${usec}`;
    const d = new Date(sec * 1000);
    const p = (n: number) => String(n).padStart(2, '0');
    const hms = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
    return this.options.timestamps === 2 ? `${hms}.${usec}` : hms;
  }

  /** Closes another task's open line with ` <unfinished ...>` before a new line begins. */
  private interruptOpenLine(stream: OutputStream, ts: TaskState | undefined): void {
    const open = stream.open;
    if (open && open !== ts) {
      stream.write(' <unfinished ...>\n');
      if (open.call) open.call.interrupted = true;
      stream.open = undefined;
      stream.col = 0;
    }
  }

  private write(stream: OutputStream, text: string): void {
    stream.write(text);
    const nl = text.lastIndexOf('\n');
    stream.col = nl < 0 ? stream.col + text.length : text.length - nl - 1;
  }

  /** Writes text that ends a line (the hot path: no search for the last newline, which would
   *  flatten the concatenated line once more before the writer does). */
  private writeLineEnd(stream: OutputStream, text: string): void {
    stream.write(text);
    stream.col = 0;
  }

  /** Writes a whole line (signal, exit) for ts. */
  private writeLine(ts: TaskState, timeNs: number, text: string): void {
    const stream = this.streamOf(ts);
    this.interruptOpenLine(stream, undefined);
    if (ts.call && ts.call.started && stream.open === ts) {
      // The task's own line is open (cannot happen for a blocked call that got a signal in
      // strace, which ends the call first); mark it interrupted.
      stream.write(' <unfinished ...>\n');
      ts.call.interrupted = true;
      stream.open = undefined;
    }
    this.write(stream, this.leader(ts, timeNs) + text + '\n');
  }

  // ---- filtering -----------------------------------------------------------------------------

  private nameOf(nr: number, row: SyscallRow | undefined): string {
    return row && row.name ? row.name : `syscall_${hex(nr)}`;
  }

  private selected(call: { name: string; row: SyscallRow | undefined; args: Int64[] }, task: TraceTask): boolean {
    if (call.row && call.row.name && this.options.paths.length === 0) {
      let sel = this.selectedRows.get(call.row);
      if (sel === undefined) {
        sel = traceSetMatches(this.options.trace, call.row, call.name);
        this.selectedRows.set(call.row, sel);
      }
      return sel;
    }
    if (!traceSetMatches(this.options.trace, call.row, call.name)) return false;
    if (this.options.paths.length > 0 && !this.touchesPath(call, task)) return false;
    return true;
  }

  private touchesPath(call: { row: SyscallRow | undefined; args: Int64[] }, task: TraceTask): boolean {
    const row = call.row;
    if (!row) return false;
    const wanted = new Set(this.options.paths);
    return row.args.some((spec, i) => {
      const v = call.args[i] ?? 0;
      if (spec.fmt === 'path') {
        const r = task.readCString(Number(u64(v)), 4096);
        return r !== null && wanted.has(new TextDecoder().decode(r.bytes));
      }
      if (spec.fmt === 'fd' || spec.fmt === 'dirfd') {
        const p = task.fdPath(s32(v));
        return p !== undefined && wanted.has(p);
      }
      return false;
    });
  }

  private get statusFiltered(): boolean {
    return this.options.status !== undefined;
  }

  private statusShown(status: StatusName): boolean {
    return !this.options.status || this.options.status.has(status);
  }

  // ---- argument layout -----------------------------------------------------------------------

  /** The argument specs printed for this call (open's mode only with O_CREAT/O_TMPFILE, and so on). */
  private shownArgs(call: PendingCall): readonly ArgSpec[] {
    const specs = call.row ? call.row.args : NO_SPECS;
    if (specs.length === 0) return specs;
    const name = call.name;
    if (OPEN_LIKE.has(name)) {
      const flagsIdx = specs.findIndex((s) => s.fmt === 'flags:open');
      const flags = u32(call.args[flagsIdx] ?? 0);
      if (!(flags & 0o100) && (flags & 0o20200000) !== 0o20200000) return specs.filter((s) => s.fmt !== 'mode');
    }
    if (name === 'mknod' || name === 'mknodat') {
      // The device number only for character and block devices.
      const type = u32(call.args[specs.findIndex((s) => s.fmt === 'mode')] ?? 0) & 0o170000;
      if (type !== 0o020000 && type !== 0o060000) return specs.filter((s) => s.fmt !== 'dev');
    }
    if (name === 'fcntl') {
      const cmd = u32(call.args[1] ?? 0);
      if (!ArgDecoder.fcntlHasArg(cmd)) return specs.slice(0, 2);
    }
    if (name === 'futex') {
      const op = s32(call.args[1] ?? 0) & 0x7f;
      if (op === 1 || op === 7 || op === 8) return specs.slice(0, 3);
      if (op === 0 || op === 6) return specs.slice(0, 4);
    }
    return specs;
  }

  private callState(ts: TaskState, call: PendingCall, ret?: Int64, failed = false): CallState {
    return { task: ts.task, name: call.name, args: call.args, ret, failed };
  }

  /** The argument text printed at entry: the args up to the first one read at exit. */
  private entryText(ts: TaskState, call: PendingCall): string {
    if (!call.row) {
      // A number past the table: all six registers in hex.
      call.resumeAt = 0;
      return `${call.name}(${call.args.slice(0, 6).map((a) => hex(u64(a))).join(', ')}`;
    }
    if (call.name === 'clone') return this.cloneEntry(ts, call);
    if (call.name === 'rt_sigreturn' || call.name === 'sigreturn') return `${call.name}({mask=${printSigset(ts.blocked)}}`;
    if (call.name === 'restart_syscall') return `restart_syscall(<... resuming interrupted ${ts.interruptedName ?? 'system call'} ...>`;
    const specs = call.specs;
    if (specs.length === 0) {
      call.resumeAt = 0;
      return call.name + '(';
    }
    const state = this.callState(ts, call);
    const parts: string[] = [];
    let i = 0;
    for (; i < specs.length; i++) {
      const spec = specs[i]!;
      const multiplex = MULTIPLEX_CALLS.has(call.name) && this.abi !== 'freebsd'; // in-out args shown at entry
      if (spec.dir !== 'in' && !(multiplex && spec.dir === 'inout')) break;
      const index = call.argSpecs.indexOf(spec);
      const mknodMode = spec.fmt === 'mode' && (call.name === 'mknod' || call.name === 'mknodat'); // S_IFIFO|0666
      parts.push((multiplex ? multiplexEntryArg(call.name, index, ts.task, call.args) : undefined)
        ?? (mknodMode ? printMode(u32(call.args[index] ?? 0), true) : this.decoder.formatValue(spec, call.args[index] ?? 0, state)));
    }
    call.resumeAt = i;
    let text = `${call.name}(${parts.join(', ')}`;
    if (i < specs.length && i > 0) text += ', ';
    return text;
  }

  /** The rest of the arguments at exit and the closing parenthesis. */
  private exitArgsText(ts: TaskState, call: PendingCall, ret: Int64, failed: boolean): string {
    if (!call.row || call.name === 'rt_sigreturn' || call.name === 'sigreturn' || call.name === 'restart_syscall') return ')';
    if (call.name === 'clone') return this.cloneExit(call) + ')';
    const specs = call.specs;
    if (call.resumeAt >= specs.length) return ')';
    const state = this.callState(ts, call, ret, failed);
    const parts: string[] = [];
    for (let i = call.resumeAt; i < specs.length; i++) {
      const spec = specs[i]!;
      parts.push(this.decoder.formatValue(spec, call.args[call.argSpecs.indexOf(spec)] ?? 0, state));
    }
    return parts.join(', ') + ')';
  }

  private cloneEntry(ts: TaskState, call: PendingCall): string {
    const flags = u64(call.args[0] ?? 0);
    const sig = Number(flags & 0xffn);
    const rest = flags & ~0xffn;
    let flagText = rest ? printFlags(FLAG_SETS.clone!, rest) : '';
    if (sig) flagText += (flagText ? '|' : '') + printSignal(sig);
    if (!flagText) flagText = '0';
    flagText = xlatText(this.options.xlat, hex(flags), flagText);
    let s = `clone(child_stack=${ptrText(call.args[1] ?? 0)}, flags=${flagText}`;
    if (flags & 0x100000n) s += `, parent_tid=${ptrText(call.args[2] ?? 0)}`;
    if (flags & 0x80000n) s += `, tls=${ptrText(call.args[4] ?? 0)}`;
    call.resumeAt = 0;
    void ts;
    return s;
  }

  private cloneExit(call: PendingCall): string {
    const flags = u64(call.args[0] ?? 0);
    if (flags & 0x1200000n) return `, child_tidptr=${ptrText(call.args[3] ?? 0)}`;
    return '';
  }

  /** `= 3`, `= -1 ENOENT (No such file or directory)`, `= 0x1 (flags O_WRONLY)`, `= ?`. */
  private resultText(ts: TaskState, call: PendingCall, e: SyscallExitEvent): string {
    const ret = e.ret;
    const errno = e.errno;
    if (errno > 0) {
      if (this.abi === 'freebsd') {
        const name = freebsdErrnoName(errno);
        return `-1 ${name ? `${name} (${freebsdStrerror(errno)})` : `(errno ${errno})`}`;
      }
      if (errno >= ERESTART_FIRST) return `? ${printErrno(errno)}`;
      return `-1 ${printErrno(errno)}`;
    }
    const retFmt = call.row?.ret ?? 'hex';
    const name = call.name;
    if (!call.row) return hex(u64(ret));
    if (MULTIPLEX_CALLS.has(name) && this.abi !== 'freebsd') return String(s64(ret)) + multiplexResult(name, ts.task, call.args, ret, (fd) => this.decoder.fd(ts.task, fd));
    if (name === 'umask') return printMode(u32(ret), false);
    if (name === 'fcntl' && this.abi === 'freebsd') {
      const text = freebsdFcntlResult(u32(call.args[1] ?? 0), ret);
      if (text !== undefined) return text;
    } else if (name === 'fcntl') {
      const cmd = u32(call.args[1] ?? 0);
      if (cmd === 3) return `${hex(u32(ret))} (flags ${printOpenFlags(u32(ret))})`;
      if (cmd === 1) return `${hex(u32(ret))} (flags ${printFlags(FLAG_SETS.fd!, u32(ret))})`;
      if (cmd === 0 || cmd === 1030) return this.decoder.fd(ts.task, ret);
    }
    switch (retFmt) {
      case 'none': return '?';
      case 'hex': return hex(u64(ret));
      case 'fd': return this.decoder.fd(ts.task, ret);
      case 'long': return String(s64(ret));
      default: return String(s64(ret));
    }
  }

  private stackLines(task: TraceTask): string {
    let s = '';
    for (const f of task.userStack()) {
      const where = f.file !== undefined ? ` ${f.file}${f.line !== undefined ? ':' + f.line : ''}` : '';
      s += ` > ${f.module ?? '?'}(${f.func ?? ''}) [${hex(f.addr)}]${where}\n`;
    }
    return s;
  }

  // ---- observer ------------------------------------------------------------------------------

  syscallEnter(e: SyscallEnterEvent): void {
    const ts = this.stateOf(e.task);
    if (!ts) return;
    const name = this.nameOf(e.nr, e.row);
    const call: PendingCall = {
      nr: e.nr, name, row: e.row, args: e.args.slice(), startNs: e.timeNs,
      traced: false, specs: NO_SPECS, argSpecs: NO_SPECS, resumeAt: 0, interrupted: false, started: false,
    };
    call.traced = this.selected(call, e.task);
    if (call.traced && call.row) {
      if (this.abi === 'freebsd') {
        call.argSpecs = freebsdRowSpecs(call.row);
        call.specs = freebsdShownArgs(call.row, call.args);
      } else {
        call.argSpecs = call.row.args;
        call.specs = this.shownArgs(call);
      }
    }
    ts.call = call;
    if (!call.traced || !this.printing) return;
    const text = this.leader(ts, e.timeNs) + this.entryText(ts, call);
    if (this.options.relativeTimestamps) this.lastEntryNs = e.timeNs;
    if (this.statusFiltered) {
      call.buffered = text;
      return;
    }
    const stream = this.streamOf(ts);
    this.interruptOpenLine(stream, ts);
    this.write(stream, text);
    stream.open = ts;
    call.started = true;
  }

  syscallExit(e: SyscallExitEvent): void {
    const ts = this.tasks.get(e.task.pid);
    if (!ts) return;
    ts.task = e.task;
    let call = ts.call;
    if (!call || call.nr !== e.nr) {
      // An exit without its entry (the child's return from fork): nothing to print.
      ts.call = undefined;
      return;
    }
    ts.call = undefined;
    this.noteEffects(ts, call, e);
    if (!call.traced) return;
    const failed = e.errno > 0;
    if (this.options.summary !== 'none') this.summaryTable.record(call.name, call.nr, failed, e.durationNs);
    if (!this.printing) return;
    if (!this.statusShown(failed ? 'failed' : 'successful')) return;
    const rest = this.exitArgsText(ts, call, e.ret, failed);
    let tail = this.resultText(ts, call, e);
    if (this.options.syscallTimes) tail += ` <${(e.durationNs / 1e9).toFixed(6)}>`;
    const stream = this.streamOf(ts);
    let line: string;
    if (call.buffered !== undefined) {
      this.interruptOpenLine(stream, undefined);
      line = call.buffered + rest;
    } else if (stream.open === ts && !call.interrupted) {
      line = rest;
    } else {
      this.interruptOpenLine(stream, undefined);
      line = this.leader(ts, e.timeNs) + `<... ${call.name} resumed>` + rest;
    }
    const col = (stream.open === ts && call.buffered === undefined && !call.interrupted ? stream.col : 0) + line.length;
    this.writeLineEnd(stream, line + ' ' + pad(this.options.align - col - 1) + '= ' + tail + '\n');
    stream.open = undefined;
    if (this.options.stackTrace) this.write(stream, this.stackLines(e.task));
  }

  /** What strace remembers from a call: the blocked mask, the call a restart_syscall resumes. */
  private noteEffects(ts: TaskState, call: PendingCall, e: SyscallExitEvent): void {
    if (e.errno === 516) ts.interruptedName = call.name;
    if (call.name === 'rt_sigprocmask' && e.errno === 0) {
      const setAddr = call.args[1] ?? 0;
      if (u64(setAddr) !== 0n) {
        const b = ts.task.readUser(Number(u64(setAddr)), 8);
        if (b) {
          let m = 0n;
          for (let i = 0; i < 8; i++) m |= BigInt(b[i]!) << BigInt(8 * i);
          const how = s32(call.args[0] ?? 0);
          if (how === 0) ts.blocked |= m;
          else if (how === 1) ts.blocked &= ~m;
          else if (how === 2) ts.blocked = m;
        }
      }
    }
  }

  signalDeliver(e: SignalEvent): void {
    const ts = this.tasks.get(e.task.pid);
    if (!ts || !this.printing) return;
    const sigs = this.options.signals;
    if (sigs && sigs.signos.has(e.signo) === sigs.negate) return;
    this.writeLine(ts, e.timeNs, `--- ${printSignal(e.signo)} ${this.siginfoText(e)} ---`);
  }

  private siginfoText(e: SignalEvent): string {
    const sig = printSignal(e.signo);
    const code = e.info.code;
    const codeName = (set: string) => enumName(ENUM_SETS[set]!, code) ?? enumName(ENUM_SETS.si_code!, code) ?? String(code);
    const addr = e.info.addr === undefined ? 'NULL' : ptrText(e.info.addr);
    if (e.signo === 17 && code > 0) {
      const status = code === 1 ? String(e.info.status ?? 0) : printSignal(e.info.status ?? 0);
      return `{si_signo=${sig}, si_code=${codeName('cld')}, si_pid=${e.info.pid ?? 0}, si_uid=${e.info.uid ?? 0}, ` +
        `si_status=${status}, si_utime=${e.info.utime ?? 0}, si_stime=${e.info.stime ?? 0}}`;
    }
    const faultSets: Record<number, string> = { 11: 'segv', 7: 'bus', 4: 'ill', 8: 'fpe', 5: 'trap' };
    if (faultSets[e.signo] && code > 0 && code < 0x80) {
      return `{si_signo=${sig}, si_code=${codeName(faultSets[e.signo]!)}, si_addr=${addr}}`;
    }
    if (code <= 0) {
      return `{si_signo=${sig}, si_code=${codeName('si_code')}, si_pid=${e.info.pid ?? 0}, si_uid=${e.info.uid ?? 0}}`;
    }
    if (code === 0x80) {
      return faultSets[e.signo] ? `{si_signo=${sig}, si_code=SI_KERNEL, si_addr=${addr}}` : `{si_signo=${sig}, si_code=SI_KERNEL}`;
    }
    return `{si_signo=${sig}, si_code=${code}}`;
  }

  fork(e: ForkEvent): void {
    const parent = this.tasks.get(e.task.pid);
    if (!parent || !this.options.followForks) return;
    this.track(e.child);
    if (this.options.quiet < 1) this.writers.stderr(`strace: Process ${e.child.pid} attached\n`);
  }

  exit(e: ExitEvent): void {
    const ts = this.tasks.get(e.task.pid);
    if (!ts) return;
    const call = ts.call;
    if (call && call.traced && this.printing && this.statusShown('unfinished')) {
      const stream = this.streamOf(ts);
      let line: string;
      let col = 0;
      if (call.buffered !== undefined) {
        this.interruptOpenLine(stream, undefined);
        line = call.buffered + ')';
      } else if (stream.open === ts && !call.interrupted) {
        line = ')';
        col = stream.col;
      } else {
        this.interruptOpenLine(stream, undefined);
        line = this.leader(ts, e.timeNs) + `<... ${call.name} resumed>)`;
      }
      const total = col + line.length;
      this.write(stream, line + ' ' + pad(this.options.align - total - 1) + '= ?\n');
      stream.open = undefined;
    }
    ts.call = undefined;
    if (this.printing && this.options.quiet < 2) {
      if (e.signo !== undefined) {
        this.writeLine(ts, e.timeNs, `+++ killed by ${printSignal(e.signo)}${e.coreDumped ? ' (core dumped)' : ''} +++`);
      } else {
        this.writeLine(ts, e.timeNs, `+++ exited with ${e.code ?? 0} +++`);
      }
    }
    this.tasks.delete(e.task.pid);
    if (this.tasks.size === 0) this.finish();
  }

  /** Ends the trace: prints the -c/-C summary (once). Called when the last traced process exits. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.options.summary !== 'none') this.write(this.mainStream, this.summaryTable.format(this.options.sortBy));
  }
}
