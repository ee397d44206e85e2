// The FileOps of open files backed by VFS nodes: regular files (tmpfs, hostfs), procfs snapshots,
// directories (getdents positions, rewinddir), and O_PATH descriptors (fstat and *at() only).
import { E, Errno } from '../errno.js';
import type { FileOps, OpenFile } from '../file.js';
import { O_APPEND, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET } from './constants.js';
import { type DirEntry, dtypeOf, VFile, type VNode } from './vnode.js';

export function vfileOf(file: OpenFile): VFile {
  if (!(file.priv instanceof VFile)) throw new Errno(E.BADF);
  return file.priv;
}

/** lseek over a byte stream of the given size: SEEK_SET/CUR/END and SEEK_DATA/HOLE (no holes). */
export function seekIn(file: OpenFile, offset: number, whence: number, size: number): number {
  let pos: number;
  switch (whence) {
    case SEEK_SET: pos = offset; break;
    case SEEK_CUR: pos = file.pos + offset; break;
    case SEEK_END: pos = size + offset; break;
    case SEEK_DATA:
      if (offset < 0 || offset >= size) throw new Errno(E.NXIO);
      pos = offset;
      break;
    case SEEK_HOLE:
      if (offset < 0 || offset >= size) throw new Errno(E.NXIO);
      pos = size;
      break;
    default: throw new Errno(E.INVAL);
  }
  if (pos < 0 || !Number.isFinite(pos)) throw new Errno(E.INVAL);
  file.pos = pos;
  return pos;
}

const nodeOf = (file: OpenFile): VNode => vfileOf(file).node;

export const regularFileOps: FileOps = {
  read(_ctx, file, len) {
    const data = nodeOf(file).read(file.pos, len);
    file.pos += data.length;
    return data;
  },
  write(_ctx, file, data) {
    const node = nodeOf(file);
    if (file.flags & O_APPEND) file.pos = node.size();
    const n = node.write(file.pos, data);
    file.pos += n;
    return n;
  },
  pread(_ctx, file, len, pos) {
    return nodeOf(file).read(pos, len);
  },
  pwrite(_ctx, file, data, pos) {
    const node = nodeOf(file);
    // Linux's pwrite on an O_APPEND file appends whatever the offset says.
    return node.write(file.flags & O_APPEND ? node.size() : pos, data);
  },
  lseek(_ctx, file, offset, whence) {
    return seekIn(file, offset, whence, nodeOf(file).size());
  },
  stat(file) {
    return nodeOf(file).stat();
  },
  poll() {
    return { readable: true, writable: true, hangup: false };
  },
};

/** A procfs file: reads come from the snapshot taken at open. */
export const snapshotFileOps: FileOps = {
  read(_ctx, file, len) {
    const snap = vfileOf(file).snapshot ?? new Uint8Array(0);
    const data = snap.slice(file.pos, file.pos + len);
    file.pos += data.length;
    return data;
  },
  write(_ctx, file, data) {
    return nodeOf(file).write(file.pos, data);
  },
  pread(_ctx, file, len, pos) {
    return (vfileOf(file).snapshot ?? new Uint8Array(0)).slice(pos, pos + len);
  },
  lseek(_ctx, file, offset, whence) {
    return seekIn(file, offset, whence, vfileOf(file).snapshot?.length ?? 0);
  },
  stat(file) {
    return nodeOf(file).stat();
  },
  poll() {
    return { readable: true, writable: true, hangup: false };
  },
};

/** Directories: the position counts entries (`.` and `..` first); read(2) fails with EISDIR. */
export function makeDirOps(parentOf: (n: VNode) => VNode): FileOps {
  return {
    read() {
      throw new Errno(E.ISDIR);
    },
    write() {
      throw new Errno(E.ISDIR);
    },
    pread() {
      throw new Errno(E.ISDIR);
    },
    pwrite() {
      throw new Errno(E.ISDIR);
    },
    lseek(_ctx, file, offset, whence) {
      if (whence !== SEEK_SET && whence !== SEEK_CUR) throw new Errno(E.INVAL);
      return seekIn(file, offset, whence, 0);
    },
    stat(file) {
      return nodeOf(file).stat();
    },
    readdir(file): DirEntry[] {
      const node = nodeOf(file);
      const all: DirEntry[] = [
        { name: '.', ino: node.ino, type: dtypeOf('dir') },
        { name: '..', ino: parentOf(node).ino, type: dtypeOf('dir') },
        ...node.entries(undefined),
      ];
      return all.slice(file.pos);
    },
  };
}

/** O_PATH descriptors: no I/O (EBADF), fstat works, usable as a dirfd. */
export const pathOnlyOps: FileOps = {
  stat(file) {
    return nodeOf(file).stat();
  },
};
