// The kernel's probes for dtrace: the catalog (dtrace BEGIN/END/ERROR, syscall entry/return for
// every row of the machine's table, custom syscalls included, with typed args[] from the row, and
// proc create/exec/exec-success/exec-failure/exit/signal-send/signal-handle, and fbt) and the
// observer that fires the enabled ones from kernel events. A probe nobody enabled costs one array
// lookup; with no fbt probe enabled the syscall path does no fbt work at all.
//
// sched (on-cpu, off-cpu, sleep, wakeup) fires from the kernel's sched events (KernelObserver.sched),
// which the kernel builds only while wantsSched() says a sched probe is enabled.
//
// fbt (function boundary tracing): entry and return of
//   - the kernel's functions on the syscall path, named as the machine's release names them
//     (src/kernel/entry-path.ts: entry_SYSCALL_64, do_syscall_64, __x64_sys_read, ksys_read,
//     vfs_read...), fired from the syscall events in the order Linux runs them;
//   - every function of the kernel C that `ksim build` compiled (sys_stephen and its helpers) and of
//     loaded FreeBSD modules: enabling one wraps its step function, as fbt patches the function's
//     first instruction, so a function nobody traces runs untouched;
//   - the copy helpers kernel C calls (strncpy_from_user, copy_from_user... ; FreeBSD copyin...);
//   - printk: its entry for every kernel message (arg0 the level, arg1 the message, arg2 the calling
//     function), its return when kernel C called it.
// Module: `vmlinux` on Linux (kernel C built into the kernel is vmlinux's, as `dtrace -l` on Linux
// shows built-in code), `kernel` on FreeBSD, a kldloaded module's name for its functions.
// At entry arg0.. are the function's arguments; at return arg0 is the offset of the return in the
// function and arg1 the return value. Offsets in kernel C are basic-block numbers (ksim's compiled
// code has no instructions): a return is at the epilogue after the last block, a caller's frame in
// stack() at the block it resumes at (for a copy helper's caller: the block of its last call).
// Kernel C and helper probes can dereference kernel pointers (a kernel C buffer) through D.
import type { KernelObserver, SchedEvent, SyscallEnterEvent, SyscallExitEvent, ExecEvent, ExitEvent, ForkEvent, SignalEvent, TraceTask, PrintkEvent, Int64, StackFrameInfo } from '../kernel/events.js';
import type { SyscallRow } from '../kernel/syscall-row.js';
import type { Kernel } from '../kernel/kernel.js';
import { KERNEL_API, type KernelC } from '../kernel/kc/kernel-c.js';
import type { Task } from '../kernel/task.js';
import { STEP_RETURN, type CFunction, type Cpu, type Frame, type StepFn } from '../runtime/cpu.js';
import { pathFunctionNames, syscallPath, pathArgs, type PathFunction, type PathIdentity, type SyscallPath } from '../kernel/entry-path.js';
import { ListCatalog, dtraceProviderProbes, type ProbeInfo } from './catalog.js';
import type { DtraceSession, ProbeContext } from './consumer.js';
import { LWPSINFO, PSINFO } from './sema.js';
import { registerConstants, userRegisters, type RegisterReader, type TrapState } from './uregs.js';
import { PidProvider, type PidTargetImage } from './pid-provider.js';

/** What fbt and uregs[] need of the machine (without it: syscall, proc and printk probes only). */
export interface FbtMachine {
  kernel: Kernel;
  kc?: KernelC;
}

interface FbtIds {
  entry?: number;
  ret?: number;
}

/** A syscall's path, its functions in order (outer then inner) and their fbt probe ids. */
interface PathProbes {
  path: SyscallPath;
  all: PathFunction[];
  entry: (number | undefined)[];
  ret: (number | undefined)[];
}

/** A syscall in progress on a task: its registers and its path. */
interface Inflight {
  nr: number;
  args: Int64[];
  path: SyscallPath | undefined;
}

/** The copy helpers kernel C calls, by probe name, with their function in the kernel API object. */
const LINUX_HELPERS: [string, string][] = [
  ['strncpy_from_user', 'strncpy_from_user'], ['strnlen_user', 'strnlen_user'], ['copy_from_user', 'copy_from_user'],
  ['copy_to_user', 'copy_to_user'], ['clear_user', 'clear_user'],
];
const FREEBSD_HELPERS: [string, string][] = [['copyin', 'fbsd_copyin'], ['copyout', 'fbsd_copyout'], ['copyinstr', 'fbsd_copyinstr']];
/** Return offset of a copy helper (ksim's layout). */
const HELPER_RET = 0x3e;

export class KernelProbes implements KernelObserver {
  readonly catalog: ListCatalog;
  private entryIds: number[] = [];
  private returnIds: number[] = [];
  private proc = new Map<string, number>();
  /** The sched probes' ids by name. */
  private schedIds = new Map<SchedEvent['kind'], number>();
  private session: DtraceSession | undefined;
  private enabled = new Uint8Array(0);
  private printkId: number;
  private readonly identity: PathIdentity | undefined;
  private readonly mod: string;
  /** fbt probes of the path functions (by name, module `mod`). */
  private pathIds = new Map<string, FbtIds>();
  /** fbt probes of kernel C functions and helpers, by `module:function`. */
  private codeIds = new Map<string, FbtIds>();
  private helpers: [string, string][] = [];
  /** Set at bind, by syscall number: the entry probe's firing gate (DtraceSession.firingGate). */
  private entryGates: (((task: TraceTask | undefined) => boolean) | null | undefined)[] = [];
  /** Set at bind: the session has profile/tick probes (tick() has work). */
  private ticking = false;
  /** Set at bind: some fbt probe other than printk is enabled. */
  private fbtOn = false;
  /** Syscall numbers whose path has an enabled fbt probe (all of them when the common path has one). */
  private pathWanted = new Uint8Array(0);
  private paths = new Map<number, PathProbes>();
  /** Set at bind: a kernel C function or helper is traced (its stack needs the syscall in flight). */
  private codeOn = false;
  /** Set at bind: a path function's return probe is enabled, or kernel C is traced. */
  private fbtExit = false;
  private inflight = new Map<TraceTask, Inflight>();
  /** Wrapped step functions and helpers, restored by release(). */
  private restore: (() => void)[] = [];
  /** The pid provider, once addTarget() gave it the -c command's executable. */
  private pidp: PidProvider | undefined;

  constructor(rows: readonly SyscallRow[], private readonly now: () => number, private readonly machine?: FbtMachine) {
    const probes: ProbeInfo[] = [...dtraceProviderProbes()];
    let id = Math.max(...probes.map((p) => p.id)) + 1;
    const seen = new Set<string>();
    for (const r of rows) {
      if (r.abi === 'x32' || seen.has(r.name)) continue;
      seen.add(r.name);
      const argTypes = r.args.map((a) => a.ctype);
      this.entryIds[r.nr] = id;
      probes.push({ id: id++, provider: 'syscall', module: 'vmlinux', func: r.name, name: 'entry', argTypes });
      this.returnIds[r.nr] = id;
      probes.push({ id: id++, provider: 'syscall', module: 'vmlinux', func: r.name, name: 'return', argTypes: ['long', 'long'] });
    }
    for (const [func, name, types] of [
      ['do_fork', 'create', ['struct task_struct *']],
      ['do_execve', 'exec', ['string']],
      ['do_execve', 'exec-success', []],
      ['do_execve', 'exec-failure', ['int']],
      ['do_exit', 'exit', ['int']],
      ['send_signal', 'signal-send', ['struct task_struct *', 'int']],
      ['get_signal', 'signal-handle', ['int', 'void *', 'void *']],
      ['schedule_tail', 'start', []],
    ] as [string, string, string[]][]) {
      this.proc.set(name, id);
      probes.push({ id: id++, provider: 'proc', module: 'vmlinux', func, name, argTypes: types });
    }
    const k = machine?.kernel;
    this.identity = k ? { os: k.identity.os, arch: k.identity.arch, release: k.identity.release } : undefined;
    this.mod = this.identity?.os === 'freebsd' ? 'kernel' : 'vmlinux';
    // printk: arg0 the level (0..7), arg1 the message (char *, level prefix removed), arg2 the name
    // of the kernel function that called printk (char *, "" when unknown): (string)args[1].
    this.printkId = id;
    probes.push({ id: id++, provider: 'fbt', module: this.mod, func: 'printk', name: 'entry', argTypes: ['int', 'char *', 'char *'] });
    if (k && this.identity) {
      const add = (map: Map<string, FbtIds>, key: string, module: string, func: string, hasReturn: boolean, argTypes?: string[]) => {
        if (map.has(key)) return;
        const ids: FbtIds = { entry: id };
        probes.push({ id: id++, provider: 'fbt', module, func, name: 'entry', ...(argTypes ? { argTypes } : {}) });
        if (hasReturn) {
          ids.ret = id;
          probes.push({ id: id++, provider: 'fbt', module, func, name: 'return' });
        }
        map.set(key, ids);
      };
      const cNames = new Set(this.kernelCFunctions().map((f) => f.name));
      // The path: entry points and dispatchers, the table's functions row by row, their callees.
      const all = pathFunctionNames(this.identity, rows);
      const outerNames = new Set(syscallPath(this.identity, undefined, false, false).outer.map((f) => f.name));
      for (const f of all) if (outerNames.has(f.name)) add(this.pathIds, f.name, this.mod, f.name, f.retOffset !== undefined);
      for (const r of rows) {
        if (r.abi === 'x32') continue;
        const implemented = !!k.table[r.nr]?.handler;
        const p = syscallPath(this.identity, r, implemented, cNames.has(r.entry));
        for (const f of p.inner) if (!cNames.has(f.name)) add(this.pathIds, f.name, this.mod, f.name, f.retOffset !== undefined);
      }
      // Kernel C, then the copy helpers.
      // Kernel C entry probes have typed args[] from the function's parameters (as fbt's from CTF).
      const kc = machine!.kc;
      const paramTypes = (f: CFunction) => [kc?.loaded, ...(kc?.modules ?? [])].find((img) => img?.functions.includes(f))?.paramTypes(f.name);
      for (const f of this.kernelCFunctions()) add(this.codeIds, `${moduleOf(f, this.mod)}:${f.name}`, moduleOf(f, this.mod), f.name, true, paramTypes(f));
      const api = machine!.kc?.intrinsics;
      this.helpers = (this.identity.os === 'freebsd' ? FREEBSD_HELPERS : LINUX_HELPERS).filter(([, h]) => api && typeof api[h] === 'function');
      for (const [name] of this.helpers) add(this.codeIds, `${this.mod}:${name}`, this.mod, name, true, KERNEL_API.find((d) => d.name === name)?.params);
      // printk's return, when kernel C calls it (its entry is the probe above, fired for every printk).
      if (api && typeof api['printk'] === 'function') {
        this.codeIds.set(`${this.mod}:printk`, { ret: id });
        probes.push({ id: id++, provider: 'fbt', module: this.mod, func: 'printk', name: 'return' });
        this.helpers.push(['printk', 'printk']);
      }
    }
    id = this.addSchedProbes(probes, id);
    // uregs[]'s R_* constants for the machine's architecture (regs.d).
    this.catalog = new ListCatalog(probes, registerConstants(this.identity?.arch ?? 'x86_64'));
  }

  /**
   * The pid provider's probes for $target (pid, before it runs) from its executable: added to the
   * catalog after every other probe (src/dtrace/pid-provider.ts). kernel: the target's, when the
   * provider was made without the machine (the machine's own /bin/dtrace). running: the target
   * is a process running already (dtrace -p), patched at bind rather than at its exec.
   */
  addTarget(pid: number, image: PidTargetImage, kernel?: Kernel, running = false): void {
    const k = kernel ?? this.machine?.kernel;
    if (!k) return;
    this.pidp ??= new PidProvider(k);
    const first = Math.max(0, ...this.catalog.list().map((p) => p.id)) + 1;
    this.catalog.add(this.pidp.probesFor(pid, image, first));
    if (running) this.pidp.grab();
  }

  private kernelCFunctions(): CFunction[] {
    const kc = this.machine?.kc;
    if (!kc) return [];
    return [...(kc.loaded?.functions ?? []), ...kc.modules.flatMap((m) => m.functions)];
  }

  /** Starts firing into session (after it compiled and enabled its probes). */
  bind(session: DtraceSession): void {
    this.release();
    this.session = session;
    const ids = session.enabledProbeIds();
    const max = Math.max(0, ...ids);
    this.enabled = new Uint8Array(max + 1);
    for (const i of ids) this.enabled[i] = 1;
    this.ticking = session.nextTickNs() !== undefined;
    const gates = new Array<((task: TraceTask | undefined) => boolean) | null | undefined>(this.entryIds.length).fill(undefined);
    this.entryIds.forEach((id, nr) => void (gates[nr] = this.on(id) ? session.firingGate(id) : undefined));
    this.entryGates = gates;
    this.bindFbt();
    this.pidp?.bind(session, (id) => this.on(id));
  }

  /** Undoes bind's wrapping of kernel C functions and helpers (the next session starts clean). */
  release(): void {
    for (const r of this.restore.splice(0).reverse()) r();
    this.pidp?.release();
    this.ticking = false;
    this.entryGates = [];
    this.fbtOn = false;
    this.codeOn = false;
    this.fbtExit = false;
  }

  private bindFbt(): void {
    const k = this.machine?.kernel;
    if (!k || !this.identity) return;
    const onIds = (x: FbtIds | undefined) => !!x && (this.on(x.entry) || this.on(x.ret));
    const nrs = k.table.length;
    this.pathWanted = new Uint8Array(nrs + 1);
    this.paths.clear();
    let codeOn = false;
    // Kernel C: wrap each enabled function's step (every copy of a static name).
    for (const f of this.kernelCFunctions()) {
      const ids = this.codeIds.get(`${moduleOf(f, this.mod)}:${f.name}`);
      if (!onIds(ids)) continue;
      codeOn = true;
      this.wrapFunction(f, ids!);
    }
    const api = this.machine?.kc?.intrinsics;
    for (const [name, h] of this.helpers) {
      const ids = this.codeIds.get(`${this.mod}:${name}`);
      if (!api || !onIds(ids)) continue;
      codeOn = true;
      this.wrapHelper(api, h, ids!);
    }
    const outer = syscallPath(this.identity, undefined, false, false).outer;
    const allWanted = codeOn || outer.some((f) => onIds(this.pathIds.get(f.name)));
    let any = allWanted;
    for (let nr = 0; nr < nrs; nr++) {
      const e = k.table[nr];
      if (!e) continue;
      if (allWanted) { this.pathWanted[nr] = 1; continue; }
      const p = this.pathOf(nr, e.row);
      if (p.path.inner.some((f) => onIds(this.pathIds.get(f.name)))) this.pathWanted[nr] = 1, (any = true);
    }
    this.fbtOn = any;
    this.codeOn = codeOn;
    this.fbtExit = codeOn || [...this.pathIds.values()].some((x) => this.on(x.ret));
  }

  /** Syscalls whose entry or return is enabled, or whose path has an enabled fbt probe (all of them while profile probes need ticks). */
  wantsSyscall(nr: number): boolean {
    if (!this.session) return false;
    if (this.session.nextTickNs() !== undefined) return true;
    return this.on(this.entryIds[nr]) || this.on(this.returnIds[nr]) || this.pathWanted[nr] === 1;
  }

  /** Of those, the ones whose exit matters: a return probe (the syscall's or a path function's), or any call while kernel C is traced. */
  wantsSyscallExit(nr: number): boolean {
    return this.fbtExit || this.on(this.returnIds[nr]);
  }

  private on(id: number | undefined): boolean {
    return id !== undefined && this.enabled[id] === 1;
  }

  /** Fires profile probes that came due on the kernel clock. */
  tick(): void {
    // Without profile/tick probes there is nothing to fire, and the clock is not read.
    if (!this.ticking) return;
    const s = this.session;
    if (!s || s.nextTickNs() === undefined) return;
    const now = this.now();
    for (let next = s.nextTickNs(); next !== undefined && next <= now && !s.exitRequested; next = s.nextTickNs()) s.tick(next);
  }

  // --- the syscall path ------------------------------------------------------------------------

  /** A syscall's path with each function's probe ids, made once per syscall number. */
  private pathOf(nr: number, row: SyscallRow | undefined): PathProbes {
    let p = this.paths.get(nr);
    if (!p) {
      const k = this.machine!.kernel;
      const entry = row?.entry ?? '';
      const isC = entry !== '' && this.kernelCFunctions().some((f) => f.name === entry);
      const path = syscallPath(this.identity!, row, !!k.table[nr]?.handler, isC);
      const all = [...path.outer, ...path.inner];
      p = { path, all, entry: all.map((f) => this.pathIds.get(f.name)?.entry), ret: all.map((f) => this.pathIds.get(f.name)?.ret) };
      this.paths.set(nr, p);
    }
    return p;
  }

  /** The kernel stack where the syscall provider fires (in the dispatcher), innermost first. */
  dispatcherFrames(path: SyscallPath | undefined): StackFrameInfo[] {
    const p = path ?? (this.identity ? syscallPath(this.identity, undefined, false, false) : undefined);
    return p ? this.pathFrames(p, p.outer.length) : [];
  }

  /** Frames below function i of the path (its callers), innermost first, as stack() prints them. */
  pathFrames(path: SyscallPath, below: number): StackFrameInfo[] {
    const all = [...path.outer, ...path.inner];
    const out: StackFrameInfo[] = [];
    for (let i = Math.min(below, all.length) - 1; i >= 0; i--) {
      const f = all[i]!;
      out.push({ func: f.frameName ?? f.name, module: this.mod, addr: 0, offset: f.callOffset });
    }
    return out;
  }

  /** Fires function i of a path at its entry or return, if enabled (one array read otherwise). */
  private firePath(pp: PathProbes, index: number, kind: 'entry' | 'return', e: SyscallEnterEvent, ret?: Int64): void {
    const id = kind === 'entry' ? pp.entry[index] : pp.ret[index];
    if (id === undefined || this.enabled[id] !== 1 || !this.session!.mayFire(id, e.task)) return;
    const f = pp.all[index]!;
    const args = kind === 'entry' ? pathArgs(f, e.args, e.nr) : [f.retOffset ?? 0, ret ?? 0];
    this.session!.fire(id, new PathFiring(this, e, args, pp.path, index, kind === 'return' ? ret : undefined));
  }

  syscallEnter(e: SyscallEnterEvent): void {
    // Without fbt: one gate per call, the probe's fast predicate, before anything is built.
    if (!this.fbtOn && !this.codeOn) {
      const gate = this.entryGates[e.nr];
      if (gate !== undefined && (gate === null || gate(e.task))) this.session!.fire(this.entryIds[e.nr]!, new SyscallFiring(this, e, e.args, undefined, undefined));
      if (this.ticking) this.tick();
      return;
    }
    const pp = this.fbtOn && this.pathWanted[e.nr] === 1 ? this.pathOf(e.nr, e.row) : undefined;
    const n = pp ? pp.path.outer.length : 0;
    if (pp) for (let i = 0; i < n; i++) this.firePath(pp, i, 'entry', e);
    // Kernel C's stack and registers need the syscall in flight on the task.
    if (this.codeOn) this.inflight.set(e.task, { nr: e.nr, args: e.args, path: pp?.path });
    const id = this.entryIds[e.nr];
    if (this.on(id) && this.session!.mayFire(id!, e.task)) this.session!.fire(id!, new SyscallFiring(this, e, e.args, pp?.path, undefined));
    if (pp) for (let i = n; i < pp.all.length; i++) this.firePath(pp, i, 'entry', e);
    this.tick();
  }

  syscallExit(e: SyscallExitEvent): void {
    if (this.codeOn) this.inflight.delete(e.task);
    const pp = this.fbtOn && this.pathWanted[e.nr] === 1 ? this.pathOf(e.nr, e.row) : undefined;
    const n = pp ? pp.path.outer.length : 0;
    if (pp) for (let i = pp.all.length - 1; i >= n; i--) this.firePath(pp, i, 'return', e, e.ret);
    const id = this.returnIds[e.nr];
    if (this.on(id) && this.session!.mayFire(id!, e.task)) this.session!.fire(id!, new SyscallFiring(this, e, [e.ret, e.ret], pp?.path, e));
    if (pp) for (let i = n - 1; i >= 0; i--) this.firePath(pp, i, 'return', e, e.ret);
  }

  // --- kernel C and the copy helpers -------------------------------------------------------------

  private wrapFunction(f: CFunction, ids: FbtIds): void {
    const orig: StepFn = f.step;
    const entered = new WeakSet<Frame>();
    const self = this;
    f.step = (P: Cpu, F: Frame): number => {
      if (!entered.has(F)) {
        entered.add(F);
        if (self.on(ids.entry)) self.fireCode(ids.entry!, P, 1, F.l.slice(0, f.nparams).map(int64));
      }
      const r = orig(P, F);
      if (r === STEP_RETURN && self.on(ids.ret)) self.fireCode(ids.ret!, P, 1, [f.blockLines?.length ?? 0, int64(P.rv)]);
      return r;
    };
    this.restore.push(() => { f.step = orig; });
  }

  private wrapHelper(api: Record<string, (...a: any[]) => unknown>, key: string, ids: FbtIds): void {
    const orig = api[key]!;
    const self = this;
    api[key] = (P: Cpu, ...a: unknown[]) => {
      if (self.on(ids.entry)) self.fireCode(ids.entry!, P, 0, a.map(int64));
      const r = orig(P, ...a);
      if (self.on(ids.ret)) self.fireCode(ids.ret!, P, 0, [HELPER_RET, int64(r)]);
      return r;
    };
    this.restore.push(() => { api[key] = orig; });
  }

  /** Fires a kernel C probe; skip: frames on top of the CPU that are the probed function itself. */
  private fireCode(id: number, P: Cpu, skip: number, args: Int64[]): void {
    const task = (P.context as { task?: Task } | undefined)?.task;
    const view = task ? this.machine!.kernel.traceView(task) : undefined;
    const fl = view ? this.inflight.get(view) : undefined;
    const self = this;
    const frames = P.frames.slice(0, P.frames.length - skip);
    const ctx: ProbeContext = {
      task: view, args, timeNs: this.now(),
      get stack() {
        const out: StackFrameInfo[] = [];
        for (let i = frames.length - 1; i >= 0; i--) {
          const F = frames[i]!;
          out.push({ func: F.fn.name, module: moduleOf(F.fn, self.mod), addr: F.fn.addr, offset: F.pc });
        }
        if (fl?.path) out.push(...self.pathFrames(fl.path, fl.path.outer.length + fl.path.inner.length));
        return out;
      },
    };
    if (view) ctx.regs = this.regsOf(view, fl ? { nr: fl.nr, args: fl.args } : undefined);
    // Pointer arguments into kernel memory (a kernel C buffer) can be dereferenced from D.
    const mem = this.machine!.kc?.mem;
    if (mem) {
      ctx.readKernel = (addr, len) => {
        const a = Number(BigInt.asIntN(64, addr));
        try {
          return mem.accessible(a, len, false) ? mem.read(a, len) : null;
        } catch {
          return null;
        }
      };
    }
    this.session!.fire(id, ctx);
  }

  // --- uregs[] ----------------------------------------------------------------------------------

  /** The saved user registers of a task at a probe (undefined without the machine). */
  regsOf(view: TraceTask, trap: TrapState | undefined): RegisterReader | undefined {
    const k = this.machine?.kernel;
    if (!k) return undefined;
    const arch = k.identity.arch;
    return (i) => userRegisters(arch, k.tasks.get(view.pid)?.cpu as Cpu | undefined, trap)(i);
  }

  private regsNow(view: TraceTask | undefined): RegisterReader | undefined {
    if (!view) return undefined;
    const fl = this.inflight.get(view);
    return this.regsOf(view, fl ? { nr: fl.nr, args: fl.args } : undefined);
  }

  // --- proc and printk --------------------------------------------------------------------------

  private fireProc(name: string, task: TraceTask, args: (number | bigint)[], timeNs: number): void {
    const id = this.proc.get(name);
    if (this.on(id)) this.session!.fire(id!, { task, args, timeNs, regs: this.regsNow(task) });
  }

  fork(e: ForkEvent): void {
    this.fireProc('create', e.task, [0], e.timeNs);
  }

  exec(e: ExecEvent): void {
    this.fireProc('exec', e.task, [0], e.timeNs);
    this.fireProc(e.ok ? 'exec-success' : 'exec-failure', e.task, e.ok ? [] : [e.errno], e.timeNs);
    if (e.ok) this.pidp?.exec(e.task.pid);
  }

  exit(e: ExitEvent): void {
    // proc:::exit's arg0 is the reason: 1 exited, 2 killed, 3 dumped core (CLD_*).
    this.fireProc('exit', e.task, [e.signo === undefined ? 1 : e.coreDumped ? 3 : 2], e.timeNs);
    this.inflight.delete(e.task);
  }

  signalSend(e: SignalEvent & { target: TraceTask }): void {
    this.fireProc('signal-send', e.task, [0, e.signo], e.timeNs);
  }

  printk(e: PrintkEvent): void {
    if (!this.on(this.printkId)) return;
    const text = e.text.replace(/^(\x01[0-7cd])+/, '').replace(/\n$/, '');
    const message = utf8Bytes(text, PRINTK_SLOT - 1);
    const caller = utf8Bytes(e.caller ?? '', PRINTK_SLOT - 1);
    // The strings live in a small window of kernel addresses for this firing only.
    const readKernel = (addr: bigint, len: number): Uint8Array | null => {
      const off = addr - PRINTK_BASE;
      if (off < 0n || off + BigInt(len) > BigInt(2 * PRINTK_SLOT)) return null;
      const window = new Uint8Array(2 * PRINTK_SLOT);
      window.set(message, 0);
      window.set(caller, PRINTK_SLOT);
      return window.slice(Number(off), Number(off) + len);
    };
    this.session!.fire(this.printkId, {
      task: e.task,
      args: [e.level, PRINTK_BASE, PRINTK_BASE + BigInt(PRINTK_SLOT)],
      timeNs: e.timeNs,
      readKernel,
      regs: this.regsNow(e.task),
    });
  }

  signalDeliver(e: SignalEvent): void {
    this.fireProc('signal-handle', e.task, [e.signo, 0, e.handler], e.timeNs);
  }

  // --- sched ------------------------------------------------------------------------------------

  /** sched:::on-cpu, off-cpu, sleep, wakeup (appended last: the ids of the probes before stay). */
  private addSchedProbes(probes: ProbeInfo[], id: number): number {
    const linux = this.mod === 'vmlinux';
    // Linux names the scheduler's functions; FreeBSD's SDT probes have no function (sched:kernel::on-cpu).
    const funcs: Record<SchedEvent['kind'], string> = linux
      ? { 'on-cpu': 'finish_task_switch', 'off-cpu': '__schedule', sleep: '__schedule', wakeup: 'try_to_wake_up' }
      : { 'on-cpu': '', 'off-cpu': '', sleep: '', wakeup: '' };
    const thread = ['lwpsinfo_t *', 'psinfo_t *'];
    for (const name of ['on-cpu', 'off-cpu', 'sleep', 'wakeup'] as const) {
      this.schedIds.set(name, id);
      const argTypes = name === 'wakeup' || name === 'off-cpu' ? thread : [];
      probes.push({ id: id++, provider: 'sched', module: this.mod, func: funcs[name], name, argTypes });
    }
    return id;
  }

  /** Asked at attach: the kernel builds sched events only while a sched probe is enabled. */
  wantsSched(): boolean {
    if (!this.session) return false;
    for (const id of this.schedIds.values()) if (this.on(id)) return true;
    return false;
  }

  /** Fires a sched probe: pid/execname the switching task (the waker for wakeup); args[0]/args[1]
   *  the lwpsinfo_t/psinfo_t of the woken task (wakeup) or of the next to run (off-cpu). */
  sched(e: SchedEvent): void {
    const id = this.schedIds.get(e.kind);
    if (!this.on(id) || !this.session!.mayFire(id!, e.task)) return;
    const other = e.other;
    if (!other) {
      this.session!.fire(id!, { task: e.task, args: [], timeNs: e.timeNs, regs: this.regsNow(e.task) });
      return;
    }
    const window = this.threadInfo(other);
    const readKernel = (addr: bigint, len: number): Uint8Array | null => {
      const off = addr - SCHED_BASE;
      if (off < 0n || off + BigInt(len) > BigInt(window.length)) return null;
      return window.slice(Number(off), Number(off) + len);
    };
    this.session!.fire(id!, { task: e.task, args: [SCHED_BASE, SCHED_BASE + BigInt(PSINFO_OFFSET)], timeNs: e.timeNs, readKernel, regs: this.regsNow(e.task) });
  }

  /** The lwpsinfo_t (at 0) and psinfo_t (at PSINFO_OFFSET) of a runnable task, as D reads them. */
  private threadInfo(v: TraceTask): Uint8Array {
    const buf = new Uint8Array(PSINFO_OFFSET + PSINFO.size);
    const t = v.pid === 0 ? undefined : this.machine?.kernel.tasks.get(v.pid);
    // The task was just made runnable (wakeup) or is the next to run (off-cpu): SRUN, 'R'.
    putMembers(buf, 0, LWPSINFO, {
      pr_lwpid: v.tid, pr_state: 2, pr_sname: 'R'.charCodeAt(0), pr_clname: 'TS', pr_name: '',
    });
    putMembers(buf, PSINFO_OFFSET, PSINFO, {
      pr_nlwp: 1, pr_pid: v.pid, pr_ppid: v.ppid, pr_pgid: t?.pgid ?? v.pid, pr_sid: t?.sid ?? v.pid,
      pr_uid: v.uid, pr_euid: t?.euid ?? v.uid, pr_gid: v.gid, pr_egid: t?.egid ?? v.gid,
      pr_fname: v.comm, pr_psargs: t ? t.argv.join(' ') : v.comm,
    });
    return buf;
  }
}

/** Kernel addresses where a sched probe's lwpsinfo_t and psinfo_t appear to D. */
const SCHED_BASE = 0xffffffff83000000n;
const PSINFO_OFFSET = (LWPSINFO.size + 7) & ~7;

/** Writes integer and string members of a struct (little-endian; strings cut to the array less its NUL). */
function putMembers(buf: Uint8Array, base: number, s: typeof PSINFO, values: Record<string, number | string>): void {
  if (s.kind !== 'struct') return;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (const m of s.members) {
    const v = values[m.name];
    if (v === undefined) continue;
    const at = base + m.offset;
    if (typeof v === 'string') {
      const count = m.type.kind === 'array' ? m.type.count : 0;
      buf.set(utf8Bytes(v, Math.max(0, count - 1)), at);
    } else {
      const size = m.type.kind === 'int' ? m.type.size : 8;
      if (size === 1) view.setInt8(at, v);
      else if (size === 2) view.setInt16(at, v, true);
      else if (size === 4) view.setInt32(at, v, true);
      else view.setBigInt64(at, BigInt(v), true);
    }
  }
}

/**
 * The context of a syscall provider firing. A class, not an object literal with getters (which
 * costs microseconds to make): the time, the kernel stack and the registers are read only when a
 * clause asks for them (timestamp, stack(), uregs[]).
 */
class SyscallFiring implements ProbeContext {
  readonly task: TraceTask;
  readonly errno: number | undefined;
  private reader: RegisterReader | undefined | null = null;
  constructor(
    private readonly probes: KernelProbes,
    private readonly e: SyscallEnterEvent,
    readonly args: Int64[],
    private readonly path: SyscallPath | undefined,
    private readonly exit: SyscallExitEvent | undefined,
  ) {
    this.task = e.task;
    this.errno = exit?.errno;
  }
  /** The kernel reads its clock only if a clause asks (timestamp). */
  get timeNs(): number {
    return this.e.timeNs;
  }
  get stack(): StackFrameInfo[] {
    return this.probes.dispatcherFrames(this.path);
  }
  get regs(): RegisterReader | undefined {
    if (this.reader === null) {
      const e = this.e;
      this.reader = this.probes.regsOf(e.task, this.exit ? { nr: e.nr, args: e.args, ret: this.exit.ret } : { nr: e.nr, args: e.args });
    }
    return this.reader;
  }
}

/**
 * The context of a path function's firing. A class, not an object literal with a getter: the
 * kernel stack is built only when a clause asks for it, and making one costs an allocation.
 */
class PathFiring implements ProbeContext {
  readonly task: TraceTask;
  readonly timeNs: number;
  readonly regs: RegisterReader | undefined;
  constructor(
    private readonly probes: KernelProbes,
    e: SyscallEnterEvent,
    readonly args: Int64[],
    private readonly path: SyscallPath,
    private readonly index: number,
    ret: Int64 | undefined,
  ) {
    this.task = e.task;
    this.timeNs = e.timeNs;
    this.regs = probes.regsOf(e.task, ret === undefined ? { nr: e.nr, args: e.args } : { nr: e.nr, args: e.args, ret });
  }
  get stack(): StackFrameInfo[] {
    return this.probes.pathFrames(this.path, this.index);
  }
}

/** The fbt module of a compiled function: the kernel's (`vmlinux`/`kernel`) or a module's (`foo.ko` → `foo`). */
function moduleOf(f: CFunction, kernelModule: string): string {
  if (f.module === 'vmlinux' || f.module === 'kernel' || !f.module) return kernelModule;
  return f.module.replace(/\.ko$/, '');
}

function int64(v: unknown): Int64 {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? v : Math.trunc(v);
  return 0;
}

/** Kernel addresses where fbt::printk:entry's strings appear to D (message, then caller). */
const PRINTK_BASE = 0xffffffff82000000n;
const PRINTK_SLOT = 4096;

function utf8Bytes(s: string, max: number): Uint8Array {
  const bytes = new TextEncoder().encode(s);
  return bytes.length > max ? bytes.slice(0, max) : bytes;
}
