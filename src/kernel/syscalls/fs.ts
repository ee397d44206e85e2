// The file-related Linux syscalls, in TypeScript: descriptors (read, write, the vectored and
// positional forms, lseek, dup*, fcntl, ioctl, close, pipe*), paths (open*, stat*, access*,
// mkdir*, mknod*, unlink*, rename*, link, symlink, readlink*, chmod*, truncate), the working directory and
// getdents64. Each follows Linux's order of checks and errno values. User memory is reached only
// through ctx.user; paths go through the kernel's Vfs; data moved by read/write is reported to the
// kernel's I/O observer.
//
// From ctx.kernel these handlers use (see FsKernel): `vfs`, `emitIo?(task, fd, write, data)`;
// pipes use `sendSignal?(task, signo, info)` (pipe.ts).
import type { SyscallContext } from '../context.js';
import { E, Errno } from '../errno.js';
import type { Int64 } from '../events.js';
import { FD_LIMIT, type OpenFile } from '../file.js';
import { argInt, argLong, argPtr, argSize, argUint, type SyscallHandler } from '../handler.js';
import { decodeIovecs, encodeDirent64, encodeStat, encodeStatx, IOVEC_SIZE } from '../linux/abi.js';
import { createPipe, fifoOpen, isFifoOpening, PIPE_CAPACITY, pipeOf } from '../pipe.js';
import type { Task } from '../task.js';
import {
  AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_NO_AUTOMOUNT, AT_REMOVEDIR, AT_STATX_SYNC_TYPE, AT_SYMLINK_FOLLOW,
  AT_SYMLINK_NOFOLLOW, O_ACCMODE, O_APPEND, O_ASYNC, O_CLOEXEC, O_CREAT, O_DIRECT, O_NOATIME, O_NONBLOCK, O_PATH,
  O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, PATH_MAX, SEEK_HOLE,
} from '../vfs/constants.js';
import type { Vfs } from '../vfs/vfs.js';
import { vnodeOf, type VNode } from '../vfs/vnode.js';
import { BLOCK } from '../wait.js';

/** What these handlers need from the kernel object. */
export interface FsKernel {
  vfs: Vfs;
  /** Reports bytes moved by read/write-family calls on fd (ktrace GIO, D io probes). */
  emitIo?(task: Task, fd: number, write: boolean, data: Uint8Array): void;
}

/** Linux's MAX_RW_COUNT: one read or write moves at most this much. */
export const MAX_RW_COUNT = 0x7ffff000;
const UIO_MAXIOV = 1024;
const FD_CLOEXEC = 1;
const F_DUPFD = 0;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const F_DUPFD_CLOEXEC = 1030;
const F_GETPIPE_SZ = 1032;
const FIONCLEX = 0x5450;
const FIOCLEX = 0x5451;
const FIONBIO = 0x5421;
const FIONREAD = 0x541b;
const STATX_RESERVED = 0x80000000;
/** Status flags F_SETFL may change. */
const SETFL_MASK = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function kernelOf(ctx: SyscallContext): FsKernel {
  return ctx.kernel as unknown as FsKernel;
}

function vfsOf(ctx: SyscallContext): Vfs {
  return kernelOf(ctx).vfs;
}

function fail(errno: number): never {
  throw new Errno(errno);
}

/** The open file at fd, or EBADF. */
function fileOf(ctx: SyscallContext, fd: number): OpenFile {
  return ctx.task.fds.get(fd) ?? fail(E.BADF);
}

/** Like fileOf, but O_PATH descriptors (which allow no I/O) fail with EBADF too. */
function ioFileOf(ctx: SyscallContext, fd: number): OpenFile {
  const f = fileOf(ctx, fd);
  if (f.flags & O_PATH) fail(E.BADF);
  return f;
}

const canRead = (f: OpenFile): boolean => !(f.flags & O_PATH) && ((f.flags & O_ACCMODE) === O_RDONLY || (f.flags & O_ACCMODE) === O_RDWR);
const canWrite = (f: OpenFile): boolean => !(f.flags & O_PATH) && ((f.flags & O_ACCMODE) === O_WRONLY || (f.flags & O_ACCMODE) === O_RDWR);

/** A path argument: EFAULT, ENAMETOOLONG (PATH_MAX with the NUL), ENOENT when empty unless allowed. */
function readPath(ctx: SyscallContext, p: Int64, allowEmpty = false): string {
  const bytes = ctx.user.readString(p, PATH_MAX);
  if (bytes.length === 0 && !allowEmpty) fail(E.NOENT);
  return decoder.decode(bytes);
}

/** The directory a relative path of an *at() call starts from (undefined: the cwd). */
function baseOf(ctx: SyscallContext, dirfd: number, path: string): VNode | undefined {
  if (path.startsWith('/') || dirfd === AT_FDCWD) return undefined;
  const f = fileOf(ctx, dirfd);
  const node = vnodeOf(f);
  if (!node) fail(E.NOTDIR);
  if (path !== '' && node.type !== 'dir') fail(E.NOTDIR);
  return node;
}

/** The node an AT_EMPTY_PATH call with an empty path means: the dirfd's own (or the cwd). */
function emptyPathNode(ctx: SyscallContext, dirfd: number): VNode | OpenFile {
  if (dirfd === AT_FDCWD) return vfsOf(ctx).lookup(ctx.task, '.', true);
  const f = fileOf(ctx, dirfd);
  return vnodeOf(f) ?? f;
}

function hasFreeFds(task: Task, n: number): boolean {
  return FD_LIMIT - task.fds.slots.size >= n;
}

function installFile(ctx: SyscallContext, file: OpenFile, cloexec: boolean): number {
  const fd = ctx.task.fds.install(file, cloexec);
  if (fd < 0) {
    if (file.refs === 0) file.ops.release?.(file);
    fail(E.MFILE);
  }
  return fd;
}

/** How many bytes from addr (up to len) the task can have written into, page by page. */
function userWritableLength(ctx: SyscallContext, addr: number, len: number): number {
  return userAccessibleLength(ctx, addr, len, true);
}

function userAccessibleLength(ctx: SyscallContext, addr: number, len: number, write: boolean): number {
  if (addr < 0) return 0;
  let done = 0;
  while (done < len) {
    const a = addr + done;
    const n = Math.min(len - done, 4096 - (a % 4096));
    if (!ctx.user.accessOk(a, n) || !ctx.user.mm.accessible(a, n, write)) break;
    done += n;
  }
  return done;
}

function emitIo(ctx: SyscallContext, fd: number, write: boolean, data: Uint8Array): void {
  if (data.length > 0) kernelOf(ctx).emitIo?.(ctx.task, fd, write, data);
}

// --- read and write --------------------------------------------------------------------------

function doRead(ctx: SyscallContext, fd: number, bufArg: Int64, countArg: Int64): Int64 | typeof BLOCK {
  const file = fileOf(ctx, fd);
  if (!canRead(file)) fail(E.BADF);
  if (!file.ops.read) fail(E.INVAL);
  const count = argSize(countArg);
  const addr = argPtr(bufArg);
  if (!ctx.user.accessOk(addr, count)) fail(E.FAULT);
  // A directory fails before any byte of the buffer matters (generic_read_dir).
  if (vnodeOf(file)?.type === 'dir') fail(E.ISDIR);
  const want = Math.min(count, MAX_RW_COUNT);
  const len = want === 0 ? 0 : userWritableLength(ctx, addr, want);
  if (want > 0 && len === 0) fail(E.FAULT);
  const r = file.ops.read(ctx, file, len);
  if (r === BLOCK) return BLOCK;
  if (ctx.user.copyToUser(addr, r) !== 0) fail(E.FAULT);
  emitIo(ctx, fd, false, r);
  return r.length;
}

function doWrite(ctx: SyscallContext, fd: number, bufArg: Int64, countArg: Int64): Int64 | typeof BLOCK {
  const file = fileOf(ctx, fd);
  if (!canWrite(file)) fail(E.BADF);
  if (!file.ops.write) fail(E.INVAL);
  const count = argSize(countArg);
  const addr = argPtr(bufArg);
  if (!ctx.user.accessOk(addr, count)) fail(E.FAULT);
  const want = Math.min(count, MAX_RW_COUNT);
  if (want === 0) return 0;
  const len = userAccessibleLength(ctx, addr, want, false);
  if (len === 0) fail(E.FAULT);
  const data = ctx.user.read(addr, len);
  const n = file.ops.write(ctx, file, data);
  if (n === BLOCK) return BLOCK;
  emitIo(ctx, fd, true, data.subarray(0, n));
  return n;
}

/** Reads and checks an iovec array: EINVAL for a bad count or length, EFAULT for a bad range. */
function readIovecs(ctx: SyscallContext, iovArg: Int64, cntArg: Int64): { addr: number; len: number }[] {
  const cnt = argInt(cntArg);
  if (cnt < 0 || cnt > UIO_MAXIOV) fail(E.INVAL);
  if (cnt === 0) return [];
  const raw = decodeIovecs(ctx.user.read(iovArg, cnt * IOVEC_SIZE), cnt);
  let total = 0;
  const out: { addr: number; len: number }[] = [];
  for (const iov of raw) {
    const len = typeof iov.len === 'bigint' || iov.len < 0 ? fail(E.INVAL) : iov.len;
    const addr = argPtr(iov.base);
    if (!ctx.user.accessOk(addr, len)) fail(E.FAULT);
    // The total is capped at MAX_RW_COUNT, as rw_copy_check_uvector does.
    const take = Math.min(len, MAX_RW_COUNT - total);
    total += take;
    out.push({ addr, len: take });
  }
  return out;
}

function doReadv(ctx: SyscallContext, fd: number, iovArg: Int64, cntArg: Int64, pos?: number): Int64 | typeof BLOCK {
  const file = fileOf(ctx, fd);
  if (!canRead(file)) fail(E.BADF);
  if (!file.ops.read) fail(E.INVAL);
  const iovs = readIovecs(ctx, iovArg, cntArg);
  if (pos !== undefined && !file.ops.pread) fail(E.SPIPE);
  let room = 0;
  for (const iov of iovs) {
    const w = userWritableLength(ctx, iov.addr, iov.len);
    room += w;
    if (w < iov.len) break;
  }
  const want = iovs.reduce((n, v) => n + v.len, 0);
  if (want > 0 && room === 0) fail(E.FAULT);
  const r = pos === undefined ? file.ops.read(ctx, file, room) : file.ops.pread!(ctx, file, room, pos);
  if (r === BLOCK) return BLOCK;
  let off = 0;
  for (const iov of iovs) {
    if (off >= r.length) break;
    const part = r.subarray(off, off + iov.len);
    ctx.user.write(iov.addr, part);
    off += part.length;
  }
  emitIo(ctx, fd, false, r);
  return r.length;
}

function doWritev(ctx: SyscallContext, fd: number, iovArg: Int64, cntArg: Int64, pos?: number): Int64 | typeof BLOCK {
  const file = fileOf(ctx, fd);
  if (!canWrite(file)) fail(E.BADF);
  if (!file.ops.write) fail(E.INVAL);
  const iovs = readIovecs(ctx, iovArg, cntArg);
  if (pos !== undefined && !file.ops.pwrite) fail(E.SPIPE);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const iov of iovs) {
    const r = userAccessibleLength(ctx, iov.addr, iov.len, false);
    parts.push(ctx.user.read(iov.addr, r));
    total += r;
    if (r < iov.len) break;
  }
  const want = iovs.reduce((n, v) => n + v.len, 0);
  if (want === 0) return 0;
  if (total === 0) fail(E.FAULT);
  const data = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    data.set(p, off);
    off += p.length;
  }
  const n = pos === undefined ? file.ops.write(ctx, file, data) : file.ops.pwrite!(ctx, file, data, pos);
  if (n === BLOCK) return BLOCK;
  emitIo(ctx, fd, true, data.subarray(0, n));
  return n;
}

function offsetArg(v: Int64): number {
  const n = argLong(v);
  if (n < 0) fail(E.INVAL);
  return n;
}

// --- open, close -----------------------------------------------------------------------------

function doOpen(ctx: SyscallContext, dirfd: number, pathArg: Int64, flags: number, mode: number): Int64 {
  const path = readPath(ctx, pathArg);
  if (!hasFreeFds(ctx.task, 1)) fail(E.MFILE);
  const base = baseOf(ctx, dirfd, path);
  const file = vfsOf(ctx).open(ctx.task, path, flags, mode, base);
  if (isFifoOpening(file)) {
    // A FIFO waits for its other side (pipe.ts); the open runs again from the top when woken.
    const opened = fifoOpen(ctx, file);
    if (opened === BLOCK) return BLOCK as unknown as Int64;
  }
  return installFile(ctx, file, (flags & O_CLOEXEC) !== 0);
}

// --- stat ------------------------------------------------------------------------------------

function statTarget(ctx: SyscallContext, dirfd: number, pathArg: Int64, flags: number): ReturnType<VNode['stat']> {
  const path = readPath(ctx, pathArg, (flags & AT_EMPTY_PATH) !== 0);
  if (path === '') {
    const t = emptyPathNode(ctx, dirfd);
    return 'ops' in t ? t.ops.stat(t) : t.stat();
  }
  const base = baseOf(ctx, dirfd, path);
  return vfsOf(ctx).lookup(ctx.task, path, !(flags & AT_SYMLINK_NOFOLLOW), base).stat();
}

function doFstatat(ctx: SyscallContext, dirfd: number, pathArg: Int64, buf: Int64, flags: number): Int64 {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) fail(E.INVAL);
  const st = statTarget(ctx, dirfd, pathArg, flags);
  ctx.user.write(buf, encodeStat(st));
  return 0;
}

// --- access ----------------------------------------------------------------------------------

function doFaccessat(ctx: SyscallContext, dirfd: number, pathArg: Int64, mode: number, flags: number): Int64 {
  if (mode & ~7) fail(E.INVAL);
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) fail(E.INVAL);
  const path = readPath(ctx, pathArg, (flags & AT_EMPTY_PATH) !== 0);
  let node: VNode;
  if (path === '') {
    const t = emptyPathNode(ctx, dirfd);
    if ('ops' in t) return 0;
    node = t;
  } else {
    node = vfsOf(ctx).lookup(ctx.task, path, !(flags & AT_SYMLINK_NOFOLLOW), baseOf(ctx, dirfd, path));
  }
  vfsOf(ctx).access(ctx.task, node, mode, !(flags & AT_EACCESS));
  return 0;
}

// --- names -----------------------------------------------------------------------------------

function doMkdirat(ctx: SyscallContext, dirfd: number, pathArg: Int64, mode: number): Int64 {
  const path = readPath(ctx, pathArg);
  vfsOf(ctx).mkdir(ctx.task, path, mode, baseOf(ctx, dirfd, path));
  return 0;
}

function doMknodat(ctx: SyscallContext, dirfd: number, pathArg: Int64, mode: number, dev: number): Int64 {
  const path = readPath(ctx, pathArg);
  vfsOf(ctx).mknod(ctx.task, path, mode, dev, baseOf(ctx, dirfd, path));
  return 0;
}

function doUnlinkat(ctx: SyscallContext, dirfd: number, pathArg: Int64, flags: number): Int64 {
  if (flags & ~AT_REMOVEDIR) fail(E.INVAL);
  const path = readPath(ctx, pathArg);
  const base = baseOf(ctx, dirfd, path);
  if (flags & AT_REMOVEDIR) vfsOf(ctx).rmdir(ctx.task, path, base);
  else vfsOf(ctx).unlink(ctx.task, path, base);
  return 0;
}

function doRenameat(ctx: SyscallContext, oldfd: number, oldArg: Int64, newfd: number, newArg: Int64, flags: number): Int64 {
  const oldPath = readPath(ctx, oldArg);
  const newPath = readPath(ctx, newArg);
  vfsOf(ctx).rename(ctx.task, oldPath, newPath, flags, baseOf(ctx, oldfd, oldPath), baseOf(ctx, newfd, newPath));
  return 0;
}

function doLinkat(ctx: SyscallContext, oldfd: number, oldArg: Int64, newfd: number, newArg: Int64, flags: number): Int64 {
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) fail(E.INVAL);
  const oldPath = readPath(ctx, oldArg);
  const newPath = readPath(ctx, newArg);
  vfsOf(ctx).link(ctx.task, oldPath, newPath, (flags & AT_SYMLINK_FOLLOW) !== 0, baseOf(ctx, oldfd, oldPath), baseOf(ctx, newfd, newPath));
  return 0;
}

function doSymlinkat(ctx: SyscallContext, targetArg: Int64, newfd: number, linkArg: Int64): Int64 {
  const target = readPath(ctx, targetArg, true);
  const linkPath = readPath(ctx, linkArg);
  vfsOf(ctx).symlink(ctx.task, target, linkPath, baseOf(ctx, newfd, linkPath));
  return 0;
}

function doReadlinkat(ctx: SyscallContext, dirfd: number, pathArg: Int64, buf: Int64, sizeArg: Int64): Int64 {
  const size = argInt(sizeArg);
  if (size <= 0) fail(E.INVAL);
  const path = readPath(ctx, pathArg, true);
  let text: string;
  if (path === '') {
    // readlinkat(fd, "") reads the symlink an O_PATH descriptor refers to.
    const t = emptyPathNode(ctx, dirfd);
    if ('ops' in t || t.type !== 'lnk') fail(E.NOENT);
    text = t.readlink(ctx.task);
  } else {
    text = vfsOf(ctx).readlink(ctx.task, path, baseOf(ctx, dirfd, path));
  }
  const bytes = encoder.encode(text).subarray(0, size);
  ctx.user.write(buf, bytes);
  return bytes.length;
}

function doFchmodat(ctx: SyscallContext, dirfd: number, pathArg: Int64, mode: number): Int64 {
  const path = readPath(ctx, pathArg);
  const node = vfsOf(ctx).lookup(ctx.task, path, true, baseOf(ctx, dirfd, path));
  vfsOf(ctx).chmod(ctx.task, node, mode);
  return 0;
}

function doFchownat(ctx: SyscallContext, dirfd: number, pathArg: Int64, uid: number, gid: number, flags: number): Int64 {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) fail(E.INVAL);
  const path = readPath(ctx, pathArg, (flags & AT_EMPTY_PATH) !== 0);
  let node: VNode;
  if (path === '') {
    const t = emptyPathNode(ctx, dirfd);
    node = 'ops' in t ? fail(E.PERM) : t;
  } else {
    node = vfsOf(ctx).lookup(ctx.task, path, !(flags & AT_SYMLINK_NOFOLLOW), baseOf(ctx, dirfd, path));
  }
  vfsOf(ctx).chown(ctx.task, node, uid, gid);
  return 0;
}

// --- descriptors -----------------------------------------------------------------------------

function doDup3(ctx: SyscallContext, oldfd: number, newfd: number, cloexec: boolean): Int64 {
  const file = fileOf(ctx, oldfd);
  if (newfd < 0 || newfd >= FD_LIMIT) fail(E.BADF);
  ctx.task.fds.installAt(newfd, file, cloexec);
  return newfd;
}

function doPipe2(ctx: SyscallContext, fdsArg: Int64, flags: number): Int64 {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT)) fail(E.INVAL);
  if (!hasFreeFds(ctx.task, 2)) fail(E.MFILE);
  const [r, w] = createPipe(ctx.now(), flags);
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const rfd = installFile(ctx, r, cloexec);
  const wfd = installFile(ctx, w, cloexec);
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setInt32(0, rfd, true);
  v.setInt32(4, wfd, true);
  if (ctx.user.copyToUser(fdsArg, out) !== 0) {
    ctx.task.fds.close(rfd);
    ctx.task.fds.close(wfd);
    fail(E.FAULT);
  }
  return 0;
}

function doFcntl(ctx: SyscallContext, fd: number, cmd: number, arg: Int64): Int64 {
  const file = fileOf(ctx, fd);
  const slot = ctx.task.fds.slots.get(fd)!;
  if (file.flags & O_PATH && ![F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL].includes(cmd)) fail(E.BADF);
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
      const min = argLong(arg);
      if (min < 0 || min >= FD_LIMIT) fail(E.INVAL);
      const nfd = ctx.task.fds.install(file, cmd === F_DUPFD_CLOEXEC, min);
      if (nfd < 0) fail(E.MFILE);
      return nfd;
    }
    case F_GETFD:
      return slot.cloexec ? FD_CLOEXEC : 0;
    case F_SETFD:
      slot.cloexec = (argInt(arg) & FD_CLOEXEC) !== 0;
      return 0;
    case F_GETFL:
      return file.flags;
    case F_SETFL: {
      const v = argInt(arg);
      file.flags = (file.flags & ~SETFL_MASK) | (v & SETFL_MASK);
      return 0;
    }
    case F_GETPIPE_SZ:
      if (!pipeOf(file)) fail(E.BADF);
      return PIPE_CAPACITY;
    default:
      fail(E.INVAL);
  }
}

function doIoctl(ctx: SyscallContext, fd: number, request: number, arg: Int64): Int64 {
  const file = ioFileOf(ctx, fd);
  const slot = ctx.task.fds.slots.get(fd)!;
  switch (request) {
    case FIOCLEX:
      slot.cloexec = true;
      return 0;
    case FIONCLEX:
      slot.cloexec = false;
      return 0;
    case FIONBIO:
      if (ctx.user.readI32(arg) !== 0) file.flags |= O_NONBLOCK;
      else file.flags &= ~O_NONBLOCK;
      return 0;
  }
  const node = vnodeOf(file);
  if (request === FIONREAD && node?.type === 'reg') {
    ctx.user.writeI32(arg, Math.max(0, Math.min(0x7fffffff, node.size() - file.pos)));
    return 0;
  }
  if (!file.ops.ioctl) fail(E.NOTTY);
  return file.ops.ioctl(ctx, file, request, arg);
}

function doGetdents64(ctx: SyscallContext, fd: number, dirp: Int64, countArg: Int64): Int64 {
  const file = ioFileOf(ctx, fd);
  if (!file.ops.readdir) fail(E.NOTDIR);
  const count = argUint(countArg);
  const addr = argPtr(dirp);
  if (!ctx.user.accessOk(addr, count)) fail(E.FAULT);
  const entries = file.ops.readdir(file);
  const recs: Uint8Array[] = [];
  let used = 0;
  for (const e of entries) {
    const rec = encodeDirent64(e.ino, file.pos + recs.length + 1, e.type, encoder.encode(e.name));
    if (used + rec.length > count) break;
    recs.push(rec);
    used += rec.length;
  }
  if (recs.length === 0 && entries.length > 0) fail(E.INVAL);
  const out = new Uint8Array(used);
  let off = 0;
  for (const r of recs) {
    out.set(r, off);
    off += r.length;
  }
  ctx.user.write(addr, out);
  file.pos += recs.length;
  return used;
}

// --- the handler record ----------------------------------------------------------------------

const fdArg = argInt;
const flagsArg = argInt;

export const fsHandlers: Record<string, SyscallHandler> = {
  read: (ctx, a) => doRead(ctx, fdArg(a[0]), a[1], a[2]),
  write: (ctx, a) => doWrite(ctx, fdArg(a[0]), a[1], a[2]),
  readv: (ctx, a) => doReadv(ctx, fdArg(a[0]), a[1], a[2]),
  writev: (ctx, a) => doWritev(ctx, fdArg(a[0]), a[1], a[2]),
  pread64: (ctx, a) => {
    const file = fileOf(ctx, fdArg(a[0]));
    if (!canRead(file)) fail(E.BADF);
    const pos = offsetArg(a[3]);
    if (!file.ops.pread) fail(E.SPIPE);
    const count = argSize(a[2]);
    const addr = argPtr(a[1]);
    if (!ctx.user.accessOk(addr, count)) fail(E.FAULT);
    const want = Math.min(count, MAX_RW_COUNT);
    const len = want === 0 ? 0 : userWritableLength(ctx, addr, want);
    if (want > 0 && len === 0) fail(E.FAULT);
    const r = file.ops.pread(ctx, file, len, pos);
    ctx.user.write(addr, r);
    emitIo(ctx, fdArg(a[0]), false, r);
    return r.length;
  },
  pwrite64: (ctx, a) => {
    const file = fileOf(ctx, fdArg(a[0]));
    if (!canWrite(file)) fail(E.BADF);
    const pos = offsetArg(a[3]);
    if (!file.ops.pwrite) fail(E.SPIPE);
    const count = argSize(a[2]);
    const addr = argPtr(a[1]);
    if (!ctx.user.accessOk(addr, count)) fail(E.FAULT);
    const want = Math.min(count, MAX_RW_COUNT);
    if (want === 0) return 0;
    const len = userAccessibleLength(ctx, addr, want, false);
    if (len === 0) fail(E.FAULT);
    const data = ctx.user.read(addr, len);
    const n = file.ops.pwrite(ctx, file, data, pos);
    emitIo(ctx, fdArg(a[0]), true, data.subarray(0, n));
    return n;
  },
  preadv: (ctx, a) => doReadv(ctx, fdArg(a[0]), a[1], a[2], offsetArg(a[3])),
  pwritev: (ctx, a) => doWritev(ctx, fdArg(a[0]), a[1], a[2], offsetArg(a[3])),

  open: (ctx, a) => doOpen(ctx, AT_FDCWD, a[0], flagsArg(a[1]), argUint(a[2])),
  openat: (ctx, a) => doOpen(ctx, fdArg(a[0]), a[1], flagsArg(a[2]), argUint(a[3])),
  creat: (ctx, a) => doOpen(ctx, AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, argUint(a[1])),
  close: (ctx, a) => {
    if (!ctx.task.fds.close(fdArg(a[0]))) fail(E.BADF);
    return 0;
  },
  lseek: (ctx, a) => {
    const file = ioFileOf(ctx, fdArg(a[0]));
    const whence = argUint(a[2]);
    if (!file.ops.lseek) fail(E.SPIPE);
    if (whence > SEEK_HOLE) fail(E.INVAL);
    return file.ops.lseek(ctx, file, argLong(a[1]), whence);
  },

  stat: (ctx, a) => doFstatat(ctx, AT_FDCWD, a[0], a[1], 0),
  lstat: (ctx, a) => doFstatat(ctx, AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW),
  fstat: (ctx, a) => {
    const file = fileOf(ctx, fdArg(a[0]));
    ctx.user.write(a[1], encodeStat(file.ops.stat(file)));
    return 0;
  },
  newfstatat: (ctx, a) => doFstatat(ctx, fdArg(a[0]), a[1], a[2], flagsArg(a[3])),
  statx: (ctx, a) => {
    const flags = flagsArg(a[2]);
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) fail(E.INVAL);
    if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE) fail(E.INVAL);
    if (argUint(a[3]) & STATX_RESERVED) fail(E.INVAL);
    const st = statTarget(ctx, fdArg(a[0]), a[1], flags);
    ctx.user.write(a[4], encodeStatx(st));
    return 0;
  },

  access: (ctx, a) => doFaccessat(ctx, AT_FDCWD, a[0], argInt(a[1]), 0),
  faccessat: (ctx, a) => doFaccessat(ctx, fdArg(a[0]), a[1], argInt(a[2]), 0),
  faccessat2: (ctx, a) => doFaccessat(ctx, fdArg(a[0]), a[1], argInt(a[2]), flagsArg(a[3])),

  getcwd: (ctx, a) => {
    const bytes = encoder.encode(vfsOf(ctx).getcwd(ctx.task) + '\0');
    if (bytes.length > argSize(a[1])) fail(E.RANGE);
    ctx.user.write(a[0], bytes);
    return bytes.length;
  },
  chdir: (ctx, a) => {
    const path = readPath(ctx, a[0]);
    const vfs = vfsOf(ctx);
    vfs.chdir(ctx.task, vfs.lookup(ctx.task, path, true));
    return 0;
  },
  fchdir: (ctx, a) => {
    const file = fileOf(ctx, fdArg(a[0]));
    const node = vnodeOf(file) ?? fail(E.NOTDIR);
    vfsOf(ctx).chdir(ctx.task, node);
    return 0;
  },

  mkdir: (ctx, a) => doMkdirat(ctx, AT_FDCWD, a[0], argUint(a[1])),
  mkdirat: (ctx, a) => doMkdirat(ctx, fdArg(a[0]), a[1], argUint(a[2])),
  mknod: (ctx, a) => doMknodat(ctx, AT_FDCWD, a[0], argUint(a[1]) & 0xffff, argUint(a[2])),
  mknodat: (ctx, a) => doMknodat(ctx, fdArg(a[0]), a[1], argUint(a[2]) & 0xffff, argUint(a[3])),
  rmdir: (ctx, a) => doUnlinkat(ctx, AT_FDCWD, a[0], AT_REMOVEDIR),
  unlink: (ctx, a) => doUnlinkat(ctx, AT_FDCWD, a[0], 0),
  unlinkat: (ctx, a) => doUnlinkat(ctx, fdArg(a[0]), a[1], flagsArg(a[2])),
  rename: (ctx, a) => doRenameat(ctx, AT_FDCWD, a[0], AT_FDCWD, a[1], 0),
  renameat: (ctx, a) => doRenameat(ctx, fdArg(a[0]), a[1], fdArg(a[2]), a[3], 0),
  renameat2: (ctx, a) => doRenameat(ctx, fdArg(a[0]), a[1], fdArg(a[2]), a[3], argUint(a[4])),
  link: (ctx, a) => doLinkat(ctx, AT_FDCWD, a[0], AT_FDCWD, a[1], 0),
  linkat: (ctx, a) => doLinkat(ctx, fdArg(a[0]), a[1], fdArg(a[2]), a[3], flagsArg(a[4])),
  symlink: (ctx, a) => doSymlinkat(ctx, a[0], AT_FDCWD, a[1]),
  symlinkat: (ctx, a) => doSymlinkat(ctx, a[0], fdArg(a[1]), a[2]),
  readlink: (ctx, a) => doReadlinkat(ctx, AT_FDCWD, a[0], a[1], a[2]),
  readlinkat: (ctx, a) => doReadlinkat(ctx, fdArg(a[0]), a[1], a[2], a[3]),

  chmod: (ctx, a) => doFchmodat(ctx, AT_FDCWD, a[0], argUint(a[1])),
  fchmodat: (ctx, a) => doFchmodat(ctx, fdArg(a[0]), a[1], argUint(a[2])),
  fchmod: (ctx, a) => {
    const file = ioFileOf(ctx, fdArg(a[0]));
    // Pipes and other anonymous objects have no node ksim can change the mode of.
    const node = vnodeOf(file) ?? fail(E.PERM);
    vfsOf(ctx).chmod(ctx.task, node, argUint(a[1]));
    return 0;
  },
  chown: (ctx, a) => doFchownat(ctx, AT_FDCWD, a[0], argInt(a[1]), argInt(a[2]), 0),
  lchown: (ctx, a) => doFchownat(ctx, AT_FDCWD, a[0], argInt(a[1]), argInt(a[2]), AT_SYMLINK_NOFOLLOW),
  fchownat: (ctx, a) => doFchownat(ctx, fdArg(a[0]), a[1], argInt(a[2]), argInt(a[3]), flagsArg(a[4])),
  fchown: (ctx, a) => {
    const file = ioFileOf(ctx, fdArg(a[0]));
    const node = vnodeOf(file) ?? fail(E.PERM);
    vfsOf(ctx).chown(ctx.task, node, argInt(a[1]), argInt(a[2]));
    return 0;
  },
  umask: (ctx, a) => {
    const old = ctx.task.umask;
    ctx.task.umask = argUint(a[0]) & 0o777;
    return old;
  },
  truncate: (ctx, a) => {
    const path = readPath(ctx, a[0]);
    const len = argLong(a[1]);
    if (len < 0) fail(E.INVAL);
    const vfs = vfsOf(ctx);
    vfs.truncate(ctx.task, vfs.lookup(ctx.task, path, true), len);
    return 0;
  },
  ftruncate: (ctx, a) => {
    const len = argLong(a[1]);
    if (len < 0) fail(E.INVAL);
    const file = ioFileOf(ctx, fdArg(a[0]));
    const node = vnodeOf(file);
    if (!node || node.type !== 'reg' || !canWrite(file)) fail(E.INVAL);
    node.truncate(len);
    return 0;
  },

  dup: (ctx, a) => {
    const file = fileOf(ctx, fdArg(a[0]));
    const fd = ctx.task.fds.install(file, false);
    if (fd < 0) fail(E.MFILE);
    return fd;
  },
  dup2: (ctx, a) => {
    const oldfd = fdArg(a[0]);
    const newfd = fdArg(a[1]);
    if (oldfd === newfd) {
      fileOf(ctx, oldfd);
      return newfd;
    }
    return doDup3(ctx, oldfd, newfd, false);
  },
  dup3: (ctx, a) => {
    const flags = flagsArg(a[2]);
    if (flags & ~O_CLOEXEC) fail(E.INVAL);
    const oldfd = fdArg(a[0]);
    const newfd = fdArg(a[1]);
    if (oldfd === newfd) fail(E.INVAL);
    return doDup3(ctx, oldfd, newfd, (flags & O_CLOEXEC) !== 0);
  },
  pipe: (ctx, a) => doPipe2(ctx, a[0], 0),
  pipe2: (ctx, a) => doPipe2(ctx, a[0], flagsArg(a[1])),
  fcntl: (ctx, a) => doFcntl(ctx, fdArg(a[0]), argInt(a[1]), a[2]),
  ioctl: (ctx, a) => doIoctl(ctx, fdArg(a[0]), argUint(a[1]), a[2]),
  getdents64: (ctx, a) => doGetdents64(ctx, fdArg(a[0]), a[1], a[2]),
  fsync: (ctx, a) => {
    const file = ioFileOf(ctx, fdArg(a[0]));
    const node = vnodeOf(file);
    if (!node || (node.type !== 'reg' && node.type !== 'dir')) fail(E.INVAL);
    return 0;
  },
  fdatasync: (ctx, a) => fsHandlers.fsync(ctx, a),
};
