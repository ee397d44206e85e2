// A task: one process (ksim's processes are single-threaded, so tid = pid) with its credentials,
// address space, CPU state, descriptor table, working directory and signal state. All of it is
// plain data: fork copies it, the scheduler parks and resumes it.
import type { AddressSpace } from '../runtime/memory.js';
import type { Int64, TraceTask } from './events.js';
import { FdTable } from './file.js';
import { WaitQueue, type Sleeper } from './wait.js';
import { UserMemory } from './uaccess.js';

export type TaskState = 'runnable' | 'sleeping' | 'stopped' | 'zombie';

export interface SigAction {
  /** Handler address; 0 = SIG_DFL, 1 = SIG_IGN. */
  handler: Int64;
  flags: number;
  mask: bigint;
  restorer: Int64;
}

export interface PendingSignal {
  signo: number;
  code: number;
  pid?: number;
  uid?: number;
  status?: number;
  addr?: Int64;
}

/** Limits that bound a hostile program; every one has a flag on `ksim run`. */
export interface TaskLimits {
  /** CPU budget in runtime units (back-edges and calls); SIGXCPU at the soft, SIGKILL at the hard. */
  cpuSoft: number;
  cpuHard: number;
  /** Resident memory limit in pages. */
  memPages: number;
  /** Most processes one run may have alive at once (RLIMIT_NPROC-like). */
  nproc: number;
}

export class Task implements Sleeper {
  pid: number;
  tid: number;
  ppid: number;
  pgid: number;
  sid: number;
  uid = 0;
  euid = 0;
  suid = 0;
  gid = 0;
  egid = 0;
  sgid = 0;
  /** Command name: the basename of the executed file, at most 15 bytes (Linux TASK_COMM_LEN-1). */
  comm = '';
  /** argv of the last execve, for /proc/PID/cmdline and D's curpsinfo->pr_psargs. */
  argv: string[] = [];
  cwd = '/';
  umask = 0o022;
  fds = new FdTable();
  mm!: AddressSpace;
  user!: UserMemory;
  /** The CPU state of compiled code (src/runtime/cpu.ts), set by execve. */
  cpu: any = null;
  /** The loaded image (functions, symbols) for stack traces. */
  image: any = null;
  exePath = '';
  brkStart = 0;
  brk = 0;
  state: TaskState = 'runnable';
  /** Where a sleeping task waits, and until when (emulated ns), for wakeups. */
  waitingOn: WaitQueue | undefined;
  wmesg = '';
  sleepDeadline = Infinity;
  /** Set when woken by a signal rather than the event it waited for. */
  interrupted = false;
  /** The syscall to run again when woken: number and arguments. */
  pendingSyscall: { nr: number; args: Int64[]; startNs: number } | undefined;
  sigactions: SigAction[] = [];
  blocked = 0n;
  pending: PendingSignal[] = [];
  /** The wait status word for wait4 once a zombie. */
  exitStatus = 0;
  exitCode: number | undefined;
  killedBy: number | undefined;
  parent: Task | undefined;
  children = new Set<Task>();
  /** CPU units consumed so far (user and kernel). */
  cpuUsed = 0;
  startNs = 0;
  /** Traced by ktrace (with the inherit flag), strace -f and so on: per-observer data. */
  traceFlags = new Map<string, unknown>();
  /** Capsicum capability mode (FreeBSD). */
  capMode = false;
  /** Where a parent sleeps in wait4 until a child exits. */
  childExit = new WaitQueue('wait');
  /** A syscall to run again after the signal handler returns (SA_RESTART). */
  restartAfterSignal: { nr: number; args: Int64[] } | undefined;
  /** Set by rt_sigreturn: the interrupted call to make again now that the handler has returned. */
  restartNow: { nr: number; args: Int64[] } | undefined;
  /** Per-call state a restartable syscall keeps between its runs (a sleep's deadline); cleared when the call ends. */
  scratch = new Map<string, unknown>();
  /** The mask to restore once a signal interrupting ppoll/pselect6 has been handled (Linux's saved_sigmask). */
  savedSigmask: bigint | undefined;
  /** SIGXCPU was sent for the soft CPU limit. */
  sentXcpu = false;
  /** FS base (arch_prctl ARCH_SET_FS), kept for the record. */
  fsBase: Int64 = 0;
  /** set_tid_address's pointer. */
  clearChildTid: Int64 = 0;
  /** ITIMER_REAL (alarm, setitimer): when SIGALRM is due (emulated ns) and its reload interval.
   *  Not inherited by fork; kept across execve. */
  alarmAtNs = Infinity;
  alarmIntervalNs = 0;
  /** What observers see of this task (kernel.ts taskView), made at its first event. */
  traceView: TraceTask | undefined = undefined;

  constructor(pid: number, ppid: number, readonly onWake: (t: Task) => void) {
    this.pid = pid;
    this.tid = pid;
    this.ppid = ppid;
    this.pgid = pid;
    this.sid = pid;
    for (let i = 0; i <= 64; i++) this.sigactions.push({ handler: 0, flags: 0, mask: 0n, restorer: 0 });
  }

  setMemory(mm: AddressSpace, taskSize: number): void {
    this.mm = mm;
    this.user = new UserMemory(mm, taskSize);
  }

  wake(): void {
    if (this.state !== 'sleeping') return;
    this.waitingOn?.remove(this);
    this.waitingOn = undefined;
    this.sleepDeadline = Infinity;
    this.state = 'runnable';
    this.onWake(this);
  }
}
