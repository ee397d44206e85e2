// hostfs: a directory of the host mounted into the emulated namespace (the user's working
// directory at /home/user, say). Every node is a path below the mount's host directory built one
// checked component at a time: names never contain '/', '.' or '..', and symlinks are never
// followed by the host — the VFS reads their text and resolves it in the emulated namespace — so
// no lookup can reach a host file outside the mount. Owner and group are the mount's.
import { HostFsError, type HostFileSystem, type HostStat } from '../../host/host.js';
import { E, Errno } from '../errno.js';
import type { KStat } from '../file.js';
import { S_IFDIR, S_IFLNK, S_IFREG } from './constants.js';
import { dtypeOf, type DirEntry, type FsInstance, type VType, VNode } from './vnode.js';

const HOST_ERRNO: Record<string, number> = {
  EPERM: E.PERM, ENOENT: E.NOENT, EIO: E.IO, EACCES: E.ACCES, EEXIST: E.EXIST, EXDEV: E.XDEV,
  ENOTDIR: E.NOTDIR, EISDIR: E.ISDIR, EINVAL: E.INVAL, EFBIG: E.FBIG, ENOSPC: E.NOSPC, EROFS: E.ROFS,
  EMLINK: E.MLINK, ENAMETOOLONG: E.NAMETOOLONG, ENOTEMPTY: E.NOTEMPTY, ELOOP: E.LOOP, EBUSY: E.BUSY,
  EMFILE: E.MFILE, ENFILE: E.NFILE, ETXTBSY: E.TXTBSY, EAGAIN: E.AGAIN,
};

/** Runs a host call, turning its HostFsError into the matching Errno (EIO for the unknown). */
export function hostCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof HostFsError) throw new Errno(HOST_ERRNO[e.code] ?? E.IO);
    throw e;
  }
}

function typeOf(st: HostStat): VType {
  return st.type === 'file' ? 'reg' : st.type === 'dir' ? 'dir' : st.type === 'symlink' ? 'lnk' : 'other';
}

const msToNs = (ms: number): number => Math.round(ms * 1e6);

export class HostFs implements FsInstance {
  readonly type = 'hostfs';
  root!: HostNode;
  mountpoint?: VNode;

  constructor(
    readonly host: HostFileSystem,
    /** The mounted host directory, absolute, without a trailing '/'. */
    readonly hostDir: string,
    readonly dev: number,
    readonly readOnly: boolean,
    /** Owner and group every node reports. */
    readonly uid: number,
    readonly gid: number,
  ) {
    const st = hostCall(() => host.stat(hostDir || '/'));
    if (st.type !== 'dir') throw new Errno(E.NOTDIR);
    this.root = new HostNode(this, '', 'dir', st.ino);
  }
}

export class HostNode extends VNode {
  constructor(
    readonly fs: HostFs,
    /** The path below the mount: '' for its root, else '/a/b'. */
    readonly rel: string,
    readonly type: VType,
    private readonly inoAtLookup: number,
  ) {
    super();
  }

  get hostPath(): string {
    return this.fs.hostDir + this.rel || '/';
  }

  get ino(): number {
    return this.inoAtLookup;
  }

  private hostStat(): HostStat {
    const host = this.fs.host;
    return hostCall(() => (this.rel === '' ? host.stat(this.hostPath) : host.lstat(this.hostPath)));
  }

  stat(): KStat {
    const st = this.hostStat();
    const fmt = this.type === 'reg' ? S_IFREG : this.type === 'dir' ? S_IFDIR : this.type === 'lnk' ? S_IFLNK : 0;
    return {
      dev: this.fs.dev, ino: st.ino, mode: fmt | (st.mode & 0o7777), nlink: st.nlink,
      uid: this.fs.uid, gid: this.fs.gid, rdev: 0, size: st.size, blksize: 4096,
      blocks: Math.ceil(st.size / 4096) * 8,
      atimeNs: msToNs(st.atimeMs), mtimeNs: msToNs(st.mtimeMs), ctimeNs: msToNs(st.ctimeMs),
    };
  }

  private childPath(name: string): string {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw new Errno(E.INVAL);
    }
    return this.fs.hostDir + this.rel + '/' + name;
  }

  private child(name: string, st: HostStat): HostNode {
    const n = new HostNode(this.fs, this.rel + '/' + name, typeOf(st), st.ino);
    n.name = name;
    n.parent = this;
    return n;
  }

  override lookup(name: string): VNode | undefined {
    if (this.type !== 'dir') throw new Errno(E.NOTDIR);
    const p = this.childPath(name);
    try {
      return this.child(name, this.fs.host.lstat(p));
    } catch (e) {
      if (e instanceof HostFsError && e.code === 'ENOENT') return undefined;
      if (e instanceof HostFsError) throw new Errno(HOST_ERRNO[e.code] ?? E.IO);
      throw e;
    }
  }

  override entries(): DirEntry[] {
    if (this.type !== 'dir') throw new Errno(E.NOTDIR);
    const names = hostCall(() => this.fs.host.readdir(this.hostPath));
    const out: DirEntry[] = [];
    for (const name of names) {
      try {
        const st = this.fs.host.lstat(this.childPath(name));
        out.push({ name, ino: st.ino, type: dtypeOf(typeOf(st)) });
      } catch {
        // Gone between readdir and lstat: skip it, as a racing unlink would.
      }
    }
    return out;
  }

  override create(name: string, mode: number): VNode {
    const p = this.childPath(name);
    if (this.lookup(name)) throw new Errno(E.EXIST);
    hostCall(() => this.fs.host.writeFile(p, new Uint8Array(0)));
    hostCall(() => this.fs.host.chmod(p, mode & 0o7777));
    return this.child(name, hostCall(() => this.fs.host.lstat(p)));
  }

  override mkdir(name: string, mode: number): VNode {
    const p = this.childPath(name);
    if (this.lookup(name)) throw new Errno(E.EXIST);
    hostCall(() => this.fs.host.mkdir(p, false));
    hostCall(() => this.fs.host.chmod(p, mode & 0o7777));
    return this.child(name, hostCall(() => this.fs.host.lstat(p)));
  }

  override symlink(name: string, target: string): VNode {
    const p = this.childPath(name);
    const host = this.fs.host;
    if (!host.symlink) throw new Errno(E.PERM);
    if (this.lookup(name)) throw new Errno(E.EXIST);
    hostCall(() => host.symlink!(target, p));
    return this.child(name, hostCall(() => host.lstat(p)));
  }

  override link(name: string, node: VNode): void {
    if (!(node instanceof HostNode) || node.fs !== this.fs) throw new Errno(E.XDEV);
    const host = this.fs.host;
    if (!host.link) throw new Errno(E.PERM);
    const p = this.childPath(name);
    if (this.lookup(name)) throw new Errno(E.EXIST);
    hostCall(() => host.link!(node.hostPath, p));
  }

  override unlink(name: string): void {
    const n = this.lookup(name);
    if (!n) throw new Errno(E.NOENT);
    if (n.type === 'dir') throw new Errno(E.ISDIR);
    hostCall(() => this.fs.host.unlink(this.childPath(name)));
  }

  override rmdir(name: string): void {
    const n = this.lookup(name);
    if (!n) throw new Errno(E.NOENT);
    if (n.type !== 'dir') throw new Errno(E.NOTDIR);
    hostCall(() => this.fs.host.rmdir(this.childPath(name)));
  }

  override rename(oldName: string, newDir: VNode, newName: string, exchange: boolean): void {
    if (!(newDir instanceof HostNode) || newDir.fs !== this.fs) throw new Errno(E.XDEV);
    if (exchange) throw new Errno(E.INVAL);
    const from = this.childPath(oldName);
    const to = newDir.childPath(newName);
    hostCall(() => this.fs.host.rename(from, to));
  }

  override readlink(): string {
    if (this.type !== 'lnk') throw new Errno(E.INVAL);
    return hostCall(() => this.fs.host.readlink(this.hostPath));
  }

  override size(): number {
    return this.type === 'reg' ? this.hostStat().size : 0;
  }

  /** Host calls on this node's path only for a regular file that is still one (no symlink swap). */
  private checkRegular(): void {
    if (this.type === 'dir') throw new Errno(E.ISDIR);
    if (this.type !== 'reg') throw new Errno(E.INVAL);
    if (this.hostStat().type !== 'file') throw new Errno(E.NOENT);
  }

  override read(pos: number, len: number): Uint8Array {
    this.checkRegular();
    const host = this.fs.host;
    if (host.readAt) return hostCall(() => host.readAt!(this.hostPath, pos, len));
    const all = hostCall(() => host.readFile(this.hostPath));
    return all.slice(Math.min(pos, all.length), Math.min(all.length, pos + len));
  }

  override write(pos: number, data: Uint8Array): number {
    this.checkRegular();
    const host = this.fs.host;
    if (host.writeAt) return hostCall(() => host.writeAt!(this.hostPath, pos, data));
    const old = hostCall(() => host.readFile(this.hostPath));
    const next = new Uint8Array(Math.max(old.length, pos + data.length));
    next.set(old);
    next.set(data, pos);
    hostCall(() => host.writeFile(this.hostPath, next));
    return data.length;
  }

  override truncate(len: number): void {
    this.checkRegular();
    hostCall(() => this.fs.host.truncate(this.hostPath, len));
  }

  override chmod(mode: number): void {
    if (this.type === 'lnk') throw new Errno(E.OPNOTSUPP);
    const st = this.hostStat();
    if (st.type === 'symlink') throw new Errno(E.NOENT);
    hostCall(() => this.fs.host.chmod(this.hostPath, mode & 0o7777));
  }
}
