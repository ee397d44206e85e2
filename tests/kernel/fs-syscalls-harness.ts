// A small machine for driving the VFS and the file syscall handlers directly: a Vfs over a
// BufferConsole and an emulated clock, tasks with a mapped user range, a fake kernel that records
// I/O, namei and signals, and helpers to put strings and buffers in user memory.
import { BufferConsole } from '../../src/kernel/console.js';
import type { SyscallContext } from '../../src/kernel/context.js';
import { Errno } from '../../src/kernel/errno.js';
import type { Int64 } from '../../src/kernel/events.js';
import { fsHandlers } from '../../src/kernel/syscalls/fs.js';
import { pollHandlers } from '../../src/kernel/syscalls/poll.js';
import { Task } from '../../src/kernel/task.js';
import { TASK_SIZE_64 } from '../../src/kernel/uaccess.js';
import { Vfs, type VfsMount } from '../../src/kernel/vfs/vfs.js';
import { BLOCK, type WaitQueue } from '../../src/kernel/wait.js';
import type { HostFileSystem } from '../../src/host/host.js';
import { AddressSpace, PROT_READ, PROT_WRITE } from '../../src/runtime/memory.js';

export const USER_BASE = 0x10000;
export const USER_SIZE = 0x100000;
/** A kernel address: always EFAULT. */
export const KERNEL_PTR = -0x777800000000;
/** Mapped read-only. */
export const RO_BASE = 0x200000;
/** Never mapped. */
export const UNMAPPED = 0x300000;

export interface MachineOptions {
  hostFs?: HostFileSystem;
  mounts?: VfsMount[];
  consoleInput?: string;
  terminal?: boolean;
}

export class TestMachine {
  nowNs = 0;
  readonly console: BufferConsole;
  readonly tasks: Task[] = [];
  readonly namei: string[] = [];
  readonly io: { pid: number; fd: number; write: boolean; text: string }[] = [];
  readonly signals: { pid: number; signo: number }[] = [];
  readonly vfs: Vfs;
  readonly kernel: object;
  tainted = 0;

  constructor(opts: MachineOptions = {}) {
    this.console = new BufferConsole(opts.consoleInput ?? '', opts.terminal ?? false);
    this.vfs = new Vfs({
      host: opts.hostFs ? { fs: opts.hostFs } : undefined,
      console: this.console,
      clock: { nowNs: () => this.nowNs, wallBaseMs: 1_700_000_000_000 },
      mounts: opts.mounts,
      tasks: () => this.tasks,
      tainted: () => this.tainted,
      release: '6.8.0-ksim',
      randomSeed: 7,
      onNamei: (_t, p) => this.namei.push(p),
    });
    this.kernel = {
      vfs: this.vfs,
      emitIo: (t: Task, fd: number, write: boolean, data: Uint8Array) =>
        this.io.push({ pid: t.pid, fd, write, text: new TextDecoder().decode(data) }),
      sendSignal: (t: Task, signo: number) => this.signals.push({ pid: t.pid, signo }),
    };
  }

  task(pid = 100, uid = 0, cwd = '/'): TestTask {
    const t = new Task(pid, 1, () => {});
    const mm = new AddressSpace();
    mm.map(USER_BASE, USER_SIZE, PROT_READ | PROT_WRITE);
    mm.map(RO_BASE, 0x1000, PROT_READ);
    t.setMemory(mm, TASK_SIZE_64);
    t.uid = t.euid = t.suid = uid;
    t.gid = t.egid = t.sgid = uid;
    t.cwd = cwd;
    t.comm = 'test';
    t.argv = ['test', 'arg1'];
    this.tasks.push(t);
    return new TestTask(this, t);
  }
}

export class TestTask {
  private brk = USER_BASE;

  constructor(readonly m: TestMachine, readonly t: Task) {}

  ctx(): SyscallContext {
    const t = this.t;
    const m = this.m;
    return {
      kernel: m.kernel as SyscallContext['kernel'],
      task: t,
      user: t.user,
      nr: 0,
      row: undefined,
      sleepOn(q: WaitQueue, wmesg: string) {
        t.state = 'sleeping';
        t.waitingOn = q;
        t.wmesg = wmesg;
        q.add(t);
        return BLOCK;
      },
      sleepUntil(deadlineNs: number, q: WaitQueue | undefined, wmesg: string) {
        t.state = 'sleeping';
        t.sleepDeadline = deadlineNs;
        t.waitingOn = q;
        t.wmesg = wmesg;
        q?.add(t);
        return BLOCK;
      },
      now: () => m.nowNs,
      printk() {},
    };
  }

  /** Runs a handler: its result, -errno for a thrown Errno, or 'BLOCK'. */
  call(name: string, ...args: Int64[]): number | 'BLOCK' {
    const h = fsHandlers[name] ?? pollHandlers[name];
    if (!h) throw new Error(`no handler ${name}`);
    while (args.length < 6) args.push(0);
    try {
      const r = h(this.ctx(), args);
      if (r === BLOCK) return 'BLOCK';
      return Number(r);
    } catch (e) {
      if (e instanceof Errno) return -e.errno;
      throw e;
    }
  }

  /** Allocates len zeroed bytes of user memory. */
  alloc(len: number): number {
    const a = this.brk;
    this.brk += Math.ceil(Math.max(len, 1) / 16) * 16;
    if (this.brk > USER_BASE + USER_SIZE) throw new Error('test user memory exhausted');
    return a;
  }

  /** A NUL-terminated string in user memory. */
  str(s: string): number {
    const b = new TextEncoder().encode(s);
    const a = this.alloc(b.length + 1);
    this.t.mm.write(a, b);
    this.t.mm.w8(a + b.length, 0);
    return a;
  }

  bytes(data: Uint8Array | string): number {
    const b = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const a = this.alloc(b.length);
    this.t.mm.write(a, b);
    return a;
  }

  read(addr: number, len: number): Uint8Array {
    return this.t.mm.read(addr, len);
  }

  text(addr: number, len: number): string {
    return new TextDecoder().decode(this.read(addr, len));
  }

  i32(addr: number): number {
    return this.t.mm.i32(addr);
  }

  // Convenience wrappers returning results directly.
  open(path: string, flags: number, mode = 0o644): number {
    return this.call('open', this.str(path), flags, mode) as number;
  }

  writeStr(fd: number, s: string): number | 'BLOCK' {
    const b = new TextEncoder().encode(s);
    return this.call('write', fd, this.bytes(b), b.length);
  }

  readStr(fd: number, len: number): string | number | 'BLOCK' {
    const buf = this.alloc(len);
    const n = this.call('read', fd, buf, len);
    if (n === 'BLOCK' || n < 0) return n;
    return this.text(buf, n);
  }

  /** stat(2) as a decoded record (or -errno). */
  stat(path: string, name: 'stat' | 'lstat' = 'stat'): { mode: number; size: number; ino: number; nlink: number; uid: number; dev: number; rdev: number } | number {
    const buf = this.alloc(144);
    const r = this.call(name, this.str(path), buf);
    if (r !== 0) return r as number;
    const v = new DataView(this.read(buf, 144).buffer);
    return {
      dev: Number(v.getBigUint64(0, true)), ino: Number(v.getBigUint64(8, true)), nlink: Number(v.getBigUint64(16, true)),
      mode: v.getUint32(24, true), uid: v.getUint32(28, true), rdev: Number(v.getBigUint64(40, true)),
      size: Number(v.getBigUint64(48, true)),
    };
  }
}
