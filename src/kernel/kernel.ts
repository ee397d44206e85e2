// The emulated kernel: the syscall table built from rows, dispatch with its probes, tasks and the
// scheduler, signals, process exit and reaping. Handlers live in syscalls/*.ts (and in compiled
// kernel C); this file is the part every call goes through.
import type { Int64, KernelObserver, SyscallEnterEvent, SchedEvent, TraceTask, StackFrameInfo } from './events.js';
import type { SyscallRow } from './syscall-row.js';
import type { SyscallHandler } from './handler.js';
import type { SyscallContext } from './context.js';
import type { Console } from './console.js';
import type { KernelClock } from './clock.js';
import { NS_PER_SYSCALL } from './clock.js';
import { Task, type TaskLimits, type PendingSignal } from './task.js';
import { E, Errno } from './errno.js';
import { BLOCK, WaitQueue, type Block } from './wait.js';
import { SIG, SI, defaultAction, exitedStatus, signaledStatus, sigbit, signalName } from './signals.js';
import { STEP_TRAP, type CFunction, type Cpu } from '../runtime/cpu.js';
import { TASK_SIZE_32 } from './uaccess.js';
import { asmProgram, popAsmSignalFrame, pushAsmSignalFrame } from '../asm/signal-frame.js';

/** What the scheduler does when every task sleeps with no timer: a deadlock. */
export class KernelPanic extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelPanic';
  }
}

/** Thrown by a handler to end the calling task inside the syscall (exit, exit_group, a fatal signal). */
export const NORETURN: unique symbol = Symbol('NORETURN');

export interface TableEntry {
  row: SyscallRow;
  handler: SyscallHandler | undefined;
}

export interface KernelIdentity {
  os: 'linux' | 'freebsd';
  arch: 'x86_64' | 'i386';
  release: string;
  localversion: string;
  hostname: string;
  /** `#1 SMP PREEMPT_DYNAMIC ...` as uname -v prints it. */
  version: string;
}

export interface KernelOptions {
  identity: KernelIdentity;
  rows: SyscallRow[];
  /** Handlers by entry point name (sys_read) or syscall name (read). */
  handlers: Record<string, SyscallHandler>;
  console: Console;
  clock: KernelClock;
  /** printk sink (the kernel log). */
  printk: (text: string, caller?: string, task?: Task) => void;
  limits: TaskLimits;
  /** First pid handed out. */
  firstPid?: number;
  /** Time slice in CPU units. */
  slice?: number;
  /** Host wall-time limit for a whole run, in ms (Infinity for none). */
  wallLimitMs?: number;
  hostNowMs?: () => number;
}

/**
 * What differs in a syscall ABI beyond the table (set by boot; null is Linux): FreeBSD answers a
 * number past its table with nosys (SIGSYS + ENOSYS) and has a second return register.
 */
export interface SyscallAbi {
  /** The result of a syscall number with no table entry (Linux: -ENOSYS). */
  noEntry?(t: Task, nr: number, args: Int64[]): Int64;
  /** The second return register after t's last call (FreeBSD td_retval[1]), for observers. */
  secondResult?(t: Task): Int64 | undefined;
  /** Widens a task's raw register arguments before dispatch and the observers (i386: 32-bit registers). */
  widenArgs?(t: Task, row: SyscallRow | undefined, args: Int64[]): Int64[];
  /** The number a caught signal's handler receives (FreeBSD numbers its signals its own way). */
  handlerSignal?(signo: number): number;
  /** The call the signal trampoline makes when a handler returns (Linux: rt_sigreturn). */
  sigreturnNr?: number;
}

/** Why a run ended, for `ksim run` and the library. */
export interface TaskEnd {
  pid: number;
  code?: number;
  signo?: number;
  coreDumped: boolean;
  /** A message ksim prints about why it stopped the task (limits), if any. */
  reason?: string;
}

export class Kernel {
  readonly identity: KernelIdentity;
  readonly table: (TableEntry | undefined)[] = [];
  readonly rowsByName = new Map<string, SyscallRow>();
  readonly tasks = new Map<number, Task>();
  readonly console: Console;
  readonly clock: KernelClock;
  readonly limits: TaskLimits;
  observers: KernelObserver[] = [];
  /** Kernel subsystems attach here (vfs, kernel C runtime, module loader...). */
  vfs: any = null;
  /** Called when a task ends (the run's first task especially). */
  onTaskEnd: ((t: Task, end: TaskEnd) => void) | null = null;
  /** Called between time slices (ksim shell reads the terminal there, so ^C reaches a busy loop). */
  afterSlice: (() => void) | null = null;
  tainted = 0;
  /** The OS's syscall ABI strategy (FreeBSD); null for Linux. */
  abi: SyscallAbi | null = null;
  private runQueue: Task[] = [];
  private contexts = new WeakMap<Task, HandlerContext>();
  private nextPid: number;
  private slice: number;
  private printkSink: KernelOptions['printk'];
  private wallLimitMs: number;
  private hostNowMs: () => number;
  /** Tasks woken while the current one runs. */
  current: Task | undefined;
  /** Messages about tasks ksim stopped (limits), printed by `ksim run`. */
  readonly notices: string[] = [];
  /** Called when a user-mode fault or kill ends a task, for reporting. */
  private sigreturnFn: CFunction;

  constructor(opts: KernelOptions) {
    this.identity = opts.identity;
    this.console = opts.console;
    this.clock = opts.clock;
    this.limits = opts.limits;
    this.nextPid = opts.firstPid ?? 1000;
    this.slice = opts.slice ?? 100_000;
    this.printkSink = opts.printk;
    this.wallLimitMs = opts.wallLimitMs ?? Infinity;
    this.hostNowMs = opts.hostNowMs ?? (() => 0);
    this.setTable(opts.rows, opts.handlers);
    this.sigreturnFn = {
      name: '__restore_rt',
      addr: -0x7f000000 + 0x1000, // in kernel text: the vDSO-like trampoline
      nparams: 0,
      nlocals: 3,
      frameSize: 0,
      variadic: false,
      file: '',
      line: 0,
      module: 'vdso',
      step: (P, F) => {
        P.trapNr = this.sigreturnNr();
        P.trapArgs = [0, 0, 0, 0, 0, 0];
        F.pc = 1;
        return STEP_TRAP;
      },
    };
  }

  /** (Re)builds the dispatch table from rows and handlers. */
  setTable(rows: SyscallRow[], handlers: Record<string, SyscallHandler>): void {
    this.table.length = 0;
    this.rowsByName.clear();
    for (const row of rows) {
      const handler = row.support === 'enosys' ? undefined : (handlers[row.entry] ?? handlers[row.name]);
      this.table[row.nr] = { row, handler };
      // x32 rows share names with native ones; names resolve to the native row.
      if (row.abi !== 'x32' || !this.rowsByName.has(row.name)) this.rowsByName.set(row.name, row);
    }
    if (this.observers?.length) this.refreshObservers();
  }

  private sigreturnNr(): number {
    return this.abi?.sigreturnNr ?? this.rowsByName.get('rt_sigreturn')?.nr ?? 15;
  }

  // --- observers ------------------------------------------------------------------------------

  attach(o: KernelObserver): void {
    this.observers.push(o);
    this.refreshObservers();
  }

  detach(o: KernelObserver): void {
    this.observers = this.observers.filter((x) => x !== o);
    this.refreshObservers();
  }

  /** Which syscall numbers some observer wants events for (see KernelObserver.wantsSyscall); all 0
   *  without observers, all 1 when one wants every call. */
  private syscallWanted = new Uint8Array(0);
  /** Which of them some observer wants the exit of (KernelObserver.wantsSyscallExit). */
  private syscallExitWanted = new Uint8Array(0);
  /** Some observer wants every call (no wantsSyscall). */
  private allSyscallsWanted = false;
  /** The observers with a syscallEnter method. */
  private enterObservers: KernelObserver[] = [];

  /** Recomputes the per-syscall interest of the observers (call after an observer changes its mind). */
  refreshObservers(): void {
    const all = (this.allSyscallsWanted = this.observers.some((o) => (o.syscallEnter || o.syscallExit) && !o.wantsSyscall));
    const wanted = new Uint8Array(this.table.length + 1);
    const exitWanted = new Uint8Array(this.table.length + 1);
    this.enterObservers = this.observers.filter((o) => o.syscallEnter);
    if (all) {
      wanted.fill(1);
      exitWanted.fill(1);
    } else {
      for (const o of this.observers) {
        if (!o.wantsSyscall) continue;
        for (let nr = 0; nr < wanted.length; nr++) {
          if (!o.wantsSyscall(nr)) continue;
          wanted[nr] = 1;
          if (!o.wantsSyscallExit || o.wantsSyscallExit(nr)) exitWanted[nr] = 1;
        }
      }
    }
    this.syscallWanted = wanted;
    this.syscallExitWanted = exitWanted;
    this.schedWanted = this.observers.some((o) => !!o.sched && (!o.wantsSched || o.wantsSched()));
  }

  // --- the sched events (dtrace's sched provider): one branch each while nobody wants them ----------

  /** Some observer wants sched events (KernelObserver.wantsSched). */
  private schedWanted = false;
  /** Set while the timer (not a task) wakes sleepers: the waker is the idle task. */
  private timerContext = false;
  private idleView: TraceTask | undefined;

  /** The idle task (pid 0: Linux's swapper/0, FreeBSD's idle), on cpu when nothing is runnable. */
  private idleTask(): TraceTask {
    const comm = this.identity.os === 'freebsd' ? 'idle' : 'swapper/0';
    return (this.idleView ??= {
      pid: 0, tid: 0, ppid: 0, uid: 0, gid: 0, comm,
      readUser: () => null, readCString: () => null, fdPath: () => undefined, userStack: () => [],
    });
  }

  private emitSched(kind: SchedEvent['kind'], task: TraceTask, other?: TraceTask): void {
    const e: SchedEvent = { kind, task, other, timeNs: this.clock.uptimeNs() };
    for (const o of this.observers) o.sched?.(e);
  }

  /** Task.wake's hook: the wakeup event (the waker is the running task, or the idle task for the timer), then the run queue. */
  private woken(t: Task): void {
    if (this.schedWanted) this.emitSched('wakeup', this.timerContext || !this.current ? this.idleTask() : taskView(this.current), taskView(t));
    this.enqueue(t);
  }

  traceView(t: Task): TraceTask {
    return taskView(t);
  }

  emitIo(t: Task, fd: number, write: boolean, data: Uint8Array): void {
    if (this.observers.length === 0) return;
    const e = { task: taskView(t), fd, write, data, timeNs: this.clock.uptimeNs() };
    for (const o of this.observers) o.io?.(e);
  }

  emitNamei(t: Task, path: string): void {
    if (this.observers.length === 0) return;
    const e = { task: taskView(t), path, timeNs: this.clock.uptimeNs() };
    for (const o of this.observers) o.namei?.(e);
  }

  printk(text: string, caller?: string, t?: Task): void {
    this.printkSink(text, caller, t);
    if (this.observers.length) {
      const m = /^\x01([0-7c])/.exec(text);
      const e = { task: t ? taskView(t) : undefined, level: m && m[1] !== 'c' ? Number(m[1]) : 4, text, caller, timeNs: this.clock.uptimeNs() };
      for (const o of this.observers) o.printk?.(e);
    }
  }

  // --- tasks ----------------------------------------------------------------------------------

  /** The pid the next new task will get. */
  peekNextPid(): number {
    let p = this.nextPid;
    while (this.tasks.has(p)) p++;
    return p;
  }

  allocPid(): number {
    while (this.tasks.has(this.nextPid)) this.nextPid++;
    return this.nextPid++;
  }

  newTask(parent: Task | undefined): Task {
    const t = new Task(this.allocPid(), parent?.pid ?? 1, (w) => this.woken(w));
    t.startNs = this.clock.uptimeNs();
    if (parent) {
      t.parent = parent;
      parent.children.add(t);
      t.uid = parent.uid;
      t.euid = parent.euid;
      t.suid = parent.suid;
      t.gid = parent.gid;
      t.egid = parent.egid;
      t.sgid = parent.sgid;
      t.pgid = parent.pgid;
      t.sid = parent.sid;
      t.cwd = parent.cwd;
      t.umask = parent.umask;
      t.comm = parent.comm;
      t.argv = parent.argv;
      t.exePath = parent.exePath;
      t.sigactions = parent.sigactions.map((a) => ({ ...a }));
      t.blocked = parent.blocked;
    }
    this.tasks.set(t.pid, t);
    return t;
  }

  liveTaskCount(): number {
    let n = 0;
    for (const t of this.tasks.values()) if (t.state !== 'zombie') n++;
    return n;
  }

  enqueue(t: Task): void {
    if (t.state === 'runnable' && !this.runQueue.includes(t)) this.runQueue.push(t);
  }

  /** Puts t to sleep on q (and/or until a deadline); the pending syscall re-runs when woken. */
  sleep(t: Task, q: WaitQueue | undefined, wmesg: string, deadlineNs = Infinity): Block {
    t.state = 'sleeping';
    t.waitingOn = q;
    t.wmesg = wmesg;
    t.sleepDeadline = deadlineNs;
    q?.add(t);
    if (this.observers.length) {
      const e = { task: taskView(t), out: true, wmesg, timeNs: this.clock.uptimeNs() };
      for (const o of this.observers) o.contextSwitch?.(e);
    }
    if (this.schedWanted) this.emitSched('sleep', taskView(t));
    return BLOCK;
  }

  // --- dispatch -------------------------------------------------------------------------------

  /** The context a handler gets; one per task, reused across its syscalls (no allocation per call). */
  contextFor(t: Task, nr: number, row: SyscallRow | undefined): SyscallContext {
    let ctx = this.contexts.get(t);
    if (!ctx || ctx.user !== t.user) {
      ctx = new HandlerContext(this, t);
      this.contexts.set(t, ctx);
    }
    ctx.nr = nr;
    ctx.row = row;
    return ctx;
  }

  /**
   * Runs syscall nr for t: the entry probe, the handler, the return probe. Returns the raw result
   * (>= 0 or -errno), BLOCK when the task went to sleep, or NORETURN when it ended.
   */
  syscall(t: Task, nr: number, args: Int64[], restarted = false): Int64 | Block | typeof NORETURN {
    const entry = nr >= 0 ? this.table[nr] : undefined;
    const row = entry?.row;
    if (this.abi?.widenArgs && !restarted) args = this.abi.widenArgs(t, row, args);
    // One lookup and one branch, whether nobody listens or listeners want other calls only; a
    // number past the table is observed when some observer wants every call (its exit too: the
    // exit array reads undefined there).
    const wanted = this.syscallWanted;
    const observed = wanted[nr] === 1 || (this.allSyscallsWanted && (nr < 0 || nr >= wanted.length));
    const exitObserved = observed && this.syscallExitWanted[nr] !== 0;
    // The clock is read only when someone observes the exit (or the call blocks), else when an entry
    // observer reads the event's timeNs: reading it costs more than the rest of the call.
    let startNs = restarted && t.pendingSyscall ? t.pendingSyscall.startNs : exitObserved ? this.clock.uptimeNs() : -1;
    if (observed && !restarted) {
      const e = new SyscallEntry(taskView(t), nr, row, args, startNs, this.clock);
      const enter = this.enterObservers;
      for (let i = 0; i < enter.length; i++) enter[i]!.syscallEnter!(e);
      startNs = e.readTimeNs;
    }
    this.clock.advanceWork(NS_PER_SYSCALL / 2);
    let res: Int64 | Block | typeof NORETURN;
    if (!entry?.handler) {
      res = this.abi?.noEntry ? this.abi.noEntry(t, nr, args) : -E.NOSYS;
    } else {
      try {
        res = entry.handler(this.contextFor(t, nr, row), args) as Int64 | Block | typeof NORETURN;
      } catch (e) {
        // By name too: a TypeScript syscall module may throw the Errno of another copy of ksim.
        if (e instanceof Errno || (e instanceof Error && e.name === 'Errno' && typeof (e as Errno).errno === 'number')) res = -(e as Errno).errno;
        else if (e === NORETURN) res = NORETURN;
        else throw e;
      }
    }
    if (res === BLOCK) {
      t.pendingSyscall = { nr, args, startNs: startNs >= 0 ? startNs : this.clock.uptimeNs() };
      return BLOCK;
    }
    t.pendingSyscall = undefined;
    if (t.scratch.size) t.scratch.clear();
    if (res === NORETURN) return NORETURN;
    if (exitObserved) {
      const r = res as Int64;
      const errno = typeof r === 'number' && r < 0 && r >= -4095 ? -r : 0;
      const now = this.clock.uptimeNs();
      const e = { task: taskView(t), nr, row, args, timeNs: now, ret: r, errno, durationNs: now - startNs, ...(this.abi?.secondResult ? { ret2: this.abi.secondResult(t) } : {}) };
      for (const o of this.observers) o.syscallExit?.(e);
    }
    return res;
  }

  // --- signals --------------------------------------------------------------------------------

  /** Queues a signal for t (kill, a fault, SIGCHLD, SIGPIPE) and wakes it if it sleeps interruptibly. */
  sendSignal(t: Task, signo: number, info: Omit<PendingSignal, 'signo'> = { code: SI.KERNEL }, from?: Task): void {
    if (t.state === 'zombie' || signo <= 0) return;
    if (this.observers.length && from) {
      const e = { task: taskView(from), target: taskView(t), signo, info, handler: t.sigactions[signo]?.handler ?? 0, mask: 0 as Int64, timeNs: this.clock.uptimeNs() };
      for (const o of this.observers) o.signalSend?.(e);
    }
    const act = t.sigactions[signo]!;
    // Ignored signals are discarded at generation (except the unblockable ones).
    if (signo !== SIG.KILL && signo !== SIG.STOP) {
      if (act.handler === 1 || (act.handler === 0 && defaultAction(signo) === 'ign' && !(t.blocked & sigbit(signo)))) {
        if (signo !== SIG.CHLD || act.handler === 1 || act.handler === 0) return;
      }
    }
    if (signo < 32 && t.pending.some((p) => p.signo === signo)) return; // standard signals don't queue
    t.pending.push({ signo, ...info });
    // SIGCONT resumes a stopped task; SIGKILL wakes it too, to die (as Linux does).
    if ((signo === SIG.CONT || signo === SIG.KILL) && t.state === 'stopped') {
      t.state = 'runnable';
      this.enqueue(t);
    }
    if (t.state === 'sleeping' && (signo === SIG.KILL || !(t.blocked & sigbit(signo)))) {
      t.interrupted = true;
      t.wake();
    }
  }

  private hasDeliverable(t: Task): boolean {
    return t.pending.some((p) => p.signo === SIG.KILL || !(t.blocked & sigbit(p.signo)));
  }

  /**
   * Delivers pending unblocked signals before t returns to user mode. Returns false when t died.
   * A caught signal pushes a frame for the handler above a sigreturn frame that restores the
   * interrupted state (and the blocked mask) when the handler returns.
   */
  deliverSignals(t: Task): boolean {
    while (t.pending.length && t.state !== 'zombie') {
      // SIGKILL first (Linux dequeues the lowest number first: a pending SIGSTOP must not hide it).
      const kill = t.pending.findIndex((p) => p.signo === SIG.KILL);
      const idx = kill >= 0 ? kill : t.pending.findIndex((p) => !(t.blocked & sigbit(p.signo)));
      if (idx < 0) break;
      const sig = t.pending.splice(idx, 1)[0]!;
      const act = t.sigactions[sig.signo]!;
      if (sig.signo !== SIG.KILL && sig.signo !== SIG.STOP && act.handler === 1) continue;
      if (sig.signo === SIG.KILL || sig.signo === SIG.STOP || act.handler === 0) {
        const what = sig.signo === SIG.KILL ? 'term' : defaultAction(sig.signo);
        this.emitSignalDeliver(t, sig, 0, 0n);
        if (what === 'ign' || what === 'cont') continue;
        if (what === 'stop') {
          t.state = 'stopped';
          return false;
        }
        this.killTask(t, sig.signo, what === 'core');
        return false;
      }
      // A caught signal: run the handler.
      const cpu = t.cpu as Cpu;
      // An assembly program (one step function, registers in its frame) gets Linux's signal frame
      // on its user stack instead of a handler call frame (src/asm/signal-frame.ts).
      const asm = asmProgram(cpu) !== undefined;
      const handlerFn = !asm && typeof act.handler === 'number' ? cpu.lookup(act.handler) : undefined;
      this.emitSignalDeliver(t, sig, act.handler, act.mask);
      if (!asm && !handlerFn) {
        this.killTask(t, SIG.SEGV, true);
        return false;
      }
      const savedMask = t.savedSigmask ?? t.blocked;
      t.savedSigmask = undefined;
      const SA_NODEFER = 0x40000000;
      const SA_RESETHAND = 0x80000000;
      t.blocked = (t.blocked | act.mask | ((act.flags & SA_NODEFER) !== 0 ? 0n : sigbit(sig.signo))) & ~(sigbit(SIG.KILL) | sigbit(SIG.STOP));
      if ((act.flags & SA_RESETHAND) !== 0) t.sigactions[sig.signo] = { handler: 0, flags: 0, mask: 0n, restorer: 0 };
      if (asm) {
        const signo = this.abi?.handlerSignal ? this.abi.handlerSignal(sig.signo) : sig.signo;
        const ok = pushAsmSignalFrame(cpu, { signo, handler: Number(act.handler), flags: act.flags, restorer: act.restorer, savedMask, info: sig, restart: t.restartAfterSignal });
        t.restartAfterSignal = undefined;
        if (!ok) {
          this.killTask(t, SIG.SEGV, true);
          return false;
        }
        continue;
      }
      if (!cpu.pushCall(this.sigreturnFn, [cpu.rv, savedMask, t.restartAfterSignal])) {
        this.killTask(t, SIG.SEGV, true);
        return false;
      }
      t.restartAfterSignal = undefined;
      if (!cpu.pushCall(handlerFn!, [this.abi?.handlerSignal ? this.abi.handlerSignal(sig.signo) : sig.signo, 0, 0])) {
        this.killTask(t, SIG.SEGV, true);
        return false;
      }
      // pushCall preserves rv for the handler frame; the sigreturn frame restores it explicitly.
    }
    // No handler ran after ppoll/pselect6 was interrupted: its caller's mask comes back now.
    if (t.savedSigmask !== undefined) {
      t.blocked = t.savedSigmask;
      t.savedSigmask = undefined;
    }
    return true;
  }

  /** rt_sigreturn (rt false: i386 sigreturn): pops the sigreturn frame and restores the interrupted state. */
  sigreturn(t: Task, rt = true): Int64 | Block | typeof NORETURN {
    const cpu = t.cpu as Cpu;
    const f = cpu.frames[cpu.frames.length - 1];
    const asm = asmProgram(cpu) && popAsmSignalFrame(cpu, rt);
    if (asm) {
      // The registers (eax/rax too: a call to make again has its number there) and eip came back.
      t.blocked = asm.mask & ~(sigbit(SIG.KILL) | sigbit(SIG.STOP));
      return asm.rv;
    }
    if (!f || f.fn !== this.sigreturnFn) {
      // Not called from a signal frame: Linux kills the task with SIGSEGV.
      this.killTask(t, SIG.SEGV, true);
      return NORETURN;
    }
    cpu.frames.pop();
    cpu.sp = f.savedSp;
    const [savedRv, savedMask, restart] = f.l as [Int64, bigint, { nr: number; args: Int64[] } | undefined];
    t.blocked = savedMask;
    if (restart) {
      // As Linux rewinds to the syscall instruction with rax = orig_rax: the call is made again
      // once rt_sigreturn has returned (runTask), and rt_sigreturn's own result is its number.
      t.restartNow = restart;
      return restart.nr;
    }
    return savedRv;
  }

  private emitSignalDeliver(t: Task, sig: PendingSignal, handler: Int64, mask: bigint): void {
    if (!this.observers.length) return;
    const e = {
      task: taskView(t),
      signo: sig.signo,
      info: { code: sig.code, pid: sig.pid, uid: sig.uid, status: sig.status, addr: sig.addr },
      handler,
      mask: Number(BigInt.asIntN(53, mask)),
      timeNs: this.clock.uptimeNs(),
    };
    for (const o of this.observers) o.signalDeliver?.(e);
  }

  // --- exit -----------------------------------------------------------------------------------

  /** Ends t with an exit code (exit_group). */
  exitTask(t: Task, code: number): void {
    t.exitCode = code & 0xff;
    t.exitStatus = exitedStatus(code);
    this.finish(t, { pid: t.pid, code: code & 0xff, coreDumped: false });
  }

  /** Ends t by a signal. */
  killTask(t: Task, signo: number, core: boolean, reason?: string): void {
    t.killedBy = signo;
    t.exitStatus = signaledStatus(signo, core);
    if (reason) this.notices.push(reason);
    this.finish(t, { pid: t.pid, signo, coreDumped: core, reason });
  }

  private finish(t: Task, end: TaskEnd): void {
    if (t.state === 'zombie') return;
    if (this.observers.length) {
      const e = { task: taskView(t), timeNs: this.clock.uptimeNs(), code: end.code, signo: end.signo, coreDumped: end.coreDumped };
      for (const o of this.observers) o.exit?.(e);
    }
    t.waitingOn?.remove(t);
    t.waitingOn = undefined;
    t.state = 'zombie';
    t.pendingSyscall = undefined;
    t.fds.closeAll();
    this.runQueue = this.runQueue.filter((x) => x !== t);
    // Orphans are reaped by "init": ksim has no init process, so they are released at their exit.
    for (const c of t.children) {
      c.parent = undefined;
      c.ppid = 1;
      if (c.state === 'zombie') this.tasks.delete(c.pid);
    }
    t.children.clear();
    const parent = t.parent;
    if (parent && parent.state !== 'zombie') {
      const info = {
        code: end.signo === undefined ? SI.CLD_EXITED : end.coreDumped ? SI.CLD_DUMPED : SI.CLD_KILLED,
        pid: t.pid,
        uid: t.uid,
        status: end.signo ?? end.code ?? 0,
      };
      this.sendSignal(parent, SIG.CHLD, info);
      parent.childExit.wakeAll();
    } else {
      this.tasks.delete(t.pid);
    }
    this.onTaskEnd?.(t, end);
  }

  /** Removes a reaped zombie. */
  reap(t: Task): void {
    t.parent?.children.delete(t);
    this.tasks.delete(t.pid);
  }

  // --- the scheduler --------------------------------------------------------------------------

  // --- ITIMER_REAL ----------------------------------------------------------------------------

  /** Tasks with an armed real-time interval timer (alarm, setitimer). */
  private readonly alarmTasks = new Set<Task>();

  /** Arms (atNs < Infinity) or disarms t's ITIMER_REAL. */
  setAlarm(t: Task, atNs: number, intervalNs: number): void {
    t.alarmAtNs = atNs;
    t.alarmIntervalNs = intervalNs;
    if (atNs === Infinity) this.alarmTasks.delete(t);
    else this.alarmTasks.add(t);
  }

  /** Sends SIGALRM to every task whose timer is due (reloading interval timers). */
  private fireAlarms(): void {
    this.timerContext = true;
    try {
      this.fireDueAlarms();
    } finally {
      this.timerContext = false;
    }
  }

  private fireDueAlarms(): void {
    const now = this.clock.uptimeNs();
    for (const t of [...this.alarmTasks]) {
      if (t.state === 'zombie') {
        this.alarmTasks.delete(t);
        continue;
      }
      if (t.alarmAtNs > now) continue;
      if (t.alarmIntervalNs > 0) {
        let next = t.alarmAtNs + t.alarmIntervalNs;
        if (next <= now) next = now + t.alarmIntervalNs;
        t.alarmAtNs = next;
      } else this.setAlarm(t, Infinity, 0);
      this.sendSignal(t, SIG.ALRM, { code: SI.KERNEL });
    }
  }

  /** The earliest armed timer of a live task, or Infinity. */
  private nextAlarmNs(): number {
    let at = Infinity;
    for (const t of this.alarmTasks) if (t.state !== 'zombie' && t.alarmAtNs < at) at = t.alarmAtNs;
    return at;
  }

  /** Runs until no task is left alive (or every remaining one is stopped). */
  run(): void {
    const startMs = this.hostNowMs();
    for (;;) {
      const t = this.runQueue.shift();
      if (!t) {
        if (!this.wakeTimers()) break;
        continue;
      }
      if (t.state !== 'runnable') continue;
      this.runTask(t);
      if (this.alarmTasks.size) this.fireAlarms();
      this.afterSlice?.();
      if (this.wallLimitMs !== Infinity && this.hostNowMs() - startMs > this.wallLimitMs) {
        for (const x of [...this.tasks.values()]) {
          if (x.state !== 'zombie') this.killTask(x, SIG.KILL, false, `ksim: pid ${x.pid} (${x.comm}) killed: wall-time limit of ${this.wallLimitMs / 1000} s exceeded`);
        }
        break;
      }
    }
  }

  /**
   * Nothing is runnable: wake the sleeper with the earliest deadline (advancing or waiting on the
   * clock). Returns false when nothing can ever run again.
   */
  private wakeTimers(): boolean {
    let next: Task | undefined;
    let sleepers = 0;
    for (const t of this.tasks.values()) {
      if (t.state !== 'sleeping') continue;
      sleepers++;
      if (t.sleepDeadline !== Infinity && (!next || t.sleepDeadline < next.sleepDeadline)) next = t;
    }
    // An armed alarm due before every sleeper's deadline: wait for it, and its SIGALRM wakes its task.
    const alarmAt = this.alarmTasks.size ? this.nextAlarmNs() : Infinity;
    if (alarmAt !== Infinity && (!next || alarmAt < next.sleepDeadline) && (sleepers > 0 || this.liveTaskCount() > 0)) {
      this.clock.waitUntil(alarmAt);
      this.fireAlarms();
      return true;
    }
    if (next) {
      this.clock.waitUntil(next.sleepDeadline);
      const now = this.clock.uptimeNs();
      this.timerContext = true;
      for (const t of [...this.tasks.values()]) if (t.state === 'sleeping' && t.sleepDeadline <= now) t.wake();
      this.timerContext = false;
      return true;
    }
    if (sleepers > 0) {
      // Every task waits for something no one can do: a deadlock. Real Linux would hang forever.
      for (const t of [...this.tasks.values()]) {
        if (t.state === 'sleeping') {
          this.killTask(t, SIG.KILL, false, `ksim: pid ${t.pid} (${t.comm}) killed: deadlock, every process is asleep (this one in ${t.wmesg})`);
        }
      }
    }
    return false;
  }

  /** Runs one task for up to a time slice, between the sched on-cpu and off-cpu events. */
  runTask(t: Task): void {
    if (this.schedWanted) this.emitSched('on-cpu', taskView(t));
    this.runSlice(t);
    // Between slices no task is on cpu: a wakeup then (the host's input) comes from the idle task.
    this.current = undefined;
    if (!this.schedWanted) return;
    // off-cpu's other: the task that runs next (the first runnable one queued), else the idle task.
    const next = this.runQueue.find((x) => x.state === 'runnable');
    this.emitSched('off-cpu', taskView(t), next ? taskView(next) : this.idleTask());
  }

  private runSlice(t: Task): void {
    this.current = t;
    const cpu = t.cpu as Cpu;
    if (this.observers.length && t.wmesg) {
      const e = { task: taskView(t), out: false, wmesg: t.wmesg, timeNs: this.clock.uptimeNs() };
      for (const o of this.observers) o.contextSwitch?.(e);
    }
    t.wmesg = '';
    if (t.pendingSyscall) {
      const p = t.pendingSyscall;
      let res: Int64 | Block | typeof NORETURN;
      if (t.interrupted && this.hasDeliverable(t)) {
        t.interrupted = false;
        t.pendingSyscall = undefined;
        // A signal interrupted the call: EINTR, or restart after the handler with SA_RESTART.
        const sig = t.pending.find((s) => s.signo === SIG.KILL || !(t.blocked & sigbit(s.signo)))!;
        const SA_RESTART = 0x10000000;
        const act = t.sigactions[sig.signo]!;
        const kind = this.restartKind(p.nr);
        const restart = typeof act.handler === 'number' && act.handler > 1 && (act.flags & SA_RESTART) !== 0 && kind === E.RESTARTSYS;
        if (restart) t.restartAfterSignal = { nr: p.nr, args: p.args };
        res = this.finishInterrupted(t, p, -E.INTR, -kind);
      } else {
        t.interrupted = false;
        res = this.syscall(t, p.nr, p.args, true);
      }
      if (res === BLOCK || res === NORETURN) return;
      cpu.rv = res;
    }
    if (!this.deliverSignals(t)) return;
    cpu.budget = this.slice;
    for (;;) {
      const before = cpu.budget;
      const why = cpu.run();
      const used = before - Math.max(cpu.budget, 0);
      t.cpuUsed += used;
      this.clock.advanceWork(used);
      if (t.cpuUsed > this.limits.cpuHard) {
        this.killTask(t, SIG.KILL, false, `ksim: pid ${t.pid} (${t.comm}) killed: CPU limit exceeded (${this.limits.cpuHard} units; raise it with --cpu-limit)`);
        return;
      }
      if (t.cpuUsed > this.limits.cpuSoft && !t.sentXcpu) {
        t.sentXcpu = true;
        this.sendSignal(t, SIG.XCPU);
      }
      if (why === 'trap') {
        let res = this.syscall(t, cpu.trapNr, cpu.trapArgs);
        if (t.restartNow && res !== BLOCK && res !== NORETURN) {
          const again = t.restartNow;
          t.restartNow = undefined;
          res = this.syscall(t, again.nr, again.args);
        }
        if (res === BLOCK || res === NORETURN) return;
        if (t.state === 'zombie') return;
        (t.cpu as Cpu).rv = res; // execve may have replaced the cpu
        if (!this.deliverSignals(t)) return;
        if ((t.cpu as Cpu).budget <= 0 || t.state !== 'runnable') {
          this.enqueue(t);
          return;
        }
        if (t.cpu !== cpu) {
          // execve: continue with the new image next time round.
          this.enqueue(t);
          return;
        }
        continue;
      }
      if (why === 'yield') {
        if (!this.deliverSignals(t)) return;
        this.enqueue(t);
        return;
      }
      if (why === 'exit') {
        // The entry function returned: like returning from _start without exit, the status is rv.
        const rv = cpu.rv;
        this.exitTask(t, typeof rv === 'number' ? rv : 0);
        return;
      }
      // A fault in user mode: the signal it maps to.
      const f = cpu.fault!;
      cpu.fault = null;
      const signo = SIG[f.signal.slice(3) as keyof typeof SIG];
      const code = f.code === 'SEGV_ACCERR' ? SI.SEGV_ACCERR : f.code === 'SEGV_MAPERR' ? SI.SEGV_MAPERR : f.code === 'FPE_INTDIV' ? SI.FPE_INTDIV : SI.ILL_ILLOPN;
      if (this.observers.length && f.addr !== undefined) {
        const e = { task: taskView(t), addr: f.addr, type: 1, timeNs: this.clock.uptimeNs() };
        for (const o of this.observers) o.fault?.(e);
      }
      const act = t.sigactions[signo]!;
      if (act.handler === 0 || act.handler === 1 || t.blocked & sigbit(signo)) {
        // Synchronous faults can't be ignored or blocked: default action.
        t.pending.length = 0;
        this.emitSignalDeliver(t, { signo, code, addr: f.addr }, 0, 0n);
        this.killTask(t, signo, true);
        return;
      }
      t.pending.unshift({ signo, code, addr: f.addr });
      if (!this.deliverSignals(t)) return;
      this.enqueue(t);
      return;
    }
  }

  /**
   * How Linux ends a call interrupted by a signal, as tracers see it: ERESTARTSYS (restarted after a
   * handler with SA_RESTART, else EINTR), ERESTARTNOHAND (pause, sigsuspend, select: EINTR after any
   * handler) or ERESTART_RESTARTBLOCK (the sleeps and poll: EINTR after a handler).
   */
  private restartKind(nr: number): number {
    const name = this.table[nr]?.row.name ?? '';
    if (/^(pause|rt_sigsuspend|sigsuspend|select|_newselect|pselect6|ppoll|epoll_wait|epoll_pwait2?)$/.test(name)) return E.RESTARTNOHAND;
    if (/^(nanosleep|clock_nanosleep|poll)$/.test(name)) return E.RESTART_RESTARTBLOCK;
    return E.RESTARTSYS;
  }

  /** Ends an interrupted call with res for the task; observers see `seen` (an ERESTART* code). */
  private finishInterrupted(t: Task, p: { nr: number; args: Int64[]; startNs: number }, res: number, seen = res): Int64 {
    // A call may leave an undo step in its scratch (poll's mask and timeout, a FIFO open's count).
    (t.scratch.get('onInterrupt') as ((t: Task) => void) | undefined)?.(t);
    t.scratch.clear();
    if (this.observers.length) {
      const entry = this.table[p.nr];
      const now = this.clock.uptimeNs();
      const ret = seen;
      const e = { task: taskView(t), nr: p.nr, row: entry?.row, args: p.args, timeNs: now, ret, errno: -ret, durationNs: now - p.startNs };
      for (const o of this.observers) o.syscallExit?.(e);
    }
    return res;
  }
}

/** A handler's context (SyscallContext) for one task; nr and row change with each call. */
class HandlerContext implements SyscallContext {
  nr = 0;
  row: SyscallRow | undefined;
  readonly user: Task['user'];
  constructor(
    readonly kernel: Kernel,
    readonly task: Task,
  ) {
    this.user = task.user;
  }
  sleepOn(q: WaitQueue, wmesg: string): Block {
    return this.kernel.sleep(this.task, q, wmesg);
  }
  sleepUntil(deadline: number, q: WaitQueue | undefined, wmesg: string): Block {
    return this.kernel.sleep(this.task, q, wmesg, deadline);
  }
  now(): number {
    return this.kernel.clock.uptimeNs();
  }
  printk(text: string): void {
    this.kernel.printk(text, this.row?.entry, this.task);
  }
}

/** A syscall entry event whose time is read from the clock when an observer first asks for it. */
class SyscallEntry implements SyscallEnterEvent {
  constructor(
    readonly task: TraceTask,
    readonly nr: number,
    readonly row: SyscallRow | undefined,
    readonly args: Int64[],
    /** The entry time, or -1 while nobody read it. */
    public readTimeNs: number,
    private readonly clock: KernelClock,
  ) {}
  get timeNs(): number {
    if (this.readTimeNs < 0) this.readTimeNs = this.clock.uptimeNs();
    return this.readTimeNs;
  }
}

/** The observer's view of a task (one per task, reading its live state): identity plus memory readers that never throw. */
export function taskView(t: Task): TraceTask {
  return (t.traceView ??= new TaskView(t));
}

/**
 * A task as observers see it. A class, not an object literal with getters: every view has the same
 * shape, so a probe's predicate reading `pid` is one monomorphic, inlined property load.
 */
class TaskView implements TraceTask {
  constructor(private readonly t: Task) {}
  get pid(): number { return this.t.pid; }
  get tid(): number { return this.t.tid; }
  get ppid(): number { return this.t.ppid; }
  get uid(): number { return this.t.uid; }
  get gid(): number { return this.t.gid; }
  get comm(): string { return this.t.comm; }
  get pointerSize(): number { return this.t.user.taskSize === TASK_SIZE_32 ? 4 : 8; }
  readUser(addr: Int64, len: number): Uint8Array | null {
    const t = this.t;
    if (typeof addr !== 'number' || !t.mm || len < 0) return null;
    try {
      return t.mm.accessible(addr, len, false) ? t.mm.read(addr, len) : null;
    } catch {
      return null;
    }
  }
  readCString(addr: Int64, max: number): { bytes: Uint8Array; complete: boolean } | null {
    const t = this.t;
    if (typeof addr !== 'number' || !t.mm) return null;
    const out: number[] = [];
    for (let i = 0; i < max; i++) {
      if (!t.mm.accessible(addr + i, 1, false)) return i === 0 ? null : { bytes: Uint8Array.from(out), complete: false };
      const b = t.mm.u8(addr + i);
      if (b === 0) return { bytes: Uint8Array.from(out), complete: true };
      out.push(b);
    }
    return { bytes: Uint8Array.from(out), complete: false };
  }
  fdPath(fd: number): string | undefined {
    return this.t.fds.get(fd)?.path;
  }
  userStack(): StackFrameInfo[] {
    const cpu = this.t.cpu as Cpu | null;
    if (!cpu) return [];
    return cpu.callStack().map((s) => ({ func: s.name, addr: s.addr, file: s.file, line: s.line, module: s.module }));
  }
}

export { signalName };
