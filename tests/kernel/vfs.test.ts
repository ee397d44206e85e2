// The VFS: a host directory mounted read-write or read-only (and attempts to escape it), procfs
// generated from tasks, namei observation, the tmpfs size limit, and the in-memory host file system.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BufferConsole } from '../../src/kernel/console.js';
import { E, Errno } from '../../src/kernel/errno.js';
import { AT_FDCWD, O_APPEND, O_CREAT, O_DIRECTORY, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY } from '../../src/kernel/vfs/constants.js';
import { Vfs } from '../../src/kernel/vfs/vfs.js';
import { MemoryFileSystem } from '../../src/host/memory-fs.js';
import { HostFsError } from '../../src/host/host.js';
import { NodeFileSystem } from '../../src/host/node.js';
import { TestMachine, type TestTask } from './fs-syscalls-harness.js';

function listDir(p: TestTask, dirPath: string): string[] | number {
  const fd = p.open(dirPath, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return fd;
  const names: string[] = [];
  const buf = p.alloc(4096);
  for (;;) {
    const n = p.call('getdents64', fd, buf, 4096) as number;
    if (n <= 0) break;
    const b = p.read(buf, n);
    const v = new DataView(b.buffer);
    for (let off = 0; off < n;) {
      const reclen = v.getUint16(off + 16, true);
      const name = b.subarray(off + 19, off + reclen);
      names.push(new TextDecoder().decode(name.subarray(0, name.indexOf(0))));
      off += reclen;
    }
  }
  p.call('close', fd);
  return names.filter((x) => x !== '.' && x !== '..').sort();
}

function readAll(p: TestTask, file: string): string | number {
  const fd = p.open(file, O_RDONLY);
  if (fd < 0) return fd;
  let out = '';
  for (;;) {
    const s = p.readStr(fd, 4096);
    if (typeof s !== 'string') return s as number;
    if (s === '') break;
    out += s;
  }
  p.call('close', fd);
  return out;
}

describe('a host directory mounted read-write', () => {
  let top: string;
  let mnt: string;
  let m: TestMachine;
  let p: TestTask;

  beforeEach(() => {
    top = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-vfs-'));
    mnt = path.join(top, 'mnt');
    fs.mkdirSync(path.join(mnt, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(mnt, 'hello.txt'), 'hello from the host\n');
    fs.writeFileSync(path.join(mnt, 'sub', 'inner.txt'), 'inner\n');
    fs.writeFileSync(path.join(top, 'secret.txt'), 'HOST SECRET\n');
    fs.symlinkSync('/etc/passwd', path.join(mnt, 'abs-link'));
    fs.symlinkSync('../..', path.join(mnt, 'up-link'));
    fs.symlinkSync('../secret.txt', path.join(mnt, 'secret-link'));
    fs.symlinkSync(path.join(top, 'secret.txt'), path.join(mnt, 'host-abs-link'));
    fs.symlinkSync('sub/inner.txt', path.join(mnt, 'rel-link'));
    m = new TestMachine({ hostFs: new NodeFileSystem(), mounts: [{ at: '/home/user', hostDir: mnt, readOnly: false, uid: 1000, gid: 1000 }] });
    m.vfs.writeFile('/etc/passwd', 'root:x:0:0:emulated:/root:/bin/sh\n');
    p = m.task(100, 1000, '/home/user');
  });

  afterEach(() => {
    fs.rmSync(top, { recursive: true, force: true });
  });

  it('reads host files, lists them, and reports the mount owner', () => {
    expect(readAll(p, 'hello.txt')).toBe('hello from the host\n');
    expect(readAll(p, '/home/user/sub/inner.txt')).toBe('inner\n');
    expect(readAll(p, 'rel-link')).toBe('inner\n');
    expect(listDir(p, '.')).toEqual(['abs-link', 'hello.txt', 'host-abs-link', 'rel-link', 'secret-link', 'sub', 'up-link']);
    const st = p.stat('hello.txt') as { uid: number; size: number; mode: number };
    expect(st.uid).toBe(1000);
    expect(st.size).toBe(20);
    expect(st.mode & 0o170000).toBe(0o100000);
  });

  it('never reaches host files outside the mount', () => {
    // `..` above the mount stays in the emulated namespace.
    expect(readAll(p, '../../../../etc/passwd')).toBe('root:x:0:0:emulated:/root:/bin/sh\n');
    expect(readAll(p, '../secret.txt')).toBe(-E.NOENT);
    expect(readAll(p, '/home/user/../secret.txt')).toBe(-E.NOENT);
    // Host symlinks are resolved in the emulated namespace.
    expect(readAll(p, 'abs-link')).toBe('root:x:0:0:emulated:/root:/bin/sh\n');
    expect(readAll(p, 'secret-link')).toBe(-E.NOENT);
    expect(readAll(p, 'host-abs-link')).toBe(-E.NOENT);
    expect(listDir(p, 'up-link')).toEqual(['bin', 'dev', 'etc', 'home', 'proc', 'tmp']);
    expect(readAll(p, 'up-link/etc/passwd')).toBe('root:x:0:0:emulated:/root:/bin/sh\n');
    // Writing through an escaping link cannot touch the host file either.
    expect(p.open('secret-link', O_WRONLY | O_TRUNC)).toBe(-E.NOENT);
    expect(fs.readFileSync(path.join(top, 'secret.txt'), 'utf8')).toBe('HOST SECRET\n');
    // `..` of the mount root is the emulated /home.
    const home = p.stat('/home') as { ino: number };
    expect((p.stat('/home/user/..') as { ino: number }).ino).toBe(home.ino);
    p.call('chdir', p.str('/home/user/sub/../..'));
    expect(p.t.cwd).toBe('/home');
  });

  it('creates, writes, appends, truncates, renames and removes host files', () => {
    const fd = p.open('new.txt', O_CREAT | O_WRONLY, 0o640);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(p.writeStr(fd, 'first line\n')).toBe(11);
    expect(fs.readFileSync(path.join(mnt, 'new.txt'), 'utf8')).toBe('first line\n');
    expect(fs.statSync(path.join(mnt, 'new.txt')).mode & 0o777).toBe(0o640 & ~0o022);
    const ap = p.open('new.txt', O_WRONLY | O_APPEND);
    p.writeStr(ap, 'second\n');
    expect(fs.readFileSync(path.join(mnt, 'new.txt'), 'utf8')).toBe('first line\nsecond\n');
    const rw = p.open('new.txt', O_RDWR);
    expect(p.call('pwrite64', rw, p.bytes('FIRST'), 5, 0)).toBe(5);
    expect(readAll(p, 'new.txt')).toBe('FIRST line\nsecond\n');
    expect(p.call('ftruncate', rw, 5)).toBe(0);
    expect(fs.readFileSync(path.join(mnt, 'new.txt'), 'utf8')).toBe('FIRST');
    expect(p.open('new.txt', O_CREAT | O_WRONLY | 0o200)).toBe(-E.EXIST);
    expect(p.call('rename', p.str('new.txt'), p.str('sub/moved.txt'))).toBe(0);
    expect(fs.existsSync(path.join(mnt, 'sub', 'moved.txt'))).toBe(true);
    expect(p.call('rename', p.str('sub/moved.txt'), p.str('/tmp/x'))).toBe(-E.XDEV);
    expect(p.call('mkdir', p.str('dir'), 0o755)).toBe(0);
    expect(fs.statSync(path.join(mnt, 'dir')).isDirectory()).toBe(true);
    expect(p.call('rmdir', p.str('sub'))).toBe(-E.NOTEMPTY);
    expect(p.call('unlink', p.str('sub/moved.txt'))).toBe(0);
    expect(p.call('unlink', p.str('dir'))).toBe(-E.ISDIR);
    expect(p.call('rmdir', p.str('dir'))).toBe(0);
    expect(fs.existsSync(path.join(mnt, 'dir'))).toBe(false);
    expect(p.call('chmod', p.str('hello.txt'), 0o600)).toBe(0);
    expect(fs.statSync(path.join(mnt, 'hello.txt')).mode & 0o777).toBe(0o600);
    // The Node host has no symlink/link support in its interface yet: EPERM, never a stub success.
    const r = p.call('symlink', p.str('x'), p.str('made-link'));
    expect(r === 0 || r === -E.PERM).toBe(true);
    const linkExists = (() => {
      try {
        return fs.lstatSync(path.join(mnt, 'made-link')).isSymbolicLink();
      } catch {
        return false;
      }
    })();
    expect(linkExists).toBe(r === 0);
  });

  it('does not let `..` through a mounted directory name escape either', () => {
    expect(p.open('sub/../../user/hello.txt', O_RDONLY)).toBeGreaterThanOrEqual(0);
    expect(readAll(p, 'sub/../../../tmp/../home/user/hello.txt')).toBe('hello from the host\n');
  });
});

describe('a host directory mounted read-only', () => {
  it('reads, and fails every change with EROFS', () => {
    const host = new MemoryFileSystem();
    host.mkdir('/data', true);
    host.writeFile('/data/f.txt', 'read only\n');
    host.mkdir('/data/d');
    const m = new TestMachine({ hostFs: host, mounts: [{ at: '/mnt', hostDir: '/data', readOnly: true }] });
    const p = m.task(1, 0, '/mnt');
    expect(readAll(p, 'f.txt')).toBe('read only\n');
    expect(p.open('f.txt', O_WRONLY)).toBe(-E.ROFS);
    expect(p.open('f.txt', O_RDONLY | O_TRUNC)).toBe(-E.ROFS);
    expect(p.open('g.txt', O_CREAT | O_WRONLY)).toBe(-E.ROFS);
    expect(p.open('f.txt', O_CREAT | O_RDONLY)).toBeGreaterThanOrEqual(0);
    expect(p.call('mkdir', p.str('e'), 0o755)).toBe(-E.ROFS);
    expect(p.call('mkdir', p.str('d'), 0o755)).toBe(-E.EXIST);
    expect(p.call('rmdir', p.str('d'))).toBe(-E.ROFS);
    expect(p.call('unlink', p.str('f.txt'))).toBe(-E.ROFS);
    expect(p.call('rename', p.str('f.txt'), p.str('h.txt'))).toBe(-E.ROFS);
    expect(p.call('symlink', p.str('f.txt'), p.str('l'))).toBe(-E.ROFS);
    expect(p.call('chmod', p.str('f.txt'), 0o777)).toBe(-E.ROFS);
    expect(p.call('truncate', p.str('f.txt'), 0)).toBe(-E.ROFS);
    expect(p.call('access', p.str('f.txt'), 2)).toBe(-E.ROFS);
    expect(p.call('access', p.str('f.txt'), 4)).toBe(0);
    expect(new TextDecoder().decode(host.readFile('/data/f.txt'))).toBe('read only\n');
  });

  it('works over the in-memory host with symlinks and positional I/O', () => {
    const host = new MemoryFileSystem();
    host.mkdir('/w', true);
    const m = new TestMachine({ hostFs: host, mounts: [{ at: '/w', hostDir: '/w', readOnly: false }] });
    const p = m.task(1, 0, '/w');
    expect(p.call('symlink', p.str('/etc/hostname'), p.str('l'))).toBe(0);
    expect(host.readlink('/w/l')).toBe('/etc/hostname');
    m.vfs.writeFile('/etc/hostname', 'ksim\n');
    expect(readAll(p, 'l')).toBe('ksim\n');
    const fd = p.open('f', O_CREAT | O_RDWR);
    p.writeStr(fd, 'abcdef');
    expect(p.call('pwrite64', fd, p.bytes('Z'), 1, 10)).toBe(1);
    expect([...host.readFile('/w/f')]).toEqual([97, 98, 99, 100, 101, 102, 0, 0, 0, 0, 90]);
    expect(p.call('link', p.str('f'), p.str('g'))).toBe(0);
    expect((p.stat('g') as { nlink: number }).nlink).toBe(2);
  });
});

describe('procfs', () => {
  it('shows the caller as /proc/self with stat, status, cmdline, comm and fd links', () => {
    const m = new TestMachine();
    m.nowNs = 12_340_000_000;
    m.tainted = 4096;
    const p = m.task(42, 0, '/tmp');
    p.t.comm = 'prog';
    p.t.argv = ['./prog', 'a b', 'c'];
    const buf = p.alloc(64);
    expect(p.call('readlink', p.str('/proc/self'), buf, 64)).toBe(2);
    expect(p.text(buf, 2)).toBe('42');
    expect(readAll(p, '/proc/self/cmdline')).toBe('./prog\0a b\0c\0');
    expect(readAll(p, '/proc/42/comm')).toBe('prog\n');
    const stat = readAll(p, '/proc/self/stat') as string;
    expect(stat.startsWith('42 (prog) R 1 42 42 0 -1 ')).toBe(true);
    expect(stat.trim().split(' ')).toHaveLength(52);
    const status = readAll(p, '/proc/self/status') as string;
    expect(status).toContain('Name:\tprog\n');
    expect(status).toContain('Pid:\t42\n');
    expect(status).toContain('PPid:\t1\n');
    expect(status).toContain('Umask:\t0022\n');
    expect(readAll(p, '/proc/version')).toBe('Linux version 6.8.0-ksim (ksim@ksim) (ksim cc) #1 SMP PREEMPT_DYNAMIC\n');
    expect(readAll(p, '/proc/uptime')).toBe('12.34 0.00\n');
    expect(readAll(p, '/proc/sys/kernel/tainted')).toBe('4096\n');
    expect(readAll(p, '/proc/sys/kernel/osrelease')).toBe('6.8.0-ksim\n');
    const fd = p.open('/tmp/file', O_CREAT | O_RDWR);
    p.writeStr(fd, 'via proc');
    expect(fd).toBe(0);
    expect(listDir(p, '/proc/self/fd')).toEqual(['0', '1']); // the file, and the directory being listed
    expect(p.call('readlink', p.str(`/proc/self/fd/${fd}`), buf, 64)).toBe(9);
    expect(p.text(buf, 9)).toBe('/tmp/file');
    // The fd link leads to the open file's node, even after the name is gone.
    p.call('unlink', p.str('/tmp/file'));
    expect(readAll(p, `/proc/self/fd/${fd}`)).toBe('via proc');
    expect(readAll(p, '/dev/fd/' + fd)).toBe('via proc');
  });

  it('lists tasks, formats maps as Linux does, and refuses creation', () => {
    const m = new TestMachine();
    const a = m.task(7, 0, '/');
    m.task(9, 1000, '/');
    expect(listDir(a, '/proc')).toEqual(['7', '9', 'self', 'sys', 'uptime', 'version']);
    a.t.mm.vmas[0].name = '[heap]';
    const maps = (readAll(a, '/proc/7/maps') as string).split('\n');
    expect(maps[0]).toBe('00010000-00110000 rw-p 00000000 00:00 0' + ' '.repeat(34) + '[heap]');
    expect(maps[0].indexOf('[heap]')).toBe(73);
    expect(maps[1]).toBe('00200000-00201000 r--p 00000000 00:00 0 ');
    expect(a.open('/proc/new', O_CREAT | O_WRONLY)).toBe(-E.NOENT);
    expect(a.call('mkdir', a.str('/proc/d'), 0o755)).toBe(-E.NOENT);
    expect(a.open('/proc/12345/stat', O_RDONLY)).toBe(-E.NOENT);
    expect((a.stat('/proc/9') as { uid: number }).uid).toBe(1000);
    const u = m.task(11, 1000, '/');
    expect(u.open('/proc/7/fd', O_RDONLY | O_DIRECTORY)).toBe(-E.ACCES);
  });
});

describe('namei observation and *at() bases', () => {
  it('reports each path argument once and resolves relative to a dirfd', () => {
    const m = new TestMachine();
    const p = m.task(1, 0, '/');
    p.call('mkdir', p.str('/tmp/base'), 0o755);
    const d = p.open('/tmp/base', O_RDONLY | O_DIRECTORY);
    expect(p.call('openat', d, p.str('rel'), O_CREAT | O_WRONLY, 0o644)).toBeGreaterThanOrEqual(0);
    expect(p.stat('/tmp/base/rel')).not.toBeTypeOf('number');
    m.namei.length = 0;
    p.call('rename', p.str('/tmp/base/rel'), p.str('/tmp/base/rel2'));
    p.call('openat', AT_FDCWD, p.str('tmp'), O_RDONLY, 0);
    expect(m.namei).toEqual(['/tmp/base/rel', '/tmp/base/rel2', 'tmp']);
  });
});

describe('tmpfs limits', () => {
  it('fails with ENOSPC past its size, and frees the space of removed files', () => {
    const vfs = new Vfs({ console: new BufferConsole(), clock: { nowNs: () => 0, wallBaseMs: 0 }, tmpfsMaxBytes: 1000 });
    vfs.writeFile('/tmp/a', new Uint8Array(900));
    expect(() => vfs.writeFile('/tmp/b', new Uint8Array(200))).toThrow(Errno);
    try {
      vfs.writeFile('/tmp/c', new Uint8Array(200));
    } catch (e) {
      expect((e as Errno).errno).toBe(E.NOSPC);
    }
    vfs.unlink(undefined, '/tmp/a');
    expect(() => vfs.writeFile('/tmp/b', new Uint8Array(200))).not.toThrow();
  });
});

describe('MemoryFileSystem', () => {
  it('follows symlinks like a host, and errors carry codes', () => {
    const h = new MemoryFileSystem();
    h.mkdir('/a/b', true);
    h.writeFile('/a/b/f', 'x');
    h.symlink('/a/b', '/l');
    expect(new TextDecoder().decode(h.readFile('/l/f'))).toBe('x');
    expect(h.lstat('/l').type).toBe('symlink');
    expect(h.stat('/l').type).toBe('dir');
    expect(h.readdir('/a')).toEqual(['b']);
    expect(() => h.readFile('/nope')).toThrow(HostFsError);
    try {
      h.rmdir('/a');
    } catch (e) {
      expect((e as HostFsError).code).toBe('ENOTEMPTY');
    }
    h.rename('/a/b/f', '/g');
    expect(h.exists('/g')).toBe(true);
    h.appendFile('/g', 'y');
    expect(new TextDecoder().decode(h.readAt('/g', 1, 5))).toBe('y');
    h.symlink('loop', '/loop');
    expect(() => h.stat('/loop')).toThrow(/ELOOP/);
  });
});

describe('mount errors', () => {
  it('says which host directory cannot be mounted and why', async () => {
    const { VfsMountError } = await import('../../src/kernel/vfs/vfs.js');
    const host = new MemoryFileSystem();
    host.writeFile('/file', 'x');
    const make = (hostDir: string) => () => new Vfs({
      host: { fs: host }, console: new BufferConsole(), clock: { nowNs: () => 0, wallBaseMs: 0 },
      mounts: [{ at: '/home/user', hostDir, readOnly: false }],
    });
    expect(make('/missing')).toThrow(VfsMountError);
    expect(make('/missing')).toThrow('cannot mount host directory /missing at /home/user: no such directory');
    expect(make('/file')).toThrow('cannot mount host directory /file at /home/user: not a directory');
  });
});

describe('mounting the host root', () => {
  it('maps / of the host without doubling slashes', () => {
    const host = new MemoryFileSystem();
    host.mkdir('/d', true);
    host.writeFile('/d/x', 'root-mounted\n');
    const m = new TestMachine({ hostFs: host, mounts: [{ at: '/mnt', hostDir: '/', readOnly: true }] });
    const p = m.task(1, 0, '/');
    expect(readAll(p, '/mnt/d/x')).toBe('root-mounted\n');
    expect(listDir(p, '/mnt')).toEqual(['d']);
    expect((p.stat('/mnt/..') as { ino: number }).ino).toBe((p.stat('/') as { ino: number }).ino);
  });
});
