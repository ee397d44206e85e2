// An in-memory HostFileSystem: a tree of files, directories and symlinks on absolute '/'-separated
// paths, with host (POSIX) semantics — intermediate symlinks are followed, errors carry ENOENT,
// EEXIST, ENOTDIR... codes. For tests and the library's in-memory machines.
import { HostFsError, type Host, type HostFileSystem, type HostReadHandle, type HostStat } from './host.js';

interface MemEntry {
  type: 'file' | 'dir' | 'symlink';
  ino: number;
  mode: number;
  data: Uint8Array;
  target: string;
  children: Map<string, MemEntry>;
  nlink: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
}

const SYMLINK_LIMIT = 40;

export class MemoryFileSystem implements HostFileSystem {
  private root: MemEntry;
  private nextIno = 2;

  constructor(private readonly nowMs: () => number = () => 0) {
    this.root = this.entry('dir', 0o755);
  }

  private entry(type: MemEntry['type'], mode: number): MemEntry {
    const t = this.nowMs();
    return {
      type, ino: this.nextIno++, mode, data: new Uint8Array(0), target: '', children: new Map(),
      nlink: type === 'dir' ? 2 : 1, atimeMs: t, mtimeMs: t, ctimeMs: t,
    };
  }

  private static parts(path: string): string[] {
    if (!path.startsWith('/')) throw new HostFsError('EINVAL', path, `EINVAL: not an absolute path: ${path}`);
    return path.split('/').filter((p) => p !== '' && p !== '.');
  }

  /** Walks path; follows symlinks in every component, and in the last one when followLast. */
  private walk(path: string, followLast: boolean): MemEntry {
    let queue = MemoryFileSystem.parts(path);
    let stack: MemEntry[] = [this.root];
    let links = 0;
    while (queue.length > 0) {
      const name = queue.shift()!;
      const dir = stack[stack.length - 1];
      if (dir.type !== 'dir') throw new HostFsError('ENOTDIR', path);
      if (name === '..') {
        if (stack.length > 1) stack.pop();
        continue;
      }
      const child = dir.children.get(name);
      if (!child) throw new HostFsError('ENOENT', path);
      if (child.type === 'symlink' && (queue.length > 0 || followLast)) {
        if (++links > SYMLINK_LIMIT) throw new HostFsError('ELOOP', path);
        if (child.target.startsWith('/')) stack = [this.root];
        queue = [...child.target.split('/').filter((p) => p !== '' && p !== '.'), ...queue];
        continue;
      }
      stack.push(child);
    }
    return stack[stack.length - 1];
  }

  private parentOf(path: string): { dir: MemEntry; name: string } {
    const parts = MemoryFileSystem.parts(path);
    const name = parts.pop();
    if (name === undefined || name === '..') throw new HostFsError('EEXIST', path);
    const dir = this.walk('/' + parts.join('/'), true);
    if (dir.type !== 'dir') throw new HostFsError('ENOTDIR', path);
    return { dir, name };
  }

  private statOf(e: MemEntry): HostStat {
    return {
      type: e.type, size: e.type === 'file' ? e.data.length : e.type === 'symlink' ? e.target.length : 4096,
      mode: e.mode, mtimeMs: e.mtimeMs, atimeMs: e.atimeMs, ctimeMs: e.ctimeMs, ino: e.ino, nlink: e.nlink,
    };
  }

  private fileAt(path: string): MemEntry {
    const e = this.walk(path, true);
    if (e.type === 'dir') throw new HostFsError('EISDIR', path);
    return e;
  }

  readFile(path: string): Uint8Array {
    return this.fileAt(path).data.slice();
  }

  writeFile(path: string, data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data.slice();
    let e: MemEntry;
    try {
      e = this.fileAt(path);
    } catch (err) {
      if (!(err instanceof HostFsError) || err.code !== 'ENOENT') throw err;
      const { dir, name } = this.parentOf(path);
      e = this.entry('file', 0o644);
      dir.children.set(name, e);
    }
    e.data = bytes;
    e.mtimeMs = e.ctimeMs = this.nowMs();
  }

  appendFile(path: string, data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    let old: Uint8Array = new Uint8Array(0);
    try {
      old = this.readFile(path);
    } catch (err) {
      if (!(err instanceof HostFsError) || err.code !== 'ENOENT') throw err;
    }
    const next = new Uint8Array(old.length + bytes.length);
    next.set(old);
    next.set(bytes, old.length);
    this.writeFile(path, next);
  }

  exists(path: string): boolean {
    try {
      this.walk(path, true);
      return true;
    } catch {
      return false;
    }
  }

  lstat(path: string): HostStat {
    return this.statOf(this.walk(path, false));
  }

  stat(path: string): HostStat {
    return this.statOf(this.walk(path, true));
  }

  readlink(path: string): string {
    const e = this.walk(path, false);
    if (e.type !== 'symlink') throw new HostFsError('EINVAL', path);
    return e.target;
  }

  readdir(path: string): string[] {
    const e = this.walk(path, true);
    if (e.type !== 'dir') throw new HostFsError('ENOTDIR', path);
    return [...e.children.keys()];
  }

  mkdir(path: string, recursive = false): void {
    if (recursive) {
      const parts = MemoryFileSystem.parts(path);
      for (let i = 1; i <= parts.length; i++) {
        const p = '/' + parts.slice(0, i).join('/');
        if (!this.exists(p)) this.mkdir(p, false);
      }
      return;
    }
    const { dir, name } = this.parentOf(path);
    if (dir.children.has(name)) throw new HostFsError('EEXIST', path);
    dir.children.set(name, this.entry('dir', 0o755));
    dir.nlink++;
  }

  rmdir(path: string): void {
    const { dir, name } = this.parentOf(path);
    const e = dir.children.get(name);
    if (!e) throw new HostFsError('ENOENT', path);
    if (e.type !== 'dir') throw new HostFsError('ENOTDIR', path);
    if (e.children.size > 0) throw new HostFsError('ENOTEMPTY', path);
    dir.children.delete(name);
    dir.nlink--;
  }

  unlink(path: string): void {
    const { dir, name } = this.parentOf(path);
    const e = dir.children.get(name);
    if (!e) throw new HostFsError('ENOENT', path);
    if (e.type === 'dir') throw new HostFsError('EISDIR', path);
    dir.children.delete(name);
    e.nlink--;
  }

  rename(from: string, to: string): void {
    const a = this.parentOf(from);
    const e = a.dir.children.get(a.name);
    if (!e) throw new HostFsError('ENOENT', from);
    const b = this.parentOf(to);
    const old = b.dir.children.get(b.name);
    if (old === e) return;
    if (old) {
      if (old.type === 'dir' && e.type !== 'dir') throw new HostFsError('EISDIR', to);
      if (old.type !== 'dir' && e.type === 'dir') throw new HostFsError('ENOTDIR', to);
      if (old.type === 'dir' && old.children.size > 0) throw new HostFsError('ENOTEMPTY', to);
    }
    a.dir.children.delete(a.name);
    b.dir.children.set(b.name, e);
  }

  truncate(path: string, length: number): void {
    const e = this.fileAt(path);
    const next = new Uint8Array(length);
    next.set(e.data.subarray(0, Math.min(length, e.data.length)));
    e.data = next;
    e.mtimeMs = e.ctimeMs = this.nowMs();
  }

  chmod(path: string, mode: number): void {
    const e = this.walk(path, true);
    e.mode = mode & 0o7777;
    e.ctimeMs = this.nowMs();
  }

  withLock<T>(_path: string, fn: () => T): T {
    return fn();
  }

  openRead(path: string): HostReadHandle {
    const e = this.fileAt(path);
    return {
      read: (buf, position) => {
        const n = Math.max(0, Math.min(buf.length, e.data.length - position));
        buf.set(e.data.subarray(position, position + n));
        return n;
      },
      size: () => e.data.length,
      close: () => {},
    };
  }

  readAt(path: string, position: number, length: number): Uint8Array {
    const e = this.fileAt(path);
    return e.data.slice(position, position + length);
  }

  writeAt(path: string, position: number, data: Uint8Array): number {
    const e = this.fileAt(path);
    const end = position + data.length;
    if (end > e.data.length) {
      const next = new Uint8Array(end);
      next.set(e.data);
      e.data = next;
    }
    e.data.set(data, position);
    e.mtimeMs = e.ctimeMs = this.nowMs();
    return data.length;
  }

  symlink(target: string, path: string): void {
    const { dir, name } = this.parentOf(path);
    if (dir.children.has(name)) throw new HostFsError('EEXIST', path);
    const e = this.entry('symlink', 0o777);
    e.target = target;
    dir.children.set(name, e);
  }

  link(existingPath: string, newPath: string): void {
    const e = this.walk(existingPath, false);
    if (e.type === 'dir') throw new HostFsError('EPERM', existingPath);
    const { dir, name } = this.parentOf(newPath);
    if (dir.children.has(name)) throw new HostFsError('EEXIST', newPath);
    dir.children.set(name, e);
    e.nlink++;
  }
}

/**
 * A whole Host in memory: a MemoryFileSystem, a fixed wall clock, no terminal and no input. For
 * the library's in-memory machines, the fuzzer and tests.
 */
export function memoryHost(opts: { cwd?: string; wallMs?: number; fileTimesMs?: number } = {}): Host {
  const wallMs = opts.wallMs ?? 1_700_000_000_000;
  const fileTimesMs = opts.fileTimesMs ?? 0;
  const cwd = opts.cwd ?? '/';
  return {
    fs: new MemoryFileSystem(() => fileTimesMs),
    clock: { wallMs: () => wallMs, monotonicNs: () => 0 },
    cwd: () => cwd,
    env: {},
    stdout: () => undefined,
    stderr: () => undefined,
    readStdin: () => new Uint8Array(0),
    isatty: () => false,
    stateDir: () => '/state',
    sleepMs: () => undefined,
  };
}
