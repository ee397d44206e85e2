// The host interface: everything the core (kernel, compilers, tracers, formatters) needs from the
// outside world comes through here, so the core imports nothing from Node and can later run in a
// browser. host/node.ts implements it for Node; tests may use host/memory.ts.

/** An error from the host file system, with an errno-style code (ENOENT, EEXIST, EACCES, ...). */
export class HostFsError extends Error {
  constructor(
    readonly code: string,
    readonly path: string,
    message?: string,
  ) {
    super(message ?? `${code}: ${path}`);
    this.name = 'HostFsError';
  }
}

export interface HostStat {
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  /** Permission bits (0o777 part). */
  mode: number;
  mtimeMs: number;
  atimeMs: number;
  ctimeMs: number;
  ino: number;
  nlink: number;
}

/** Synchronous file access on absolute host paths. Every method throws HostFsError on failure. */
export interface HostFileSystem {
  readFile(path: string): Uint8Array;
  writeFile(path: string, data: Uint8Array | string): void;
  /** Appends with O_APPEND in a single write, so concurrent appenders never interleave a record. */
  appendFile(path: string, data: Uint8Array | string): void;
  exists(path: string): boolean;
  /** lstat: does not follow a final symlink. */
  lstat(path: string): HostStat;
  stat(path: string): HostStat;
  readlink(path: string): string;
  readdir(path: string): string[];
  mkdir(path: string, recursive?: boolean): void;
  rmdir(path: string): void;
  unlink(path: string): void;
  rename(from: string, to: string): void;
  truncate(path: string, length: number): void;
  chmod(path: string, mode: number): void;
  /** Runs fn while holding an exclusive lock named by path (a lock file); for short critical sections. */
  withLock<T>(path: string, fn: () => T): T;
  /** Opens a file for streaming reads; used by kdump on large traces. */
  openRead(path: string): HostReadHandle;
  /** Reads up to length bytes at position (fewer at end of file). Optional: the VFS falls back to
   *  readFile. Must not follow a final symlink's target outside what lstat showed (a regular file). */
  readAt?(path: string, position: number, length: number): Uint8Array;
  /** Writes data at position of an existing file, extending it; returns the count. Optional: the
   *  VFS falls back to readFile + writeFile. */
  writeAt?(path: string, position: number, data: Uint8Array): number;
  /** Creates a symbolic link at path whose text is target. Optional: EPERM without it. */
  symlink?(target: string, path: string): void;
  /** Creates a hard link newPath to existingPath. Optional: EPERM without it. */
  link?(existingPath: string, newPath: string): void;
}

export interface HostReadHandle {
  /** Reads up to buf.length bytes at position; returns the count (0 at end of file). */
  read(buf: Uint8Array, position: number): number;
  size(): number;
  close(): void;
}

export interface HostClock {
  /** Wall-clock time, milliseconds since the epoch. */
  wallMs(): number;
  /** A monotonic clock in nanoseconds (arbitrary origin). */
  monotonicNs(): number;
}

export interface Host {
  fs: HostFileSystem;
  clock: HostClock;
  /** The host path separator-free current directory (absolute, '/'-separated). */
  cwd(): string;
  env: Record<string, string | undefined>;
  /** Terminal output. */
  stdout(data: Uint8Array | string): void;
  stderr(data: Uint8Array | string): void;
  /** Reads whatever standard input holds, synchronously; empty at end of input. */
  readStdin(max: number): Uint8Array;
  /** Whether standard output / input is a terminal (line-buffered stdio, /dev/tty). */
  isatty(fd: 0 | 1 | 2): boolean;
  /** The user's state directory for the default machine (XDG_STATE_HOME/ksim or ~/.local/state/ksim). */
  stateDir(): string;
  /** Sleeps the host thread (used by follow modes like dmesg -w, kdump -l). */
  sleepMs(ms: number): void;
}
