// Open files and descriptor tables. An OpenFile is what open() creates (a "file description":
// offset, flags, the object's operations); a FdTable maps descriptor numbers to open files and is
// copied by fork and shared by dup. The VFS (vfs.ts) and pipes (pipe.ts) provide FileOps.
import type { Int64 } from './events.js';
import type { SyscallContext } from './context.js';
import type { Block, WaitQueue } from './wait.js';

/** What stat(2) reports, independent of the struct layout of an ABI. */
export interface KStat {
  dev: number;
  ino: number;
  mode: number; // S_IFMT type bits | permission bits
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atimeNs: number;
  mtimeNs: number;
  ctimeNs: number;
}

/** Operations of an open object. Errors are thrown as Errno; BLOCK puts the caller to sleep. */
export interface FileOps {
  read?(ctx: SyscallContext, file: OpenFile, len: number): Uint8Array | Block;
  write?(ctx: SyscallContext, file: OpenFile, data: Uint8Array): number | Block;
  /** Positional I/O (pread/pwrite); absent on pipes and terminals (ESPIPE). */
  pread?(ctx: SyscallContext, file: OpenFile, len: number, pos: number): Uint8Array;
  pwrite?(ctx: SyscallContext, file: OpenFile, data: Uint8Array, pos: number): number;
  /** Returns the new offset; absent = ESPIPE. */
  lseek?(ctx: SyscallContext, file: OpenFile, offset: number, whence: number): number;
  ioctl?(ctx: SyscallContext, file: OpenFile, request: number, arg: Int64): Int64;
  stat(file: OpenFile): KStat;
  /** Directory entries for getdents64, from the current position. */
  readdir?(file: OpenFile): { name: string; ino: number; type: number }[];
  /** Called when the last descriptor referring to the file is closed. */
  release?(file: OpenFile): void;
  /** Readiness for poll/select (error: POLLERR, e.g. a pipe's write end with no reader). */
  poll?(file: OpenFile): { readable: boolean; writable: boolean; hangup: boolean; error?: boolean };
  /** The wait queues woken when the readiness may change (poll sleeps on them). */
  pollWait?(file: OpenFile): WaitQueue[];
  /** A terminal (isatty, TCGETS succeeds, stdio line-buffers). */
  readonly isTerminal?: boolean;
}

export interface OpenFile {
  ops: FileOps;
  /** O_ACCMODE | status flags (O_APPEND, O_NONBLOCK...) as given to open. */
  flags: number;
  pos: number;
  /** Descriptor slots (in all tables) that refer to this description. */
  refs: number;
  /** The path it was opened by, for strace -y and /proc/PID/fd. */
  path: string;
  /** Object-specific state (inode, pipe end...). */
  priv?: unknown;
}

export interface FdSlot {
  file: OpenFile;
  cloexec: boolean;
}

export const FD_LIMIT = 1024; // RLIMIT_NOFILE's usual soft limit

export class FdTable {
  slots = new Map<number, FdSlot>();

  get(fd: number): OpenFile | undefined {
    return this.slots.get(fd)?.file;
  }

  /** Installs file at the lowest free descriptor >= min; -1 when the table is full. */
  install(file: OpenFile, cloexec = false, min = 0): number {
    for (let fd = min; fd < FD_LIMIT; fd++) {
      if (!this.slots.has(fd)) {
        this.slots.set(fd, { file, cloexec });
        file.refs++;
        return fd;
      }
    }
    return -1;
  }

  /** Puts file at exactly fd (dup2), closing what was there. */
  installAt(fd: number, file: OpenFile, cloexec = false): void {
    if (this.slots.has(fd)) this.close(fd);
    this.slots.set(fd, { file, cloexec });
    file.refs++;
  }

  /** Closes fd; false when it was not open. */
  close(fd: number): boolean {
    const slot = this.slots.get(fd);
    if (!slot) return false;
    this.slots.delete(fd);
    releaseFile(slot.file);
    return true;
  }

  closeAll(): void {
    for (const fd of [...this.slots.keys()]) this.close(fd);
  }

  /** For execve: closes every close-on-exec descriptor. */
  closeOnExec(): void {
    for (const [fd, s] of [...this.slots]) if (s.cloexec) this.close(fd);
  }

  /** For fork: a new table sharing the same open files. */
  clone(): FdTable {
    const t = new FdTable();
    for (const [fd, s] of this.slots) {
      t.slots.set(fd, { file: s.file, cloexec: s.cloexec });
      s.file.refs++;
    }
    return t;
  }
}

export function releaseFile(file: OpenFile): void {
  file.refs--;
  if (file.refs === 0) file.ops.release?.(file);
}
