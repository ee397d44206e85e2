// Pipes: a 65536-byte buffer between a read end and a write end. A read of an empty pipe sleeps
// until data arrives or the last writer goes (then it returns EOF); a write to a full pipe sleeps
// until there is room (a write larger than PIPE_BUF may complete partly: it returns the count);
// writing with no reader left raises SIGPIPE and fails with EPIPE; O_NONBLOCK turns sleeps into
// EAGAIN. Sleeping is the kernel's restart model: the handler returns BLOCK and runs again when woken.
import type { SyscallContext } from './context.js';
import { E, Errno } from './errno.js';
import type { Int64 } from './events.js';
import type { FileOps, KStat, OpenFile } from './file.js';
import type { Task } from './task.js';
import { WaitQueue } from './wait.js';

export const PIPE_BUF = 4096;
export const PIPE_CAPACITY = 65536;
export const SIGPIPE = 13;
const O_RDONLY = 0;
const O_WRONLY = 1;
const O_NONBLOCK = 0o4000;
const O_LARGEFILE = 0o100000;
const FIONREAD = 0x541b;
const S_IFIFO = 0o010000;
const SI_USER = 0;

/** What a pipe needs from the kernel: raising SIGPIPE on the writer. */
export interface SignalSender {
  sendSignal(t: Task, signo: number, info?: { code: number; pid?: number; uid?: number }): void;
}

/** The device number and inode numbers pipes report (pipefs is an anonymous file system). */
const PIPEFS_DEV = 0x0c;
let nextPipeIno = 1_000_000;

export class Pipe {
  private chunks: Uint8Array[] = [];
  private head = 0; // bytes already consumed of chunks[0]
  length = 0;
  readers = 0;
  writers = 0;
  readonly readWait = new WaitQueue('pipe_read');
  readonly writeWait = new WaitQueue('pipe_write');
  readonly ino = nextPipeIno++;
  readonly createdNs: number;

  constructor(nowNs: number) {
    this.createdNs = nowNs;
  }

  get space(): number {
    return PIPE_CAPACITY - this.length;
  }

  take(max: number): Uint8Array {
    const n = Math.min(max, this.length);
    const out = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const c = this.chunks[0];
      const k = Math.min(n - done, c.length - this.head);
      out.set(c.subarray(this.head, this.head + k), done);
      done += k;
      this.head += k;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.length -= n;
    return out;
  }

  put(data: Uint8Array): void {
    if (data.length === 0) return;
    this.chunks.push(data.slice());
    this.length += data.length;
  }

  /** Wakes everyone waiting on either end (state changed: data, room, or an end closed). */
  wakeAll(): void {
    this.readWait.wakeAll();
    this.writeWait.wakeAll();
  }
}

interface PipeEnd {
  pipe: Pipe;
  write: boolean;
}

function endOf(file: OpenFile): PipeEnd {
  return file.priv as PipeEnd;
}

function pipeStat(file: OpenFile): KStat {
  const { pipe } = endOf(file);
  return {
    dev: PIPEFS_DEV, ino: pipe.ino, mode: S_IFIFO | 0o600, nlink: 1, uid: 0, gid: 0, rdev: 0,
    size: 0, blksize: 4096, blocks: 0, atimeNs: pipe.createdNs, mtimeNs: pipe.createdNs, ctimeNs: pipe.createdNs,
  };
}

function pipeIoctl(ctx: SyscallContext, file: OpenFile, request: number, arg: Int64): Int64 {
  if (request === FIONREAD) {
    ctx.user.writeI32(arg, endOf(file).pipe.length);
    return 0;
  }
  throw new Errno(E.NOTTY);
}

export const pipeReadOps: FileOps = {
  read(ctx, file, len) {
    const { pipe } = endOf(file);
    if (len === 0) return new Uint8Array(0);
    if (pipe.length === 0) {
      if (pipe.writers === 0) return new Uint8Array(0);
      if (file.flags & O_NONBLOCK) throw new Errno(E.AGAIN);
      return ctx.sleepOn(pipe.readWait, 'pipe_read');
    }
    const data = pipe.take(len);
    pipe.writeWait.wakeAll();
    return data;
  },
  write() {
    throw new Errno(E.BADF);
  },
  ioctl: pipeIoctl,
  stat: pipeStat,
  release(file) {
    const { pipe } = endOf(file);
    pipe.readers--;
    pipe.wakeAll();
  },
  poll(file) {
    const { pipe } = endOf(file);
    return { readable: pipe.length > 0, writable: false, hangup: pipe.writers === 0 };
  },
  pollWait(file) {
    return [endOf(file).pipe.readWait];
  },
};

export const pipeWriteOps: FileOps = {
  read() {
    throw new Errno(E.BADF);
  },
  write(ctx, file, data) {
    const { pipe } = endOf(file);
    if (pipe.readers === 0) {
      (ctx.kernel as unknown as Partial<SignalSender>).sendSignal?.(ctx.task, SIGPIPE, { code: SI_USER, pid: ctx.task.pid, uid: ctx.task.uid });
      throw new Errno(E.PIPE);
    }
    if (data.length === 0) return 0;
    const space = pipe.space;
    // Writes of at most PIPE_BUF bytes are atomic: all of it or wait.
    const mustWait = space === 0 || (data.length <= PIPE_BUF && space < data.length);
    if (mustWait) {
      if (file.flags & O_NONBLOCK) throw new Errno(E.AGAIN);
      return ctx.sleepOn(pipe.writeWait, 'pipe_write');
    }
    const n = Math.min(space, data.length);
    pipe.put(data.subarray(0, n));
    pipe.readWait.wakeAll();
    return n;
  },
  ioctl: pipeIoctl,
  stat: pipeStat,
  release(file) {
    const { pipe } = endOf(file);
    pipe.writers--;
    pipe.wakeAll();
  },
  poll(file) {
    const { pipe } = endOf(file);
    return { readable: false, writable: pipe.readers > 0 && pipe.space >= PIPE_BUF, hangup: false, error: pipe.readers === 0 };
  },
  pollWait(file) {
    return [endOf(file).pipe.writeWait];
  },
};

/** Creates a pipe: [read end, write end] file descriptions (refs 0: the caller installs them). */
export function createPipe(nowNs: number, flags = 0): [OpenFile, OpenFile] {
  const pipe = new Pipe(nowNs);
  pipe.readers = 1;
  pipe.writers = 1;
  const path = `pipe:[${pipe.ino}]`;
  const status = (flags & O_NONBLOCK) | O_LARGEFILE;
  const r: OpenFile = { ops: pipeReadOps, flags: O_RDONLY | status, pos: 0, refs: 0, path, priv: { pipe, write: false } satisfies PipeEnd };
  const w: OpenFile = { ops: pipeWriteOps, flags: O_WRONLY | status, pos: 0, refs: 0, path, priv: { pipe, write: true } satisfies PipeEnd };
  return [r, w];
}

/** The pipe behind an open file, if it is a pipe end. */
export function pipeOf(file: OpenFile): Pipe | undefined {
  return file.ops === pipeReadOps || file.ops === pipeWriteOps ? endOf(file).pipe : undefined;
}
