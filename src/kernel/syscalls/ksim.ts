// ksim's own syscalls on Linux machines, outside Linux's numbering: `ksim_utrace` (number 1000)
// is FreeBSD's utrace(2) for Linux programs, so `ktrace -t u` records USER entries there too.
// libc's utrace() calls it; `ksim syscalls` lists it with abi "ksim".
import type { SyscallHandler } from '../handler.js';
import { argSize } from '../handler.js';
import type { SyscallRow } from '../syscall-row.js';
import { E, Errno } from '../errno.js';

/** KTR_USER_MAXLEN: the most bytes one utrace record carries. */
export const UTRACE_MAX = 2048;
export const KSIM_UTRACE_NR = 1000;

export const ksimUtraceRow: SyscallRow = {
  nr: KSIM_UTRACE_NR,
  name: 'ksim_utrace',
  abi: 'ksim',
  entry: 'sys_ksim_utrace',
  args: [
    { name: 'addr', ctype: 'const void __user *', fmt: 'buf:1', dir: 'in' },
    { name: 'len', ctype: 'size_t', fmt: 'ulong', dir: 'in' },
  ],
  ret: 'int',
  support: 'full',
  note: "ksim-specific: FreeBSD's utrace(2) for Linux machines (ktrace USER records)",
  classes: [],
  custom: false,
};

export const ksimUtrace: SyscallHandler = (ctx, a) => {
  const len = argSize(a[1]!);
  if (len > UTRACE_MAX) throw new Errno(E.INVAL);
  const data = ctx.user.read(a[0]!, len);
  const k = ctx.kernel;
  if (k.observers.length) {
    const e = { task: k.traceView(ctx.task), data, timeNs: ctx.now() };
    for (const o of k.observers) o.userTrace?.(e);
  }
  return 0;
};
