// Pipes: a 65536-byte buffer between a read end and a write end. A read of an empty pipe sleeps
// until data arrives or the last writer goes (then it returns EOF); a write to a full pipe sleeps
// until there is room (a write larger than PIPE_BUF may complete partly: it returns the count);
// writing with no reader left raises SIGPIPE and fails with EPIPE; O_NONBLOCK turns sleeps into
// EAGAIN. Sleeping is the kernel's restart model: the handler returns BLOCK and runs again when woken.
//
// FIFOs (named pipes, made by mknod/mkfifo) are the same pipe behind a file system node: the first
// open makes the pipe, and it goes (with any unread data) when the last end closes, as in Linux's
// fifo_open. Opening for reading sleeps until a writer opens and vice versa (O_NONBLOCK: a reader
// gets in at once, a writer with no reader fails with ENXIO); O_RDWR never waits. A sleeping opener
// already counts as a reader or writer, so its partner does not wait; a signal undoes that count.
import type { SyscallContext } from './context.js';
import { E, Errno } from './errno.js';
import type { Int64 } from './events.js';
import type { FileOps, KStat, OpenFile } from './file.js';
import type { Task } from './task.js';
import { VFile, type VNode } from './vfs/vnode.js';
import { WaitQueue, type Block } from './wait.js';

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
  /** FIFO openers waiting for a partner, and how many readers and writers ever opened. */
  readonly openWait = new WaitQueue('fifo_open');
  rCounter = 0;
  wCounter = 0;
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
  /** The writer count seen when a FIFO reader opened with no writer: no POLLHUP until one came. */
  wSeen?: number;
}

/** An open FIFO: a VFS file (fstat, /proc/PID/fd see its node) that is also a pipe end. */
export class FifoFile extends VFile implements PipeEnd {
  wSeen = -1;
  /** Counted in the pipe's readers/writers (release undoes only what open did). */
  counted = false;
  constructor(
    node: VNode,
    readonly pipe: Pipe,
    readonly read: boolean,
    readonly write: boolean,
  ) {
    super(node);
  }
}

function endOf(file: OpenFile): PipeEnd {
  return file.priv as PipeEnd;
}

function pipeStat(file: OpenFile): KStat {
  if (file.priv instanceof FifoFile) return file.priv.node.stat();
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
    if (!releaseCounted(file)) return;
    const { pipe } = endOf(file);
    pipe.readers--;
    pipe.wakeAll();
    dropFifo(file);
  },
  poll(file) {
    const end = endOf(file);
    const { pipe } = end;
    return { readable: pipe.length > 0, writable: false, hangup: pipe.writers === 0 && pipe.wCounter !== end.wSeen };
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
    if (!releaseCounted(file)) return;
    const { pipe } = endOf(file);
    pipe.writers--;
    pipe.wakeAll();
    dropFifo(file);
  },
  poll(file) {
    const { pipe } = endOf(file);
    // As pipe_poll: room means POLLOUT even with no reader left (that adds POLLERR).
    return { readable: false, writable: pipe.space >= PIPE_BUF, hangup: false, error: pipe.readers === 0 };
  },
  pollWait(file) {
    return [endOf(file).pipe.writeWait];
  },
};

/** A FIFO opened O_RDWR: both ends in one description (it never waits at open). */
export const pipeRdwrOps: FileOps = {
  read: pipeReadOps.read,
  write: pipeWriteOps.write,
  ioctl: pipeIoctl,
  stat: pipeStat,
  release(file) {
    if (!releaseCounted(file)) return;
    const { pipe } = endOf(file);
    pipe.readers--;
    pipe.writers--;
    pipe.wakeAll();
    dropFifo(file);
  },
  poll(file) {
    const r = pipeReadOps.poll!(file);
    const w = pipeWriteOps.poll!(file);
    return { readable: r.readable, writable: w.writable, hangup: r.hangup, error: w.error };
  },
  pollWait(file) {
    const { pipe } = endOf(file);
    return [pipe.readWait, pipe.writeWait];
  },
};

/** Whether the closing file was counted as a reader/writer (a FIFO whose open did not finish was not). */
function releaseCounted(file: OpenFile): boolean {
  return !(file.priv instanceof FifoFile) || file.priv.counted;
}

/** The pipe behind each FIFO node while someone has it open. */
const fifoPipes = new WeakMap<VNode, Pipe>();

/** The last end of a FIFO closed: its pipe (and unread data) goes; the next open makes a new one. */
function dropFifo(file: OpenFile): void {
  if (!(file.priv instanceof FifoFile)) return;
  const { pipe, node } = file.priv;
  if (pipe.readers === 0 && pipe.writers === 0 && fifoPipes.get(node) === pipe) fifoPipes.delete(node);
}

/** A file description on FIFO node, not yet counted: fifoOpen does that (and may sleep). EINVAL for access mode 3. */
export function fifoFile(node: VNode, flags: number, path: string, nowNs: number): OpenFile {
  const acc = flags & 3;
  if (acc === 3) throw new Errno(E.INVAL);
  let pipe = fifoPipes.get(node);
  if (!pipe) {
    pipe = new Pipe(nowNs);
    fifoPipes.set(node, pipe);
  }
  const read = acc !== O_WRONLY;
  const write = acc !== O_RDONLY;
  const ops = read && write ? pipeRdwrOps : read ? pipeReadOps : pipeWriteOps;
  return { ops, flags, pos: 0, refs: 0, path, priv: new FifoFile(node, pipe, read, write) };
}

/** Whether an open file is a FIFO whose open must still go through fifoOpen. */
export function isFifoOpening(file: OpenFile): boolean {
  return file.priv instanceof FifoFile && !file.priv.counted;
}

/**
 * The FIFO part of open(2): counts the caller as a reader and/or writer and waits for the other
 * side (wait_for_partner) unless O_NONBLOCK or O_RDWR. Runs again from the top when woken, finding
 * its count already made in the task's scratch; a signal undoes it (ERESTARTSYS, as Linux).
 */
export function fifoOpen(ctx: SyscallContext, file: OpenFile): OpenFile | Block {
  const end = file.priv as FifoFile;
  const pipe = end.pipe;
  const t = ctx.task;
  const waiting = t.scratch.get('fifo-open') as { pipe: Pipe; counter: number } | undefined;
  const partnerCount = () => (end.read ? pipe.wCounter : pipe.rCounter);
  if (waiting && waiting.pipe === pipe) {
    if (partnerCount() === waiting.counter) return ctx.sleepOn(pipe.openWait, 'wait_for_partner');
    t.scratch.delete('fifo-open');
    t.scratch.delete('onInterrupt');
    end.counted = true;
    return file;
  }
  const nonblock = (file.flags & O_NONBLOCK) !== 0;
  if (end.read && end.write) {
    pipe.rCounter++;
    pipe.wCounter++;
    pipe.readers++;
    pipe.writers++;
    pipe.openWait.wakeAll();
    end.counted = true;
    return file;
  }
  if (end.write && nonblock && pipe.readers === 0) {
    if (pipe.writers === 0 && fifoPipes.get(end.node) === pipe) fifoPipes.delete(end.node);
    throw new Errno(E.NXIO);
  }
  if (end.read) {
    pipe.rCounter++;
    if (pipe.readers++ === 0) pipe.openWait.wakeAll();
  } else {
    pipe.wCounter++;
    if (pipe.writers++ === 0) pipe.openWait.wakeAll();
  }
  const partners = end.read ? pipe.writers : pipe.readers;
  if (partners > 0) {
    end.counted = true;
    return file;
  }
  if (end.read && nonblock) {
    end.wSeen = pipe.wCounter;
    end.counted = true;
    return file;
  }
  t.scratch.set('fifo-open', { pipe, counter: partnerCount() });
  t.scratch.set('onInterrupt', () => {
    if (end.read) pipe.readers--;
    else pipe.writers--;
    pipe.wakeAll();
    if (pipe.readers === 0 && pipe.writers === 0 && fifoPipes.get(end.node) === pipe) fifoPipes.delete(end.node);
  });
  return ctx.sleepOn(pipe.openWait, 'wait_for_partner');
}

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
  return file.ops === pipeReadOps || file.ops === pipeWriteOps || file.ops === pipeRdwrOps ? endOf(file).pipe : undefined;
}
