// Memory syscalls: brk, mmap (anonymous and private file mappings), munmap, mprotect, madvise.
import type { SyscallHandler } from '../handler.js';
import { argInt, argPtr, argSize } from '../handler.js';
import { E, Errno } from '../errno.js';
import { PAGE_SIZE, PROT_READ, PROT_WRITE, PROT_EXEC, roundUp } from '../../runtime/memory.js';
import { MMAP_BASE, MMAP_BASE_32 } from '../exec.js';
import { TASK_SIZE_32 } from '../uaccess.js';
import type { Task } from '../task.js';

/** Where mmap searches down from: below the stack of a 32-bit (i386) task, else the x86_64 base. */
function mmapBase(t: Task): number {
  return t.user.taskSize === TASK_SIZE_32 ? MMAP_BASE_32 : MMAP_BASE;
}

const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_FIXED_NOREPLACE = 0x100000;

export const memHandlers: Record<string, SyscallHandler> = {
  brk: (ctx, a) => {
    const t = ctx.task;
    const want = argPtr(a[0]!);
    // brk(0) and out-of-range requests return the current break, as Linux does.
    if (want < t.brkStart || want > mmapBase(t) - 0x10000000) return t.brk;
    const oldEnd = roundUp(t.brk);
    const newEnd = roundUp(want);
    if (newEnd > oldEnd) {
      const pages = (newEnd - oldEnd) / PAGE_SIZE;
      if (t.mm.residentPages + pages > t.mm.pageLimit) return t.brk;
      if (t.mm.vmas.some((v) => v.start < newEnd && v.end > oldEnd)) return t.brk;
      t.mm.map(oldEnd, newEnd - oldEnd, PROT_READ | PROT_WRITE, '[heap]');
    } else if (newEnd < oldEnd) {
      t.mm.unmap(newEnd, oldEnd - newEnd);
    }
    t.brk = want;
    return want;
  },
  mmap: (ctx, a) => {
    const t = ctx.task;
    const addr = argPtr(a[0]!);
    const len = argSize(a[1]!);
    const prot = argInt(a[2]!);
    const flags = argInt(a[3]!);
    const fd = argInt(a[4]!);
    const off = argPtr(a[5]!);
    if (len === 0 || len === Infinity || len > 0x7fffffffffff) throw new Errno(len === 0 ? E.INVAL : E.NOMEM);
    if (!(flags & (MAP_SHARED | MAP_PRIVATE))) throw new Errno(E.INVAL);
    if (off < 0 || off % PAGE_SIZE) throw new Errno(E.INVAL);
    if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) throw new Errno(E.INVAL);
    const size = roundUp(len);
    // The memory limit first: a file mapping must not read gigabytes of /dev/zero before failing.
    if (size / PAGE_SIZE + t.mm.residentPages > t.mm.pageLimit) throw new Errno(E.NOMEM);
    let data: Uint8Array | undefined;
    if (!(flags & MAP_ANONYMOUS)) {
      const file = t.fds.get(fd);
      if (!file) throw new Errno(E.BADF);
      if (!file.ops.pread) throw new Errno(E.NODEV);
      if ((flags & MAP_SHARED) && (prot & PROT_WRITE)) throw new Errno(E.NOTSUP);
      data = file.ops.pread(ctx, file, size, off);
    }
    if (size / PAGE_SIZE + t.mm.residentPages > t.mm.pageLimit) throw new Errno(E.NOMEM);
    let start: number;
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
      if (addr % PAGE_SIZE || addr <= 0) throw new Errno(E.INVAL);
      if ((flags & MAP_FIXED_NOREPLACE) && t.mm.vmas.some((v) => v.start < addr + size && v.end > addr)) throw new Errno(E.EXIST);
      start = addr;
    } else {
      const hinted = addr && addr % PAGE_SIZE === 0 && !t.mm.vmas.some((v) => v.start < addr + size && v.end > addr) ? addr : undefined;
      const found = hinted ?? t.mm.findFree(size, mmapBase(t), roundUp(t.brk) + 0x10000000);
      if (found === undefined) throw new Errno(E.NOMEM);
      start = found;
    }
    t.mm.map(start, size, prot | PROT_WRITE, '');
    if (data && data.length) t.mm.write(start, data.subarray(0, size));
    if (!(prot & PROT_WRITE)) t.mm.protect(start, size, prot);
    return start;
  },
  munmap: (ctx, a) => {
    const addr = argPtr(a[0]!);
    const len = argSize(a[1]!);
    if (addr < 0 || addr % PAGE_SIZE || len === 0 || len === Infinity) throw new Errno(E.INVAL);
    // Linux: a range reaching past TASK_SIZE is EINVAL.
    if (addr > ctx.user.taskSize || len > ctx.user.taskSize - addr) throw new Errno(E.INVAL);
    ctx.task.mm.unmap(addr, roundUp(len));
    return 0;
  },
  mprotect: (ctx, a) => {
    const addr = argPtr(a[0]!);
    const len = argSize(a[1]!);
    const prot = argInt(a[2]!);
    if (addr < 0 || addr % PAGE_SIZE || len === Infinity) throw new Errno(E.INVAL);
    if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) throw new Errno(E.INVAL);
    if (len === 0) return 0;
    if (!ctx.task.mm.protect(addr, roundUp(len), prot)) throw new Errno(E.NOMEM);
    return 0;
  },
  madvise: () => 0,
};
