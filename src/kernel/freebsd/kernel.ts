// The FreeBSD layer of a ksim kernel: dispatch through sysent[] read at call time (TypeScript
// handlers, kernel C called as (td, uap), nosys with SIGSYS), FreeBSD's return convention (positive
// errno + carry, which the trap hands to user code as -errno per docs/runtime-abi.md; td_retval[0]
// and [1]), Capsicum (ECAPMODE + a CAPFAIL event for calls without SYF_CAPENABLED), the kernel API
// of FreeBSD kernel C (printf, copyin, malloc(9), priv_check...) as intrinsics, loadable modules
// (DECLARE_MODULE, MOD_LOAD/MOD_UNLOAD), per-type malloc(9) accounting with the leak warning at
// unload, mtx(9)/sx(9) checked as WITNESS does (./locks.ts), and FreeBSD's trap/panic text for
// faults in kernel C: a panic stops the machine until `ksim reboot`.
import type { Kernel } from '../kernel.js';
import { NORETURN } from '../kernel.js';
import type { KernelC, KernelImage } from '../kc/kernel-c.js';
import type { SyscallContext } from '../context.js';
import type { Int64 } from '../events.js';
import type { SyscallHandler } from '../handler.js';
import type { SyscallRow } from '../syscall-row.js';
import type { Task } from '../task.js';
import type { StackEntry, Cpu } from '../../runtime/cpu.js';
import { registerIntrinsic, type IntrinsicDef } from '../../cc/intrinsics.js';
import { MemoryFault, toHex } from '../../runtime/memory.js';
import { Errno } from '../errno.js';
import { BLOCK, type Block } from '../wait.js';
import { SIG } from '../signals.js';
import { kvsprintf, vaReader } from '../kc/vsprintf.js';
import { FE, freebsdErrnoOf, freebsdSignalOf } from './abi.js';
import { FreebsdErrno } from './handlers.js';
import { FREEBSD_LOCK_API, freebsdLockIntrinsics, witnessUserret } from './locks.js';
import {
  ENOSYS_ADDR, LKMNOSYS_ADDR, NOSYS_ADDR, SYF_CAPENABLED, SysentTable, TD_RETVAL, tsHandlerAddr, tsHandlerSlot,
} from './sysent.js';

/** sigreturn(2): the call FreeBSD's signal trampoline (sigcode) makes. */
const SYS_SIGRETURN = 417;

/** FreeBSD kernel API intrinsics (kernel mode). printf maps to its own host function. */
export const FREEBSD_KERNEL_API: IntrinsicDef[] = [
  { name: 'printf', ret: 'int', params: ['const char *'], variadic: true, modes: ['kernel'], host: 'fbsd_printf' },
  { name: 'uprintf', ret: 'int', params: ['const char *'], variadic: true, modes: ['kernel'], host: 'fbsd_uprintf' },
  { name: 'log', ret: 'void', params: ['int', 'const char *'], variadic: true, modes: ['kernel'], host: 'fbsd_log' },
  { name: 'copyin', ret: 'int', params: ['const void *', 'void *', 'unsigned long'], modes: ['kernel'], host: 'fbsd_copyin' },
  { name: 'copyout', ret: 'int', params: ['const void *', 'void *', 'unsigned long'], modes: ['kernel'], host: 'fbsd_copyout' },
  { name: 'copyinstr', ret: 'int', params: ['const void *', 'void *', 'unsigned long', 'unsigned long *'], modes: ['kernel'], host: 'fbsd_copyinstr' },
  { name: 'fubyte', ret: 'int', params: ['const void *'], modes: ['kernel'], host: 'fbsd_fubyte' },
  { name: 'subyte', ret: 'int', params: ['void *', 'int'], modes: ['kernel'], host: 'fbsd_subyte' },
  { name: 'fuword', ret: 'long', params: ['const void *'], modes: ['kernel'], host: 'fbsd_fuword' },
  { name: 'suword', ret: 'int', params: ['void *', 'long'], modes: ['kernel'], host: 'fbsd_suword' },
  { name: 'fuword32', ret: 'int', params: ['const void *'], modes: ['kernel'], host: 'fbsd_fuword32' },
  { name: 'suword32', ret: 'int', params: ['void *', 'int'], modes: ['kernel'], host: 'fbsd_suword32' },
  { name: 'bzero', ret: 'void', params: ['void *', 'unsigned long'], modes: ['kernel'], host: 'fbsd_bzero' },
  { name: 'bcopy', ret: 'void', params: ['const void *', 'void *', 'unsigned long'], modes: ['kernel'], host: 'fbsd_bcopy' },
  { name: 'malloc', ret: 'void *', params: ['unsigned long', 'struct malloc_type *', 'int'], modes: ['kernel'], host: 'fbsd_malloc' },
  { name: 'free', ret: 'void', params: ['void *', 'struct malloc_type *'], modes: ['kernel'], host: 'fbsd_free' },
  { name: 'priv_check', ret: 'int', params: ['struct thread *', 'int'], modes: ['kernel'], host: 'fbsd_priv_check' },
  { name: '__ksim_curthread', ret: 'struct thread *', params: [], modes: ['kernel'], host: 'fbsd_curthread' },
  { name: '__ksim_sysent', ret: 'struct sysent *', params: [], modes: ['kernel'], host: 'fbsd_sysent' },
  { name: '__ksim_nosys', ret: 'void *', params: [], modes: ['kernel'], host: 'fbsd_nosys_addr' },
  { name: '__ksim_lkmnosys', ret: 'void *', params: [], modes: ['kernel'], host: 'fbsd_lkmnosys_addr' },
  { name: '__ksim_panic', ret: 'void', params: ['const char *'], variadic: true, modes: ['kernel'], host: 'fbsd_panic' },
  { name: '__ksim_syscall_register', ret: 'int', params: ['int *', 'struct sysent *', 'struct sysent *', 'int'], modes: ['kernel'], host: 'fbsd_syscall_register' },
  { name: '__ksim_syscall_deregister', ret: 'int', params: ['int *', 'struct sysent *'], modes: ['kernel'], host: 'fbsd_syscall_deregister' },
  ...FREEBSD_LOCK_API,
];

let registered = false;
export function registerFreebsdKernelApi(): void {
  if (registered) return;
  registered = true;
  for (const d of FREEBSD_KERNEL_API) registerIntrinsic(d);
}

export const MOD_LOAD = 0;
export const MOD_UNLOAD = 1;
export const MOD_SHUTDOWN = 2;
export const MOD_QUIESCE = 3;

const M_NOWAIT = 0x1;
const M_ZERO = 0x100;

/** The kernel's own malloc types (sys/malloc.h defines them as small constants). */
const STOCK_MALLOC_TYPES: Record<number, string> = { 1: 'temp', 2: 'devbuf', 3: 'ktrace' };

/** malloc(9)'s UMA zones (kmemzones[] in kern_malloc.c); larger requests take whole pages. */
const KMEM_ZONES = [16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];

/** The bytes malloc(9) accounts to a type for a request of `size` bytes. */
export function mallocChunkSize(size: number): number {
  if (size > 65536) return Math.ceil(size / 4096) * 4096;
  return KMEM_ZONES.find((z) => z >= size)!;
}

/** trap_fatal()'s text for a page fault in kernel mode (sys/amd64/amd64/trap.c). */
function fatalTrap12(t: Task, addr: number, code: string, ip: string): string[] {
  return ['', 'Fatal trap 12: page fault while in kernel mode', 'cpuid = 0; apic id = 00',
    `fault virtual address\t= 0x${toHex(addr)}`, `fault code\t\t= supervisor ${code}`,
    `instruction pointer\t= 0x20:${ip}`, 'code segment\t\t= base 0x0, limit 0xfffff, type 0x1b',
    '\t\t\t= DPL 0, pres 1, long 1, def32 0, gran 1', 'processor eflags\t= interrupt enabled, resume, IOPL = 0',
    `current process\t\t= ${t.pid} (${t.comm})`, 'trap number\t\t= 12'];
}

/** What panic() prints after its message: the CPU, the time and the stack (KDB's backtrace). */
function backtrace(stack: { name: string; line: number }[]): string[] {
  const lines = ['cpuid = 0', 'time = 1', 'KDB: stack backtrace:'];
  for (const s of stack) lines.push(`${s.name}() at ${s.name}+0x${((s.line % 64) * 4).toString(16)}/frame 0xfffffe0000000000`);
  return lines;
}

/** A FreeBSD panic raised from kernel C (panic(9), a bad free): ends the kernel path. */
class FreebsdPanic extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

/** A module loaded in this kernel (one .ko file holding one DECLARE_MODULE). */
export interface LoadedModule {
  fileId: number;
  modId: number;
  name: string;
  fileName: string;
  path: string;
  image: KernelImage;
  /** Address of its moduledata_t. */
  moduledata: number;
  size: number;
  textBase: number;
}

interface FbContext {
  task: Task;
  kc: KernelC;
}

const enc = new TextEncoder();
const dec = new TextDecoder('latin1');

function num(v: Int64): number {
  return typeof v === 'number' ? v : Number(BigInt.asIntN(64, v));
}

export interface FreebsdKernelOptions {
  kernel: Kernel;
  kc: KernelC;
  /** The rows of the machine's table (syscalls.master), by number. */
  rows: SyscallRow[];
  /** TypeScript handlers by row name. */
  handlers: Record<string, SyscallHandler>;
  /** Rows whose entry point is a kernel C function, and that function's name. */
  cEntries: Map<number, string>;
  /** Capability-mode flags per row (CAPENABLED in syscalls.master). */
  capEnabled: Set<number>;
  /** Rows that are lkmnosys slots (NODEF). */
  lkmSlots: Set<number>;
}

export class FreebsdKernel {
  readonly kernel: Kernel;
  readonly kc: KernelC;
  readonly sysent: SysentTable;
  readonly stockRows: SyscallRow[];
  private readonly handlers: Record<string, SyscallHandler>;
  private retval2 = new WeakMap<Task, Int64>();
  readonly modules: LoadedModule[] = [];
  private nextFileId = 2; // 1 is the kernel itself
  private nextModId = 500;
  /** When false, kernel printf output is not recorded (replaying MOD_LOAD at boot). */
  logging = true;
  /** Kernel printf output also goes to the console (kldload/kldunload show module messages). */
  consoleEcho = false;
  /** Called after sysent changes (a module was loaded or unloaded) with the rows now in effect. */
  onRowsChanged: ((rows: SyscallRow[]) => void) | null = null;

  constructor(o: FreebsdKernelOptions) {
    this.kernel = o.kernel;
    this.kc = o.kc;
    this.handlers = o.handlers;
    this.stockRows = [...o.rows];
    const slots = Math.max(...o.rows.map((r) => r.nr), 0) + 1;
    this.sysent = new SysentTable(o.kc, slots);
    for (const r of o.rows) {
      const cap = o.capEnabled.has(r.nr) ? SYF_CAPENABLED : 0;
      const cName = o.cEntries.get(r.nr);
      const cFn = cName ? o.kc.loaded?.byName(cName) : undefined;
      let call = NOSYS_ADDR;
      if (cFn) call = cFn.addr;
      else if (o.lkmSlots.has(r.nr)) call = LKMNOSYS_ADDR;
      else if (r.support !== 'enosys' && this.handlers[r.name]) call = tsHandlerAddr(r.nr);
      else if (r.entry.startsWith('sys_') || /^(o|freebsd\d+_)/.test(r.entry)) call = ENOSYS_ADDR; // a real call ksim lacks
      this.sysent.set(r.nr, { narg: r.args.length, call, flags: cap });
    }
    Object.assign(o.kc.intrinsics, this.makeIntrinsics(), freebsdLockIntrinsics(this));
    o.kc.faultReporter = (task, f, stack) => this.trapPanic(task, f, stack);
    o.kc.userret = (task) => witnessUserret(this, task);
    // A thread looping in the kernel: FreeBSD has no soft-lockup watchdog and prints nothing; ksim
    // cannot leave it spinning, so it ends it and says so.
    o.kc.lockupReporter = (task, stack) => this.kernel.killTask(task, SIG.KILL, false, `ksim: pid ${task.pid} (${task.comm}) killed: ${stack[0]?.name ?? 'kernel code'} never returned (a FreeBSD kernel has no watchdog for this: the thread would spin forever)`);
  }

  /** Points every slot of the Kernel's table at sysent dispatch, and sets FreeBSD's ABI hooks. */
  install(rows: SyscallRow[]): void {
    const k = this.kernel;
    k.setTable(rows, {});
    const dispatcher: SyscallHandler = (ctx, args) => this.dispatch(ctx, ctx.nr, args);
    for (const e of k.table) if (e) e.handler = dispatcher;
    // A handler gets FreeBSD's signal number; when it returns, the signal trampoline calls
    // sigreturn(2) (417), which restores the interrupted state.
    k.abi = { noEntry: (t) => this.nosys(t), secondResult: (t) => this.secondResult(t), handlerSignal: freebsdSignalOf, sigreturnNr: SYS_SIGRETURN };
  }

  // --- dispatch -----------------------------------------------------------------------------

  /** Runs slot nr as sysent[nr] says now. Returns a value or -errno (FreeBSD numbers). */
  dispatch(ctx: SyscallContext, nr: number, args: Int64[]): Int64 | Block {
    const t = ctx.task;
    if (this.panicked !== null) {
      this.stopTask(t); // the machine is down: nothing runs any more
      throw NORETURN;
    }
    this.retval2.delete(t);
    const e = this.sysent.read(nr);
    if (t.capMode && !(e.flags & SYF_CAPENABLED)) {
      this.capFail(t, nr);
      return -FE.CAPMODE;
    }
    if (e.call === NOSYS_ADDR || e.call === LKMNOSYS_ADDR || e.call === 0) return this.nosys(t);
    if (e.call === ENOSYS_ADDR) return -FE.NOSYS;
    const slot = tsHandlerSlot(e.call, this.sysent.slots);
    if (slot !== undefined) {
      const row = this.stockRows.find((r) => r.nr === slot);
      const h = row ? this.handlers[row.name] : undefined;
      if (!h) return this.nosys(t);
      try {
        const r = h(ctx, args);
        // sigreturn's result is the interrupted call's, already in FreeBSD's numbers.
        if (r === BLOCK || slot === SYS_SIGRETURN) return r;
        if (typeof r === 'number' && r < 0 && r >= -4095) return -freebsdErrnoOf(-r);
        return r;
      } catch (err) {
        if (err instanceof Errno) return -freebsdErrnoOf(err.errno);
        if (err instanceof FreebsdErrno) return -err.errno;
        throw err;
      }
    }
    const fn = this.kc.lookupFunction(e.call);
    if (!fn) {
      // sy_call points nowhere (into a module that was unloaded): the kernel jumps into the void.
      this.panic(t, [...fatalTrap12(t, e.call, 'read instruction, page not present', `0x${toHex(e.call)}`), 'panic: page fault', ...backtrace([{ name: 'amd64_syscall', line: 0 }])], 'page fault');
      throw NORETURN;
    }
    return this.callC(t, fn, args, e.narg);
  }

  private callC(t: Task, fn: NonNullable<ReturnType<KernelC['lookupFunction']>>, args: Int64[], narg: number): Int64 {
    const td = this.sysent.thread(t);
    const n = Math.max(narg, 8);
    const uap = this.kc.heap.alloc(n * 8);
    for (let i = 0; i < n; i++) this.kc.mem.w64(uap + i * 8, args[i] ?? 0);
    try {
      const r = this.kc.call(fn, t, [td, uap]);
      if (r === 'died') throw NORETURN;
      const error = typeof r === 'number' ? r | 0 : Number(BigInt.asIntN(32, r));
      if (error > 0) return -error;
      if (error < 0) return -FE.INTR; // ERESTART/EJUSTRETURN: not modelled; the call is interrupted
      const [rv0, rv1] = this.sysent.retval(td);
      this.retval2.set(t, rv1);
      return rv0;
    } finally {
      this.kc.heap.release(uap);
    }
  }

  /** nosys(2): SIGSYS to the caller, ENOSYS as the result. */
  nosys(t: Task): Int64 {
    this.kernel.sendSignal(t, SIG.SYS);
    return -FE.NOSYS;
  }

  secondResult(t: Task): Int64 | undefined {
    return this.retval2.get(t);
  }

  setRetval2(t: Task, v: Int64): void {
    this.retval2.set(t, v);
  }

  private capFail(t: Task, nr: number): void {
    const k = this.kernel;
    if (!k.observers.length) return;
    const e = { task: k.traceView(t), type: 2 /* CAPFAIL_SYSCALL */, code: nr, timeNs: k.clock.uptimeNs() };
    for (const o of k.observers) o.capFail?.(e);
  }

  // --- rows after module changes --------------------------------------------------------------

  /** The rows in effect: a slot whose sysent points into a module shows the module's function. */
  currentRows(): SyscallRow[] {
    return this.stockRows.map((r) => {
      const e = this.sysent.read(r.nr);
      if (e.call === NOSYS_ADDR || e.call === LKMNOSYS_ADDR || e.call === ENOSYS_ADDR || tsHandlerSlot(e.call, this.sysent.slots) !== undefined) return r;
      const mod = this.modules.find((m) => m.image.lookup(e.call));
      if (!mod) return r;
      const fn = mod.image.lookup(e.call)!;
      const args = Array.from({ length: Math.max(0, e.narg) }, (_, i) => ({ name: `arg${i}`, ctype: 'register_t', fmt: 'long', dir: 'in' as const }));
      return { ...r, name: fn.name, args, ret: 'long', support: 'full', note: `loaded by module ${mod.name} (${mod.fileName})`, custom: true };
    });
  }

  /** sysent slots that point at no code: into a module unloaded without restoring them. */
  danglingSlots(): { nr: number; narg: number; call: number; flags: number }[] {
    const out: { nr: number; narg: number; call: number; flags: number }[] = [];
    for (let nr = 0; nr < this.sysent.slots; nr++) {
      const e = this.sysent.read(nr);
      if (e.call === 0 || e.call === NOSYS_ADDR || e.call === LKMNOSYS_ADDR || e.call === ENOSYS_ADDR || tsHandlerSlot(e.call, this.sysent.slots) !== undefined) continue;
      if (!this.kc.lookupFunction(e.call)) out.push({ nr, ...e });
    }
    return out;
  }

  /** Writes sysent slots back (the dangling ones of an earlier command, at boot). */
  restoreSlots(slots: { nr: number; narg: number; call: number; flags: number }[]): void {
    for (const e of slots) if (e.nr >= 0 && e.nr < this.sysent.slots) this.sysent.set(e.nr, e);
    if (slots.length) this.rowsChanged();
  }

  private rowsChanged(): void {
    this.onRowsChanged?.(this.currentRows());
  }

  // --- modules ------------------------------------------------------------------------------

  /** Runs a module's event handler (MOD_LOAD...) in kernel context for task t; the C error result. */
  moduleEvent(m: LoadedModule, event: number, t: Task): number | 'died' {
    const mem = this.kc.mem;
    const evhand = num(mem.i64(m.moduledata + 8));
    const priv = mem.i64(m.moduledata + 16);
    if (evhand === 0) return 0;
    const fn = this.kc.lookupFunction(evhand);
    if (!fn) return FE.NOEXEC;
    const r = this.kc.call(fn, t, [m.moduledata, event, priv]);
    if (r === 'died') return 'died';
    const error = typeof r === 'number' ? r | 0 : Number(BigInt.asIntN(32, r));
    this.rowsChanged();
    return error;
  }

  /** Maps a module image and finds its DECLARE_MODULE; the module is not started yet. */
  attachModule(image: KernelImage & { symbols: Map<string, number> }, fileName: string, path: string): LoadedModule | string {
    const decl = [...image.symbols.keys()].find((s) => s.startsWith('__ksim_module_'));
    if (!decl) return 'no DECLARE_MODULE in the module';
    const name = decl.slice('__ksim_module_'.length);
    if (this.modules.some((m) => m.name === name)) return 'File exists';
    for (const m of this.modules) {
      if (image.segments.some((s) => m.image.segments.some((o) => s.addr < o.addr + o.size && o.addr < s.addr + s.size))) {
        return `its addresses overlap module ${m.name}: rebuild it with ksim make`;
      }
    }
    this.kc.loadModule(image);
    const ptr = num(this.kc.mem.i64(image.symbols.get(decl)!));
    const size = image.segments.reduce((a, s) => a + s.size, 0);
    const m: LoadedModule = {
      fileId: this.nextFileId++, modId: this.nextModId++, name, fileName, path, image, moduledata: ptr,
      size, textBase: Math.min(...image.segments.map((s) => s.addr)),
    };
    this.modules.push(m);
    return m;
  }

  /** After ids were restored from the record: the next ids follow the highest in use. */
  resyncIds(): void {
    for (const m of this.modules) {
      this.nextFileId = Math.max(this.nextFileId, m.fileId + 1);
      this.nextModId = Math.max(this.nextModId, m.modId + 1);
    }
  }

  detachModule(m: LoadedModule): void {
    const i = this.modules.indexOf(m);
    if (i >= 0) this.modules.splice(i, 1);
    this.kc.unloadModule(m.image);
    this.mallocUninit(m);
    this.rowsChanged();
  }

  // --- malloc(9) types ----------------------------------------------------------------------

  /** The requested size of each live malloc(9) block (free finds its zone from it). */
  readonly mallocSizes = new Map<number, number>();
  /** Each malloc type's live allocations and bytes (zone-sized), by the address of its struct malloc_type. */
  readonly mallocStats = new Map<number, { allocs: number; bytes: number }>();
  /** Heap bytes malloc(9) holds (M_NOWAIT fails past the machine's memory limit). */
  mallocHeapUsed = 0;

  /** malloc(9)'s accounting, saved and restored with kernel memory (src/machine/kernel-memory.ts). */
  readonly mallocMemory = {
    save: (): unknown => ({ sizes: [...this.mallocSizes], stats: [...this.mallocStats], used: this.mallocHeapUsed }),
    restore: (saved: unknown): void => {
      const s = saved as { sizes: [number, number][]; stats: [number, { allocs: number; bytes: number }][]; used: number };
      this.mallocSizes.clear();
      for (const [a, n] of s.sizes) this.mallocSizes.set(a, n);
      this.mallocStats.clear();
      for (const [t, v] of s.stats) this.mallocStats.set(t, { ...v });
      this.mallocHeapUsed = s.used;
    },
  };

  mallocTypeAllocated(type: number, addr: number, size: number): void {
    this.mallocSizes.set(addr, size);
    const s = this.mallocStats.get(type) ?? { allocs: 0, bytes: 0 };
    s.allocs++;
    s.bytes += mallocChunkSize(size);
    this.mallocStats.set(type, s);
  }

  /** free(9) counts against the type it is given, as FreeBSD's free() does. */
  mallocTypeFreed(type: number, size: number): void {
    const s = this.mallocStats.get(type) ?? { allocs: 0, bytes: 0 };
    s.allocs--;
    s.bytes -= mallocChunkSize(size);
    this.mallocStats.set(type, s);
  }

  /** A malloc type's short description (ks_shortdesc). */
  mallocTypeName(type: number): string {
    const stock = STOCK_MALLOC_TYPES[type];
    if (stock) return stock;
    try {
      return dec.decode(this.kc.mem.cstring(num(this.kc.mem.i64(type)), 256));
    } catch {
      return `0x${toHex(type)}`;
    }
  }

  /**
   * The SYSUNINIT of each MALLOC_DEFINE in an unloaded module (malloc_uninit in kern_malloc.c): a
   * type that still has allocations prints FreeBSD's warning; the memory stays allocated.
   */
  private mallocUninit(m: LoadedModule): void {
    for (const [type, s] of [...this.mallocStats]) {
      if (!m.image.segments.some((seg) => type >= seg.addr && type < seg.addr + Math.max(1, seg.size))) continue;
      if (s.allocs > 0 || s.bytes > 0) {
        this.log(`Warning: memory type ${this.mallocTypeName(type)} leaked memory on destroy (${s.allocs} allocations, ${s.bytes} bytes leaked).\n`);
      }
      this.mallocStats.delete(type);
    }
  }

  // --- faults -------------------------------------------------------------------------------

  private log(text: string, t?: Task): void {
    if (this.consoleEcho) this.kernel.console.write(1, enc.encode(text));
    if (this.logging) this.kernel.printk(text, undefined, t);
  }

  private panicLines(t: Task, lines: string[]): void {
    const was = this.logging;
    this.logging = true;
    for (const l of lines) this.log(`${l}\n`, t);
    this.logging = was;
  }

  /** The panic message when the kernel panicked: the machine is stopped until `ksim reboot`. */
  panicked: string | null = null;
  /** Told of a panic (the machine's record of it, so later commands refuse to run). */
  onPanic: ((message: string) => void) | null = null;

  /**
   * panic(9): prints its text and stops the machine, as a FreeBSD kernel without a debugger does:
   * the current process and every other one end (ksim cannot halt the host), and nothing runs any
   * more until `ksim reboot`.
   */
  panic(t: Task, lines: string[], message: string): void {
    this.panicLines(t, lines);
    this.panicked = message;
    this.onPanic?.(message);
    this.stopTask(t);
    for (const other of [...this.kernel.tasks.values()]) if (other !== t && other.state !== 'zombie') this.kernel.killTask(other, SIG.KILL, false);
  }

  private stopTask(t: Task): void {
    if (t.state !== 'zombie') this.kernel.killTask(t, SIG.KILL, false, `ksim: panic: ${this.panicked}: the machine is stopped; \`ksim dmesg\` shows the panic, \`ksim reboot\` starts it again`);
  }

  private trapPanic(t: Task, f: NonNullable<Cpu['fault']>, stack: StackEntry[]): void {
    const e = f.error;
    const top = stack[0];
    const ip = top ? `${top.name}+0x${((top.line % 64) * 4).toString(16)}` : '0x0';
    let lines: string[];
    let message: string;
    if (e instanceof FreebsdPanic) {
      message = e.text;
      lines = [`panic: ${e.text}`];
    } else if (e instanceof MemoryFault) {
      message = 'page fault';
      lines = [...fatalTrap12(t, e.addr, `${e.write ? 'write' : 'read'} data, ${e.code === 'ACCERR' || e.smap ? 'protection violation' : 'page not present'}`, ip), 'panic: page fault'];
    } else if (f.signal === 'SIGFPE') {
      message = 'integer divide fault';
      lines = ['', 'Fatal trap 18: integer divide fault while in kernel mode', 'cpuid = 0; apic id = 00',
        `instruction pointer\t= 0x20:${ip}`, `current process\t\t= ${t.pid} (${t.comm})`, 'trap number\t\t= 18', 'panic: integer divide fault'];
    } else {
      message = 'privileged instruction fault';
      lines = ['', 'Fatal trap 1: privileged instruction fault while in kernel mode', `instruction pointer\t= 0x20:${ip}`,
        `current process\t\t= ${t.pid} (${t.comm})`, 'trap number\t\t= 1', 'panic: privileged instruction fault'];
    }
    this.panic(t, [...lines, ...backtrace(stack)], message);
  }

  // --- the kernel API -----------------------------------------------------------------------

  private makeIntrinsics(): Record<string, (...a: any[]) => unknown> {
    const fb = this;
    const kc = this.kc;
    const ctx = (P: Cpu) => P.context as FbContext;
    const kstr = (P: Cpu, p: Int64, max = 1 << 20) => P.mem.cstring(num(p), max);
    const format = (P: Cpu, fmt: Int64, va: number) => kvsprintf(P.mem, kstr(P, fmt), vaReader(P.mem, va));
    const user = (P: Cpu) => ctx(P).task.user;
    return {
      fbsd_printf(P: Cpu, fmt: Int64, va: number) {
        const text = format(P, fmt, va);
        fb.log(text, ctx(P).task);
        return text.length;
      },
      fbsd_uprintf(P: Cpu, fmt: Int64, va: number) {
        const text = format(P, fmt, va);
        fb.kernel.console.write(2, enc.encode(text));
        return text.length;
      },
      fbsd_log(P: Cpu, level: number, fmt: Int64, va: number) {
        const text = format(P, fmt, va);
        if (fb.logging) fb.kernel.printk(`\x01${level & 7}${text}`, undefined, ctx(P).task);
      },
      fbsd_copyin(P: Cpu, uaddr: Int64, kaddr: Int64, len: Int64) {
        const r = user(P).copyFromUser(uaddr, num(len));
        if (r.notCopied) return FE.FAULT;
        P.mem.write(num(kaddr), r.data);
        return 0;
      },
      fbsd_copyout(P: Cpu, kaddr: Int64, uaddr: Int64, len: Int64) {
        return user(P).copyToUser(uaddr, P.mem.read(num(kaddr), num(len))) ? FE.FAULT : 0;
      },
      fbsd_copyinstr(P: Cpu, uaddr: Int64, kaddr: Int64, len: Int64, done: Int64) {
        const n = num(len);
        const r = user(P).strncpyFromUser(uaddr, n);
        if (r.length < 0) return FE.FAULT;
        if (r.length >= n) {
          if (n > 0) P.mem.write(num(kaddr), r.bytes.subarray(0, n));
          if (num(done)) P.mem.w64(num(done), n);
          return FE.NAMETOOLONG;
        }
        P.mem.write(num(kaddr), r.bytes);
        P.mem.w8(num(kaddr) + r.length, 0);
        if (num(done)) P.mem.w64(num(done), r.length + 1);
        return 0;
      },
      fbsd_fubyte(P: Cpu, uaddr: Int64) {
        const r = user(P).copyFromUser(uaddr, 1);
        return r.notCopied ? -1 : r.data[0]!;
      },
      fbsd_subyte(P: Cpu, uaddr: Int64, b: number) {
        return user(P).copyToUser(uaddr, Uint8Array.of(b & 0xff)) ? -1 : 0;
      },
      fbsd_fuword(P: Cpu, uaddr: Int64) {
        const r = user(P).copyFromUser(uaddr, 8);
        if (r.notCopied) return -1;
        const v = new DataView(r.data.buffer, r.data.byteOffset, 8).getBigInt64(0, true);
        return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
      },
      fbsd_suword(P: Cpu, uaddr: Int64, v: Int64) {
        const b = new Uint8Array(8);
        new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
        return user(P).copyToUser(uaddr, b) ? -1 : 0;
      },
      fbsd_fuword32(P: Cpu, uaddr: Int64) {
        const r = user(P).copyFromUser(uaddr, 4);
        return r.notCopied ? -1 : new DataView(r.data.buffer, r.data.byteOffset, 4).getInt32(0, true);
      },
      fbsd_suword32(P: Cpu, uaddr: Int64, v: number) {
        const b = new Uint8Array(4);
        new DataView(b.buffer).setInt32(0, v | 0, true);
        return user(P).copyToUser(uaddr, b) ? -1 : 0;
      },
      fbsd_bzero(P: Cpu, p: Int64, n: Int64) {
        P.mem.fill(num(p), 0, num(n));
      },
      fbsd_bcopy(P: Cpu, src: Int64, dst: Int64, n: Int64) {
        P.mem.copy(num(dst), num(src), num(n));
      },
      fbsd_malloc(P: Cpu, size: Int64, type: Int64, flags: number) {
        const n = Math.max(1, num(size));
        const limit = fb.kernel.limits.memPages * 4096;
        if (flags & M_NOWAIT && fb.mallocHeapUsed + n > limit) return 0;
        const a = kc.heap.alloc(n);
        if (!a) {
          if (flags & M_NOWAIT) return 0;
          throw new FreebsdPanic(`kmem_malloc(${n}): kmem_map too small`);
        }
        fb.mallocHeapUsed += kc.heap.size(a) ?? n;
        if (flags & M_ZERO) P.mem.fill(a, 0, n);
        fb.mallocTypeAllocated(num(type), a, num(size));
        return a;
      },
      fbsd_free(P: Cpu, p: Int64, type: Int64) {
        const a = num(p);
        if (a === 0) return;
        const size = kc.heap.size(a);
        const requested = fb.mallocSizes.get(a);
        if (size === undefined || !kc.heap.release(a)) throw new FreebsdPanic(`free: address 0x${toHex(a)} was not allocated by malloc(9)`);
        fb.mallocHeapUsed -= size;
        fb.mallocSizes.delete(a);
        fb.mallocTypeFreed(num(type), requested ?? size);
      },
      fbsd_priv_check(P: Cpu, _td: Int64) {
        return ctx(P).task.euid === 0 ? 0 : FE.PERM;
      },
      fbsd_curthread(P: Cpu) {
        return fb.sysent.thread(ctx(P).task);
      },
      fbsd_sysent() {
        return fb.sysent.base;
      },
      fbsd_nosys_addr() {
        return NOSYS_ADDR;
      },
      fbsd_lkmnosys_addr() {
        return LKMNOSYS_ADDR;
      },
      fbsd_panic(P: Cpu, fmt: Int64, va: number) {
        throw new FreebsdPanic(format(P, fmt, va).replace(/\n$/, ''));
      },
      // syscall_register(9): installs new_sysent at *offset (NO_SYSCALL: the first lkmnosys slot).
      fbsd_syscall_register(P: Cpu, offp: Int64, newp: Int64, oldp: Int64) {
        let off = P.mem.i32(num(offp));
        const S = fb.sysent;
        if (off === -1) {
          off = -1;
          for (let i = 0; i < S.slots; i++) if (S.read(i).call === LKMNOSYS_ADDR) { off = i; break; }
          if (off < 0) return FE.NOSPC;
          P.mem.w32(num(offp), off);
        } else if (off < 0 || off >= S.slots) return FE.INVAL;
        else if (S.read(off).call !== LKMNOSYS_ADDR && S.read(off).call !== NOSYS_ADDR) return FE.EXIST;
        P.mem.copy(num(oldp), S.addr(off), 48);
        P.mem.copy(S.addr(off), num(newp), 48);
        return 0;
      },
      fbsd_syscall_deregister(P: Cpu, offp: Int64, oldp: Int64) {
        const off = P.mem.i32(num(offp));
        if (off < 0 || off >= fb.sysent.slots) return FE.INVAL;
        P.mem.copy(fb.sysent.addr(off), num(oldp), 48);
        return 0;
      },
    };
  }
}

export { TD_RETVAL, dec };
