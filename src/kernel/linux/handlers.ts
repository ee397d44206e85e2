// Linux's handlers written in TypeScript, by syscall name, and how a table row finds its handler:
// by the syscall's own name for stock rows, or by the stock name behind an entry point
// (`sys_newstat` → stat) when a custom row reuses one.
import type { SyscallHandler } from '../handler.js';
import { procHandlers } from '../syscalls/proc.js';
import { signalHandlers } from '../syscalls/signal.js';
import { memHandlers } from '../syscalls/mem.js';
import { itimerHandlers, timeHandlers } from '../syscalls/time.js';
import { infoHandlers } from '../syscalls/info.js';
import { fsHandlers } from '../syscalls/fs.js';
import { pollHandlers } from '../syscalls/poll.js';
import { syslogHandlers } from '../syscalls/syslog.js';
import { LINUX_X86_64_TABLE } from './tables.js';

export const LINUX_HANDLERS: Record<string, SyscallHandler> = {
  ...procHandlers,
  ...signalHandlers,
  ...memHandlers,
  ...timeHandlers,
  ...itimerHandlers,
  ...infoHandlers,
  ...fsHandlers,
  ...pollHandlers,
  ...syslogHandlers,
};

/** Partially implemented calls and what is missing. */
export const LINUX_PARTIAL: Record<string, string> = {
  clone: 'fork-like only: CLONE_VM/CLONE_THREAD (threads) give ENOSYS',
  prlimit64: 'reports ksim limits; new limits are accepted but not applied',
  mmap: 'anonymous and private file mappings; MAP_SHARED file writes are not supported',
  mknod: 'regular files, FIFOs (tmpfs only) and, for root, character devices; block devices and sockets give EPERM',
  mknodat: 'regular files, FIFOs (tmpfs only) and, for root, character devices; block devices and sockets give EPERM',
  setitimer: 'ITIMER_REAL only; ITIMER_VIRTUAL and ITIMER_PROF give EINVAL',
  getitimer: 'ITIMER_REAL only; ITIMER_VIRTUAL and ITIMER_PROF give EINVAL',
};

const entryToName = new Map<string, string>();
for (const r of LINUX_X86_64_TABLE) if (r.entry && !entryToName.has(r.entry)) entryToName.set(r.entry, r.name);

/** The TypeScript handler a row named `name` with entry point `entry` runs, if any. */
export function linuxHandlerFor(name: string, entry: string): SyscallHandler | undefined {
  const stockName = entryToName.get(entry);
  if (stockName && LINUX_HANDLERS[stockName]) return LINUX_HANDLERS[stockName];
  if (!entry || entry === `sys_${name}`) return LINUX_HANDLERS[name];
  return undefined;
}
