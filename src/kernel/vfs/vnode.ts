// The node every file system gives the VFS: one object per file, directory, symlink or device,
// with the directory, link and data operations a file system may support. The base class fails
// each operation the way Linux does for a node that lacks it (ENOTDIR, EISDIR, EINVAL, EPERM), so a
// file system overrides only what it has. Permission, read-only and cross-mount checks are the
// VFS's job (vfs.ts), not the nodes'.
import { E, Errno } from '../errno.js';
import type { KStat } from '../file.js';
import type { Task } from '../task.js';
import {
  DT_CHR, DT_DIR, DT_FIFO, DT_LNK, DT_REG, DT_UNKNOWN, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG,
} from './constants.js';

export type VType = 'reg' | 'dir' | 'lnk' | 'chr' | 'fifo' | 'other';

/** A mounted file system instance. */
export interface FsInstance {
  /** The file system's type name (tmpfs, hostfs, proc) for messages. */
  readonly type: string;
  /** The encoded dev_t its nodes report. */
  readonly dev: number;
  /** Writes, creations and removals fail with EROFS. */
  readonly readOnly: boolean;
  /** The file system's root node; set when it is built. */
  root: VNode;
  /** The directory it is mounted on (undefined for the namespace root). */
  mountpoint?: VNode;
}

export interface DirEntry {
  name: string;
  ino: number;
  /** DT_* */
  type: number;
}

export function dtypeOf(type: VType): number {
  switch (type) {
    case 'reg': return DT_REG;
    case 'dir': return DT_DIR;
    case 'lnk': return DT_LNK;
    case 'chr': return DT_CHR;
    case 'fifo': return DT_FIFO;
    default: return DT_UNKNOWN;
  }
}

export function ifmtOf(type: VType): number {
  switch (type) {
    case 'reg': return S_IFREG;
    case 'dir': return S_IFDIR;
    case 'lnk': return S_IFLNK;
    case 'chr': return S_IFCHR;
    case 'fifo': return S_IFIFO;
    default: return 0;
  }
}

export function vtypeOfMode(mode: number): VType {
  switch (mode & S_IFMT) {
    case S_IFREG: return 'reg';
    case S_IFDIR: return 'dir';
    case S_IFLNK: return 'lnk';
    case S_IFCHR: return 'chr';
    case S_IFIFO: return 'fifo';
    default: return 'other';
  }
}

export abstract class VNode {
  abstract readonly fs: FsInstance;
  abstract readonly type: VType;
  /** For directories: the directory it was found in (undefined at a file system's root). */
  parent: VNode | undefined;
  /** The name it was found under. */
  name = '';
  /** A file system mounted on this directory. */
  mounted: VNode | undefined;

  abstract get ino(): number;
  /** Full mode (type and permission bits), owner and group: what permission checks read. */
  abstract stat(): KStat;

  // --- directories ---------------------------------------------------------------------------
  /** The child called name, or undefined; task is the caller (for /proc/self). */
  lookup(_name: string, _task: Task | undefined): VNode | undefined {
    throw new Errno(E.NOTDIR);
  }
  /** The entries besides `.` and `..`. */
  entries(_task: Task | undefined): DirEntry[] {
    throw new Errno(E.NOTDIR);
  }
  /** Creates a regular file (mode: permission bits). */
  create(_name: string, _mode: number, _uid: number, _gid: number): VNode {
    throw new Errno(this.type === 'dir' ? E.PERM : E.NOTDIR);
  }
  mkdir(_name: string, _mode: number, _uid: number, _gid: number): VNode {
    throw new Errno(this.type === 'dir' ? E.PERM : E.NOTDIR);
  }
  symlink(_name: string, _target: string, _uid: number, _gid: number): VNode {
    throw new Errno(this.type === 'dir' ? E.PERM : E.NOTDIR);
  }
  /** Creates a device node or FIFO (mode: the S_IF* type and permission bits); EPERM on file
   *  systems without special files (hostfs: the host directory cannot hold them). */
  mknod(_name: string, _mode: number, _rdev: number, _uid: number, _gid: number): VNode {
    throw new Errno(this.type === 'dir' ? E.PERM : E.NOTDIR);
  }
  /** Adds a hard link name to node (a node of the same file system, not a directory). */
  link(_name: string, _node: VNode): void {
    throw new Errno(this.type === 'dir' ? E.PERM : E.NOTDIR);
  }
  /** Removes the non-directory entry name. */
  unlink(_name: string): void {
    throw new Errno(this.type === 'dir' ? E.PERM : E.NOTDIR);
  }
  /** Removes the empty directory name. */
  rmdir(_name: string): void {
    throw new Errno(this.type === 'dir' ? E.PERM : E.NOTDIR);
  }
  /** Moves entry oldName to newDir/newName (same file system), replacing what the VFS allowed. */
  rename(_oldName: string, _newDir: VNode, _newName: string, _exchange: boolean): void {
    throw new Errno(this.type === 'dir' ? E.PERM : E.NOTDIR);
  }

  // --- symlinks ------------------------------------------------------------------------------
  readlink(_task: Task | undefined): string {
    throw new Errno(E.INVAL);
  }
  /** A "magic" link (/proc/PID/fd/N) jumps straight to a node instead of a path. */
  magicTarget(_task: Task | undefined): VNode | undefined {
    return undefined;
  }

  // --- data ----------------------------------------------------------------------------------
  size(): number {
    return 0;
  }
  read(_pos: number, _len: number): Uint8Array {
    throw new Errno(this.type === 'dir' ? E.ISDIR : E.INVAL);
  }
  write(_pos: number, _data: Uint8Array): number {
    throw new Errno(this.type === 'dir' ? E.ISDIR : E.INVAL);
  }
  truncate(_len: number): void {
    throw new Errno(this.type === 'dir' ? E.ISDIR : E.INVAL);
  }
  /** Content made when the file is opened (procfs); undefined for ordinary files. */
  snapshot(_task: Task | undefined): Uint8Array | undefined {
    return undefined;
  }

  // --- attributes ----------------------------------------------------------------------------
  chmod(_mode: number): void {
    throw new Errno(E.PERM);
  }
  chown(_uid: number, _gid: number): void {
    throw new Errno(E.PERM);
  }
}

/** The private state of an OpenFile made by the VFS: the node, and what its ops keep per open. */
export class VFile {
  constructor(
    readonly node: VNode,
    /** Content fixed at open (procfs files). */
    public snapshot?: Uint8Array,
    /** For the console: which output stream writes go to. */
    public stream: 1 | 2 = 1,
  ) {}
}

/** The node behind an open file made by the VFS, or undefined (pipes, other objects). */
export function vnodeOf(file: { priv?: unknown }): VNode | undefined {
  return file.priv instanceof VFile ? file.priv.node : undefined;
}

/**
 * A node of a pseudo file system (/proc, /sys): its directories are fixed, so creating a file, a
 * directory or a symlink in one fails as Linux's procfs fails it (ENOENT: the name is not there).
 */
export abstract class PseudoNode extends VNode {
  override create(): VNode {
    throw new Errno(this.type === 'dir' ? E.NOENT : E.NOTDIR);
  }
  override mkdir(): VNode {
    throw new Errno(this.type === 'dir' ? E.NOENT : E.NOTDIR);
  }
  override symlink(): VNode {
    throw new Errno(this.type === 'dir' ? E.NOENT : E.NOTDIR);
  }
}
