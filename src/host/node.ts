// The Host interface implemented with Node: real files, the process clock, the terminal.
// Only commands and the Node-facing library entry points import this file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostFsError, type Host, type HostFileSystem, type HostReadHandle, type HostStat } from './host.js';

function wrap<T>(p: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string') throw new HostFsError(err.code, p, err.message);
    throw e;
  }
}

function toStat(s: fs.Stats): HostStat {
  return {
    type: s.isFile() ? 'file' : s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : 'other',
    size: s.size,
    mode: s.mode & 0o7777,
    mtimeMs: s.mtimeMs,
    atimeMs: s.atimeMs,
    ctimeMs: s.ctimeMs,
    ino: s.ino,
    nlink: s.nlink,
  };
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export class NodeFileSystem implements HostFileSystem {
  readFile(p: string): Uint8Array {
    return wrap(p, () => new Uint8Array(fs.readFileSync(p)));
  }
  writeFile(p: string, data: Uint8Array | string): void {
    wrap(p, () => fs.writeFileSync(p, data));
  }
  appendFile(p: string, data: Uint8Array | string): void {
    wrap(p, () => {
      const fd = fs.openSync(p, 'a');
      try {
        fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      } finally {
        fs.closeSync(fd);
      }
    });
  }
  exists(p: string): boolean {
    return fs.existsSync(p);
  }
  lstat(p: string): HostStat {
    return wrap(p, () => toStat(fs.lstatSync(p)));
  }
  stat(p: string): HostStat {
    return wrap(p, () => toStat(fs.statSync(p)));
  }
  readlink(p: string): string {
    return wrap(p, () => fs.readlinkSync(p));
  }
  readdir(p: string): string[] {
    return wrap(p, () => fs.readdirSync(p));
  }
  mkdir(p: string, recursive = false): void {
    if (!recursive) {
      wrap(p, () => fs.mkdirSync(p));
      return;
    }
    // Component by component: Node's own recursive mkdir can spin forever on some file systems
    // (e.g. under /proc), and each step here fails with a clear error instead.
    let cur = '';
    for (const part of p.split('/')) {
      if (!part) {
        cur = cur || '/';
        continue;
      }
      cur = cur === '/' ? `/${part}` : cur ? `${cur}/${part}` : part;
      if (fs.existsSync(cur)) continue;
      wrap(cur, () => fs.mkdirSync(cur));
    }
  }
  rmdir(p: string): void {
    wrap(p, () => fs.rmdirSync(p));
  }
  unlink(p: string): void {
    wrap(p, () => fs.unlinkSync(p));
  }
  rename(from: string, to: string): void {
    wrap(from, () => fs.renameSync(from, to));
  }
  truncate(p: string, length: number): void {
    wrap(p, () => fs.truncateSync(p, length));
  }
  chmod(p: string, mode: number): void {
    wrap(p, () => fs.chmodSync(p, mode));
  }
  withLock<T>(p: string, fn: () => T): T {
    const lock = p.endsWith('.lock') ? p : `${p}.lock`;
    const start = Date.now();
    for (;;) {
      try {
        fs.mkdirSync(lock);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        // A lock older than 10 s belongs to a killed process: break it.
        try {
          if (Date.now() - fs.statSync(lock).mtimeMs > 10_000) fs.rmdirSync(lock);
        } catch {
          /* someone else broke it */
        }
        if (Date.now() - start > 30_000) throw new HostFsError('ETIMEDOUT', lock, `timed out waiting for ${lock}`);
        Atomics.wait(sleepCell, 0, 0, 1);
      }
    }
    try {
      return fn();
    } finally {
      try {
        fs.rmdirSync(lock);
      } catch {
        /* already gone */
      }
    }
  }
  readAt(p: string, position: number, length: number): Uint8Array {
    return wrap(p, () => {
      const fd = fs.openSync(p, 'r');
      try {
        const buf = new Uint8Array(length);
        let got = 0;
        while (got < length) {
          const n = fs.readSync(fd, buf, got, length - got, position + got);
          if (n === 0) break;
          got += n;
        }
        return buf.subarray(0, got);
      } finally {
        fs.closeSync(fd);
      }
    });
  }
  writeAt(p: string, position: number, data: Uint8Array): number {
    return wrap(p, () => {
      const fd = fs.openSync(p, 'r+');
      try {
        let done = 0;
        while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done, position + done);
        return done;
      } finally {
        fs.closeSync(fd);
      }
    });
  }
  symlink(target: string, p: string): void {
    wrap(p, () => fs.symlinkSync(target, p));
  }
  link(existing: string, p: string): void {
    wrap(p, () => fs.linkSync(existing, p));
  }
  openRead(p: string): HostReadHandle {
    const fd = wrap(p, () => fs.openSync(p, 'r'));
    return {
      read: (buf, position) => fs.readSync(fd, buf, 0, buf.length, position),
      size: () => fs.fstatSync(fd).size,
      close: () => fs.closeSync(fd),
    };
  }
}

export function createNodeHost(): Host {
  return {
    fs: new NodeFileSystem(),
    clock: {
      wallMs: () => Date.now(),
      monotonicNs: () => Number(process.hrtime.bigint()),
    },
    cwd: () => process.cwd().split(path.sep).join('/'),
    env: process.env,
    stdout: (d) => {
      writeAllSync(1, d);
    },
    stderr: (d) => {
      writeAllSync(2, d);
    },
    readStdin: (max) => {
      const buf = Buffer.alloc(max);
      for (;;) {
        try {
          const n = fs.readSync(0, buf, 0, max, null);
          return new Uint8Array(buf.subarray(0, n));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') {
            Atomics.wait(sleepCell, 0, 0, 5);
            continue;
          }
          if (code === 'EOF') return new Uint8Array(0);
          return new Uint8Array(0);
        }
      }
    },
    isatty: (fd) => {
      try {
        return !!(fd === 0 ? process.stdin.isTTY : fd === 1 ? process.stdout.isTTY : process.stderr.isTTY);
      } catch {
        return false;
      }
    },
    stateDir: () => {
      const xdg = process.env.XDG_STATE_HOME;
      return (xdg ? path.join(xdg, 'ksim') : path.join(os.homedir(), '.local', 'state', 'ksim')).split(path.sep).join('/');
    },
    sleepMs: (ms) => {
      Atomics.wait(sleepCell, 0, 0, ms);
    },
  };
}

/** Writes everything, synchronously, retrying on EAGAIN (a non-blocking pipe). */
function writeAllSync(fd: number, data: Uint8Array | string): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(sleepCell, 0, 0, 1);
        continue;
      }
      if (code === 'EPIPE') return;
      throw e;
    }
  }
}
