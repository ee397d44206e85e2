// tmpfs: the in-memory file system behind /, /tmp, /dev, /bin and /etc. Inodes hold regular file
// data (a growable buffer), directory entries, symlink targets or a device number, with mode,
// owner, link count and times from the VFS clock. The total of file data is bounded (ENOSPC).
import { E, Errno } from '../errno.js';
import type { KStat } from '../file.js';
import { S_IFMT } from './constants.js';
import { dtypeOf, ifmtOf, type DirEntry, type FsInstance, type VType, VNode } from './vnode.js';

export class MemFs implements FsInstance {
  readonly type = 'tmpfs';
  root: MemNode;
  mountpoint?: VNode;
  private nextIno = 1;
  /** Bytes of file data held, against maxBytes. */
  usedBytes = 0;

  constructor(
    readonly dev: number,
    readonly nowNs: () => number,
    readonly readOnly = false,
    readonly maxBytes = 256 * 1024 * 1024,
    rootMode = 0o755,
  ) {
    this.root = new MemNode(this, 'dir', rootMode, 0, 0);
  }

  allocIno(): number {
    return this.nextIno++;
  }
}

export class MemNode extends VNode {
  readonly ino: number;
  /** Permission bits (07777). */
  perm: number;
  uid: number;
  gid: number;
  nlink: number;
  rdev = 0;
  atimeNs: number;
  mtimeNs: number;
  ctimeNs: number;
  private data = new Uint8Array(0);
  private length = 0;
  readonly children = new Map<string, MemNode>();
  target = '';

  constructor(
    readonly fs: MemFs,
    readonly type: VType,
    perm: number,
    uid: number,
    gid: number,
  ) {
    super();
    this.ino = fs.allocIno();
    this.perm = perm & 0o7777;
    this.uid = uid;
    this.gid = gid;
    this.nlink = type === 'dir' ? 2 : 1;
    this.atimeNs = this.mtimeNs = this.ctimeNs = fs.nowNs();
  }

  stat(): KStat {
    const size = this.type === 'reg' ? this.length : this.type === 'lnk' ? new TextEncoder().encode(this.target).length
      : this.type === 'dir' ? 4096 : 0;
    return {
      dev: this.fs.dev, ino: this.ino, mode: ifmtOf(this.type) | this.perm, nlink: this.nlink,
      uid: this.uid, gid: this.gid, rdev: this.rdev, size, blksize: 4096,
      blocks: this.type === 'reg' ? Math.ceil(this.length / 4096) * 8 : this.type === 'dir' ? 8 : 0,
      atimeNs: this.atimeNs, mtimeNs: this.mtimeNs, ctimeNs: this.ctimeNs,
    };
  }

  private touchDir(): void {
    this.mtimeNs = this.ctimeNs = this.fs.nowNs();
  }

  private checkDir(): void {
    if (this.type !== 'dir') throw new Errno(E.NOTDIR);
  }

  private add(name: string, node: MemNode): MemNode {
    this.checkDir();
    if (this.children.has(name)) throw new Errno(E.EXIST);
    this.children.set(name, node);
    if (node.type === 'dir') {
      node.parent = this;
      this.nlink++;
    }
    node.name = name;
    this.touchDir();
    return node;
  }

  override lookup(name: string): VNode | undefined {
    this.checkDir();
    return this.children.get(name);
  }

  override entries(): DirEntry[] {
    this.checkDir();
    return [...this.children].map(([name, n]) => ({ name, ino: n.ino, type: dtypeOf(n.type) }));
  }

  override create(name: string, mode: number, uid: number, gid: number): VNode {
    return this.add(name, new MemNode(this.fs, 'reg', mode, uid, gid));
  }

  override mkdir(name: string, mode: number, uid: number, gid: number): VNode {
    return this.add(name, new MemNode(this.fs, 'dir', mode, uid, gid));
  }

  override symlink(name: string, target: string, uid: number, gid: number): VNode {
    const n = new MemNode(this.fs, 'lnk', 0o777, uid, gid);
    n.target = target;
    return this.add(name, n);
  }

  /** Creates a device node or FIFO (mode carries the S_IF* type). */
  override mknod(name: string, mode: number, rdev: number, uid: number, gid: number): MemNode {
    const type: VType = (mode & S_IFMT) === 0o020000 ? 'chr' : (mode & S_IFMT) === 0o010000 ? 'fifo' : 'reg';
    const n = new MemNode(this.fs, type, mode, uid, gid);
    n.rdev = rdev;
    return this.add(name, n);
  }

  override link(name: string, node: VNode): void {
    if (!(node instanceof MemNode) || node.fs !== this.fs) throw new Errno(E.XDEV);
    if (node.type === 'dir') throw new Errno(E.PERM);
    this.add(name, node);
    node.nlink++;
    node.ctimeNs = this.fs.nowNs();
  }

  private drop(node: MemNode): void {
    node.nlink--;
    node.ctimeNs = this.fs.nowNs();
    if (node.nlink === 0 && node.type === 'reg') {
      // The data stays reachable from open descriptors; it stops counting against the limit.
      this.fs.usedBytes -= node.length;
      node.orphaned = true;
    }
  }

  /** Set when the last link went away: its bytes no longer count against the file system. */
  orphaned = false;

  override unlink(name: string): void {
    this.checkDir();
    const n = this.children.get(name);
    if (!n) throw new Errno(E.NOENT);
    if (n.type === 'dir') throw new Errno(E.ISDIR);
    this.children.delete(name);
    this.touchDir();
    this.drop(n);
  }

  override rmdir(name: string): void {
    this.checkDir();
    const n = this.children.get(name);
    if (!n) throw new Errno(E.NOENT);
    if (n.type !== 'dir') throw new Errno(E.NOTDIR);
    if (n.children.size > 0) throw new Errno(E.NOTEMPTY);
    this.children.delete(name);
    this.nlink--;
    n.nlink = 0;
    this.touchDir();
  }

  override rename(oldName: string, newDir: VNode, newName: string, exchange: boolean): void {
    this.checkDir();
    if (!(newDir instanceof MemNode) || newDir.fs !== this.fs) throw new Errno(E.XDEV);
    const n = this.children.get(oldName);
    if (!n) throw new Errno(E.NOENT);
    const victim = newDir.children.get(newName);
    if (victim === n) return;
    if (exchange) {
      if (!victim) throw new Errno(E.NOENT);
      this.children.set(oldName, victim);
      newDir.children.set(newName, n);
      this.reparent(victim, this, oldName);
      newDir.reparent(n, newDir, newName);
      this.touchDir();
      newDir.touchDir();
      return;
    }
    if (victim) {
      if (victim.type === 'dir') newDir.rmdir(newName);
      else newDir.unlink(newName);
    }
    this.children.delete(oldName);
    if (n.type === 'dir') this.nlink--;
    newDir.children.set(newName, n);
    if (n.type === 'dir') newDir.nlink++;
    n.name = newName;
    if (n.type === 'dir') n.parent = newDir;
    n.ctimeNs = this.fs.nowNs();
    this.touchDir();
    newDir.touchDir();
  }

  private reparent(n: MemNode, dir: MemNode, name: string): void {
    n.name = name;
    if (n.type === 'dir' && n.parent !== dir) {
      (n.parent as MemNode).nlink--;
      n.parent = dir;
      dir.nlink++;
    }
  }

  override readlink(): string {
    if (this.type !== 'lnk') throw new Errno(E.INVAL);
    return this.target;
  }

  override size(): number {
    return this.type === 'reg' ? this.length : 0;
  }

  override read(pos: number, len: number): Uint8Array {
    if (this.type === 'dir') throw new Errno(E.ISDIR);
    if (this.type !== 'reg') throw new Errno(E.INVAL);
    this.atimeNs = this.fs.nowNs();
    if (pos >= this.length) return new Uint8Array(0);
    return this.data.slice(pos, Math.min(this.length, pos + len));
  }

  private resize(newLength: number): void {
    const delta = newLength - this.length;
    // An unlinked (orphaned) file still counts against the file system's size, as on tmpfs.
    if (delta > 0 && this.fs.usedBytes + delta > this.fs.maxBytes) throw new Errno(E.NOSPC);
    if (newLength > this.data.length) {
      const grown = new Uint8Array(Math.max(newLength, Math.min(this.data.length * 2, newLength + (1 << 24)), 64));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    } else if (newLength < this.length) {
      this.data.fill(0, newLength, this.length);
    }
    if (!this.orphaned) this.fs.usedBytes += delta;
    this.length = newLength;
  }

  override write(pos: number, data: Uint8Array): number {
    if (this.type === 'dir') throw new Errno(E.ISDIR);
    if (this.type !== 'reg') throw new Errno(E.INVAL);
    if (data.length === 0) return 0;
    const end = pos + data.length;
    if (end > this.length) this.resize(end);
    this.data.set(data, pos);
    this.mtimeNs = this.ctimeNs = this.fs.nowNs();
    return data.length;
  }

  override truncate(len: number): void {
    if (this.type === 'dir') throw new Errno(E.ISDIR);
    if (this.type !== 'reg') throw new Errno(E.INVAL);
    this.resize(len);
    this.mtimeNs = this.ctimeNs = this.fs.nowNs();
  }

  override chmod(mode: number): void {
    this.perm = mode & 0o7777;
    this.ctimeNs = this.fs.nowNs();
  }

  override chown(uid: number, gid: number): void {
    this.uid = uid;
    this.gid = gid;
    this.ctimeNs = this.fs.nowNs();
  }
}
