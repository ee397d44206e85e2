// The kernel's probes for dtrace: the catalog (dtrace BEGIN/END/ERROR, syscall entry/return for
// every row of the machine's table, custom syscalls included, with typed args[] from the row, and
// proc create/exec/exec-success/exec-failure/exit/signal-send/signal-handle, and fbt::printk:entry
// for kernel log calls) and the observer that fires the enabled ones from kernel events. A probe
// nobody enabled costs one array lookup.
import type { KernelObserver, SyscallEnterEvent, SyscallExitEvent, ExecEvent, ExitEvent, ForkEvent, SignalEvent, TraceTask, PrintkEvent } from '../kernel/events.js';
import type { SyscallRow } from '../kernel/syscall-row.js';
import { ListCatalog, dtraceProviderProbes, type ProbeInfo } from './catalog.js';
import type { DtraceSession } from './consumer.js';

export class KernelProbes implements KernelObserver {
  readonly catalog: ListCatalog;
  private entryIds: number[] = [];
  private returnIds: number[] = [];
  private proc = new Map<string, number>();
  private session: DtraceSession | undefined;
  private enabled = new Uint8Array(0);

  constructor(rows: readonly SyscallRow[], private readonly now: () => number) {
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
    // printk: arg0 the level (0..7), arg1 the message (char *, level prefix removed), arg2 the name
    // of the kernel function that called printk (char *, "" when unknown): (string)args[1].
    this.printkId = id;
    probes.push({ id: id++, provider: 'fbt', module: 'vmlinux', func: 'printk', name: 'entry', argTypes: ['int', 'char *', 'char *'] });
    this.catalog = new ListCatalog(probes);
  }

  private printkId: number;

  /** Starts firing into session (after it compiled and enabled its probes). */
  bind(session: DtraceSession): void {
    this.session = session;
    const ids = session.enabledProbeIds();
    const max = Math.max(0, ...ids);
    this.enabled = new Uint8Array(max + 1);
    for (const i of ids) this.enabled[i] = 1;
  }

  /** Syscalls whose entry or return is enabled (all of them while profile probes need ticks). */
  wantsSyscall(nr: number): boolean {
    if (!this.session) return false;
    if (this.session.nextTickNs() !== undefined) return true;
    return this.on(this.entryIds[nr]) || this.on(this.returnIds[nr]);
  }

  private on(id: number | undefined): boolean {
    return id !== undefined && this.enabled[id] === 1;
  }

  /** Fires profile probes that came due on the kernel clock. */
  tick(): void {
    const s = this.session;
    if (!s) return;
    const now = this.now();
    for (let next = s.nextTickNs(); next !== undefined && next <= now && !s.exitRequested; next = s.nextTickNs()) s.tick(next);
  }

  syscallEnter(e: SyscallEnterEvent): void {
    const id = this.entryIds[e.nr];
    if (this.on(id)) {
      const task = e.task;
      // The user stack is walked only if a clause asks for it (ustack()).
      this.session!.fire(id!, { task, args: e.args, timeNs: e.timeNs, get stack() { return task.userStack(); } });
    }
    this.tick();
  }

  syscallExit(e: SyscallExitEvent): void {
    const id = this.returnIds[e.nr];
    if (this.on(id)) this.session!.fire(id!, { task: e.task, args: [e.ret, e.ret], errno: e.errno, timeNs: e.timeNs });
  }

  private fireProc(name: string, task: TraceTask, args: (number | bigint)[], timeNs: number): void {
    const id = this.proc.get(name);
    if (this.on(id)) this.session!.fire(id!, { task, args, timeNs });
  }

  fork(e: ForkEvent): void {
    this.fireProc('create', e.task, [0], e.timeNs);
  }

  exec(e: ExecEvent): void {
    this.fireProc('exec', e.task, [0], e.timeNs);
    this.fireProc(e.ok ? 'exec-success' : 'exec-failure', e.task, e.ok ? [] : [e.errno], e.timeNs);
  }

  exit(e: ExitEvent): void {
    // proc:::exit's arg0 is the reason: 1 exited, 2 killed, 3 dumped core (CLD_*).
    this.fireProc('exit', e.task, [e.signo === undefined ? 1 : e.coreDumped ? 3 : 2], e.timeNs);
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
    });
  }

  signalDeliver(e: SignalEvent): void {
    this.fireProc('signal-handle', e.task, [e.signo, 0, e.handler], e.timeNs);
  }
}

/** Kernel addresses where fbt::printk:entry's strings appear to D (message, then caller). */
const PRINTK_BASE = 0xffffffff82000000n;
const PRINTK_SLOT = 4096;

function utf8Bytes(s: string, max: number): Uint8Array {
  const bytes = new TextEncoder().encode(s);
  return bytes.length > max ? bytes.slice(0, max) : bytes;
}
