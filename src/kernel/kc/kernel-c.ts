// Kernel C at run time: the kernel's own address space (heap, stacks, the image of the machine's
// kernel/**/*.c), the kernel API that compiled kernel C calls as intrinsics (printk,
// strncpy_from_user, kmalloc, current, capable, BUG_ON...), and the path that runs a C syscall
// handler on a kernel stack — turning faults into an Oops and endless loops into a soft lockup,
// after which the calling task is killed and the kernel goes on serving everyone else. Locks and
// lockdep are in ./locks.ts, kmemleak in ./kmemleak.ts.
import { AddressSpace, KernelMemoryView, MemoryFault, PROT_READ, PROT_WRITE, toHex } from '../../runtime/memory.js';
import { Cpu, type CFunction, type StackEntry } from '../../runtime/cpu.js';
import { registerIntrinsic, type IntrinsicDef } from '../../cc/intrinsics.js';
import type { Int64 } from '../events.js';
import type { Kernel } from '../kernel.js';
import type { Task } from '../task.js';
import type { ExecSegment } from '../exec.js';
import { kvsprintf, vaReader } from './vsprintf.js';
import { oopsEntryFrames } from '../entry-path.js';
import { E } from '../errno.js';
import { SIG } from '../signals.js';
import { KernelPathEnded, LINUX_LOCK_API, LockTracker, linuxLockIntrinsics, lockdepSysExit } from './locks.js';
import { Kmemleak, trackAllocations } from './kmemleak.js';

/** Kernel address ranges (signed view of 0xffff888000000000 etc.). */
export const KHEAP_BASE = -0x777800000000; // 0xffff888000000000
export const KHEAP_SIZE = 64 * 1024 * 1024;
export const KSTACK_BASE = -0x370000000000; // 0xffffc90000000000
export const KSTACK_SIZE = 16 * 1024; // THREAD_SIZE on x86_64
export const KTEXT_BASE = -0x7f000000; // 0xffffffff81000000

/** CPU units a kernel path may run before the soft-lockup watchdog fires. */
export const SOFT_LOCKUP_UNITS = 20_000_000;

const TASK_STRUCT_SIZE = 64;
const CRED_SIZE = 32;

/** The compiled kernel C of a machine, as the kernel needs it. */
export interface KernelImage {
  functions: CFunction[];
  lookup(addr: number): CFunction | undefined;
  byName(name: string): CFunction | undefined;
  segments: ExecSegment[];
  /** The C parameter types of a function, for argument conversion and signatures. */
  paramTypes(name: string): string[] | undefined;
}

/** Raised inside an intrinsic to stop the kernel path: BUG(), a bad kfree... */
class KernelBug extends Error {
  constructor(
    readonly kind: 'bug' | 'invalid-opcode',
    message: string,
  ) {
    super(message);
  }
}

interface KContext {
  task: Task;
  kc: KernelC;
}

const enc = new TextEncoder();
const dec = new TextDecoder('latin1');

/** The kernel API as intrinsic declarations (kernel mode). */
export const KERNEL_API: IntrinsicDef[] = [
  { name: 'printk', ret: 'int', params: ['const char *'], variadic: true, modes: ['kernel'] },
  { name: 'sprintf', ret: 'int', params: ['char *', 'const char *'], variadic: true, modes: ['kernel'], host: 'k_sprintf' },
  { name: 'snprintf', ret: 'int', params: ['char *', 'unsigned long', 'const char *'], variadic: true, modes: ['kernel'], host: 'k_snprintf' },
  { name: 'scnprintf', ret: 'int', params: ['char *', 'unsigned long', 'const char *'], variadic: true, modes: ['kernel'] },
  { name: 'strncpy_from_user', ret: 'long', params: ['char *', 'const char *', 'long'], modes: ['kernel'] },
  { name: 'strnlen_user', ret: 'long', params: ['const char *', 'long'], modes: ['kernel'] },
  { name: 'copy_from_user', ret: 'unsigned long', params: ['void *', 'const void *', 'unsigned long'], modes: ['kernel'] },
  { name: 'copy_to_user', ret: 'unsigned long', params: ['void *', 'const void *', 'unsigned long'], modes: ['kernel'] },
  { name: 'clear_user', ret: 'unsigned long', params: ['void *', 'unsigned long'], modes: ['kernel'] },
  { name: '__ksim_get_user', ret: 'int', params: ['void *', 'const void *', 'unsigned long'], modes: ['kernel'] },
  { name: '__ksim_put_user', ret: 'int', params: ['const void *', 'void *', 'unsigned long'], modes: ['kernel'] },
  { name: 'access_ok', ret: 'int', params: ['const void *', 'unsigned long'], modes: ['kernel'] },
  { name: 'kmalloc', ret: 'void *', params: ['unsigned long', 'unsigned int'], modes: ['kernel'] },
  { name: 'kzalloc', ret: 'void *', params: ['unsigned long', 'unsigned int'], modes: ['kernel'] },
  { name: 'kcalloc', ret: 'void *', params: ['unsigned long', 'unsigned long', 'unsigned int'], modes: ['kernel'] },
  { name: 'krealloc', ret: 'void *', params: ['const void *', 'unsigned long', 'unsigned int'], modes: ['kernel'] },
  { name: 'kfree', ret: 'void', params: ['const void *'], modes: ['kernel'] },
  { name: 'kstrdup', ret: 'char *', params: ['const char *', 'unsigned int'], modes: ['kernel'] },
  { name: 'ksize', ret: 'unsigned long', params: ['const void *'], modes: ['kernel'] },
  { name: 'memset', ret: 'void *', params: ['void *', 'int', 'unsigned long'], modes: ['kernel'], host: 'k_memset' },
  { name: 'memcpy', ret: 'void *', params: ['void *', 'const void *', 'unsigned long'], modes: ['kernel'], host: 'k_memcpy' },
  { name: 'memmove', ret: 'void *', params: ['void *', 'const void *', 'unsigned long'], modes: ['kernel'], host: 'k_memcpy' },
  { name: 'memcmp', ret: 'int', params: ['const void *', 'const void *', 'unsigned long'], modes: ['kernel'], host: 'k_memcmp' },
  { name: 'strlen', ret: 'unsigned long', params: ['const char *'], modes: ['kernel'], host: 'k_strlen' },
  { name: 'strnlen', ret: 'unsigned long', params: ['const char *', 'unsigned long'], modes: ['kernel'], host: 'k_strnlen' },
  { name: 'strcmp', ret: 'int', params: ['const char *', 'const char *'], modes: ['kernel'], host: 'k_strcmp' },
  { name: 'strncmp', ret: 'int', params: ['const char *', 'const char *', 'unsigned long'], modes: ['kernel'], host: 'k_strncmp' },
  { name: 'strcpy', ret: 'char *', params: ['char *', 'const char *'], modes: ['kernel'], host: 'k_strcpy' },
  { name: 'strncpy', ret: 'char *', params: ['char *', 'const char *', 'unsigned long'], modes: ['kernel'], host: 'k_strncpy' },
  { name: 'strcat', ret: 'char *', params: ['char *', 'const char *'], modes: ['kernel'], host: 'k_strcat' },
  { name: 'strchr', ret: 'char *', params: ['const char *', 'int'], modes: ['kernel'], host: 'k_strchr' },
  { name: 'strrchr', ret: 'char *', params: ['const char *', 'int'], modes: ['kernel'], host: 'k_strrchr' },
  { name: 'strstr', ret: 'char *', params: ['const char *', 'const char *'], modes: ['kernel'], host: 'k_strstr' },
  { name: 'strscpy', ret: 'long', params: ['char *', 'const char *', 'unsigned long'], modes: ['kernel'] },
  { name: 'strlcpy', ret: 'unsigned long', params: ['char *', 'const char *', 'unsigned long'], modes: ['kernel'] },
  { name: 'get_current', ret: 'struct task_struct *', params: [], modes: ['kernel'] },
  { name: 'task_pid_nr', ret: 'int', params: ['struct task_struct *'], modes: ['kernel'] },
  { name: 'task_tgid_vnr', ret: 'int', params: ['struct task_struct *'], modes: ['kernel'] },
  { name: 'get_task_comm', ret: 'char *', params: ['char *', 'struct task_struct *'], modes: ['kernel'] },
  { name: 'capable', ret: 'int', params: ['int'], modes: ['kernel'] },
  { name: 'schedule', ret: 'void', params: [], modes: ['kernel'] },
  { name: 'cond_resched', ret: 'int', params: [], modes: ['kernel'] },
  { name: '__ksim_bug', ret: 'void', params: ['const char *', 'int'], modes: ['kernel'] },
  { name: '__ksim_warn', ret: 'int', params: ['const char *', 'int', 'int'], modes: ['kernel'] },
  { name: 'simple_strtol', ret: 'long', params: ['const char *', 'char **', 'unsigned int'], modes: ['kernel'] },
  { name: 'kstrtoint', ret: 'int', params: ['const char *', 'unsigned int', 'int *'], modes: ['kernel'] },
  { name: 'kstrtol', ret: 'int', params: ['const char *', 'unsigned int', 'long *'], modes: ['kernel'] },
  ...LINUX_LOCK_API,
];

let registered = false;
/** Makes the kernel API known to the C compiler (kernel mode). */
export function registerKernelApi(): void {
  if (registered) return;
  registered = true;
  for (const d of KERNEL_API) registerIntrinsic(d);
}

function num(v: Int64): number {
  return typeof v === 'number' ? v : Number(BigInt.asIntN(64, v));
}

/**
 * Kernel memory that outlives one ksim command (src/machine/kernel-memory.ts): the bytes of the
 * kernel C image's writable segments and of the heap, with the heap's allocator state. Restored
 * into a kernel booted from the same image, it is as if the kernel had kept running.
 */
export interface KernelMemorySnapshot {
  /** The kernel image and the loaded modules: each one's key (imageKey) and writable segments. */
  images: { key: string; segments: { addr: number; bytes: Uint8Array }[] }[];
  heap: { next: number; blocks: [number, number][]; free: [number, number][]; bytes: Uint8Array };
}

/** FNV-1a over a string's UTF-16 code units, as 8 hex digits and the length. */
export function fingerprintText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${(h >>> 0).toString(16).padStart(8, '0')}-${text.length}`;
}

const imageKeys = new WeakMap<KernelImage, string>();

/** An image's identity across commands: its name and a fingerprint of its code and initial data (computed once per image). */
export function imageKey(img: KernelImage): string {
  let key = imageKeys.get(img);
  if (key === undefined) imageKeys.set(img, (key = computeImageKey(img)));
  return key;
}

function computeImageKey(img: KernelImage): string {
  const j = (img as { json?: { code: string; data: unknown; bss: unknown; symbols: unknown } }).json;
  const name = (img as { name?: string }).name ?? '?';
  const layout = img.segments.map((s) => `${s.addr}+${s.size}`).join(',');
  return `${name}:${j ? fingerprintText(j.code + JSON.stringify([j.data, j.bss, j.symbols])) : ''}:${layout}`;
}

/** The kernel's heap: a first-fit allocator over the kernel heap range, with every block recorded. */
class KernelHeap {
  next = KHEAP_BASE + 4096;
  readonly blocks = new Map<number, number>();
  free: { addr: number; size: number }[] = [];
  constructor(private readonly mem: AddressSpace) {
    mem.map(KHEAP_BASE, KHEAP_SIZE, PROT_READ | PROT_WRITE, '[kheap]');
  }
  alloc(size: number): number {
    const rounded = Math.max(16, Math.ceil(size / 16) * 16);
    const i = this.free.findIndex((f) => f.size >= rounded);
    let addr: number;
    if (i >= 0) {
      addr = this.free[i]!.addr;
      this.free.splice(i, 1);
    } else {
      if (this.next + rounded > KHEAP_BASE + KHEAP_SIZE) return 0;
      addr = this.next;
      this.next += rounded;
    }
    this.blocks.set(addr, rounded);
    return addr;
  }
  release(addr: number): boolean {
    const size = this.blocks.get(addr);
    if (size === undefined) return false;
    this.blocks.delete(addr);
    this.free.push({ addr, size });
    return true;
  }
  size(addr: number): number | undefined {
    return this.blocks.get(addr);
  }
}

export class KernelC {
  readonly mem = new AddressSpace();
  readonly view = new KernelMemoryView(this.mem);
  readonly heap: KernelHeap;
  private image: KernelImage | undefined;
  private taskStructs = new Map<number, number>();
  private nextStack = 0;
  private oopsCount = 0;
  /**
   * Heap blocks that belong to this command's processes only (FreeBSD's struct thread of each
   * task): left out of snapshotMemory like the Linux task structs, forgotten by restoreMemory.
   */
  readonly perTaskBlocks: { blocks(): Iterable<number>; forget(): void }[] = [];
  /** Loaded kernel modules' images (FreeBSD .ko), searched after the kernel's own. */
  readonly modules: KernelImage[] = [];
  /** Ends kernel C that never returns instead of Linux's soft-lockup watchdog (FreeBSD has none). */
  lockupReporter: ((task: Task, stack: StackEntry[]) => void) | null = null;
  /** Reports a fault in kernel C instead of the Linux Oops (FreeBSD prints its trap/panic text). */
  faultReporter: ((task: Task, f: NonNullable<Cpu['fault']>, stack: StackEntry[]) => void) | null = null;
  /** Host functions for the `H` object of kernel images. */
  readonly intrinsics: Record<string, (...a: any[]) => unknown>;
  /** The objects kernel C allocated, for kmemleak's scan (src/kernel/kc/kmemleak.ts). */
  readonly kmemleak = new Kmemleak(this);
  /** Which task holds which kernel lock (src/kernel/kc/locks.ts). */
  readonly locks = new LockTracker();
  /** The check on the way back to user space; true when it ended the task (FreeBSD's WITNESS panics). */
  userret: (task: Task) => boolean = (task) => {
    lockdepSysExit(this, task);
    return false;
  };
  /** Extra functions known by address for stack traces (the kernel's own entry path). */
  constructor(readonly kernel: Kernel) {
    this.heap = new KernelHeap(this.mem);
    this.mem.map(KSTACK_BASE, 64 * KSTACK_SIZE, PROT_READ | PROT_WRITE, '[kstack]');
    this.intrinsics = { ...this.makeIntrinsics(), ...linuxLockIntrinsics(this) };
    trackAllocations(this, this.kmemleak, this.intrinsics);
  }

  /** Maps a compiled kernel image (its functions and data) into kernel memory. */
  load(image: KernelImage): void {
    this.image = image;
    for (const s of image.segments) {
      this.mem.map(s.addr, Math.max(1, s.size), PROT_READ | PROT_WRITE, s.name);
      if (s.bytes.length) this.mem.write(s.addr, s.bytes);
    }
  }

  get loaded(): KernelImage | undefined {
    return this.image;
  }

  /**
   * The kernel image's writable segments and the heap as they are now (undefined without kernel
   * C). The task structs of this command's processes are left out: their blocks count as free.
   */
  snapshotMemory(): KernelMemorySnapshot | undefined {
    const loaded = this.loadedImages();
    if (!loaded.length) return undefined;
    const images = loaded.map((img) => ({
      key: imageKey(img),
      segments: img.segments.filter((s) => s.prot & 2).map((s) => ({ addr: s.addr, bytes: this.mem.read(s.addr, Math.max(1, s.size)) })),
    }));
    const perTask = new Set(this.taskStructs.values());
    for (const p of this.perTaskBlocks) for (const b of p.blocks()) perTask.add(b);
    const h = this.heap;
    const blocks = [...h.blocks].filter(([a]) => !perTask.has(a));
    const free: [number, number][] = [...h.free.map((f): [number, number] => [f.addr, f.size]), ...[...h.blocks].filter(([a]) => perTask.has(a))];
    const used = h.next - KHEAP_BASE;
    return { images, heap: { next: h.next, blocks, free, bytes: this.mem.read(KHEAP_BASE, used) } };
  }

  /** The kernel image (if kernel C was built) and the loaded modules, in load order. */
  private loadedImages(): KernelImage[] {
    return [...(this.image ? [this.image] : []), ...this.modules];
  }

  /**
   * Puts a snapshot back (right after boot, before any process ran kernel C) when it was taken
   * with the very images now loaded; false (nothing changed) otherwise.
   */
  restoreMemory(s: KernelMemorySnapshot): boolean {
    const keys = this.loadedImages().map(imageKey);
    if (keys.length !== s.images.length || s.images.some((img, i) => img.key !== keys[i])) return false;
    for (const img of s.images) for (const seg of img.segments) this.mem.write(seg.addr, seg.bytes);
    const h = this.heap;
    this.mem.write(KHEAP_BASE, s.heap.bytes);
    h.next = s.heap.next;
    h.blocks.clear();
    for (const [a, n] of s.heap.blocks) h.blocks.set(a, n);
    h.free = s.heap.free.map(([addr, size]) => ({ addr, size }));
    this.taskStructs.clear();
    for (const p of this.perTaskBlocks) p.forget();
    return true;
  }

  /** Maps a module's image (its own text and data addresses) next to the kernel's. */
  loadModule(image: KernelImage): void {
    for (const s of image.segments) {
      this.mem.map(s.addr, Math.max(1, s.size), PROT_READ | PROT_WRITE, s.name);
      if (s.bytes.length) this.mem.write(s.addr, s.bytes);
    }
    this.modules.push(image);
  }

  /** Removes a module's image (kldunload): its addresses fault afterwards. */
  unloadModule(image: KernelImage): void {
    const i = this.modules.indexOf(image);
    if (i >= 0) this.modules.splice(i, 1);
  }

  /** The kernel C function at an address, in the kernel image or a module. */
  lookupFunction(addr: number): CFunction | undefined {
    const f = this.image?.lookup(addr);
    if (f) return f;
    for (const m of this.modules) {
      const g = m.lookup(addr);
      if (g) return g;
    }
    return undefined;
  }

  /** The syscall handler of a C entry point: converts the registers to the C parameter types. */
  handlerFor(entry: string): ((task: Task, args: Int64[]) => Int64 | 'died') | undefined {
    const fn = this.image?.byName(entry);
    if (!fn) return undefined;
    const types = this.image!.paramTypes(entry) ?? [];
    return (task, args) => {
      const cargs = types.map((t, i) => convertArg(t, args[i] ?? 0));
      return this.call(fn, task, cargs);
    };
  }

  /** Runs fn to completion on a fresh kernel stack for task; 'died' when an Oops killed the task. */
  call(fn: CFunction, task: Task, args: unknown[]): Int64 | 'died' {
    const slot = this.nextStack++ % 64;
    const top = KSTACK_BASE + (slot + 1) * KSTACK_SIZE - 64;
    const cpu = new Cpu(this.view, { sp: top, stackLimit: top - KSTACK_SIZE + 128, lookup: (a) => this.lookupFunction(a) });
    cpu.context = { task, kc: this } satisfies KContext;
    cpu.budget = SOFT_LOCKUP_UNITS;
    cpu.start(fn, args);
    let why: string;
    try {
      why = cpu.run();
    } catch (e) {
      if (e instanceof KernelPathEnded) {
        e.end(task);
        return 'died';
      }
      if (e instanceof KernelBug) {
        this.oops(task, cpu, e.kind === 'bug' ? e.message : `invalid opcode: 0000 [#${this.oopsCount + 1}] PREEMPT SMP NOPTI`, e.kind === 'bug' ? 'invalid opcode' : undefined);
        return 'died';
      }
      throw e;
    }
    task.cpuUsed += SOFT_LOCKUP_UNITS - Math.max(0, cpu.budget);
    if (why === 'exit') return this.userret(task) ? 'died' : ((cpu.rv as Int64) ?? 0);
    if (why === 'yield') {
      this.softLockup(task, cpu.callStack());
      return 'died';
    }
    if (why === 'trap') {
      this.oops(task, cpu, `invalid opcode: 0000 [#${this.oopsCount + 1}] PREEMPT SMP NOPTI`);
      return 'died';
    }
    const f = cpu.fault!;
    if (f.error instanceof KernelPathEnded) {
      f.error.end(task);
      return 'died';
    }
    if (f.error instanceof KernelBug) {
      this.oops(task, cpu, f.error.message, 'invalid opcode');
      return 'died';
    }
    if (this.faultReporter) this.faultReporter(task, f, f.stack);
    else this.faultOops(task, cpu, f);
    return 'died';
  }

  // --- Oops ---------------------------------------------------------------------------------

  header(task: Task): string[] {
    const id = this.kernel.identity;
    const taint = this.taintString();
    return [
      `CPU: 0 PID: ${task.pid} Comm: ${task.comm} ${taint} ${id.release}${id.localversion} #1`,
      'Hardware name: ksim emulated machine, BIOS ksim 01/01/2024',
    ];
  }

  taintString(): string {
    const t = this.kernel.tainted;
    if (!t) return 'Not tainted';
    const flags = 'PFSRMBUDAWCIOELKXTN';
    let s = '';
    for (let i = 0; i < flags.length; i++) s += t & (1 << i) ? flags[i] : i === 0 ? 'G' : ' ';
    return `Tainted: ${s.trimEnd()}`;
  }

  callTrace(stack: StackEntry[]): string[] {
    const lines = ['Call Trace:', ' <TASK>'];
    for (const s of stack.slice(1)) lines.push(` ${s.name}+0x${((s.line % 64) * 4).toString(16)}/0x${(0x100).toString(16)}`);
    // The entry path under the syscall, named as the machine's release names it (entry-path.ts).
    lines.push(...oopsEntryFrames(this.kernel.identity), ' </TASK>');
    return lines;
  }

  private printOops(lines: string[]): void {
    for (const l of lines) this.kernel.printk(`\x014${l}\n`);
  }

  private finishOops(task: Task): void {
    this.oopsCount++;
    this.locks.debugLocks = false; // oops_enter(): lockdep can no longer trust the kernel
    this.kernel.tainted |= 1 << 7; // TAINT_DIE
    this.printOops([`---[ end trace ${'0'.repeat(16)} ]---`]);
    this.kernel.killTask(task, SIG.SEGV, false, `ksim: pid ${task.pid} (${task.comm}) killed by a kernel Oops (see ksim dmesg)`);
  }

  private faultOops(task: Task, cpu: Cpu, f: NonNullable<Cpu['fault']>): void {
    const e = f.error;
    const top = f.stack[0];
    const rip = top ? `${top.name}+0x${((top.line % 64) * 4).toString(16)}/0x100` : '0x0';
    if (e instanceof MemoryFault) {
      const addr = e.addr;
      const hex = toHex(addr).padStart(16, '0');
      const lines: string[] = [];
      if (addr >= 0 && addr < 4096) lines.push(`BUG: kernel NULL pointer dereference, address: ${hex}`);
      else lines.push(`BUG: unable to handle page fault for address: ${hex}`);
      lines.push(`#PF: supervisor ${e.write ? 'write' : 'read'} access in kernel mode`);
      lines.push(`#PF: error_code(0x000${(e.code === 'ACCERR' || e.smap ? 1 : 0) | (e.write ? 2 : 0)}) - ${e.code === 'ACCERR' || e.smap ? 'permissions violation' : 'not-present page'}`);
      lines.push('PGD 0 P4D 0 ');
      lines.push(`Oops: 000${(e.code === 'ACCERR' || e.smap ? 1 : 0) | (e.write ? 2 : 0)} [#${this.oopsCount + 1}] PREEMPT SMP NOPTI`);
      lines.push(...this.header(task), `RIP: 0010:${rip}`, ...this.callTrace(f.stack));
      this.printOops(lines);
    } else if (f.signal === 'SIGFPE') {
      this.printOops([`divide error: 0000 [#${this.oopsCount + 1}] PREEMPT SMP NOPTI`, ...this.header(task), `RIP: 0010:${rip}`, ...this.callTrace(f.stack)]);
    } else {
      this.printOops([`invalid opcode: 0000 [#${this.oopsCount + 1}] PREEMPT SMP NOPTI`, ...this.header(task), `RIP: 0010:${rip}`, ...this.callTrace(f.stack)]);
    }
    this.finishOops(task);
  }

  private oops(task: Task, cpu: Cpu, first: string, second?: string): void {
    const stack = cpu.callStack();
    const top = stack[0];
    const rip = top ? `${top.name}+0x${((top.line % 64) * 4).toString(16)}/0x100` : '0x0';
    const lines = [first];
    if (second) lines.push(`${second}: 0000 [#${this.oopsCount + 1}] PREEMPT SMP NOPTI`);
    lines.push(...this.header(task), `RIP: 0010:${rip}`, ...this.callTrace(stack));
    this.printOops(lines);
    this.finishOops(task);
  }

  softLockup(task: Task, stack: StackEntry[], why?: string): void {
    if (this.lockupReporter) return this.lockupReporter(task, stack);
    const top = stack[0];
    this.kernel.tainted |= 1 << 14; // TAINT_SOFTLOCKUP
    this.kernel.printk(`\x010watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [${task.comm}:${task.pid}]\n`);
    this.printOops([...this.header(task), `RIP: 0010:${top ? `${top.name}+0x${((top.line % 64) * 4).toString(16)}/0x100` : '0x0'}`, ...this.callTrace(stack)]);
    this.kernel.killTask(task, SIG.KILL, false, `ksim: pid ${task.pid} (${task.comm}) killed: soft lockup in kernel code (${why ?? `${stack[0]?.name ?? '?'} never returned`})`);
  }

  // --- the kernel API -----------------------------------------------------------------------

  private taskStruct(t: Task): number {
    let addr = this.taskStructs.get(t.pid);
    if (!addr) {
      addr = this.heap.alloc(TASK_STRUCT_SIZE + CRED_SIZE);
      this.taskStructs.set(t.pid, addr);
    }
    const m = this.mem;
    const cred = addr + TASK_STRUCT_SIZE;
    m.w64(addr, 0); // TASK_RUNNING
    m.w32(addr + 8, t.pid);
    m.w32(addr + 12, t.pid);
    const comm = new Uint8Array(16);
    comm.set(enc.encode(t.comm).subarray(0, 15));
    m.write(addr + 16, comm);
    m.w64(addr + 32, cred);
    m.w64(addr + 40, cred);
    m.w64(addr + 48, addr);
    m.w64(addr + 56, addr);
    const ids = [t.uid, t.gid, t.suid, t.sgid, t.euid, t.egid, t.euid, t.egid];
    ids.forEach((v, i) => m.w32(cred + i * 4, v));
    return addr;
  }

  private makeIntrinsics(): Record<string, (...a: any[]) => unknown> {
    const kc = this;
    const ctx = (P: Cpu) => P.context as KContext;
    const kstr = (P: Cpu, p: Int64, max = 1 << 20) => P.mem.cstring(num(p), max);
    const format = (P: Cpu, fmt: Int64, va: number) => kvsprintf(P.mem, kstr(P, fmt), vaReader(P.mem, va));
    const writeFormatted = (P: Cpu, buf: Int64, size: number, text: string): number => {
      const bytes = enc.encode(text);
      if (size > 0) {
        const n = Math.min(bytes.length, size - 1);
        P.mem.write(num(buf), bytes.subarray(0, n));
        P.mem.w8(num(buf) + n, 0);
      }
      return bytes.length;
    };
    const user = (P: Cpu) => ctx(P).task.user;
    return {
      printk(P: Cpu, fmt: Int64, va: number) {
        const text = format(P, fmt, va);
        const caller = P.frames[P.frames.length - 1]?.fn.name;
        kc.kernel.printk(text, caller, ctx(P).task);
        return text.replace(/^\x01./, '').length;
      },
      k_sprintf(P: Cpu, buf: Int64, fmt: Int64, va: number) {
        return writeFormatted(P, buf, Infinity, format(P, fmt, va));
      },
      k_snprintf(P: Cpu, buf: Int64, size: Int64, fmt: Int64, va: number) {
        return writeFormatted(P, buf, num(size), format(P, fmt, va));
      },
      scnprintf(P: Cpu, buf: Int64, size: Int64, fmt: Int64, va: number) {
        const n = num(size);
        const len = writeFormatted(P, buf, n, format(P, fmt, va));
        return n <= 0 ? 0 : Math.min(len, n - 1);
      },
      strncpy_from_user(P: Cpu, dst: Int64, src: Int64, count: Int64) {
        const n = num(count);
        const r = user(P).strncpyFromUser(src, n);
        if (r.length < 0) return r.length;
        P.mem.write(num(dst), r.bytes);
        if (r.length < n) P.mem.w8(num(dst) + r.length, 0);
        return r.length;
      },
      strnlen_user(P: Cpu, src: Int64, count: Int64) {
        const r = user(P).strncpyFromUser(src, num(count));
        if (r.length < 0) return 0;
        return r.length === num(count) ? num(count) + 1 : r.length + 1;
      },
      copy_from_user(P: Cpu, to: Int64, from: Int64, n: Int64) {
        const r = user(P).copyFromUser(from, num(n));
        const copied = num(n) - r.notCopied;
        P.mem.write(num(to), r.data.subarray(0, copied));
        if (r.notCopied) P.mem.fill(num(to) + copied, 0, r.notCopied); // Linux zeroes the rest
        return r.notCopied;
      },
      copy_to_user(P: Cpu, to: Int64, from: Int64, n: Int64) {
        return user(P).copyToUser(to, P.mem.read(num(from), num(n)));
      },
      clear_user(P: Cpu, to: Int64, n: Int64) {
        return user(P).clearUser(to, num(n));
      },
      __ksim_get_user(P: Cpu, dst: Int64, src: Int64, size: Int64) {
        const r = user(P).copyFromUser(src, num(size));
        if (r.notCopied) return -E.FAULT;
        P.mem.write(num(dst), r.data);
        return 0;
      },
      __ksim_put_user(P: Cpu, src: Int64, dst: Int64, size: Int64) {
        return user(P).copyToUser(dst, P.mem.read(num(src), num(size))) ? -E.FAULT : 0;
      },
      access_ok(P: Cpu, addr: Int64, size: Int64) {
        return user(P).accessOk(num(addr), num(size)) ? 1 : 0;
      },
      kmalloc(P: Cpu, size: Int64, flags: number) {
        const n = num(size);
        if (n === 0) return 16; // ZERO_SIZE_PTR
        const a = kc.heap.alloc(n);
        if (a && flags & 0x100) P.mem.fill(a, 0, n);
        return a;
      },
      kzalloc(P: Cpu, size: Int64) {
        const n = num(size);
        if (n === 0) return 16;
        const a = kc.heap.alloc(n);
        if (a) P.mem.fill(a, 0, n);
        return a;
      },
      kcalloc(P: Cpu, count: Int64, size: Int64) {
        const n = num(count) * num(size);
        if (n === 0) return 16;
        const a = kc.heap.alloc(n);
        if (a) P.mem.fill(a, 0, n);
        return a;
      },
      krealloc(P: Cpu, p: Int64, size: Int64) {
        const old = num(p);
        const n = num(size);
        const a = kc.heap.alloc(Math.max(n, 1));
        if (a && old && old !== 16) {
          const oldSize = kc.heap.size(old) ?? 0;
          P.mem.copy(a, old, Math.min(oldSize, n));
          kc.heap.release(old);
        }
        return a;
      },
      kfree(P: Cpu, p: Int64) {
        const a = num(p);
        if (a === 0 || a === 16) return;
        if (!kc.heap.release(a)) {
          throw new KernelBug('bug', `kernel BUG at mm/slub.c:4470!`);
        }
      },
      kstrdup(P: Cpu, s: Int64) {
        if (num(s) === 0) return 0;
        const bytes = kstr(P, s);
        const a = kc.heap.alloc(bytes.length + 1);
        if (!a) return 0;
        P.mem.write(a, bytes);
        P.mem.w8(a + bytes.length, 0);
        return a;
      },
      ksize(P: Cpu, p: Int64) {
        return kc.heap.size(num(p)) ?? 0;
      },
      k_memset(P: Cpu, s: Int64, c: number, n: Int64) {
        P.mem.fill(num(s), c & 0xff, num(n));
        return s;
      },
      k_memcpy(P: Cpu, d: Int64, s: Int64, n: Int64) {
        P.mem.copy(num(d), num(s), num(n));
        return d;
      },
      k_memcmp(P: Cpu, a: Int64, b: Int64, n: Int64) {
        const x = P.mem.read(num(a), num(n));
        const y = P.mem.read(num(b), num(n));
        for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
        return 0;
      },
      k_strlen(P: Cpu, s: Int64) {
        return kstr(P, s).length;
      },
      k_strnlen(P: Cpu, s: Int64, n: Int64) {
        return kstr(P, s, num(n)).length;
      },
      k_strcmp(P: Cpu, a: Int64, b: Int64) {
        return cmp(kstr(P, a), kstr(P, b), Infinity);
      },
      k_strncmp(P: Cpu, a: Int64, b: Int64, n: Int64) {
        return cmp(kstr(P, a, num(n)), kstr(P, b, num(n)), num(n));
      },
      k_strcpy(P: Cpu, d: Int64, s: Int64) {
        const b = kstr(P, s);
        P.mem.write(num(d), b);
        P.mem.w8(num(d) + b.length, 0);
        return d;
      },
      k_strncpy(P: Cpu, d: Int64, s: Int64, n: Int64) {
        const b = kstr(P, s, num(n));
        const out = new Uint8Array(num(n));
        out.set(b);
        P.mem.write(num(d), out);
        return d;
      },
      k_strcat(P: Cpu, d: Int64, s: Int64) {
        const end = num(d) + kstr(P, d).length;
        const b = kstr(P, s);
        P.mem.write(end, b);
        P.mem.w8(end + b.length, 0);
        return d;
      },
      k_strchr(P: Cpu, s: Int64, c: number) {
        const b = kstr(P, s);
        const ch = c & 0xff;
        if (ch === 0) return num(s) + b.length;
        const i = b.indexOf(ch);
        return i < 0 ? 0 : num(s) + i;
      },
      k_strrchr(P: Cpu, s: Int64, c: number) {
        const b = kstr(P, s);
        const ch = c & 0xff;
        if (ch === 0) return num(s) + b.length;
        const i = b.lastIndexOf(ch);
        return i < 0 ? 0 : num(s) + i;
      },
      k_strstr(P: Cpu, h: Int64, n: Int64) {
        const i = dec.decode(kstr(P, h)).indexOf(dec.decode(kstr(P, n)));
        return i < 0 ? 0 : num(h) + i;
      },
      strscpy(P: Cpu, d: Int64, s: Int64, count: Int64) {
        const n = num(count);
        if (n <= 0) return -E['2BIG'];
        const b = kstr(P, s, n);
        if (b.length >= n) {
          P.mem.write(num(d), b.subarray(0, n - 1));
          P.mem.w8(num(d) + n - 1, 0);
          return -E['2BIG'];
        }
        P.mem.write(num(d), b);
        P.mem.w8(num(d) + b.length, 0);
        return b.length;
      },
      strlcpy(P: Cpu, d: Int64, s: Int64, size: Int64) {
        const b = kstr(P, s);
        const n = num(size);
        if (n > 0) {
          const k = Math.min(b.length, n - 1);
          P.mem.write(num(d), b.subarray(0, k));
          P.mem.w8(num(d) + k, 0);
        }
        return b.length;
      },
      get_current(P: Cpu) {
        return kc.taskStruct(ctx(P).task);
      },
      task_pid_nr(P: Cpu, t: Int64) {
        return P.mem.i32(num(t) + 8);
      },
      task_tgid_vnr(P: Cpu, t: Int64) {
        return P.mem.i32(num(t) + 12);
      },
      get_task_comm(P: Cpu, buf: Int64, t: Int64) {
        P.mem.copy(num(buf), num(t) + 16, 16);
        return buf;
      },
      capable(P: Cpu) {
        return ctx(P).task.euid === 0 ? 1 : 0;
      },
      schedule() {},
      cond_resched() {
        return 0;
      },
      __ksim_bug(P: Cpu, file: Int64, line: number) {
        throw new KernelBug('bug', `kernel BUG at ${dec.decode(kstr(P, file))}:${line}!`);
      },
      __ksim_warn(P: Cpu, file: Int64, line: number, cond: number) {
        if (cond) {
          const t = ctx(P).task;
          const fn = P.frames[P.frames.length - 1]?.fn.name ?? '?';
          kc.kernel.tainted |= 1 << 9; // TAINT_WARN
          kc.printOops([`------------[ cut here ]------------`, `WARNING: CPU: 0 PID: ${t.pid} at ${dec.decode(kstr(P, file))}:${line} ${fn}+0x0/0x100`, ...kc.header(t), ...kc.callTrace(P.callStack()), `---[ end trace ${'0'.repeat(16)} ]---`]);
        }
        return cond ? 1 : 0;
      },
      simple_strtol(P: Cpu, s: Int64, endp: Int64, base: number) {
        const text = dec.decode(kstr(P, s));
        const m = /^\s*([+-]?(?:0x[0-9a-f]+|[0-9]+))/i.exec(text);
        const v = m ? parseInt(m[1]!, base || undefined as unknown as number) : 0;
        if (num(endp)) P.mem.w64(num(endp), num(s) + (m ? m[0].length : 0));
        return Number.isNaN(v) ? 0 : v;
      },
      kstrtoint(P: Cpu, s: Int64, base: number, res: Int64) {
        const text = dec.decode(kstr(P, s)).replace(/\n$/, '');
        if (!/^[+-]?(0x[0-9a-f]+|[0-9]+)$/i.test(text)) return -E.INVAL;
        const v = parseInt(text, base || undefined as unknown as number);
        if (v > 2147483647 || v < -2147483648) return -E.RANGE;
        P.mem.w32(num(res), v);
        return 0;
      },
      kstrtol(P: Cpu, s: Int64, base: number, res: Int64) {
        const text = dec.decode(kstr(P, s)).replace(/\n$/, '');
        if (!/^[+-]?(0x[0-9a-f]+|[0-9]+)$/i.test(text)) return -E.INVAL;
        P.mem.w64(num(res), parseInt(text, base || undefined as unknown as number));
        return 0;
      },
    };
  }
}

function cmp(a: Uint8Array, b: Uint8Array, n: number): number {
  for (let i = 0; i < Math.min(n, Math.max(a.length, b.length) + 1); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x === 0) return 0;
  }
  return 0;
}

/** Converts a 64-bit register to the value a C parameter of type t holds. */
export function convertArg(t: string, v: Int64): Int64 {
  const type = t.replace(/\b(const|volatile|__user|restrict|signed)\b/g, '').trim();
  if (type.includes('*')) return v;
  const big = typeof v === 'bigint' ? v : BigInt(v);
  if (/^(unsigned )?char$/.test(type) || type === '_Bool' || type === 'bool') {
    return Number(type.startsWith('unsigned') || type === '_Bool' || type === 'bool' ? BigInt.asUintN(8, big) : BigInt.asIntN(8, big));
  }
  if (/short/.test(type)) return Number(type.startsWith('unsigned') ? BigInt.asUintN(16, big) : BigInt.asIntN(16, big));
  if (/long/.test(type) || /size_t|loff_t|off_t|u64|s64|uintptr_t|intptr_t/.test(type)) return v;
  if (/^unsigned( int)?$|^u32$|^uid_t$|^gid_t$|^umode_t$|^gfp_t$/.test(type)) return Number(BigInt.asUintN(32, big));
  return Number(BigInt.asIntN(32, big));
}
