// The syscall fuzzer behind `ksim fuzz syscalls` (trinity/syzkaller-style, inside the emulated
// kernel). It drives a booted Machine's kernel at the syscall level: each fuzzed process is a real
// task that execve'd a tiny compiled program (so fork can clone its CPU and signals can push
// frames), but its CPU is never run: the fuzzer itself makes the syscalls, picking a random
// runnable task, a random number (table rows, custom rows, numbers past the table, negatives) and
// arguments biased toward interesting values (NULL, -1, huge lengths, kernel addresses, unmapped
// and read-only pages, valid fds and paths). Forked children join the pool; sleeping tasks are
// resumed when woken, like the scheduler does; signals are delivered on "return to user mode".
// After every call the kernel's state is checked (fd refcounts, process tree, zombies, memory
// maps). Everything follows from the seed; the machine is rebooted every epoch so a finding can be
// replayed from a short log, minimized, and printed as a C reproducer. Core code: no Node imports.
import type { Machine } from '../machine/boot.js';
import { NORETURN } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { Int64 } from '../kernel/events.js';
import type { OpenFile } from '../kernel/file.js';
import { BLOCK } from '../kernel/wait.js';
import { AddressSpace, PROT_READ, PROT_WRITE, PAGE_SIZE } from '../runtime/memory.js';
import { E } from '../kernel/errno.js';

/** Where each fuzzed process keeps argument buffers: a read-write arena, then one read-only page. */
export const ARENA = 0x10000000;
export const ARENA_SIZE = 0x10000;
export const RO_PAGE = ARENA + ARENA_SIZE;
/** An address the fuzzer never maps (until the fuzzed calls map it themselves). */
export const HOLE = RO_PAGE + 0x100000;
/** The executable each fuzzed process runs (compiled into the machine by the caller). */
export const FUZZEE_PATH = '/bin/fuzzee';
export const FUZZEE_SOURCE = 'int main(void) { return 0; }\n';

/** One fuzzed syscall, with the bytes put in the caller's memory first: enough to replay it. */
export interface FuzzCall {
  /** The fuzzed process, by order of creation in the epoch (0 = the first). */
  task: number;
  nr: number;
  args: Int64[];
  writes: { addr: number; bytes: Uint8Array }[];
}

export interface Finding {
  kind: 'exception' | 'invariant' | 'bad-return' | 'hang';
  message: string;
  seed: number;
  epoch: number;
  /** The calls of the epoch up to the finding, minimized. */
  calls: FuzzCall[];
  reproducer: string;
}

export interface FuzzOptions {
  count: number;
  seed: number;
  /** Boots a fresh machine that has FUZZEE_PATH (called once per epoch and for each replay). */
  boot: () => Machine;
  /** Calls per epoch (one boot). */
  epoch?: number;
  /** Most processes alive at once. */
  maxTasks?: number;
  /** Host milliseconds (for the hang check); absent = no hang check. */
  nowMs?: () => number;
  /** A single call slower than this (host ms) is a hang finding. */
  hangMs?: number;
  /** Called before each call, with the caller's pid. */
  trace?: (c: FuzzCall, pid: number) => void;
  /** Stop after this many findings. */
  maxFindings?: number;
}

export interface FuzzReport {
  syscalls: number;
  seed: number;
  findings: Finding[];
  /** Calls by outcome, for the summary. */
  errors: number;
  successes: number;
  blocked: number;
  forks: number;
  deaths: number;
}

/** A small deterministic PRNG (mulberry32). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const enc = new TextEncoder();

const PATHS = [
  '/tmp/fuzz/file', '/tmp/fuzz/dir', '/tmp/fuzz/link', '/tmp/fuzz/dir/inner', '/tmp/fuzz/new', '/tmp/fuzz',
  '/tmp', '/', '.', '..', '', '/dev/null', '/dev/zero', '/dev/console', '/dev/urandom', '/proc/self/maps',
  '/proc/self/fd/0', '/proc/self/status', '/etc/passwd', '../../../../etc/passwd', '/bin/fuzzee', '/nonexistent',
  '/tmp/fuzz/file/notdir', 'x'.repeat(300), '/' + 'a/'.repeat(600), '/tmp/fuzz/loop',
];
const INTERESTING: Int64[] = [
  0, 1, 2, 3, -1, -2, 4095, 4096, 4097, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
  0x100000000, -0x80000000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0x7ffffffff000, 0x7fffffffffff,
  -0x80000000000, 0x8000000000000000n, 0xffffffffffffffffn, 0x7fffffffffffffffn, -9223372036854775808n,
];
const KERNEL_ADDRS: Int64[] = [-0x7f000000, -0x1000, -0x800000000000, 0xffff800000000000n, 0xffffffff81000000n];
const SIGNALS = [0, 1, 2, 9, 10, 11, 13, 15, 17, 18, 19, 20, 24, 31, 32, 34, 64, 65, -1];

interface TaskSlot {
  index: number;
  task: Task;
}

/** One epoch's run: a machine, its fuzzed tasks, and the log of calls made. */
class Epoch {
  readonly m: Machine;
  readonly slots: TaskSlot[] = [];
  readonly log: FuzzCall[] = [];
  nrs: number[];
  maxNr: number;
  finding: { kind: Finding['kind']; message: string } | undefined;
  private readonly image: Uint8Array;
  /** Called before each call (debugging a hang: the last call printed is the one that hangs). */
  trace: ((c: FuzzCall, pid: number) => void) | undefined;
  /** No new first process can start any more. */
  exhausted = false;
  stats = { errors: 0, successes: 0, blocked: 0, forks: 0, deaths: 0 };

  constructor(
    boot: () => Machine,
    private readonly maxTasks: number,
    private readonly nowMs?: () => number,
    private readonly hangMs = 5000,
  ) {
    this.m = boot();
    this.m.kernel.limits.nproc = Math.min(this.m.kernel.limits.nproc, maxTasks);
    // The fuzzer must see everything go wrong: nothing prints the limit notices, so keep them short.
    this.nrs = [];
    for (let nr = 0; nr < this.m.kernel.table.length; nr++) if (this.m.kernel.table[nr]?.handler) this.nrs.push(nr);
    this.maxNr = this.m.kernel.table.length;
    const vfs = this.m.vfs;
    const exe = vfs.open(undefined, FUZZEE_PATH, 0, 0);
    const size = exe.ops.stat(exe).size;
    this.image = exe.ops.pread!(undefined as never, exe, size, 0);
    exe.ops.release?.(exe);
    vfs.mkdirs('/tmp/fuzz/dir', 0o777);
    vfs.writeFile('/tmp/fuzz/file', 'fuzz data\n', 0o666);
    vfs.writeFile('/tmp/fuzz/ro', 'read only\n', 0o444);
    vfs.symlink(undefined, '/tmp/fuzz/file', '/tmp/fuzz/link');
    vfs.symlink(undefined, '/tmp/fuzz/loop', '/tmp/fuzz/loop');
    vfs.symlink(undefined, '../../../../etc/passwd', '/tmp/fuzz/escape');
  }

  /** Starts a new first process (bootstrap memory, console fds, execve of the fuzzee). */
  spawnRoot(): Task | undefined {
    const k = this.m.kernel;
    const t = k.newTask(undefined);
    t.comm = 'fuzz';
    t.cwd = '/tmp/fuzz';
    const mm = new AddressSpace();
    const base = 0x7ffc00000000;
    mm.map(base, 0x10000, PROT_READ | PROT_WRITE, '[bootstrap]');
    // The fuzzed processes are root and may have removed, replaced or chmod'ed the program: each
    // first process runs a fresh copy.
    const exe = `/tmp/.fuzzee.${this.slots.length}`;
    try {
      this.m.vfs.writeFile(exe, this.image, 0o755);
    } catch {
      /* execve below fails: the epoch ends */
    }
    const path = enc.encode(exe);
    mm.write(base, path);
    mm.w8(base + path.length, 0);
    mm.w64(base + 0x100, base);
    mm.w64(base + 0x108, 0);
    t.setMemory(mm, 0x7ffffffff000);
    const vfs = this.m.vfs;
    t.fds.installAt(0, vfs.openConsole(0, 1));
    t.fds.installAt(1, vfs.openConsole(1, 1));
    t.fds.installAt(2, vfs.openConsole(1, 2));
    const execve = k.rowsByName.get('execve')?.nr ?? 59;
    const r = k.syscall(t, execve, [base, base + 0x100, base + 0x108, 0, 0, 0]);
    if (r !== 0) {
      // The fuzzed calls made the machine unable to start a process (e.g. chmod 0 /tmp): a new epoch.
      k.exitTask(t, 127);
      this.exhausted = true;
      return undefined;
    }
    this.adopt(t);
    return t;
  }

  private adopt(t: Task): void {
    this.slots.push({ index: this.slots.length, task: t });
  }

  private slotOf(t: Task): TaskSlot | undefined {
    return this.slots.find((s) => s.task === t);
  }

  /** Adopts tasks the kernel created (fork) since the last call. */
  private adoptNew(): number {
    let n = 0;
    for (const t of this.m.kernel.tasks.values()) {
      if (!this.slotOf(t)) {
        this.adopt(t);
        n++;
      }
    }
    return n;
  }

  live(): TaskSlot[] {
    return this.slots.filter((s) => s.task.state !== 'zombie' && this.m.kernel.tasks.get(s.task.pid) === s.task);
  }

  /** Makes sure the task's arena is mapped (an execve or munmap may have removed it). */
  ensureArena(t: Task): void {
    const mm = t.mm;
    if (!mm) return;
    if (!mm.vmaAt(ARENA) && !mm.vmaAt(ARENA + ARENA_SIZE - 1)) mm.map(ARENA, ARENA_SIZE, PROT_READ | PROT_WRITE, '[fuzz]');
    if (!mm.vmaAt(RO_PAGE)) {
      mm.map(RO_PAGE, PAGE_SIZE, PROT_READ | PROT_WRITE, '[fuzz-ro]');
      if (mm.accessible(RO_PAGE, 8, true)) mm.write(RO_PAGE, enc.encode('/tmp/fuzz/file\0'));
      mm.protect(RO_PAGE, PAGE_SIZE, PROT_READ);
    }
  }

  /** Resumes a woken task's pending syscall (or ends it with EINTR), as the scheduler would. */
  private resume(t: Task): void {
    const k = this.m.kernel;
    const p = t.pendingSyscall!;
    if (t.interrupted && t.pending.some((s) => s.signo === 9 || !(t.blocked & (1n << BigInt(s.signo - 1))))) {
      t.interrupted = false;
      t.pendingSyscall = undefined;
      t.scratch.clear();
    } else {
      t.interrupted = false;
      const r = this.guard(() => k.syscall(t, p.nr, p.args, true), p.nr, t);
      if (r === BLOCK || r === NORETURN) return;
    }
    if (t.state === 'runnable') this.guard(() => k.deliverSignals(t), -1, t);
  }

  /** Runs fn, turning an escaping exception into a finding. */
  private guard<T>(fn: () => T, nr: number, t: Task): T | typeof NORETURN {
    const start = this.nowMs?.();
    try {
      return fn();
    } catch (e) {
      const name = nr >= 0 ? (this.m.kernel.table[nr]?.row.name ?? `syscall ${nr}`) : 'signal delivery';
      this.finding ??= { kind: 'exception', message: `${name} (pid ${t.pid}) threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` };
      return NORETURN;
    } finally {
      if (start !== undefined) {
        const took = this.nowMs!() - start;
        if (took > this.hangMs) this.finding ??= { kind: 'hang', message: `syscall ${nr} took ${Math.round(took)} ms of host time` };
      }
    }
  }

  /** Picks a task able to make a syscall, waking sleepers and ending deadlocks as needed. */
  runnable(rng: { int(n: number): number }): Task | undefined {
    const k = this.m.kernel;
    for (let tries = 0; tries < 4; tries++) {
      let live = this.live();
      if (live.length === 0) return this.spawnRoot();
      for (const s of live) if (s.task.state === 'runnable' && s.task.pendingSyscall) this.resume(s.task);
      live = this.live();
      if (live.length === 0) return this.spawnRoot();
      const ready = live.filter((s) => s.task.state === 'runnable' && !s.task.pendingSyscall);
      if (ready.length) return ready[rng.int(ready.length)]!.task;
      // Nothing runnable: wake the earliest timer, else SIGKILL the oldest stuck task (a watchdog).
      const sleepers = live.filter((s) => s.task.state === 'sleeping' && s.task.sleepDeadline !== Infinity);
      if (sleepers.length) {
        const next = sleepers.reduce((a, b) => (b.task.sleepDeadline < a.task.sleepDeadline ? b : a));
        k.clock.waitUntil(next.task.sleepDeadline);
        for (const s of sleepers) if (s.task.sleepDeadline <= k.clock.uptimeNs()) s.task.wake();
        continue;
      }
      const stuck = live[0]!.task;
      k.sendSignal(stuck, 9);
      if (stuck.state === 'stopped') this.guard(() => k.deliverSignals(stuck), -1, stuck);
    }
    const ready = this.live().filter((s) => s.task.state === 'runnable' && !s.task.pendingSyscall);
    return ready.length ? ready[0]!.task : undefined;
  }

  /** Makes one call (fuzzed or replayed) and checks the kernel afterwards. */
  call(c: FuzzCall, anyTask = false): void {
    const k = this.m.kernel;
    const able = (x: Task | undefined): x is Task => !!x && x.state === 'runnable' && !x.pendingSyscall && k.tasks.get(x.pid) === x;
    let maker: Task | undefined = this.slots[c.task]?.task;
    // A replay of a shortened log may lack the process that made the call: the first able one makes it.
    if (!able(maker) && anyTask) maker = this.runnable({ int: () => 0 });
    if (!maker || !able(maker)) return;
    const t: Task = maker;
    this.ensureArena(t);
    for (const w of c.writes) if (t.mm.accessible(w.addr, w.bytes.length, true)) t.mm.write(w.addr, w.bytes);
    this.log.push(c);
    if (this.trace) this.trace(c, t.pid);
    const res = this.guard(() => k.syscall(t, c.nr, [...c.args]), c.nr, t);
    if (res === BLOCK) this.stats.blocked++;
    else if (res === NORETURN) this.stats.deaths++;
    else if (typeof res === 'bigint' || (typeof res === 'number' && Number.isInteger(res))) {
      if (typeof res === 'number' && res < 0) this.stats.errors++;
      else this.stats.successes++;
    } else this.finding ??= { kind: 'bad-return', message: `syscall ${c.nr} returned ${String(res)}` };
    if (res !== BLOCK && res !== NORETURN && t.state === 'runnable') this.guard(() => k.deliverSignals(t), -1, t);
    this.stats.forks += this.adoptNew();
    if (!this.finding) {
      const broken = checkInvariants(this.m, c.nr);
      if (broken) this.finding = { kind: 'invariant', message: broken };
    }
  }

  /** Generates one random call for a runnable task. */
  fuzzOne(rng: Rng): FuzzCall | undefined {
    const t = this.runnable(rng);
    if (!t) return undefined;
    const slot = this.slotOf(t)!;
    const k = this.m.kernel;
    let nr: number;
    const roll = rng.next();
    if (roll < 0.9 && this.nrs.length) nr = rng.pick(this.nrs);
    else if (roll < 0.96) nr = rng.int(this.maxNr + 64);
    else nr = rng.pick([-1, -2, 0x40000000, 0x7fffffff, this.maxNr, this.maxNr + 1, 1 << 20, 335, 511, 512, 547]);
    const row = nr >= 0 ? k.table[nr]?.row : undefined;
    const writes: FuzzCall['writes'] = [];
    let cursor = ARENA + rng.int(64) * 16;
    const place = (bytes: Uint8Array): number => {
      if (cursor + bytes.length > ARENA + ARENA_SIZE) cursor = ARENA;
      const a = cursor;
      writes.push({ addr: a, bytes });
      cursor += Math.ceil((bytes.length + 1) / 16) * 16;
      return a;
    };
    const args: Int64[] = [];
    for (let i = 0; i < 6; i++) {
      const spec = row?.args[i];
      args.push(this.arg(rng, spec?.fmt ?? '', spec?.name ?? '', place, t));
    }
    return { task: slot.index, nr, args, writes };
  }

  private arg(rng: Rng, fmt: string, name: string, place: (b: Uint8Array) => number, t: Task): Int64 {
    // A third of the time, whatever the argument means: anything interesting at all.
    if (rng.chance(0.2)) return this.anyValue(rng, place);
    if (fmt === 'path' || fmt === 'str' || /path|name/.test(name)) {
      if (rng.chance(0.15)) return this.pointer(rng);
      return place(enc.encode(rng.pick(PATHS) + '\0'));
    }
    if (fmt === 'fd' || fmt === 'dirfd' || /fd$/.test(name)) {
      const fds = [...t.fds.slots.keys()];
      if (fds.length && rng.chance(0.7)) return rng.pick(fds);
      return rng.pick([-1, -100 /* AT_FDCWD */, 0, 1, 2, 3, 255, 1023, 1024, 65536, 0x7fffffff]);
    }
    if (fmt === 'pid' || name === 'pid') {
      const live = this.live();
      if (live.length && rng.chance(0.6)) return rng.pick(live).task.pid * (rng.chance(0.1) ? -1 : 1);
      return rng.pick([0, -1, 1, 99999, 0x7fffffff, -0x80000000]);
    }
    if (fmt === 'signo' || /sig$/.test(name)) return rng.pick(SIGNALS);
    if (fmt.startsWith('buf') || fmt.startsWith('obuf') || fmt.startsWith('struct') || fmt.startsWith('iovec') || fmt === 'ptr' || fmt.includes('ptr') || fmt === 'argv' || fmt === 'envp' || fmt === 'fds2' || fmt === 'wstatus' || fmt.startsWith('sigset') || fmt.startsWith('pollfd') || fmt.startsWith('fdset') || fmt.startsWith('sockaddr')) {
      if (rng.chance(0.6)) return this.arenaPointer(rng, place);
      return this.pointer(rng);
    }
    if (/len|count|size|nbytes|n$/.test(name) || fmt === 'ulong') {
      return rng.pick([0, 1, 8, 16, 64, 100, 4096, 8192, ARENA_SIZE, ARENA_SIZE + 1, 1 << 20, 0x7ffff000, -1, 0xffffffff, 0xffffffffffffffffn, Number.MAX_SAFE_INTEGER]);
    }
    return this.anyValue(rng, place);
  }

  private arenaPointer(rng: Rng, place: (b: Uint8Array) => number): number {
    if (rng.chance(0.5)) {
      // A buffer with content: a valid iovec, an argv, or random bytes.
      const kind = rng.int(3);
      if (kind === 0) {
        const bytes = new Uint8Array(16);
        const dv = new DataView(bytes.buffer);
        dv.setBigUint64(0, BigInt(ARENA + 0x8000), true);
        dv.setBigUint64(8, BigInt(rng.pick([0, 16, 4096, 0x8000, 0x10000])), true);
        return place(bytes);
      }
      if (kind === 1) {
        const bytes = new Uint8Array(24);
        new DataView(bytes.buffer).setBigUint64(0, BigInt(ARENA + 0xf000), true);
        return place(bytes);
      }
      const bytes = new Uint8Array(rng.int(64) + 1);
      for (let i = 0; i < bytes.length; i++) bytes[i] = rng.chance(0.5) ? 0 : rng.int(256);
      return place(bytes);
    }
    return ARENA + rng.int(ARENA_SIZE / 8) * 8;
  }

  private pointer(rng: Rng): Int64 {
    return rng.pick<Int64>([
      0, 1, -1, ARENA, ARENA + ARENA_SIZE - 1, ARENA + ARENA_SIZE - 8, RO_PAGE, RO_PAGE + 4095, HOLE, HOLE + 123,
      0x7ffffffff000 - 1, 0x7ffffffff000, 0x800000000000, ...KERNEL_ADDRS, 0x400000, 0x1000,
    ]);
  }

  private anyValue(rng: Rng, place: (b: Uint8Array) => number): Int64 {
    const r = rng.int(10);
    if (r < 4) return rng.pick(INTERESTING);
    if (r < 6) return this.pointer(rng);
    if (r < 7) return this.arenaPointer(rng, place);
    if (r < 8) return rng.int(1 << 16);
    if (r < 9) return rng.int(0x7fffffff) * (rng.chance(0.5) ? 1 : -1);
    return rng.int(64);
  }
}

/** Checks the kernel's state; returns what is broken, or undefined. */
export function checkInvariants(m: Machine, nr: number): string | undefined {
  const k = m.kernel;
  const name = k.table[nr]?.row.name ?? `syscall ${nr}`;
  const refs = new Map<OpenFile, number>();
  let live = 0;
  for (const [pid, t] of k.tasks) {
    if (t.pid !== pid) return `after ${name}: task table maps pid ${pid} to pid ${t.pid}`;
    if (t.parent) {
      if (!t.parent.children.has(t)) return `after ${name}: pid ${pid}'s parent ${t.parent.pid} does not list it as a child`;
      if (k.tasks.get(t.parent.pid) !== t.parent) return `after ${name}: pid ${pid}'s parent ${t.parent.pid} is gone from the task table`;
      if (t.ppid !== t.parent.pid) return `after ${name}: pid ${pid} has ppid ${t.ppid} but parent ${t.parent.pid}`;
      if (t.parent.state === 'zombie') return `after ${name}: pid ${pid}'s parent ${t.parent.pid} is a zombie`;
    }
    for (const c of t.children) {
      if (c.parent !== t) return `after ${name}: pid ${pid} lists child ${c.pid} whose parent is ${c.parent?.pid}`;
      if (k.tasks.get(c.pid) !== c) return `after ${name}: pid ${pid}'s child ${c.pid} is gone from the task table (not reaped properly)`;
    }
    if (t.state === 'zombie') {
      if (t.fds.slots.size) return `after ${name}: zombie pid ${pid} still has ${t.fds.slots.size} open descriptors`;
      if (!t.parent) return `after ${name}: zombie pid ${pid} has no parent to reap it and was not released`;
      continue;
    }
    live++;
    for (const [fd, slot] of t.fds.slots) {
      if (!Number.isInteger(fd) || fd < 0 || fd >= 1024) return `after ${name}: pid ${pid} has descriptor ${fd}`;
      refs.set(slot.file, (refs.get(slot.file) ?? 0) + 1);
    }
    if (t.state === 'sleeping' && !t.pendingSyscall) return `after ${name}: pid ${pid} sleeps with no pending syscall`;
    if (t.mm) {
      const broken = checkMaps(t.mm);
      if (broken) return `after ${name}: pid ${pid}: ${broken}`;
      if (t.brk < t.brkStart) return `after ${name}: pid ${pid}: brk 0x${t.brk.toString(16)} below its start 0x${t.brkStart.toString(16)}`;
    }
  }
  if (live > k.limits.nproc) return `after ${name}: ${live} live processes, over the limit of ${k.limits.nproc}`;
  for (const [file, n] of refs) {
    if (file.refs !== n) return `after ${name}: open file ${file.path || '(anonymous)'} has refs=${file.refs} but ${n} descriptor slots refer to it`;
  }
  return undefined;
}

function checkMaps(mm: AddressSpace): string | undefined {
  const vmas = mm.vmas;
  let prevEnd = -Infinity;
  const sorted = [...vmas].sort((a, b) => a.start - b.start);
  for (const v of sorted) {
    if (!(v.start < v.end)) return `empty or inverted mapping 0x${v.start.toString(16)}-0x${v.end.toString(16)}`;
    if (v.start % PAGE_SIZE || v.end % PAGE_SIZE) return `unaligned mapping 0x${v.start.toString(16)}-0x${v.end.toString(16)}`;
    if (v.start < prevEnd) return `overlapping mappings at 0x${v.start.toString(16)}`;
    prevEnd = v.end;
  }
  return undefined;
}

/** Replays calls on a fresh machine; returns the finding they produce, if any. */
export function replay(boot: () => Machine, calls: FuzzCall[], maxTasks = 16): { kind: Finding['kind']; message: string } | undefined {
  const e = new Epoch(boot, maxTasks);
  e.spawnRoot();
  for (const c of calls) {
    // Tasks are numbered by creation: the replay's forks must create them, or the call is skipped.
    if (e.live().length === 0) e.spawnRoot();
    e.call(c, true);
    if (e.finding) return e.finding;
  }
  return undefined;
}

/** Shrinks a failing call list (delta debugging over chunks, then single calls), bounded in replays. */
export function minimize(boot: () => Machine, calls: FuzzCall[], kind: Finding['kind'], maxReplays = 300): FuzzCall[] {
  let cur = calls;
  let replays = 0;
  const fails = (cs: FuzzCall[]) => {
    replays++;
    return replay(boot, cs)?.kind === kind;
  };
  let chunk = Math.max(1, Math.floor(cur.length / 2));
  while (chunk >= 1 && replays < maxReplays) {
    let changed = false;
    for (let i = 0; i < cur.length && replays < maxReplays; ) {
      const cand = [...cur.slice(0, i), ...cur.slice(i + chunk)];
      if (cand.length && fails(cand)) {
        cur = cand;
        changed = true;
      } else i += chunk;
    }
    if (!changed) chunk = Math.floor(chunk / 2);
  }
  return cur;
}

function cValue(v: Int64): string {
  if (typeof v === 'bigint') return `(long)0x${BigInt.asUintN(64, v).toString(16)}UL`;
  if (v < 0) return `(long)${v}L`;
  return v > 9 ? `0x${v.toString(16)}L` : `${v}L`;
}

function cBytes(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += `\\x${x.toString(16).padStart(2, '0')}`;
  return `"${s}"`;
}

/** A C program making the calls in order (in one process; the task each came from is noted). */
export function reproducerC(calls: FuzzCall[], names: (nr: number) => string | undefined, header: string): string {
  const lines = [
    `/* ksim fuzz reproducer: ${header.replace(/\*\//g, '* /')} */`,
    `/* Run with: ksim run repro.c. The fuzzer's argument arena is mapped at the same address. */`,
    '#include <sys/mman.h>',
    '#include <string.h>',
    '#include <unistd.h>',
    '',
    'int main(void) {',
    `  mmap((void *)0x${ARENA.toString(16)}L, 0x${ARENA_SIZE.toString(16)}, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);`,
    `  mmap((void *)0x${RO_PAGE.toString(16)}L, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);`,
    `  memcpy((void *)0x${RO_PAGE.toString(16)}L, "/tmp/fuzz/file", 15);`,
    `  mprotect((void *)0x${RO_PAGE.toString(16)}L, 0x1000, PROT_READ);`,
  ];
  for (const c of calls) {
    for (const w of c.writes) lines.push(`  memcpy((void *)0x${w.addr.toString(16)}L, ${cBytes(w.bytes)}, ${w.bytes.length});`);
    const name = names(c.nr);
    lines.push(`  syscall(${c.nr}, ${c.args.map(cValue).join(', ')}); /* ${name ?? 'no such syscall'}${c.task ? `, made by fuzzed process #${c.task}` : ''} */`);
  }
  lines.push('  return 0;', '}', '');
  return lines.join('\n');
}

/** Runs the fuzzer: count syscalls from the seed, epoch by epoch. */
export function fuzzSyscalls(o: FuzzOptions): FuzzReport {
  const epochSize = o.epoch ?? 2000;
  const maxTasks = o.maxTasks ?? 16;
  const report: FuzzReport = { syscalls: 0, seed: o.seed, findings: [], errors: 0, successes: 0, blocked: 0, forks: 0, deaths: 0 };
  for (let epoch = 0; report.syscalls < o.count; epoch++) {
    const rng = new Rng((o.seed * 0x9e3779b1 + epoch * 0x85ebca6b) >>> 0);
    const e = new Epoch(o.boot, maxTasks, o.nowMs, o.hangMs);
    e.trace = o.trace;
    e.spawnRoot();
    const n = Math.min(epochSize, o.count - report.syscalls);
    for (let i = 0; i < n; i++) {
      const c = e.fuzzOne(rng);
      if (!c) {
        if (e.exhausted) break;
        continue;
      }
      report.syscalls++;
      e.call(c);
      if (e.finding) break;
    }
    for (const key of ['errors', 'successes', 'blocked', 'forks', 'deaths'] as const) report[key] += e.stats[key];
    if (e.finding) {
      const calls = e.finding.kind === 'hang' ? e.log.slice(-1) : minimize(o.boot, e.log, e.finding.kind);
      const names = (nr: number) => e.m.kernel.table[nr]?.row.name;
      const header = `seed ${o.seed}, epoch ${epoch}: ${e.finding.kind}: ${e.finding.message}`;
      report.findings.push({ ...e.finding, seed: o.seed, epoch, calls, reproducer: reproducerC(calls, names, header) });
      if (report.findings.length >= (o.maxFindings ?? 5)) break;
    }
  }
  void E;
  return report;
}
