// A minimal in-memory Host for kdump's command-line tests (files, stdout/stderr capture, sleep).
import { HostFsError } from '../../src/host/host.js';
import type { Host, HostReadHandle, HostStat } from '../../src/host/host.js';

export interface MemoryHost extends Host {
  out(): string;
  errText(): string;
  files: Map<string, Uint8Array>;
  onSleep?: () => void;
}

export function createMemoryHost(): MemoryHost {
  const files = new Map<string, Uint8Array>();
  let out = '';
  let err = '';
  const dec = new TextDecoder();
  const text = (d: Uint8Array | string): string => (typeof d === 'string' ? d : dec.decode(d));
  const bytes = (d: Uint8Array | string): Uint8Array => (typeof d === 'string' ? new TextEncoder().encode(d) : d);
  const get = (p: string): Uint8Array => {
    const f = files.get(p);
    if (!f) throw new HostFsError('ENOENT', p);
    return f;
  };
  const unsupported = (): never => {
    throw new HostFsError('ENOSYS', '');
  };
  const host: MemoryHost = {
    files,
    fs: {
      readFile: get,
      writeFile: (p, d) => void files.set(p, bytes(d)),
      appendFile: (p, d) => {
        const old = files.get(p) ?? new Uint8Array(0);
        const n = bytes(d);
        const c = new Uint8Array(old.length + n.length);
        c.set(old);
        c.set(n, old.length);
        files.set(p, c);
      },
      exists: (p) => files.has(p),
      lstat: (p): HostStat => ({ type: 'file', size: get(p).length, mode: 0o644, mtimeMs: 0, atimeMs: 0, ctimeMs: 0, ino: 1, nlink: 1 }),
      stat: (p): HostStat => ({ type: 'file', size: get(p).length, mode: 0o644, mtimeMs: 0, atimeMs: 0, ctimeMs: 0, ino: 1, nlink: 1 }),
      readlink: unsupported, readdir: unsupported, mkdir: unsupported, rmdir: unsupported,
      unlink: (p) => void files.delete(p), rename: unsupported, truncate: unsupported, chmod: unsupported,
      withLock: (_p, fn) => fn(),
      openRead: (p): HostReadHandle => {
        get(p);
        return {
          read: (buf, pos) => {
            const f = get(p);
            const n = Math.max(0, Math.min(buf.length, f.length - pos));
            buf.set(f.subarray(pos, pos + n));
            return n;
          },
          size: () => get(p).length,
          close: () => undefined,
        };
      },
    },
    clock: { wallMs: () => 0, monotonicNs: () => 0 },
    cwd: () => '/work',
    env: {},
    stdout: (d) => void (out += text(d)),
    stderr: (d) => void (err += text(d)),
    readStdin: () => new Uint8Array(0),
    isatty: () => false,
    stateDir: () => '/state',
    sleepMs: () => host.onSleep?.(),
    out: () => out,
    errText: () => err,
  };
  return host;
}
