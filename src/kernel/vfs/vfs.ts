// The virtual file system: one namespace made of a tmpfs root (/, /tmp, /dev, /bin, /etc), procfs
// at /proc and host directories mounted where the kernel says, with Linux's path resolution (namei)
// and the checks the file syscalls share (permissions, EROFS, EXDEV, sticky directories).
//
//   const vfs = new Vfs({
//     host,                                   // { fs: HostFileSystem } (a Host will do); needed for mounts
//     console,                                // the machine's Console: /dev/console, /dev/tty
//     clock: { nowNs, wallBaseMs },           // emulated ns since boot + wall time of boot (node times)
//     mounts: [{ at: '/home/user', hostDir: '/real/dir', readOnly: false, uid: 1000, gid: 1000 }],
//     tasks: () => kernel.tasks,              // for /proc
//     tainted: () => kernel.tainted,          // /proc/sys/kernel/tainted
//     release: '6.8.0-ksim',                  // /proc/version, /proc/sys/kernel/osrelease
//     randomSeed: 42,                         // /dev/random reproducible; omit for host randomness
//     onNamei: (task, path) => ...,           // every path a syscall looks up (ktrace NAMI)
//   });
//
// Every path method takes the calling task (cwd, umask, credentials, /proc/self) and, for the *at()
// calls, the node of the directory descriptor (`base`); failures throw Errno.
import type { HostFileSystem } from '../../host/host.js';
import type { Console } from '../console.js';
import { E, Errno } from '../errno.js';
import type { KStat, OpenFile, FileOps } from '../file.js';
import type { Task } from '../task.js';
import {
  MAXSYMLINKS, MAY_EXEC, MAY_READ, MAY_WRITE, NAME_MAX, O_ACCMODE, O_CREAT, O_DIRECTORY, O_EXCL, O_LARGEFILE,
  O_NOCTTY, O_NOFOLLOW, O_PATH, O_RDONLY, O_RDWR, O_TMPFILE, O_TRUNC, O_WRONLY, PATH_MAX, RENAME_EXCHANGE,
  RENAME_NOREPLACE, RENAME_WHITEOUT, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK, S_ISGID, S_ISUID, S_ISVTX, makeDev,
} from './constants.js';
import {
  ConsoleTerminal, DEV_CONSOLE, DEV_FULL, DEV_NULL, DEV_RANDOM, DEV_TTY, DEV_URANDOM, DEV_ZERO, makeDevices,
} from './devices.js';
import { makeDirOps, pathOnlyOps, regularFileOps, snapshotFileOps } from './files.js';
import { HostFs } from './hostfs.js';
import { MemFs, MemNode } from './memfs.js';
import { ProcFs } from './procfs.js';
import { SysFs, type SysSource } from './sysfs.js';
import { VFile, VNode } from './vnode.js';
import { fifoFile } from '../pipe.js';

export interface VfsMount {
  /** Where in the emulated namespace (absolute); missing directories are created. */
  at: string;
  /** The host directory (absolute). */
  hostDir: string;
  readOnly: boolean;
  /** Owner and group its files report (default 0). */
  uid?: number;
  gid?: number;
}

export interface VfsOptions {
  host?: { fs: HostFileSystem };
  console: Console;
  clock: { nowNs(): number; wallBaseMs: number };
  mounts?: VfsMount[];
  tasks?: () => Iterable<Task>;
  tainted?: () => number;
  release?: string;
  /** The whole /proc/version line (default: built from release). */
  version?: string;
  randomSeed?: number;
  onNamei?(task: Task | undefined, path: string): void;
  /** Most bytes of file data tmpfs holds (ENOSPC beyond). Default 256 MiB. */
  tmpfsMaxBytes?: number;
  /** What /sys shows (Linux machines); no /sys without it. */
  sys?: SysSource;
}

/** A host directory that cannot be mounted (missing, not a directory, unreadable). */
export class VfsMountError extends Error {
  constructor(
    readonly mount: VfsMount,
    readonly errno: number,
  ) {
    const why = errno === E.NOENT ? 'no such directory' : errno === E.NOTDIR ? 'not a directory'
      : errno === E.ACCES ? 'permission denied' : `error ${errno}`;
    super(`cannot mount host directory ${mount.hostDir} at ${mount.at}: ${why}`);
    this.name = 'VfsMountError';
  }
}

/** Where the last component of a path stands, after its parent directory was resolved. */
interface ParentLookup {
  dir: VNode;
  last: string;
  kind: 'normal' | 'dot' | 'dotdot' | 'root';
  trailingSlash: boolean;
}

interface NameiState {
  task: Task | undefined;
  links: number;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Flags open() does not keep in the file description. */
const OPEN_ONLY_FLAGS = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC;

export class Vfs {
  readonly rootFs: MemFs;
  readonly root: VNode;
  readonly procFs: ProcFs;
  readonly terminal: ConsoleTerminal;
  private readonly devices: Map<number, FileOps>;
  private readonly dirOps: FileOps;
  private readonly cwdCache = new WeakMap<Task, { path: string; node: VNode }>();
  private nextDev = 20;

  constructor(readonly opts: VfsOptions) {
    const clock = opts.clock;
    const nowNs = (): number => clock.wallBaseMs * 1e6 + clock.nowNs();
    this.rootFs = new MemFs(makeDev(0, this.nextDev++), nowNs, false, opts.tmpfsMaxBytes);
    this.root = this.rootFs.root;
    this.terminal = new ConsoleTerminal(opts.console);
    this.devices = makeDevices(this.terminal, opts.randomSeed);
    this.dirOps = makeDirOps((n) => this.parentOf(n));

    const root = this.rootFs.root;
    for (const d of ['bin', 'etc', 'dev', 'proc', 'home']) root.mkdir(d, 0o755, 0, 0);
    root.mkdir('tmp', 0o1777, 0, 0);
    const dev = root.lookup('dev') as MemNode;
    const devNodes: [string, number, number][] = [
      ['null', DEV_NULL, 0o666], ['zero', DEV_ZERO, 0o666], ['full', DEV_FULL, 0o666],
      ['random', DEV_RANDOM, 0o666], ['urandom', DEV_URANDOM, 0o666], ['tty', DEV_TTY, 0o666],
      ['console', DEV_CONSOLE, 0o600],
    ];
    for (const [name, rdev, perm] of devNodes) dev.mknod(name, S_IFCHR | perm, rdev, 0, 0);
    dev.symlink('fd', '/proc/self/fd', 0, 0);
    dev.symlink('stdin', '/proc/self/fd/0', 0, 0);
    dev.symlink('stdout', '/proc/self/fd/1', 0, 0);
    dev.symlink('stderr', '/proc/self/fd/2', 0, 0);

    const release = opts.release ?? '6.8.0-ksim';
    this.procFs = new ProcFs(makeDev(0, this.nextDev++), {
      tasks: opts.tasks ?? (() => []),
      tainted: opts.tainted ?? (() => 0),
      release,
      version: opts.version ?? `Linux version ${release} (ksim@ksim) (ksim cc) #1 SMP PREEMPT_DYNAMIC`,
      nowNs: () => clock.nowNs(),
      wallBaseMs: clock.wallBaseMs,
    });
    this.attach(root.lookup('proc')!, this.procFs);

    for (const m of opts.mounts ?? []) this.mountHost(m);
    // /sys comes last (a host directory mounted under /sys keeps its place).
    if (opts.sys && !root.lookup('sys')) this.attach(root.mkdir('sys', 0o555, 0, 0), new SysFs(makeDev(0, this.nextDev++), opts.sys));
  }

  // --- mounts --------------------------------------------------------------------------------

  private attach(at: VNode, fs: { root: VNode; mountpoint?: VNode }): void {
    if (at.mounted) throw new Errno(E.BUSY);
    at.mounted = fs.root;
    fs.mountpoint = at;
  }

  /** Mounts a host directory at m.at, creating the directories on the way in tmpfs. */
  mountHost(m: VfsMount): void {
    if (!this.opts.host) throw new Error('Vfs: a host mount needs options.host');
    const at = this.mkdirs(m.at);
    const hostDir = m.hostDir.length > 1 ? m.hostDir.replace(/\/+$/, '') : m.hostDir;
    let fs: HostFs;
    try {
      fs = new HostFs(this.opts.host.fs, hostDir === '/' ? '' : hostDir, makeDev(0, this.nextDev++), m.readOnly, m.uid ?? 0, m.gid ?? 0);
    } catch (e) {
      if (e instanceof Errno) throw new VfsMountError(m, e.errno);
      throw e;
    }
    this.attach(at, fs);
  }

  /** mkdir -p in the namespace (as root, no tracing): for the kernel's setup. */
  mkdirs(path: string, mode = 0o755): VNode {
    let node: VNode = this.root;
    for (const part of path.split('/').filter((p) => p !== '')) {
      let next = node.lookup(part, undefined);
      if (!next) next = node.mkdir(part, mode, 0, 0);
      while (next.mounted) next = next.mounted;
      if (next.type !== 'dir') throw new Errno(E.NOTDIR);
      node = next;
    }
    return node;
  }

  /** Creates or replaces a regular file (as root, no tracing): for /bin, /etc and test setup. */
  writeFile(path: string, data: Uint8Array | string, mode = 0o644, uid = 0, gid = 0): VNode {
    const slash = path.lastIndexOf('/');
    const dir = this.mkdirs(path.slice(0, slash));
    const name = path.slice(slash + 1);
    let node = dir.lookup(name, undefined);
    if (!node) node = dir.create(name, mode, uid, gid);
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    node.truncate(0);
    node.write(0, bytes);
    return node;
  }

  // --- namei ---------------------------------------------------------------------------------

  /** Reports a lookup to the namei observer (once per path argument a syscall resolves). */
  private namei(task: Task | undefined, path: string): void {
    this.opts.onNamei?.(task, path);
  }

  /** `..` of a node: the directory above, across mount points; the root's is itself. */
  parentOf(node: VNode): VNode {
    let n = node;
    for (;;) {
      if (n === this.root) return n;
      if (n === n.fs.root) {
        if (!n.fs.mountpoint) return n;
        n = n.fs.mountpoint;
        continue;
      }
      return n.parent ?? n;
    }
  }

  /** The absolute path of a directory (or of a node by the name it was found under). */
  pathOf(node: VNode): string {
    const parts: string[] = [];
    let n: VNode | undefined = node;
    while (n && n !== this.root) {
      if (n === n.fs.root) {
        n = n.fs.mountpoint;
        continue;
      }
      parts.push(n.name);
      n = n.parent;
    }
    return '/' + parts.reverse().join('/');
  }

  /** Throws EACCES unless the task may access node with mask (MAY_READ|MAY_WRITE|MAY_EXEC). */
  permission(task: Task | undefined, node: VNode, mask: number, realIds = false): void {
    if (!task || mask === 0) return;
    const st = node.stat();
    const uid = realIds ? task.uid : task.euid;
    const gid = realIds ? task.gid : task.egid;
    if (uid === 0) {
      // Root bypasses everything but exec of a file nobody may execute.
      if (mask & MAY_EXEC && node.type !== 'dir' && !(st.mode & 0o111)) throw new Errno(E.ACCES);
      return;
    }
    const bits = uid === st.uid ? (st.mode >> 6) & 7 : gid === st.gid ? (st.mode >> 3) & 7 : st.mode & 7;
    if ((bits & mask) !== mask) throw new Errno(E.ACCES);
  }

  private cwdNode(task: Task | undefined): VNode {
    if (!task) return this.root;
    const cached = this.cwdCache.get(task);
    if (cached && cached.path === task.cwd) return cached.node;
    const node = this.walk({ task: undefined, links: 0 }, task.cwd, this.root, true);
    if (node.type !== 'dir') throw new Errno(E.NOTDIR);
    this.cwdCache.set(task, { path: task.cwd, node });
    return node;
  }

  private checkPathLength(path: string): void {
    if (path.length >= PATH_MAX / 4 && utf8Length(path) >= PATH_MAX) throw new Errno(E.NAMETOOLONG);
  }

  /** One step of a walk: looks name up in dir, crossing mounts, following a symlink when asked. */
  private step(nd: NameiState, dir: VNode, name: string, follow: boolean): VNode {
    if (dir.type !== 'dir') throw new Errno(E.NOTDIR);
    this.permission(nd.task, dir, MAY_EXEC);
    if (name === '.') return dir;
    if (name === '..') return this.parentOf(dir);
    if (name.length > NAME_MAX / 4 && utf8Length(name) > NAME_MAX) throw new Errno(E.NAMETOOLONG);
    let child = dir.lookup(name, nd.task);
    if (!child) throw new Errno(E.NOENT);
    while (child.mounted) child = child.mounted;
    if (child.type === 'lnk' && follow) return this.followLink(nd, dir, child);
    return child;
  }

  private followLink(nd: NameiState, dir: VNode, link: VNode): VNode {
    if (++nd.links > MAXSYMLINKS) throw new Errno(E.LOOP);
    const magic = link.magicTarget(nd.task);
    if (magic) return magic;
    const target = link.readlink(nd.task);
    if (target === '') throw new Errno(E.NOENT);
    return this.walk(nd, target, target.startsWith('/') ? this.root : dir, true);
  }

  /** Resolves every component but the last. */
  private walkParent(nd: NameiState, path: string, base: VNode): ParentLookup {
    if (path === '') throw new Errno(E.NOENT);
    this.checkPathLength(path);
    let dir = path.startsWith('/') ? this.root : base;
    const parts = path.split('/').filter((p) => p !== '');
    const trailingSlash = path.endsWith('/');
    if (parts.length === 0) return { dir, last: '', kind: 'root', trailingSlash };
    for (let i = 0; i < parts.length - 1; i++) dir = this.step(nd, dir, parts[i], true);
    if (dir.type !== 'dir') throw new Errno(E.NOTDIR);
    const last = parts[parts.length - 1];
    if (last.length > NAME_MAX / 4 && utf8Length(last) > NAME_MAX) throw new Errno(E.NAMETOOLONG);
    return { dir, last, kind: last === '.' ? 'dot' : last === '..' ? 'dotdot' : 'normal', trailingSlash };
  }

  /** Resolves a whole path; the last component's symlink is followed when followLast. */
  private walk(nd: NameiState, path: string, base: VNode, followLast: boolean): VNode {
    const p = this.walkParent(nd, path, base);
    let node: VNode;
    if (p.kind === 'root') node = p.dir;
    else node = this.step(nd, p.dir, p.last, followLast || p.trailingSlash);
    if (p.trailingSlash && node.type !== 'dir') throw new Errno(node.type === 'lnk' ? E.NOTDIR : E.NOTDIR);
    return node;
  }

  private baseOf(task: Task | undefined, path: string, base: VNode | undefined): VNode {
    if (path.startsWith('/')) return this.root;
    if (base) {
      if (base.type !== 'dir') throw new Errno(E.NOTDIR);
      return base;
    }
    return this.cwdNode(task);
  }

  /** Resolves path for the task (stat, chdir, exec...). */
  lookup(task: Task | undefined, path: string, follow = true, base?: VNode): VNode {
    this.namei(task, path);
    return this.walk({ task, links: 0 }, path, this.baseOf(task, path, base), follow);
  }

  private lookupParent(task: Task | undefined, path: string, base: VNode | undefined): ParentLookup {
    this.namei(task, path);
    const p = this.walkParent({ task, links: 0 }, path, this.baseOf(task, path, base));
    return p;
  }

  /** The child named p.last, across mounts, without following it (undefined when absent). */
  private child(task: Task | undefined, p: ParentLookup): VNode | undefined {
    this.permission(task, p.dir, MAY_EXEC);
    let c = p.dir.lookup(p.last, task);
    while (c?.mounted) c = c.mounted;
    return c;
  }

  /** Nothing may be created in a directory that has been removed (a deleted cwd): ENOENT. */
  private checkDirAlive(dir: VNode): void {
    if (dir.stat().nlink === 0) throw new Errno(E.NOENT);
  }

  private checkWritable(node: VNode): void {
    if (node.fs.readOnly) throw new Errno(E.ROFS);
  }

  /** May the task remove or replace victim in dir (write+search, and the sticky bit's rule)? */
  private mayDelete(task: Task | undefined, dir: VNode, victim: VNode): void {
    this.permission(task, dir, MAY_WRITE | MAY_EXEC);
    if (!task || task.euid === 0) return;
    const ds = dir.stat();
    if (ds.mode & S_ISVTX && victim.stat().uid !== task.euid && ds.uid !== task.euid) throw new Errno(E.PERM);
  }

  private isMountRoot(node: VNode): boolean {
    return node === this.root || (node === node.fs.root) || node.mounted !== undefined;
  }

  // --- open ----------------------------------------------------------------------------------

  /** open(2)/openat(2): returns a new file description (refs 0: the caller installs it). */
  open(task: Task | undefined, path: string, flags: number, mode: number, base?: VNode): OpenFile {
    this.namei(task, path);
    if ((flags & O_TMPFILE) === O_TMPFILE) throw new Errno(E.OPNOTSUPP);
    if (flags & O_CREAT && flags & O_DIRECTORY) throw new Errno(E.INVAL);
    const nd: NameiState = { task, links: 0 };
    let node: VNode;
    let created = false;
    let shownPath = path;
    if (flags & O_CREAT && !(flags & O_PATH)) {
      let p = this.walkParent(nd, path, this.baseOf(task, path, base));
      for (;;) {
        if (p.kind !== 'normal' || p.trailingSlash) throw new Errno(E.ISDIR);
        const existing = this.child(task, p);
        if (!existing) {
          this.checkDirAlive(p.dir);
          this.checkWritable(p.dir);
          this.permission(task, p.dir, MAY_WRITE | MAY_EXEC);
          const perm = mode & 0o7777 & ~(task?.umask ?? 0o022);
          node = p.dir.create(p.last, perm, task?.euid ?? 0, task?.egid ?? 0);
          created = true;
          shownPath = this.joinPath(p.dir, p.last);
          break;
        }
        if (flags & O_EXCL) throw new Errno(E.EXIST);
        if (existing.type === 'dir') throw new Errno(E.ISDIR);
        if (existing.type !== 'lnk') {
          node = existing;
          shownPath = this.joinPath(p.dir, p.last);
          break;
        }
        if (flags & O_NOFOLLOW) throw new Errno(E.LOOP);
        if (++nd.links > MAXSYMLINKS) throw new Errno(E.LOOP);
        const magic = existing.magicTarget(task);
        if (magic) {
          node = magic;
          break;
        }
        const target = existing.readlink(task);
        if (target === '') throw new Errno(E.NOENT);
        p = this.walkParent(nd, target, target.startsWith('/') ? this.root : p.dir);
      }
    } else {
      const b = this.baseOf(task, path, base);
      const p = this.walkParent(nd, path, b);
      if (p.kind === 'root') node = p.dir;
      else node = this.step(nd, p.dir, p.last, !(flags & O_NOFOLLOW) || p.trailingSlash);
      if (p.trailingSlash && node.type !== 'dir') throw new Errno(E.NOTDIR);
      if (node.type === 'lnk' && !(flags & O_PATH)) throw new Errno(E.LOOP);
      shownPath = node.type === 'dir' ? this.pathOf(node) : p.kind === 'normal' ? this.joinPath(p.dir, p.last) : path;
    }
    return this.openNode(task, node, flags, shownPath, created);
  }

  private joinPath(dir: VNode, name: string): string {
    const d = this.pathOf(dir);
    return d === '/' ? '/' + name : d + '/' + name;
  }

  /** Opens a node already found (permission checks unless just created). */
  openNode(task: Task | undefined, node: VNode, flags: number, path: string, created = false): OpenFile {
    if (flags & O_DIRECTORY && node.type !== 'dir') throw new Errno(E.NOTDIR);
    const kept = (flags & ~OPEN_ONLY_FLAGS) | O_LARGEFILE;
    if (flags & O_PATH) {
      return { ops: pathOnlyOps, flags: (flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW)) | O_LARGEFILE, pos: 0, refs: 0, path, priv: new VFile(node) };
    }
    const acc = flags & O_ACCMODE;
    let mask = acc === O_RDONLY ? MAY_READ : acc === O_WRONLY ? MAY_WRITE : acc === O_RDWR ? MAY_READ | MAY_WRITE : 0;
    if (flags & O_TRUNC) mask |= MAY_WRITE;
    if (node.type === 'dir' && mask & MAY_WRITE) throw new Errno(E.ISDIR);
    if (!created) {
      if (mask & MAY_WRITE && (node.type === 'reg' || node.type === 'dir')) this.checkWritable(node);
      this.permission(task, node, mask);
    }
    let ops: FileOps;
    let snapshot: Uint8Array | undefined;
    switch (node.type) {
      case 'reg':
        snapshot = node.snapshot(task);
        ops = snapshot ? snapshotFileOps : regularFileOps;
        if (flags & O_TRUNC && !created) node.truncate(0);
        break;
      case 'dir':
        ops = this.dirOps;
        break;
      case 'chr': {
        const rdev = node.stat().rdev;
        const drv = this.devices.get(rdev);
        if (!drv) throw new Errno(E.NXIO);
        // Without a terminal the processes have no controlling tty.
        if (rdev === DEV_TTY && !this.opts.console.isTerminal) throw new Errno(E.NXIO);
        ops = drv;
        break;
      }
      case 'fifo':
        // Counted and waited for by the open syscall (pipe.ts fifoOpen), which can sleep.
        return fifoFile(node, kept, path, this.opts.clock.nowNs());
      default:
        throw new Errno(E.NXIO);
    }
    return { ops, flags: kept, pos: 0, refs: 0, path, priv: new VFile(node, snapshot) };
  }

  /** A file description on the console (the first process's 0, 1, 2); stream picks stdout/stderr. */
  openConsole(flags: number, stream: 1 | 2 = 1): OpenFile {
    const node = (this.root.lookup('dev', undefined)!).lookup('console', undefined)!;
    return {
      ops: this.devices.get(DEV_CONSOLE)!, flags: (flags & ~OPEN_ONLY_FLAGS) | O_LARGEFILE, pos: 0, refs: 0,
      path: '/dev/console', priv: new VFile(node, undefined, stream),
    };
  }

  // --- directory operations ------------------------------------------------------------------

  mkdir(task: Task | undefined, path: string, mode: number, base?: VNode): void {
    const p = this.lookupParent(task, path, base);
    if (p.kind !== 'normal') throw new Errno(E.EXIST);
    if (this.child(task, p)) throw new Errno(E.EXIST);
    this.checkDirAlive(p.dir);
    this.checkWritable(p.dir);
    this.permission(task, p.dir, MAY_WRITE | MAY_EXEC);
    const perm = mode & 0o1777 & ~(task?.umask ?? 0o022);
    p.dir.mkdir(p.last, perm, task?.euid ?? 0, task?.egid ?? 0);
  }

  /**
   * mknod(2)/mknodat(2): a regular file (type 0 or S_IFREG), a FIFO, or (root only) a character
   * device node. Block devices and sockets have no driver in ksim: EPERM. S_IFDIR is EPERM and an
   * unknown type EINVAL, as may_mknod says; the umask applies.
   */
  mknod(task: Task | undefined, path: string, mode: number, rdev: number, base?: VNode): void {
    const type = mode & S_IFMT;
    if (type === S_IFDIR) throw new Errno(E.PERM);
    if (![0, S_IFREG, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK].includes(type)) throw new Errno(E.INVAL);
    const p = this.lookupParent(task, path, base);
    if (p.kind !== 'normal') throw new Errno(E.EXIST);
    if (this.child(task, p)) throw new Errno(E.EXIST);
    this.checkDirAlive(p.dir);
    this.checkWritable(p.dir);
    this.permission(task, p.dir, MAY_WRITE | MAY_EXEC);
    const perm = mode & 0o7777 & ~(task?.umask ?? 0o022);
    const uid = task?.euid ?? 0;
    const gid = task?.egid ?? 0;
    if ((type === S_IFCHR || type === S_IFBLK) && uid !== 0) throw new Errno(E.PERM);
    if (type === 0 || type === S_IFREG) p.dir.create(p.last, perm, uid, gid);
    else if (type === S_IFBLK || type === S_IFSOCK) throw new Errno(E.PERM);
    else p.dir.mknod(p.last, type | perm, type === S_IFCHR ? rdev : 0, uid, gid);
  }

  rmdir(task: Task | undefined, path: string, base?: VNode): void {
    const p = this.lookupParent(task, path, base);
    if (p.kind === 'dot') throw new Errno(E.INVAL);
    if (p.kind === 'dotdot') throw new Errno(E.NOTEMPTY);
    if (p.kind === 'root') throw new Errno(E.BUSY);
    this.checkWritable(p.dir);
    const victim = this.child(task, p);
    if (!victim) throw new Errno(E.NOENT);
    this.mayDelete(task, p.dir, victim);
    if (victim.type !== 'dir') throw new Errno(E.NOTDIR);
    if (this.isMountRoot(victim)) throw new Errno(E.BUSY);
    p.dir.rmdir(p.last);
  }

  unlink(task: Task | undefined, path: string, base?: VNode): void {
    const p = this.lookupParent(task, path, base);
    if (p.kind !== 'normal') throw new Errno(E.ISDIR);
    this.checkWritable(p.dir);
    const victim = this.child(task, p);
    if (!victim) throw new Errno(E.NOENT);
    if (p.trailingSlash) throw new Errno(victim.type === 'dir' ? E.ISDIR : E.NOTDIR);
    this.mayDelete(task, p.dir, victim);
    if (victim.type === 'dir') throw new Errno(E.ISDIR);
    p.dir.unlink(p.last);
  }

  rename(task: Task | undefined, oldPath: string, newPath: string, flags = 0, oldBase?: VNode, newBase?: VNode): void {
    if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) throw new Errno(E.INVAL);
    if (flags & RENAME_NOREPLACE && flags & RENAME_EXCHANGE) throw new Errno(E.INVAL);
    if (flags & RENAME_WHITEOUT) throw new Errno(E.INVAL);
    const from = this.lookupParent(task, oldPath, oldBase);
    const to = this.lookupParent(task, newPath, newBase);
    if (from.dir.fs !== to.dir.fs) throw new Errno(E.XDEV);
    if (from.kind !== 'normal' || to.kind !== 'normal') throw new Errno(E.BUSY);
    this.checkWritable(from.dir);
    const moving = this.child(task, from);
    if (!moving) throw new Errno(E.NOENT);
    const victim = this.child(task, to);
    if (moving.type !== 'dir' && (from.trailingSlash || to.trailingSlash)) throw new Errno(E.NOTDIR);
    const exchange = (flags & RENAME_EXCHANGE) !== 0;
    if (exchange && !victim) throw new Errno(E.NOENT);
    if (flags & RENAME_NOREPLACE && victim) throw new Errno(E.EXIST);
    if (victim === moving) return;
    this.mayDelete(task, from.dir, moving);
    if (victim) this.mayDelete(task, to.dir, victim);
    else this.permission(task, to.dir, MAY_WRITE | MAY_EXEC);
    if (this.isMountRoot(moving) || (victim && this.isMountRoot(victim))) throw new Errno(E.BUSY);
    // A directory may not move below itself (nor, exchanged, the other way round).
    if (moving.type === 'dir' && this.isAncestor(moving, to.dir)) throw new Errno(E.INVAL);
    if (exchange && victim!.type === 'dir' && this.isAncestor(victim!, from.dir)) throw new Errno(E.INVAL);
    if (victim && !exchange) {
      if (moving.type === 'dir' && victim.type !== 'dir') throw new Errno(E.NOTDIR);
      if (moving.type !== 'dir' && victim.type === 'dir') throw new Errno(E.ISDIR);
      if (victim.type === 'dir' && victim.entries(task).length > 0) throw new Errno(E.NOTEMPTY);
    }
    from.dir.rename(from.last, to.dir, to.last, exchange);
  }

  /** Whether a is dir or one of its ancestors (within the namespace). */
  private isAncestor(a: VNode, dir: VNode): boolean {
    let n = dir;
    for (let i = 0; i < 4096; i++) {
      if (n === a) return true;
      const up = this.parentOf(n);
      if (up === n) return false;
      n = up;
    }
    return false;
  }

  link(task: Task | undefined, oldPath: string, newPath: string, followOld = false, oldBase?: VNode, newBase?: VNode): void {
    const node = this.lookup(task, oldPath, followOld, oldBase);
    const p = this.lookupParent(task, newPath, newBase);
    if (p.kind !== 'normal') throw new Errno(E.EXIST);
    if (this.child(task, p)) throw new Errno(E.EXIST);
    if (p.trailingSlash) throw new Errno(E.NOENT);
    if (node.fs !== p.dir.fs) throw new Errno(E.XDEV);
    this.checkDirAlive(p.dir);
    this.checkWritable(p.dir);
    this.permission(task, p.dir, MAY_WRITE | MAY_EXEC);
    if (node.type === 'dir') throw new Errno(E.PERM);
    p.dir.link(p.last, node);
  }

  symlink(task: Task | undefined, target: string, linkPath: string, base?: VNode): void {
    if (target === '') throw new Errno(E.NOENT);
    this.checkPathLength(target);
    const p = this.lookupParent(task, linkPath, base);
    if (p.kind !== 'normal') throw new Errno(E.EXIST);
    if (this.child(task, p)) throw new Errno(E.EXIST);
    if (p.trailingSlash) throw new Errno(E.NOENT);
    this.checkDirAlive(p.dir);
    this.checkWritable(p.dir);
    this.permission(task, p.dir, MAY_WRITE | MAY_EXEC);
    p.dir.symlink(p.last, target, task?.euid ?? 0, task?.egid ?? 0);
  }

  readlink(task: Task | undefined, path: string, base?: VNode): string {
    const node = this.lookup(task, path, false, base);
    if (node.type !== 'lnk') throw new Errno(E.INVAL);
    return node.readlink(task);
  }

  // --- attributes ----------------------------------------------------------------------------

  stat(node: VNode): KStat {
    return node.stat();
  }

  chmod(task: Task | undefined, node: VNode, mode: number): void {
    this.checkWritable(node);
    const st = node.stat();
    let m = mode & 0o7777;
    if (task && task.euid !== 0) {
      if (task.euid !== st.uid) throw new Errno(E.PERM);
      if (task.egid !== st.gid) m &= ~S_ISGID;
    }
    node.chmod(m);
  }

  /** chown/lchown/fchown: uid or gid -1 keeps it; only root gives files away (EPERM). */
  chown(task: Task | undefined, node: VNode, uid: number, gid: number): void {
    this.checkWritable(node);
    const st = node.stat();
    const newUid = uid === -1 ? st.uid : uid >>> 0;
    const newGid = gid === -1 ? st.gid : gid >>> 0;
    if (task && task.euid !== 0) {
      if (newUid !== st.uid) throw new Errno(E.PERM);
      if (newGid !== st.gid && (task.euid !== st.uid || newGid !== task.egid)) throw new Errno(E.PERM);
    }
    node.chown(newUid, newGid);
    // Changing the owner of a regular file clears set-user-ID (and set-group-ID with group exec).
    if (node.type === 'reg' && (uid !== -1 || gid !== -1) && st.mode & (S_ISUID | S_ISGID)) {
      let m = st.mode & 0o7777 & ~S_ISUID;
      if (m & 0o010) m &= ~S_ISGID;
      node.chmod(m);
    }
  }

  truncate(task: Task | undefined, node: VNode, length: number): void {
    if (length < 0) throw new Errno(E.INVAL);
    if (node.type === 'dir') throw new Errno(E.ISDIR);
    if (node.type !== 'reg') throw new Errno(E.INVAL);
    this.checkWritable(node);
    this.permission(task, node, MAY_WRITE);
    node.truncate(length);
  }

  /** access(2)/faccessat2: mode is R_OK|W_OK|X_OK or F_OK; realIds unless AT_EACCESS. */
  access(task: Task | undefined, node: VNode, mode: number, realIds = true): void {
    if (mode & ~7) throw new Errno(E.INVAL);
    if (mode === 0) return;
    if (mode & MAY_WRITE && node.fs.readOnly && (node.type === 'reg' || node.type === 'dir' || node.type === 'lnk')) {
      throw new Errno(E.ROFS);
    }
    this.permission(task, node, mode, realIds);
  }

  /** chdir/fchdir: the node must be a searchable directory. */
  chdir(task: Task, node: VNode): void {
    if (node.type !== 'dir') throw new Errno(E.NOTDIR);
    this.permission(task, node, MAY_EXEC);
    task.cwd = this.pathOf(node);
    this.cwdCache.set(task, { path: task.cwd, node });
  }

  /** getcwd: the task's directory; ENOENT when it has been removed. */
  getcwd(task: Task): string {
    const node = this.cwdNode(task);
    if (node.stat().nlink === 0) throw new Errno(E.NOENT);
    return this.pathOf(node);
  }

  /** For execve: the regular file at path, executable by the task, and its contents. */
  loadExecutable(task: Task | undefined, path: string, base?: VNode): { node: VNode; path: string; data: Uint8Array } {
    const node = this.lookup(task, path, true, base);
    if (node.type === 'dir') throw new Errno(E.ACCES);
    if (node.type !== 'reg') throw new Errno(E.ACCES);
    this.permission(task, node, MAY_EXEC);
    const snap = node.snapshot(task);
    return { node, path, data: snap ?? node.read(0, node.size()) };
  }
}

/** The console as a file description, for the first process's descriptors 0, 1 and 2. */
export function openConsole(vfs: Vfs, flags: number, stream: 1 | 2 = 1): OpenFile {
  return vfs.openConsole(flags, stream);
}
