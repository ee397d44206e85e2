// What a syscall handler gets: the calling task, its checked user memory, and the kernel services
// a SYSCALL_DEFINE body uses (sleeping, printk, time). Handlers written in TypeScript receive it as
// their first argument; kernel C reaches the same services through intrinsics.
import type { Kernel } from './kernel.js';
import type { Task } from './task.js';
import type { UserMemory } from './uaccess.js';
import type { WaitQueue, Block } from './wait.js';
import type { SyscallRow } from './syscall-row.js';

export interface SyscallContext {
  readonly kernel: Kernel;
  readonly task: Task;
  /** The task's user memory through the checked copy helpers (EFAULT on bad pointers). */
  readonly user: UserMemory;
  readonly nr: number;
  readonly row: SyscallRow | undefined;
  /** Puts the task to sleep on q; the syscall runs again from its start when the task is woken. */
  sleepOn(q: WaitQueue, wmesg: string): Block;
  /** Like sleepOn, but also wakes at the emulated time deadlineNs. */
  sleepUntil(deadlineNs: number, q: WaitQueue | undefined, wmesg: string): Block;
  /** Emulated monotonic time, nanoseconds since boot. */
  now(): number;
  /** Writes to the kernel log as printk does (KERN_* prefixes understood). */
  printk(text: string): void;
}
