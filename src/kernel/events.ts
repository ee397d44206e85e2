// What the kernel tells its observers (strace, ktrace, dtrace, the library's recorders).
// The kernel calls an observer method only when at least one observer is attached: a probe that
// nobody enabled costs one branch. Observers must not throw; they read user memory only through
// TraceTask's safe readers, which never fault.
import type { SyscallRow } from './syscall-row.js';

/** 64-bit values: a number when exact (|v| <= 2^53), else a bigint (two's complement, signed view). */
export type Int64 = number | bigint;

/** What an observer may see of a task. */
export interface TraceTask {
  readonly pid: number;
  readonly tid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  /** The command name (at most 15 characters on Linux, 19 on FreeBSD). */
  readonly comm: string;
  /** Bytes in a user pointer: 4 for an i386 task, 8 otherwise (undefined means 8). */
  readonly pointerSize?: number;
  /** Copies user memory; null when any byte is not readable. Never throws. */
  readUser(addr: Int64, len: number): Uint8Array | null;
  /** Reads a NUL-terminated string of at most max bytes; null when the first byte is unreadable.
   *  `complete` is false when no NUL was found within max bytes or memory ended first. */
  readCString(addr: Int64, max: number): { bytes: Uint8Array; complete: boolean } | null;
  /** The path an fd refers to (for strace -y), or undefined. */
  fdPath(fd: number): string | undefined;
  /** The user-mode call stack, innermost first, for strace -k and D ustack(). */
  userStack(): StackFrameInfo[];
}

export interface StackFrameInfo {
  /** Function name, or undefined when the address is in no known function. */
  func?: string;
  /** Address of the call site / current position (best effort). */
  addr: number;
  file?: string;
  line?: number;
  /** Image or module the function belongs to (`test`, `libc`, `kernel`, `stephen.ko`). */
  module?: string;
  /** Kernel frames: the return address's offset in func (dtrace's stack() prints func+0xOFF). */
  offset?: number;
}

export interface SyscallEnterEvent {
  task: TraceTask;
  nr: number;
  /** The row for nr; undefined for a number past the table. */
  row: SyscallRow | undefined;
  /** The six raw argument registers (x86_64: rdi rsi rdx r10 r8 r9). */
  args: Int64[];
  /** Emulated monotonic clock, nanoseconds since boot. */
  timeNs: number;
}

export interface SyscallExitEvent extends SyscallEnterEvent {
  /** The value the caller sees: on Linux, -errno on failure (the raw rax). */
  ret: Int64;
  /** The error number (positive) when the call failed, else 0. */
  errno: number;
  /** FreeBSD's second return register (td_retval[1]). */
  ret2?: Int64;
  /** Nanoseconds spent in the call (emulated clock). */
  durationNs: number;
}

export interface SignalEvent {
  task: TraceTask;
  signo: number;
  /** si_code, si_pid, si_uid, si_status, si_addr as far as they apply. */
  info: { code: number; pid?: number; uid?: number; status?: number; addr?: Int64; utime?: number; stime?: number };
  /** The handler address when caught, 0 for SIG_DFL, 1 for SIG_IGN. */
  handler: Int64;
  /** The blocked mask during the handler (low 64 bits). */
  mask: Int64;
  timeNs: number;
}

export interface ProcessEvent {
  task: TraceTask;
  timeNs: number;
}

export interface ForkEvent extends ProcessEvent {
  child: TraceTask;
}

export interface ExecEvent extends ProcessEvent {
  path: string;
  argv: string[];
  ok: boolean;
  errno: number;
}

export interface ExitEvent extends ProcessEvent {
  /** The exit code when it exited, else undefined. */
  code?: number;
  /** The killing signal, else undefined. */
  signo?: number;
  coreDumped: boolean;
}

export interface IoEvent {
  task: TraceTask;
  fd: number;
  write: boolean;
  data: Uint8Array;
  timeNs: number;
}

export interface NameiEvent {
  task: TraceTask;
  path: string;
  timeNs: number;
}

export interface SwitchEvent {
  task: TraceTask;
  /** true when the task blocks (goes off cpu), false when it resumes. */
  out: boolean;
  /** The wait channel ("pipe_read", "wait", "nanslp"). */
  wmesg: string;
  timeNs: number;
}

/**
 * The scheduler (dtrace's sched provider): a task goes on cpu for a slice, off cpu when the slice
 * ends (it blocked, used its budget, yielded or exited), to sleep on a wait queue, or wakes another.
 */
export interface SchedEvent {
  kind: 'on-cpu' | 'off-cpu' | 'sleep' | 'wakeup';
  /** The task switching; for wakeup the waker (the idle task, pid 0, for a timer's wakeup). */
  task: TraceTask;
  /** wakeup: the woken task; off-cpu: the task that runs next (the idle task when none). */
  other?: TraceTask;
  timeNs: number;
}

export interface FaultEvent {
  task: TraceTask;
  addr: Int64;
  /** 1 read, 2 write, 4 exec (VM_PROT_*) */
  type: number;
  timeNs: number;
}

export interface UserTraceEvent {
  task: TraceTask;
  data: Uint8Array;
  timeNs: number;
}

export interface PrintkEvent {
  task: TraceTask | undefined;
  level: number;
  text: string;
  /** The kernel function that called printk, when known. */
  caller?: string;
  timeNs: number;
}

export interface FunctionEvent {
  task: TraceTask | undefined;
  /** The function's name (sys_stephen, copy_from_user, vfs_read). */
  func: string;
  /** The module: `kernel`, or the object file of user kernel C. */
  module: string;
  args: Int64[];
  /** On return: the return value. */
  ret?: Int64;
  timeNs: number;
}

/** A Capsicum violation (FreeBSD): a call the capability mode forbids. */
export interface CapFailEvent {
  task: TraceTask;
  /** CAPFAIL_* kind (2: CAPFAIL_SYSCALL, a syscall not allowed in capability mode). */
  type: number;
  /** The syscall number. */
  code: number;
  timeNs: number;
}

/**
 * Everything an observer may hear. Every method is optional; the kernel checks whether any
 * observer is attached before it builds an event.
 */
export interface KernelObserver {
  /**
   * Which syscalls this observer needs events for; absent means all. The kernel asks once at
   * attach (and on refreshObservers()), so an observer interested in a few calls costs the others
   * nothing: one table lookup.
   */
  wantsSyscall?(nr: number): boolean;
  /**
   * Of the syscalls it wants, whether it needs the exit event too; absent means yes. Without an
   * exit observer the kernel reads the clock at entry only if an observer reads the event's timeNs.
   */
  wantsSyscallExit?(nr: number): boolean;
  syscallEnter?(e: SyscallEnterEvent): void;
  syscallExit?(e: SyscallExitEvent): void;
  signalDeliver?(e: SignalEvent): void;
  signalSend?(e: SignalEvent & { target: TraceTask }): void;
  fork?(e: ForkEvent): void;
  exec?(e: ExecEvent): void;
  exit?(e: ExitEvent): void;
  namei?(e: NameiEvent): void;
  io?(e: IoEvent): void;
  contextSwitch?(e: SwitchEvent): void;
  /** Whether this observer wants sched events now (absent: yes when it has sched). Asked at attach and refreshObservers(). */
  wantsSched?(): boolean;
  sched?(e: SchedEvent): void;
  fault?(e: FaultEvent): void;
  fault_end?(e: FaultEvent & { result: number }): void;
  userTrace?(e: UserTraceEvent): void;
  printk?(e: PrintkEvent): void;
  functionEntry?(e: FunctionEvent): void;
  functionReturn?(e: FunctionEvent): void;
  capFail?(e: CapFailEvent): void;
}
