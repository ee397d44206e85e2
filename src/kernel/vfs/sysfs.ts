// /sys on Linux machines, with what ksim's kernel has to show there: /sys/kernel/debug/kmemleak
// (debugfs), the kmemleak report of the suspected leaks found so far, and the commands written to it
// ("scan", "clear"). Directories are read-only; files are text made when opened, like procfs.
import { E, Errno } from '../errno.js';
import type { KStat } from '../file.js';
import type { Task } from '../task.js';
import { S_IFDIR, S_IFREG } from './constants.js';
import { dtypeOf, type DirEntry, type FsInstance, type VType, PseudoNode, VNode } from './vnode.js';

/** What /sys/kernel/debug/kmemleak reads and writes. */
export interface KmemleakFile {
  /** The report (print_unreferenced of every reported leak still unreferenced). */
  report(): string;
  /** A command written to the file; throws an Errno for an unknown one. */
  command(cmd: string): void;
}

export interface SysSource {
  kmemleak(): KmemleakFile;
  /** Wall-clock ns for node times. */
  timeNs(): number;
}

export class SysFs implements FsInstance {
  readonly type = 'sysfs';
  readonly readOnly = false;
  root: VNode;
  mountpoint?: VNode;

  constructor(
    readonly dev: number,
    readonly src: SysSource,
  ) {
    const kmemleak = new SysFile(this, 4, 0o644, () => src.kmemleak().report(), (text) => src.kmemleak().command(text));
    const debug = new SysDir(this, 3, 0o700, { kmemleak });
    const kernel = new SysDir(this, 2, 0o755, { debug });
    this.root = new SysDir(this, 1, 0o755, { kernel });
  }
}

abstract class SysNode extends PseudoNode {
  constructor(
    readonly fs: SysFs,
    private readonly inoValue: number,
    protected readonly perm: number,
  ) {
    super();
  }
  get ino(): number {
    return this.inoValue;
  }
  protected abstract readonly fmt: number;
  stat(): KStat {
    const t = this.fs.src.timeNs();
    return {
      dev: this.fs.dev, ino: this.inoValue, mode: this.fmt | this.perm, nlink: this.type === 'dir' ? 2 : 1,
      uid: 0, gid: 0, rdev: 0, size: 0, blksize: 4096, blocks: 0, atimeNs: t, mtimeNs: t, ctimeNs: t,
    };
  }
}

class SysDir extends SysNode {
  readonly type: VType = 'dir';
  protected readonly fmt = S_IFDIR;
  constructor(fs: SysFs, ino: number, perm: number, private readonly children: Record<string, SysNode>) {
    super(fs, ino, perm);
    for (const [name, c] of Object.entries(children)) {
      c.name = name;
      c.parent = this;
    }
  }
  override lookup(name: string, _task: Task | undefined): VNode | undefined {
    return this.children[name];
  }
  override entries(): DirEntry[] {
    return Object.entries(this.children).map(([name, c]) => ({ name, ino: c.ino, type: dtypeOf(c.type) }));
  }
}

class SysFile extends SysNode {
  readonly type: VType = 'reg';
  protected readonly fmt = S_IFREG;
  constructor(fs: SysFs, ino: number, perm: number, private readonly gen: () => string, private readonly onWrite: (text: string) => void) {
    super(fs, ino, perm);
  }
  override snapshot(): Uint8Array {
    return new TextEncoder().encode(this.gen());
  }
  override read(pos: number, len: number): Uint8Array {
    return this.snapshot().slice(pos, pos + len);
  }
  override write(_pos: number, data: Uint8Array): number {
    this.onWrite(new TextDecoder().decode(data));
    return data.length;
  }
  override truncate(): void {
    // O_TRUNC (a shell's `>`) is accepted and does nothing, as on debugfs files.
  }
}
