// procfs: /proc generated from the kernel's tasks. /proc/self, /proc/PID/{stat,status,cmdline,comm,
// maps,fd/,cwd,exe}, /proc/version, /proc/uptime and /proc/sys/kernel/{tainted,osrelease,ostype}.
// Files are read-only text made when opened (a snapshot, as a seq_file read in one go); their size
// is 0 as on Linux. /proc/PID/fd/N are "magic" links that lead to the open file's own node.
import { E, Errno } from '../errno.js';
import type { KStat, OpenFile } from '../file.js';
import type { Task } from '../task.js';
import { S_IFDIR, S_IFLNK, S_IFREG } from './constants.js';
import { dtypeOf, type DirEntry, type FsInstance, type VType, PseudoNode, VNode, vnodeOf } from './vnode.js';

/** What procfs reads from the kernel. */
export interface ProcSource {
  tasks(): Iterable<Task>;
  tainted(): number;
  /** The release string (uname -r), e.g. `6.8.0-ksim`. */
  release: string;
  /** The whole /proc/version line. */
  version: string;
  /** Emulated nanoseconds since boot. */
  nowNs(): number;
  /** Wall-clock time of boot, ms since the epoch (for node times). */
  wallBaseMs: number;
}

interface ProcEntry {
  name: string;
  ino: number;
  type: VType;
  make: () => VNode;
}

type Owner = () => { uid: number; gid: number };
const ROOT_OWNER: Owner = () => ({ uid: 0, gid: 0 });

export class ProcFs implements FsInstance {
  readonly type = 'proc';
  readonly readOnly = false;
  root: VNode;
  mountpoint?: VNode;

  constructor(
    readonly dev: number,
    readonly src: ProcSource,
  ) {
    this.root = new ProcDir(this, 1, 0o555, ROOT_OWNER, (caller) => this.rootEntries(caller));
  }

  timeNs(): number {
    return this.src.wallBaseMs * 1e6 + this.src.nowNs();
  }

  findTask(pid: number): Task | undefined {
    for (const t of this.src.tasks()) if (t.pid === pid) return t;
    return undefined;
  }

  private text(ino: number, gen: (caller: Task | undefined) => string, owner: Owner = ROOT_OWNER, perm = 0o444): ProcEntry['make'] {
    return () => new ProcFile(this, ino, perm, owner, gen);
  }

  private rootEntries(caller: Task | undefined): ProcEntry[] {
    const src = this.src;
    const out: ProcEntry[] = [
      { name: 'self', ino: 2, type: 'lnk', make: () => new ProcLink(this, 2, ROOT_OWNER, (t) => {
        if (!t) throw new Errno(E.NOENT);
        return String(t.pid);
      }) },
      { name: 'version', ino: 3, type: 'reg', make: this.text(3, () => src.version + '\n') },
      { name: 'uptime', ino: 4, type: 'reg', make: this.text(4, () => {
        const cs = Math.floor(src.nowNs() / 1e7);
        return `${Math.floor(cs / 100)}.${String(cs % 100).padStart(2, '0')} 0.00\n`;
      }) },
      { name: 'sys', ino: 5, type: 'dir', make: () => new ProcDir(this, 5, 0o555, ROOT_OWNER, () => [
        { name: 'kernel', ino: 6, type: 'dir', make: () => new ProcDir(this, 6, 0o555, ROOT_OWNER, () => [
          { name: 'tainted', ino: 7, type: 'reg', make: this.text(7, () => `${src.tainted()}\n`, ROOT_OWNER, 0o644) },
          { name: 'osrelease', ino: 8, type: 'reg', make: this.text(8, () => `${src.release}\n`) },
          { name: 'ostype', ino: 9, type: 'reg', make: this.text(9, () => 'Linux\n') },
        ]) },
      ]) },
    ];
    void caller;
    const pids = [...src.tasks()].map((t) => t.pid).sort((a, b) => a - b);
    for (const pid of pids) {
      out.push({ name: String(pid), ino: pidIno(pid, 0), type: 'dir', make: () => this.pidDir(pid) });
    }
    return out;
  }

  private pidDir(pid: number): VNode {
    const task = (): Task => {
      const t = this.findTask(pid);
      if (!t) throw new Errno(E.NOENT);
      return t;
    };
    const owner: Owner = () => {
      const t = task();
      return { uid: t.euid, gid: t.egid };
    };
    return new ProcDir(this, pidIno(pid, 0), 0o555, owner, () => [
      { name: 'stat', ino: pidIno(pid, 1), type: 'reg', make: this.text(pidIno(pid, 1), () => procStat(task()), owner) },
      { name: 'status', ino: pidIno(pid, 2), type: 'reg', make: this.text(pidIno(pid, 2), () => procStatus(task()), owner) },
      { name: 'cmdline', ino: pidIno(pid, 3), type: 'reg', make: this.text(pidIno(pid, 3), () => procCmdline(task()), owner) },
      { name: 'comm', ino: pidIno(pid, 4), type: 'reg', make: this.text(pidIno(pid, 4), () => task().comm + '\n', owner, 0o644) },
      { name: 'maps', ino: pidIno(pid, 5), type: 'reg', make: this.text(pidIno(pid, 5), () => procMaps(task()), owner) },
      { name: 'cwd', ino: pidIno(pid, 6), type: 'lnk', make: () => new ProcLink(this, pidIno(pid, 6), owner, () => task().cwd) },
      { name: 'exe', ino: pidIno(pid, 7), type: 'lnk', make: () => new ProcLink(this, pidIno(pid, 7), owner, () => {
        const p = task().exePath;
        if (!p) throw new Errno(E.NOENT);
        return p;
      }) },
      { name: 'fd', ino: pidIno(pid, 8), type: 'dir', make: () => new ProcDir(this, pidIno(pid, 8), 0o500, owner, () => {
        const t = task();
        return [...t.fds.slots.keys()].sort((a, b) => a - b).map((fd) => {
          const ino = pidIno(pid, 1000 + fd);
          return {
            name: String(fd), ino, type: 'lnk' as VType,
            make: () => new ProcLink(this, ino, owner, () => fdFile(t, fd).path, () => vnodeOf(fdFile(t, fd)), 0o700),
          };
        });
      }) },
    ]);
  }
}

function fdFile(t: Task, fd: number): OpenFile {
  const f = t.fds.get(fd);
  if (!f) throw new Errno(E.NOENT);
  return f;
}

/** Inode numbers of /proc/PID/...: stable per pid and entry. */
function pidIno(pid: number, k: number): number {
  return 0x10000 + pid * 0x10000 + k;
}

abstract class ProcNode extends PseudoNode {
  constructor(
    readonly fs: ProcFs,
    private readonly inoValue: number,
    protected readonly perm: number,
    protected readonly owner: Owner,
  ) {
    super();
  }
  get ino(): number {
    return this.inoValue;
  }
  protected abstract readonly fmt: number;
  stat(): KStat {
    const { uid, gid } = this.owner();
    const t = this.fs.timeNs();
    return {
      dev: this.fs.dev, ino: this.inoValue, mode: this.fmt | this.perm, nlink: this.type === 'dir' ? 2 : 1,
      uid, gid, rdev: 0, size: 0, blksize: 1024, blocks: 0, atimeNs: t, mtimeNs: t, ctimeNs: t,
    };
  }
}

class ProcDir extends ProcNode {
  readonly type = 'dir';
  protected readonly fmt = S_IFDIR;
  constructor(fs: ProcFs, ino: number, perm: number, owner: Owner, private readonly list: (caller: Task | undefined) => ProcEntry[]) {
    super(fs, ino, perm, owner);
  }
  override lookup(name: string, caller: Task | undefined): VNode | undefined {
    const e = this.list(caller).find((x) => x.name === name);
    if (!e) return undefined;
    const n = e.make();
    n.name = name;
    n.parent = this;
    return n;
  }
  override entries(caller: Task | undefined): DirEntry[] {
    return this.list(caller).map((e) => ({ name: e.name, ino: e.ino, type: dtypeOf(e.type) }));
  }
}

class ProcFile extends ProcNode {
  readonly type = 'reg';
  protected readonly fmt = S_IFREG;
  constructor(fs: ProcFs, ino: number, perm: number, owner: Owner, private readonly gen: (caller: Task | undefined) => string) {
    super(fs, ino, perm, owner);
  }
  override snapshot(caller: Task | undefined): Uint8Array {
    return new TextEncoder().encode(this.gen(caller));
  }
  override read(pos: number, len: number): Uint8Array {
    return this.snapshot(undefined).slice(pos, pos + len);
  }
  override write(): number {
    throw new Errno(E.IO);
  }
  override truncate(): void {
    // O_TRUNC on a proc file is accepted and does nothing, as on Linux.
  }
}

class ProcLink extends ProcNode {
  readonly type = 'lnk';
  protected readonly fmt = S_IFLNK;
  constructor(
    fs: ProcFs, ino: number, owner: Owner,
    private readonly target: (caller: Task | undefined) => string,
    private readonly magic?: (caller: Task | undefined) => VNode | undefined,
    perm = 0o777,
  ) {
    super(fs, ino, perm, owner);
  }
  override readlink(caller: Task | undefined): string {
    return this.target(caller);
  }
  override magicTarget(caller: Task | undefined): VNode | undefined {
    return this.magic?.(caller);
  }
}

const STATE_LETTER: Record<string, string> = { runnable: 'R', sleeping: 'S', stopped: 'T', zombie: 'Z' };
const STATE_TEXT: Record<string, string> = { runnable: 'R (running)', sleeping: 'S (sleeping)', stopped: 'T (stopped)', zombie: 'Z (zombie)' };

function vmBytes(t: Task): number {
  if (!t.mm) return 0;
  return t.mm.vmas.reduce((n, v) => n + (v.end - v.start), 0);
}

/** Signal masks of a task: pending, ignored and caught, as bigints (bit signo-1). */
function sigMasks(t: Task): { pending: bigint; ignored: bigint; caught: bigint } {
  let pending = 0n;
  for (const p of t.pending) pending |= 1n << BigInt(p.signo - 1);
  let ignored = 0n;
  let caught = 0n;
  for (let s = 1; s < t.sigactions.length; s++) {
    const h = t.sigactions[s].handler;
    if (h === 1 || h === 1n) ignored |= 1n << BigInt(s - 1);
    else if (h !== 0 && h !== 0n) caught |= 1n << BigInt(s - 1);
  }
  return { pending, ignored, caught };
}

function procStat(t: Task): string {
  const { pending, ignored, caught } = sigMasks(t);
  const startTicks = Math.floor(t.startNs / 1e7);
  const rss = t.mm ? t.mm.residentPages : 0;
  const f = [
    t.pid, `(${t.comm})`, STATE_LETTER[t.state] ?? 'R', t.ppid, t.pgid, t.sid, 0, -1, 0x400000,
    0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1, 0, startTicks, vmBytes(t), rss, '18446744073709551615',
    0, 0, 0, 0, 0, pending.toString(), t.blocked.toString(), ignored.toString(), caught.toString(),
    0, 0, 0, 17, 0, 0, 0, 0, 0, 0, 0, 0, t.brkStart, 0, 0, 0, 0, t.exitCode ?? 0,
  ];
  return f.join(' ') + '\n';
}

const hex16 = (v: bigint): string => v.toString(16).padStart(16, '0');

function procStatus(t: Task): string {
  const { pending, ignored, caught } = sigMasks(t);
  const kb = (bytes: number): string => `${String(Math.floor(bytes / 1024)).padStart(8)} kB`;
  return [
    `Name:\t${t.comm}`,
    `Umask:\t${t.umask.toString(8).padStart(4, '0')}`,
    `State:\t${STATE_TEXT[t.state] ?? 'R (running)'}`,
    `Tgid:\t${t.pid}`,
    `Ngid:\t0`,
    `Pid:\t${t.pid}`,
    `PPid:\t${t.ppid}`,
    `TracerPid:\t0`,
    `Uid:\t${t.uid}\t${t.euid}\t${t.suid}\t${t.euid}`,
    `Gid:\t${t.gid}\t${t.egid}\t${t.sgid}\t${t.egid}`,
    `FDSize:\t${Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(1, t.fds.slots.size))))}`,
    `Groups:\t`,
    `VmSize:\t${kb(vmBytes(t))}`,
    `VmRSS:\t${kb((t.mm ? t.mm.residentPages : 0) * 4096)}`,
    `Threads:\t1`,
    `SigQ:\t${t.pending.length}/63432`,
    `SigPnd:\t${hex16(pending)}`,
    `ShdPnd:\t${hex16(0n)}`,
    `SigBlk:\t${hex16(t.blocked)}`,
    `SigIgn:\t${hex16(ignored)}`,
    `SigCgt:\t${hex16(caught)}`,
    '',
  ].join('\n');
}

function procCmdline(t: Task): string {
  if (t.state === 'zombie') return '';
  return t.argv.map((a) => a + '\0').join('');
}

/** One line per VMA in Linux's layout: the name starts at column 73 of the line. */
function procMaps(t: Task): string {
  if (!t.mm) return '';
  let out = '';
  for (const v of t.mm.vmas) {
    const perms = (v.prot & 1 ? 'r' : '-') + (v.prot & 2 ? 'w' : '-') + (v.prot & 4 ? 'x' : '-') + 'p';
    let line = `${v.start.toString(16).padStart(8, '0')}-${v.end.toString(16).padStart(8, '0')} ${perms} 00000000 00:00 0 `;
    if (v.name) line = line.padEnd(72, ' ') + ' ' + v.name;
    out += line + '\n';
  }
  return out;
}
