// The file syscall handlers driven directly: success paths and Linux's exact errno for each
// failure (bad descriptors, bad pointers, missing and existing names, permissions, limits).
import { describe, expect, it } from 'vitest';
import { E } from '../../src/kernel/errno.js';
import { FD_LIMIT } from '../../src/kernel/file.js';
import { decodeStat } from '../../src/kernel/linux/abi.js';
import {
  AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY,
  O_EXCL, O_LARGEFILE, O_NOFOLLOW, O_NONBLOCK, O_PATH, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, RENAME_EXCHANGE,
  RENAME_NOREPLACE, S_IFCHR, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG,
} from '../../src/kernel/vfs/constants.js';
import { KERNEL_PTR, RO_BASE, TestMachine, UNMAPPED } from './fs-syscalls-harness.js';

const F_DUPFD = 0;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const F_DUPFD_CLOEXEC = 1030;

function setup(uid = 0, cwd = '/tmp') {
  const m = new TestMachine();
  const p = m.task(100, uid, cwd);
  return { m, p };
}

describe('open, read, write, close', () => {
  it('creates, writes, reads back and reports the I/O', () => {
    const { m, p } = setup();
    const fd = p.open('/tmp/a.txt', O_CREAT | O_RDWR, 0o644);
    expect(fd).toBe(0);
    expect(p.writeStr(fd, 'hello world')).toBe(11);
    expect(p.call('lseek', fd, 0, 0)).toBe(0);
    expect(p.readStr(fd, 100)).toBe('hello world');
    expect(p.readStr(fd, 100)).toBe('');
    expect(p.call('close', fd)).toBe(0);
    expect(p.call('close', fd)).toBe(-E.BADF);
    expect(m.io).toEqual([
      { pid: 100, fd: 0, write: true, text: 'hello world' },
      { pid: 100, fd: 0, write: false, text: 'hello world' },
    ]);
    expect(m.namei).toEqual(['/tmp/a.txt']);
  });

  it('fails with ENOENT, EEXIST, EISDIR, ENOTDIR as Linux does', () => {
    const { p } = setup();
    expect(p.open('/tmp/missing', O_RDONLY)).toBe(-E.NOENT);
    expect(p.open('/nodir/x', O_CREAT | O_WRONLY)).toBe(-E.NOENT);
    expect(p.open('', O_RDONLY)).toBe(-E.NOENT);
    const fd = p.open('/tmp/f', O_CREAT | O_WRONLY);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(p.open('/tmp/f', O_CREAT | O_EXCL | O_WRONLY)).toBe(-E.EXIST);
    expect(p.open('/tmp', O_WRONLY)).toBe(-E.ISDIR);
    expect(p.open('/tmp', O_RDWR)).toBe(-E.ISDIR);
    expect(p.open('/tmp', O_CREAT | O_RDONLY)).toBe(-E.ISDIR);
    expect(p.open('/tmp/new/', O_CREAT | O_WRONLY)).toBe(-E.ISDIR);
    expect(p.open('/tmp/f/x', O_RDONLY)).toBe(-E.NOTDIR);
    expect(p.open('/tmp/f/', O_RDONLY)).toBe(-E.NOTDIR);
    expect(p.open('/tmp/f', O_RDONLY | O_DIRECTORY)).toBe(-E.NOTDIR);
    expect(p.open('/tmp', O_RDONLY | O_DIRECTORY)).toBeGreaterThanOrEqual(0);
  });

  it('fails with EFAULT for NULL, unmapped and kernel path pointers', () => {
    const { p } = setup();
    expect(p.call('open', 0, O_RDONLY, 0)).toBe(-E.FAULT);
    expect(p.call('open', UNMAPPED, O_RDONLY, 0)).toBe(-E.FAULT);
    expect(p.call('open', KERNEL_PTR, O_RDONLY, 0)).toBe(-E.FAULT);
  });

  it('fails with ENAMETOOLONG for a path of PATH_MAX bytes and a name over NAME_MAX', () => {
    const { p } = setup();
    expect(p.open('/tmp/' + 'a'.repeat(4091), O_RDONLY)).toBe(-E.NAMETOOLONG);
    expect(p.open('/tmp/' + 'a'.repeat(256), O_CREAT | O_WRONLY)).toBe(-E.NAMETOOLONG);
    expect(p.open('/tmp/' + 'a'.repeat(255), O_CREAT | O_WRONLY)).toBeGreaterThanOrEqual(0);
  });

  it('read and write fail with EFAULT on bad buffers and EBADF on the wrong access mode', () => {
    const { p } = setup();
    const fd = p.open('/tmp/f', O_CREAT | O_RDWR);
    p.writeStr(fd, 'data');
    p.call('lseek', fd, 0, 0);
    expect(p.call('read', fd, 0, 4)).toBe(-E.FAULT);
    expect(p.call('read', fd, KERNEL_PTR, 4)).toBe(-E.FAULT);
    expect(p.call('read', fd, RO_BASE, 4)).toBe(-E.FAULT);
    expect(p.call('write', fd, UNMAPPED, 4)).toBe(-E.FAULT);
    expect(p.call('write', fd, 0, 4)).toBe(-E.FAULT);
    expect(p.call('write', fd, p.bytes('x'), -1)).toBe(-E.FAULT);
    const ro = p.open('/tmp/f', O_RDONLY);
    const wo = p.open('/tmp/f', O_WRONLY);
    expect(p.writeStr(ro, 'x')).toBe(-E.BADF);
    expect(p.readStr(wo, 4)).toBe(-E.BADF);
    expect(p.readStr(99, 4)).toBe(-E.BADF);
    expect(p.call('read', -1, p.alloc(4), 4)).toBe(-E.BADF);
    const dir = p.open('/tmp', O_RDONLY);
    expect(p.readStr(dir, 4)).toBe(-E.ISDIR);
    expect(p.call('read', dir, 0, 4)).toBe(-E.ISDIR);
    expect(p.call('read', dir, KERNEL_PTR, 4)).toBe(-E.FAULT);
  });

  it('O_APPEND writes at the end; O_TRUNC empties; lseek moves and reports', () => {
    const { p } = setup();
    const fd = p.open('/tmp/log', O_CREAT | O_WRONLY, 0o600);
    p.writeStr(fd, 'one\n');
    const ap = p.open('/tmp/log', O_WRONLY | O_APPEND);
    p.call('lseek', ap, 0, 0);
    p.writeStr(ap, 'two\n');
    p.writeStr(fd, 'ONE\n'); // fd's own offset is 4: overwrites "two"
    const r = p.open('/tmp/log', O_RDONLY);
    expect(p.readStr(r, 100)).toBe('one\nONE\n');
    expect(p.call('lseek', r, 0, 2)).toBe(8);
    expect(p.call('lseek', r, -3, 1)).toBe(5);
    expect(p.call('lseek', r, -100, 1)).toBe(-E.INVAL);
    expect(p.call('lseek', r, 0, 9)).toBe(-E.INVAL);
    expect(p.call('lseek', r, 10, 0)).toBe(10);
    expect(p.readStr(r, 4)).toBe('');
    const t = p.open('/tmp/log', O_WRONLY | O_TRUNC);
    expect(t).toBeGreaterThanOrEqual(0);
    expect((p.stat('/tmp/log') as { size: number }).size).toBe(0);
  });

  it('applies the umask to the creation mode', () => {
    const { p } = setup();
    p.t.umask = 0o027;
    p.open('/tmp/m', O_CREAT | O_WRONLY, 0o666);
    expect((p.stat('/tmp/m') as { mode: number }).mode).toBe(S_IFREG | 0o640);
    expect(p.call('umask', 0o077)).toBe(0o027);
    expect(p.t.umask).toBe(0o077);
    p.call('mkdir', p.str('/tmp/d'), 0o777);
    expect((p.stat('/tmp/d') as { mode: number }).mode).toBe(S_IFDIR | 0o700);
    expect(p.call('creat', p.str('/tmp/c'), 0o644)).toBeGreaterThanOrEqual(0);
    expect((p.stat('/tmp/c') as { mode: number }).mode).toBe(S_IFREG | 0o600);
  });

  it('keeps O_CLOEXEC in the descriptor slot, not the description', () => {
    const { p } = setup();
    const fd = p.open('/tmp/x', O_CREAT | O_RDWR | O_CLOEXEC);
    expect(p.call('fcntl', fd, F_GETFD, 0)).toBe(1);
    const d = p.call('dup', fd) as number;
    expect(p.call('fcntl', d, F_GETFD, 0)).toBe(0);
    expect(p.call('fcntl', fd, F_SETFD, 0)).toBe(0);
    expect(p.call('fcntl', fd, F_GETFD, 0)).toBe(0);
    const c = p.call('fcntl', fd, F_DUPFD_CLOEXEC, 10) as number;
    expect(c).toBe(10);
    expect(p.call('fcntl', c, F_GETFD, 0)).toBe(1);
    p.t.fds.closeOnExec();
    expect(p.t.fds.get(10)).toBeUndefined();
    expect(p.t.fds.get(fd)).toBeDefined();
  });

  it('fails with EMFILE when the descriptor table is full', () => {
    const { p } = setup();
    const fd = p.open('/tmp/x', O_CREAT | O_RDWR);
    for (let i = 1; i < FD_LIMIT; i++) expect(p.call('dup', fd)).toBe(i);
    expect(p.call('dup', fd)).toBe(-E.MFILE);
    expect(p.open('/tmp/y', O_CREAT | O_RDWR)).toBe(-E.MFILE);
    expect(p.stat('/tmp/y')).toBe(-E.NOENT); // nothing was created
    expect(p.call('pipe', p.alloc(8))).toBe(-E.MFILE);
    expect(p.call('fcntl', fd, F_DUPFD, 0)).toBe(-E.MFILE);
  });

  it('O_NOFOLLOW fails with ELOOP on a symlink; O_PATH opens the link itself', () => {
    const { p } = setup();
    p.open('/tmp/t', O_CREAT | O_WRONLY);
    p.call('symlink', p.str('/tmp/t'), p.str('/tmp/l'));
    expect(p.open('/tmp/l', O_RDONLY | O_NOFOLLOW)).toBe(-E.LOOP);
    expect(p.open('/tmp/l', O_RDONLY)).toBeGreaterThanOrEqual(0);
    const pf = p.open('/tmp/l', O_PATH | O_NOFOLLOW);
    expect(pf).toBeGreaterThanOrEqual(0);
    expect(p.readStr(pf, 4)).toBe(-E.BADF);
    const st = p.alloc(144);
    expect(p.call('fstat', pf, st)).toBe(0);
    expect(decodeStat(p.read(st, 144)).mode & S_IFMT).toBe(S_IFLNK);
    const buf = p.alloc(64);
    expect(p.call('readlinkat', pf, p.str(''), buf, 64)).toBe(6);
    expect(p.text(buf, 6)).toBe('/tmp/t');
  });

  it('O_CREAT through a dangling symlink creates its target', () => {
    const { p } = setup();
    p.call('symlink', p.str('target'), p.str('/tmp/dangling'));
    expect(p.open('/tmp/dangling', O_CREAT | O_WRONLY)).toBeGreaterThanOrEqual(0);
    expect((p.stat('/tmp/target') as { mode: number }).mode & S_IFMT).toBe(S_IFREG);
    expect(p.open('/tmp/dangling', O_CREAT | O_EXCL | O_WRONLY)).toBe(-E.EXIST);
  });
});

describe('positional and vectored I/O', () => {
  it('pread64/pwrite64 leave the offset alone; ESPIPE on pipes; EINVAL for a negative offset', () => {
    const { p } = setup();
    const fd = p.open('/tmp/f', O_CREAT | O_RDWR);
    p.writeStr(fd, 'abcdef');
    const buf = p.alloc(8);
    expect(p.call('pread64', fd, buf, 3, 2)).toBe(3);
    expect(p.text(buf, 3)).toBe('cde');
    expect(p.call('pwrite64', fd, p.bytes('XY'), 2, 0)).toBe(2);
    expect(p.call('lseek', fd, 0, 1)).toBe(6);
    expect(p.call('pread64', fd, buf, 8, 0)).toBe(6);
    expect(p.text(buf, 6)).toBe('XYcdef');
    expect(p.call('pread64', fd, buf, 8, -1)).toBe(-E.INVAL);
    const fds = p.alloc(8);
    p.call('pipe', fds);
    expect(p.call('pread64', p.i32(fds), buf, 1, 0)).toBe(-E.SPIPE);
    expect(p.call('pwrite64', p.i32(fds + 4), buf, 1, 0)).toBe(-E.SPIPE);
    expect(p.call('lseek', p.i32(fds), 0, 0)).toBe(-E.SPIPE);
  });

  it('readv and writev scatter and gather; EINVAL for a bad count', () => {
    const { p } = setup();
    const fd = p.open('/tmp/v', O_CREAT | O_RDWR);
    const a = p.bytes('Hello, ');
    const b = p.bytes('world');
    const iov = p.alloc(32);
    const v = new DataView(new ArrayBuffer(32));
    v.setBigUint64(0, BigInt(a), true);
    v.setBigUint64(8, 7n, true);
    v.setBigUint64(16, BigInt(b), true);
    v.setBigUint64(24, 5n, true);
    p.t.mm.write(iov, new Uint8Array(v.buffer));
    expect(p.call('writev', fd, iov, 2)).toBe(12);
    p.call('lseek', fd, 0, 0);
    const x = p.alloc(4);
    const y = p.alloc(16);
    v.setBigUint64(0, BigInt(x), true);
    v.setBigUint64(8, 4n, true);
    v.setBigUint64(16, BigInt(y), true);
    v.setBigUint64(24, 16n, true);
    const iov2 = p.bytes(new Uint8Array(v.buffer));
    expect(p.call('readv', fd, iov2, 2)).toBe(12);
    expect(p.text(x, 4)).toBe('Hell');
    expect(p.text(y, 8)).toBe('o, world');
    expect(p.call('readv', fd, iov2, -1)).toBe(-E.INVAL);
    expect(p.call('readv', fd, iov2, 1025)).toBe(-E.INVAL);
    expect(p.call('writev', fd, 0, 1)).toBe(-E.FAULT);
    expect(p.call('writev', fd, iov, 0)).toBe(0);
  });
});

describe('stat family', () => {
  it('stat follows symlinks, lstat does not; fstat and newfstatat agree', () => {
    const { p } = setup();
    const fd = p.open('/tmp/s', O_CREAT | O_WRONLY, 0o640);
    p.writeStr(fd, '12345');
    p.call('symlink', p.str('s'), p.str('/tmp/sl'));
    const st = p.stat('/tmp/sl') as { mode: number; size: number; ino: number };
    expect(st.mode).toBe(S_IFREG | 0o640);
    expect(st.size).toBe(5);
    const lst = p.stat('/tmp/sl', 'lstat') as { mode: number; size: number };
    expect(lst.mode).toBe(S_IFLNK | 0o777);
    expect(lst.size).toBe(1);
    const buf = p.alloc(144);
    expect(p.call('fstat', fd, buf)).toBe(0);
    const f = decodeStat(p.read(buf, 144));
    expect(f.ino).toBe(st.ino);
    expect(f.mtimeSec).toBe(1_700_000_000);
    expect(p.call('newfstatat', AT_FDCWD, p.str('sl'), buf, AT_SYMLINK_NOFOLLOW)).toBe(0);
    expect(decodeStat(p.read(buf, 144)).mode & S_IFMT).toBe(S_IFLNK);
    expect(p.call('newfstatat', fd, p.str(''), buf, AT_EMPTY_PATH)).toBe(0);
    expect(decodeStat(p.read(buf, 144)).size).toBe(5);
    expect(p.call('newfstatat', AT_FDCWD, p.str(''), buf, 0)).toBe(-E.NOENT);
    expect(p.call('newfstatat', AT_FDCWD, p.str('s'), buf, 0x4)).toBe(-E.INVAL);
    expect(p.call('newfstatat', fd, p.str('x'), buf, 0)).toBe(-E.NOTDIR);
    expect(p.call('newfstatat', 55, p.str('x'), buf, 0)).toBe(-E.BADF);
    expect(p.call('newfstatat', 55, p.str('/tmp/s'), buf, 0)).toBe(0); // absolute: dirfd ignored
    expect(p.call('stat', p.str('/tmp/s'), 0)).toBe(-E.FAULT);
    expect(p.call('stat', p.str('/tmp/s'), RO_BASE)).toBe(-E.FAULT);
    expect(p.call('fstat', 77, buf)).toBe(-E.BADF);
  });

  it('reports device nodes with their numbers', () => {
    const { p } = setup();
    const st = p.stat('/dev/null') as { mode: number; rdev: number };
    expect(st.mode).toBe(S_IFCHR | 0o666);
    expect(st.rdev).toBe((1 << 8) | 3);
  });

  it('statx fills the basic fields', () => {
    const { p } = setup();
    const fd = p.open('/tmp/x', O_CREAT | O_WRONLY, 0o600);
    p.writeStr(fd, 'abc');
    const buf = p.alloc(256);
    expect(p.call('statx', AT_FDCWD, p.str('/tmp/x'), 0, 0x7ff, buf)).toBe(0);
    const v = new DataView(p.read(buf, 256).buffer);
    expect(v.getUint32(0, true)).toBe(0x7ff);
    expect(v.getUint16(28, true)).toBe(S_IFREG | 0o600);
    expect(Number(v.getBigUint64(40, true))).toBe(3);
    expect(p.call('statx', AT_FDCWD, p.str('/tmp/x'), 0x6000, 0x7ff, buf)).toBe(-E.INVAL);
  });
});

describe('access', () => {
  it('checks real ids by default and effective ids with AT_EACCESS', () => {
    const { p } = setup();
    const fd = p.open('/tmp/secret', O_CREAT | O_WRONLY, 0o600);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(p.call('access', p.str('/tmp/secret'), 6)).toBe(0);
    expect(p.call('access', p.str('/tmp/secret'), 1)).toBe(-E.ACCES); // root needs an x bit
    expect(p.call('access', p.str('/tmp/nope'), 0)).toBe(-E.NOENT);
    expect(p.call('access', p.str('/tmp/secret'), 8)).toBe(-E.INVAL);
    p.t.uid = 1000; // real uid 1000, effective 0
    expect(p.call('access', p.str('/tmp/secret'), 4)).toBe(-E.ACCES);
    expect(p.call('faccessat2', AT_FDCWD, p.str('/tmp/secret'), 4, AT_EACCESS)).toBe(0);
    expect(p.call('faccessat2', AT_FDCWD, p.str('/tmp/secret'), 4, 0x8)).toBe(-E.INVAL);
    expect(p.call('faccessat', AT_FDCWD, p.str('/tmp/secret'), 0)).toBe(0);
  });
});

describe('permissions for an unprivileged user', () => {
  it('fails with EACCES where mode bits forbid, EPERM for chmod of another user\'s file', () => {
    const { m } = setup();
    const root = m.task(1, 0, '/');
    const u = m.task(200, 1000, '/tmp');
    root.open('/tmp/rootfile', O_CREAT | O_WRONLY, 0o600);
    root.call('mkdir', root.str('/tmp/closed'), 0o700);
    root.call('mkdir', root.str('/etc/conf'), 0o755);
    expect(u.open('/tmp/rootfile', O_RDONLY)).toBe(-E.ACCES);
    expect(u.open('/tmp/closed/x', O_RDONLY)).toBe(-E.ACCES);
    expect(u.open('/etc/new', O_CREAT | O_WRONLY)).toBe(-E.ACCES);
    expect(u.call('mkdir', u.str('/etc/conf/d'), 0o755)).toBe(-E.ACCES);
    expect(u.call('chmod', u.str('/tmp/rootfile'), 0o777)).toBe(-E.PERM);
    expect(u.call('chdir', u.str('/tmp/closed'))).toBe(-E.ACCES);
    expect(u.call('unlink', u.str('/etc/passwd-none'))).toBe(-E.NOENT);
    root.open('/etc/rootf', O_CREAT | O_WRONLY, 0o666);
    expect((root.stat('/etc/rootf') as { mode: number }).mode).toBe(S_IFREG | 0o644); // root's umask 022
    root.call('chmod', root.str('/etc/rootf'), 0o666);
    expect(u.call('unlink', u.str('/etc/rootf'))).toBe(-E.ACCES);
    expect(u.open('/etc/rootf', O_WRONLY)).toBeGreaterThanOrEqual(0);
    // /tmp is sticky: a user may not remove root's file there.
    expect(u.call('unlink', u.str('/tmp/rootfile'))).toBe(-E.PERM);
    expect(u.open('/tmp/mine', O_CREAT | O_WRONLY, 0o644)).toBeGreaterThanOrEqual(0);
    expect((u.stat('/tmp/mine') as { uid: number }).uid).toBe(1000);
    expect(u.call('chmod', u.str('/tmp/mine'), 0o600)).toBe(0);
    expect(u.call('unlink', u.str('/tmp/mine'))).toBe(0);
    expect(root.call('unlink', root.str('/tmp/rootfile'))).toBe(0);
  });
});

describe('directories', () => {
  it('mkdir, rmdir and their errors', () => {
    const { p } = setup();
    expect(p.call('mkdir', p.str('/tmp/d'), 0o755)).toBe(0);
    expect(p.call('mkdir', p.str('/tmp/d'), 0o755)).toBe(-E.EXIST);
    expect(p.call('mkdir', p.str('/tmp/d/'), 0o755)).toBe(-E.EXIST);
    expect(p.call('mkdir', p.str('/tmp/x/y'), 0o755)).toBe(-E.NOENT);
    expect(p.call('mkdir', p.str('/'), 0o755)).toBe(-E.EXIST);
    expect(p.call('mkdirat', AT_FDCWD, p.str('d/e'), 0o755)).toBe(0);
    expect(p.call('rmdir', p.str('/tmp/d'))).toBe(-E.NOTEMPTY);
    expect(p.call('rmdir', p.str('/tmp/d/e/.'))).toBe(-E.INVAL);
    expect(p.call('rmdir', p.str('/tmp/d/e/..'))).toBe(-E.NOTEMPTY);
    expect(p.call('rmdir', p.str('/'))).toBe(-E.BUSY);
    expect(p.call('rmdir', p.str('/proc'))).toBe(-E.BUSY);
    p.open('/tmp/f', O_CREAT | O_WRONLY);
    expect(p.call('rmdir', p.str('/tmp/f'))).toBe(-E.NOTDIR);
    expect(p.call('rmdir', p.str('/tmp/d/e'))).toBe(0);
    expect(p.call('unlinkat', AT_FDCWD, p.str('d'), AT_REMOVEDIR)).toBe(0);
    expect(p.call('unlinkat', AT_FDCWD, p.str('d'), 0x1)).toBe(-E.INVAL);
    expect(p.stat('/tmp/d')).toBe(-E.NOENT);
  });

  it('unlink removes names; an open file stays readable', () => {
    const { p } = setup();
    const fd = p.open('/tmp/u', O_CREAT | O_RDWR);
    p.writeStr(fd, 'still here');
    expect(p.call('unlink', p.str('/tmp/u'))).toBe(0);
    expect(p.call('unlink', p.str('/tmp/u'))).toBe(-E.NOENT);
    p.call('lseek', fd, 0, 0);
    expect(p.readStr(fd, 100)).toBe('still here');
    expect(p.call('unlink', p.str('/tmp'))).toBe(-E.ISDIR);
    p.open('/tmp/g', O_CREAT | O_WRONLY);
    expect(p.call('unlink', p.str('/tmp/g/'))).toBe(-E.NOTDIR);
  });

  it('getcwd, chdir, fchdir', () => {
    const { p } = setup(0, '/');
    const buf = p.alloc(64);
    expect(p.call('getcwd', buf, 64)).toBe(2);
    expect(p.text(buf, 2)).toBe('/\0');
    expect(p.call('chdir', p.str('/tmp/../dev'))).toBe(0);
    expect(p.call('getcwd', buf, 64)).toBe(5);
    expect(p.text(buf, 4)).toBe('/dev');
    expect(p.call('getcwd', buf, 4)).toBe(-E.RANGE);
    expect(p.call('getcwd', 0, 64)).toBe(-E.FAULT);
    expect(p.call('chdir', p.str('null'))).toBe(-E.NOTDIR);
    expect(p.call('chdir', p.str('nowhere'))).toBe(-E.NOENT);
    const d = p.open('/tmp', O_RDONLY | O_DIRECTORY);
    expect(p.call('fchdir', d)).toBe(0);
    expect(p.t.cwd).toBe('/tmp');
    const f = p.open('x', O_CREAT | O_WRONLY);
    expect(p.call('fchdir', f)).toBe(-E.NOTDIR);
    expect(p.call('fchdir', 99)).toBe(-E.BADF);
    expect(p.stat('/tmp/x')).not.toBe(-E.NOENT);
    p.call('mkdir', p.str('/tmp/gone'), 0o755);
    p.call('chdir', p.str('/tmp/gone'));
    p.call('rmdir', p.str('/tmp/gone'));
    expect(p.call('getcwd', buf, 64)).toBe(-E.NOENT);
    expect(p.open('new', O_CREAT | O_WRONLY)).toBe(-E.NOENT);
    expect(p.call('mkdir', p.str('sub'), 0o755)).toBe(-E.NOENT);
    expect(p.call('symlink', p.str('x'), p.str('l'))).toBe(-E.NOENT);
  });

  it('getdents64 lists entries in pieces, and fails on small buffers and non-directories', () => {
    const { p } = setup();
    p.call('mkdir', p.str('/tmp/ls'), 0o755);
    for (const n of ['a', 'bb', 'ccc']) p.open('/tmp/ls/' + n, O_CREAT | O_WRONLY);
    p.call('mkdir', p.str('/tmp/ls/sub'), 0o755);
    const fd = p.open('/tmp/ls', O_RDONLY | O_DIRECTORY);
    const names: string[] = [];
    const types: number[] = [];
    const buf = p.alloc(64);
    for (;;) {
      const n = p.call('getdents64', fd, buf, 64) as number;
      expect(n).toBeGreaterThanOrEqual(0);
      if (n === 0) break;
      const b = p.read(buf, n);
      const v = new DataView(b.buffer);
      for (let off = 0; off < n;) {
        const reclen = v.getUint16(off + 16, true);
        types.push(b[off + 18]);
        const nameBytes = b.subarray(off + 19, off + reclen);
        names.push(new TextDecoder().decode(nameBytes.subarray(0, nameBytes.indexOf(0))));
        off += reclen;
      }
    }
    expect(names).toEqual(['.', '..', 'a', 'bb', 'ccc', 'sub']);
    expect(types).toEqual([4, 4, 8, 8, 8, 4]);
    expect(p.call('lseek', fd, 0, 0)).toBe(0);
    expect(p.call('getdents64', fd, buf, 10)).toBe(-E.INVAL);
    const f = p.open('/tmp/ls/a', O_RDONLY);
    expect(p.call('getdents64', f, buf, 64)).toBe(-E.NOTDIR);
    expect(p.call('getdents64', fd, 0, 64)).toBe(-E.FAULT);
  });
});

describe('rename, link, symlink, readlink', () => {
  it('renames files and directories with Linux\'s errors', () => {
    const { p } = setup();
    p.open('/tmp/a', O_CREAT | O_WRONLY);
    p.open('/tmp/b', O_CREAT | O_WRONLY);
    p.call('mkdir', p.str('/tmp/d'), 0o755);
    p.call('mkdir', p.str('/tmp/e'), 0o755);
    p.open('/tmp/e/x', O_CREAT | O_WRONLY);
    expect(p.call('rename', p.str('/tmp/a'), p.str('/tmp/c'))).toBe(0);
    expect(p.stat('/tmp/a')).toBe(-E.NOENT);
    expect(p.call('rename', p.str('/tmp/a'), p.str('/tmp/c'))).toBe(-E.NOENT);
    expect(p.call('rename', p.str('/tmp/c'), p.str('/tmp/d'))).toBe(-E.ISDIR);
    expect(p.call('rename', p.str('/tmp/d'), p.str('/tmp/c'))).toBe(-E.NOTDIR);
    expect(p.call('rename', p.str('/tmp/d'), p.str('/tmp/e'))).toBe(-E.NOTEMPTY);
    expect(p.call('rename', p.str('/tmp/d'), p.str('/tmp/d/sub'))).toBe(-E.INVAL);
    expect(p.call('rename', p.str('/tmp/c'), p.str('/proc/c'))).toBe(-E.XDEV);
    expect(p.call('rename', p.str('/tmp/.'), p.str('/tmp/z'))).toBe(-E.BUSY);
    expect(p.call('renameat2', AT_FDCWD, p.str('/tmp/c'), AT_FDCWD, p.str('/tmp/b'), RENAME_NOREPLACE)).toBe(-E.EXIST);
    expect(p.call('renameat2', AT_FDCWD, p.str('/tmp/c'), AT_FDCWD, p.str('/tmp/b'), 3)).toBe(-E.INVAL);
    const cIno = (p.stat('/tmp/c') as { ino: number }).ino;
    const bIno = (p.stat('/tmp/b') as { ino: number }).ino;
    expect(p.call('renameat2', AT_FDCWD, p.str('/tmp/c'), AT_FDCWD, p.str('/tmp/b'), RENAME_EXCHANGE)).toBe(0);
    expect((p.stat('/tmp/b') as { ino: number }).ino).toBe(cIno);
    expect((p.stat('/tmp/c') as { ino: number }).ino).toBe(bIno);
    expect(p.call('rename', p.str('/tmp/c'), p.str('/tmp/b'))).toBe(0); // replaces b
    expect((p.stat('/tmp/b') as { ino: number }).ino).toBe(bIno);
    expect(p.call('rename', p.str('/tmp/d'), p.str('/tmp/e/d2'))).toBe(0);
    const buf = p.alloc(64);
    p.call('chdir', p.str('/tmp/e/d2'));
    expect(p.call('getcwd', buf, 64)).toBe(10);
    expect(p.text(buf, 10)).toBe('/tmp/e/d2\0');
  });

  it('link counts, EEXIST, EPERM on directories, EXDEV across file systems', () => {
    const { p } = setup();
    p.open('/tmp/f', O_CREAT | O_WRONLY);
    expect(p.call('link', p.str('/tmp/f'), p.str('/tmp/g'))).toBe(0);
    expect((p.stat('/tmp/f') as { nlink: number }).nlink).toBe(2);
    expect(p.call('link', p.str('/tmp/f'), p.str('/tmp/g'))).toBe(-E.EXIST);
    expect(p.call('link', p.str('/tmp'), p.str('/tmp/h'))).toBe(-E.PERM);
    expect(p.call('link', p.str('/tmp/none'), p.str('/tmp/h'))).toBe(-E.NOENT);
    expect(p.call('link', p.str('/proc/version'), p.str('/tmp/v'))).toBe(-E.XDEV);
    p.call('unlink', p.str('/tmp/g'));
    expect((p.stat('/tmp/f') as { nlink: number }).nlink).toBe(1);
  });

  it('symlink and readlink, with truncation and EINVAL', () => {
    const { p } = setup();
    expect(p.call('symlink', p.str('/some/where'), p.str('/tmp/l'))).toBe(0);
    expect(p.call('symlink', p.str('x'), p.str('/tmp/l'))).toBe(-E.EXIST);
    expect(p.call('symlink', p.str(''), p.str('/tmp/m'))).toBe(-E.NOENT);
    const buf = p.alloc(64);
    expect(p.call('readlink', p.str('/tmp/l'), buf, 64)).toBe(11);
    expect(p.text(buf, 11)).toBe('/some/where');
    expect(p.call('readlink', p.str('/tmp/l'), buf, 4)).toBe(4);
    expect(p.call('readlink', p.str('/tmp/l'), buf, 0)).toBe(-E.INVAL);
    expect(p.call('readlink', p.str('/tmp'), buf, 64)).toBe(-E.INVAL);
    expect(p.call('readlink', p.str('/tmp/l'), RO_BASE, 64)).toBe(-E.FAULT);
    expect(p.stat('/tmp/l')).toBe(-E.NOENT);
  });

  it('ELOOP after 40 links and for a link loop', () => {
    const { p } = setup();
    p.open('/tmp/l0', O_CREAT | O_WRONLY);
    for (let i = 1; i <= 41; i++) p.call('symlink', p.str(`l${i - 1}`), p.str(`/tmp/l${i}`));
    expect(p.open('/tmp/l40', O_RDONLY)).toBeGreaterThanOrEqual(0);
    expect(p.open('/tmp/l41', O_RDONLY)).toBe(-E.LOOP);
    p.call('symlink', p.str('loop2'), p.str('/tmp/loop1'));
    p.call('symlink', p.str('loop1'), p.str('/tmp/loop2'));
    expect(p.stat('/tmp/loop1')).toBe(-E.LOOP);
    expect(p.open('/tmp/loop1/x', O_CREAT | O_WRONLY)).toBe(-E.LOOP);
  });
});

describe('chmod, truncate', () => {
  it('chmod and fchmod change the mode; fchmod on O_PATH is EBADF', () => {
    const { p } = setup();
    const fd = p.open('/tmp/f', O_CREAT | O_WRONLY, 0o600);
    expect(p.call('chmod', p.str('/tmp/f'), 0o4755)).toBe(0);
    expect((p.stat('/tmp/f') as { mode: number }).mode).toBe(S_IFREG | 0o4755);
    expect(p.call('fchmod', fd, 0o640)).toBe(0);
    expect((p.stat('/tmp/f') as { mode: number }).mode).toBe(S_IFREG | 0o640);
    expect(p.call('fchmod', 42, 0o640)).toBe(-E.BADF);
    const pf = p.open('/tmp/f', O_PATH);
    expect(p.call('fchmod', pf, 0o600)).toBe(-E.BADF);
    expect(p.call('chmod', p.str('/tmp/zz'), 0o600)).toBe(-E.NOENT);
  });

  it('truncate and ftruncate resize; EINVAL for negative lengths and read-only descriptors', () => {
    const { p } = setup();
    const fd = p.open('/tmp/t', O_CREAT | O_RDWR);
    p.writeStr(fd, 'abcdef');
    expect(p.call('truncate', p.str('/tmp/t'), 3)).toBe(0);
    expect((p.stat('/tmp/t') as { size: number }).size).toBe(3);
    expect(p.call('ftruncate', fd, 10)).toBe(0);
    const buf = p.alloc(16);
    expect(p.call('pread64', fd, buf, 16, 0)).toBe(10);
    expect([...p.read(buf, 10)]).toEqual([97, 98, 99, 0, 0, 0, 0, 0, 0, 0]);
    expect(p.call('truncate', p.str('/tmp/t'), -1)).toBe(-E.INVAL);
    expect(p.call('ftruncate', fd, -1)).toBe(-E.INVAL);
    expect(p.call('truncate', p.str('/tmp'), 0)).toBe(-E.ISDIR);
    const ro = p.open('/tmp/t', O_RDONLY);
    expect(p.call('ftruncate', ro, 0)).toBe(-E.INVAL);
    expect(p.call('ftruncate', 99, 0)).toBe(-E.BADF);
  });
});

describe('chown', () => {
  it('root gives files away; users may only change the group to their own; setuid is cleared', () => {
    const { m } = setup();
    const root = m.task(1, 0, '/tmp');
    const u = m.task(2, 1000, '/tmp');
    root.open('/tmp/f', O_CREAT | O_WRONLY, 0o755);
    root.call('chmod', root.str('/tmp/f'), 0o4755);
    expect(root.call('chown', root.str('/tmp/f'), 1000, -1)).toBe(0);
    const st = root.stat('/tmp/f') as { uid: number; mode: number };
    expect(st.uid).toBe(1000);
    expect(st.mode).toBe(S_IFREG | 0o755);
    expect(u.call('chown', u.str('/tmp/f'), 0, -1)).toBe(-E.PERM);
    expect(u.call('chown', u.str('/tmp/f'), -1, 1000)).toBe(0);
    expect(u.call('chown', u.str('/tmp/f'), -1, 5)).toBe(-E.PERM);
    const fd = u.open('/tmp/f', O_RDONLY);
    expect(u.call('fchown', fd, 1000, 1000)).toBe(0);
    root.call('symlink', root.str('f'), root.str('/tmp/l'));
    expect(root.call('lchown', root.str('/tmp/l'), 7, 7)).toBe(0);
    expect((root.stat('/tmp/l', 'lstat') as { uid: number }).uid).toBe(7);
    expect((root.stat('/tmp/l') as { uid: number }).uid).toBe(1000);
    expect(root.call('fchownat', AT_FDCWD, root.str('/tmp/f'), 0, 0, 0x4)).toBe(-E.INVAL);
    expect(root.call('chown', root.str('/tmp/none'), 0, 0)).toBe(-E.NOENT);
  });

  it('O_CREAT with O_DIRECTORY is EINVAL', () => {
    const { p } = setup();
    expect(p.open('/tmp/q', O_CREAT | O_DIRECTORY | O_RDONLY)).toBe(-E.INVAL);
  });
});

describe('dup, dup2, dup3, fcntl', () => {
  it('dup2 closes the target, shares the offset, and returns newfd', () => {
    const { p } = setup();
    const a = p.open('/tmp/a', O_CREAT | O_RDWR);
    const b = p.open('/tmp/b', O_CREAT | O_RDWR);
    expect(p.call('dup2', a, b)).toBe(b);
    p.writeStr(b, 'via b');
    expect(p.call('lseek', a, 0, 1)).toBe(5);
    expect((p.stat('/tmp/b') as { size: number }).size).toBe(0);
    expect((p.stat('/tmp/a') as { size: number }).size).toBe(5);
    expect(p.call('dup2', a, a)).toBe(a);
    expect(p.call('dup2', 77, 78)).toBe(-E.BADF);
    expect(p.call('dup2', 77, 77)).toBe(-E.BADF);
    expect(p.call('dup2', a, -1)).toBe(-E.BADF);
    expect(p.call('dup2', a, FD_LIMIT)).toBe(-E.BADF);
    expect(p.call('dup2', a, 500)).toBe(500);
    expect(p.call('dup3', a, a, 0)).toBe(-E.INVAL);
    expect(p.call('dup3', a, 9, 1)).toBe(-E.INVAL);
    expect(p.call('dup3', a, 9, O_CLOEXEC)).toBe(9);
    expect(p.call('fcntl', 9, F_GETFD, 0)).toBe(1);
  });

  it('fcntl F_GETFL/F_SETFL change only the status flags', () => {
    const { p } = setup();
    const fd = p.open('/tmp/a', O_CREAT | O_WRONLY);
    expect(p.call('fcntl', fd, F_GETFL, 0)).toBe(O_WRONLY | O_LARGEFILE);
    expect(p.call('fcntl', fd, F_SETFL, O_APPEND | O_NONBLOCK | O_RDWR)).toBe(0);
    expect(p.call('fcntl', fd, F_GETFL, 0)).toBe(O_WRONLY | O_LARGEFILE | O_APPEND | O_NONBLOCK);
    expect(p.call('fcntl', fd, 9999, 0)).toBe(-E.INVAL);
    expect(p.call('fcntl', fd, F_DUPFD, -1)).toBe(-E.INVAL);
    expect(p.call('fcntl', fd, F_DUPFD, FD_LIMIT)).toBe(-E.INVAL);
    expect(p.call('fcntl', 99, F_GETFD, 0)).toBe(-E.BADF);
    expect(p.call('fcntl', fd, F_DUPFD, 5)).toBe(5);
  });
});

describe('ioctl and the console', () => {
  it('ENOTTY on files and a non-terminal console; TCGETS and TIOCGWINSZ on a terminal', () => {
    const { p } = setup();
    const f = p.open('/tmp/f', O_CREAT | O_RDWR);
    const buf = p.alloc(64);
    expect(p.call('ioctl', f, 0x5401, buf)).toBe(-E.NOTTY);
    const c = p.open('/dev/console', O_RDWR);
    expect(p.call('ioctl', c, 0x5401, buf)).toBe(-E.NOTTY);
    expect(p.open('/dev/tty', O_RDWR)).toBe(-E.NXIO);
    expect(p.call('ioctl', 99, 0x5401, buf)).toBe(-E.BADF);

    const m2 = new TestMachine({ terminal: true, consoleInput: 'typed\n' });
    const q = m2.task(5, 0, '/');
    const t = q.open('/dev/tty', O_RDWR);
    expect(t).toBeGreaterThanOrEqual(0);
    const tb = q.alloc(64);
    expect(q.call('ioctl', t, 0x5401, tb)).toBe(0);
    expect(q.read(tb, 4)).toEqual(Uint8Array.from([0, 5, 0, 0]));
    expect(q.call('ioctl', t, 0x5413, tb)).toBe(0);
    expect([q.t.mm.u16(tb), q.t.mm.u16(tb + 2)]).toEqual([24, 80]);
    expect(q.call('ioctl', t, 0x540f, tb)).toBe(0);
    expect(q.i32(tb)).toBe(5);
    expect(q.call('ioctl', t, 0x5401, 0)).toBe(-E.FAULT);
    expect(q.call('ioctl', t, 0x1234, tb)).toBe(-E.NOTTY);
    expect(q.readStr(t, 100)).toBe('typed\n');
    expect(q.writeStr(t, 'out')).toBe(3);
    expect(m2.console.stdoutText()).toBe('out');
  });

  it('openConsole gives descriptors writing to stdout or stderr', async () => {
    const { openConsole } = await import('../../src/kernel/vfs/vfs.js');
    const m = new TestMachine({ consoleInput: 'in' });
    const p = m.task(1, 0, '/');
    p.t.fds.install(openConsole(m.vfs, O_RDONLY));
    p.t.fds.install(openConsole(m.vfs, O_WRONLY, 1));
    p.t.fds.install(openConsole(m.vfs, O_WRONLY, 2));
    expect(p.writeStr(1, 'to out')).toBe(6);
    expect(p.writeStr(2, 'to err')).toBe(6);
    expect(p.readStr(0, 10)).toBe('in');
    expect(p.readStr(0, 10)).toBe('');
    expect(m.console.stdoutText()).toBe('to out');
    expect(m.console.stderrText()).toBe('to err');
    expect(p.call('lseek', 1, 0, 0)).toBe(-E.SPIPE);
    expect(p.writeStr(0, 'x')).toBe(-E.BADF);
  });

  it('FIOCLEX, FIONCLEX and FIONBIO act on any descriptor', () => {
    const { p } = setup();
    const f = p.open('/tmp/f', O_CREAT | O_RDWR);
    expect(p.call('ioctl', f, 0x5451, 0)).toBe(0);
    expect(p.call('fcntl', f, F_GETFD, 0)).toBe(1);
    expect(p.call('ioctl', f, 0x5450, 0)).toBe(0);
    expect(p.call('fcntl', f, F_GETFD, 0)).toBe(0);
    const one = p.alloc(4);
    p.t.mm.w32(one, 1);
    expect(p.call('ioctl', f, 0x5421, one)).toBe(0);
    expect((p.call('fcntl', f, F_GETFL, 0) as number) & O_NONBLOCK).toBe(O_NONBLOCK);
  });
});

describe('devices', () => {
  it('/dev/null, /dev/zero, /dev/full and a seeded /dev/urandom', () => {
    const { p, m } = setup();
    const n = p.open('/dev/null', O_RDWR);
    expect(p.writeStr(n, 'gone')).toBe(4);
    expect(p.readStr(n, 10)).toBe('');
    const z = p.open('/dev/zero', O_RDONLY);
    const buf = p.alloc(8);
    p.t.mm.fill(buf, 0xff, 8);
    expect(p.call('read', z, buf, 8)).toBe(8);
    expect([...p.read(buf, 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const f = p.open('/dev/full', O_WRONLY);
    expect(p.writeStr(f, 'x')).toBe(-E.NOSPC);
    const r = p.open('/dev/urandom', O_RDONLY);
    expect(p.call('read', r, buf, 8)).toBe(8);
    const first = [...p.read(buf, 8)];
    const m2 = new TestMachine();
    const q = m2.task();
    const r2 = q.open('/dev/urandom', O_RDONLY);
    const b2 = q.alloc(8);
    q.call('read', r2, b2, 8);
    expect([...q.read(b2, 8)]).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
    void m;
  });
});

describe('poll and fsync', () => {
  it('reports readiness, POLLNVAL for bad descriptors, and sleeps until a pipe has data', () => {
    const { p } = setup();
    const fds = p.alloc(8);
    p.call('pipe', fds);
    const [r, w] = [p.i32(fds), p.i32(fds + 4)];
    const pfd = p.alloc(24);
    const v = new DataView(new ArrayBuffer(24));
    v.setInt32(0, r, true);
    v.setInt16(4, 1, true);
    v.setInt32(8, w, true);
    v.setInt16(12, 4, true);
    v.setInt32(16, 77, true);
    v.setInt16(20, 1, true);
    p.t.mm.write(pfd, new Uint8Array(v.buffer));
    expect(p.call('poll', pfd, 3, 0)).toBe(2);
    expect(p.t.mm.i16(pfd + 6)).toBe(0);
    expect(p.t.mm.i16(pfd + 14)).toBe(4);
    expect(p.t.mm.i16(pfd + 22)).toBe(0x20);
    expect(p.call('poll', pfd, 1, -1)).toBe('BLOCK');
    expect(p.t.state).toBe('sleeping');
    const other = p.m.task(101, 0, '/');
    other.t.fds = p.t.fds;
    expect(other.writeStr(w, 'x')).toBe(1);
    expect(p.t.state).toBe('runnable');
    expect(p.call('poll', pfd, 1, -1)).toBe(1);
    expect(p.t.mm.i16(pfd + 6)).toBe(1);
    expect(p.call('poll', 0, 1, 0)).toBe(-E.FAULT);
    expect(p.call('poll', pfd, FD_LIMIT + 1, 0)).toBe(-E.INVAL);
  });

  it('a poll with a timeout returns 0 once its deadline passed', () => {
    const { p, m } = setup();
    const fds = p.alloc(8);
    p.call('pipe', fds);
    const pfd = p.bytes(Uint8Array.from([...new Uint8Array(new Int32Array([p.i32(fds)]).buffer), 1, 0, 0, 0]));
    expect(p.call('poll', pfd, 1, 50)).toBe('BLOCK');
    expect(p.t.sleepDeadline).toBe(50e6);
    p.t.pendingSyscall = { nr: 7, args: [], startNs: 0 };
    m.nowNs = 50e6;
    expect(p.call('poll', pfd, 1, 50)).toBe(0);
  });

  it('fsync succeeds on files and fails with EINVAL on pipes and devices', () => {
    const { p } = setup();
    const f = p.open('/tmp/f', O_CREAT | O_WRONLY);
    expect(p.call('fsync', f)).toBe(0);
    const fds = p.alloc(8);
    p.call('pipe', fds);
    expect(p.call('fsync', p.i32(fds))).toBe(-E.INVAL);
    expect(p.call('fsync', p.open('/dev/null', O_RDONLY))).toBe(-E.INVAL);
    expect(p.call('fsync', 99)).toBe(-E.BADF);
  });
});
