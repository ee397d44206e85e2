// The declarative syscall row: one row per syscall drives dispatch, strace/kdump decoding,
// D args[] types, `ksim syscalls`, and the .tbl / syscalls.master import. Nothing else may keep
// a parallel table of syscall facts.

/**
 * How an argument is shown and in which direction it travels. A small, closed vocabulary that every
 * tracer understands. Forms (N is a 0-based argument index):
 *   int uint long ulong hex   plain numbers (int/long signed, uint/ulong unsigned, hex: %#x, 0 as 0)
 *   uid                       uid_t/gid_t: unsigned, but (uid_t)-1 shows as -1
 *   fd dirfd                  a descriptor; dirfd also decodes AT_FDCWD
 *   pid signo mode            pid_t, a signal number (SIGTERM), an octal mode (0644, S_IFREG|0644)
 *   dev                       a dev_t shown as makedev(0x1, 0x3)
 *   path                      a NUL-terminated path, never cut by strace -s
 *   str                       a NUL-terminated string, cut at -s
 *   ostr                      a NUL-terminated string written by the call (getcwd), shown at exit
 *   buf:N                     in-buffer whose length is argument N (write's data)
 *   obuf:N                    out-buffer, shown after the call, length = min(return value, arg N)
 *   obufx:N                   like obuf:N, always shown in \xNN hex (getrandom)
 *   ptr                       an address (NULL for 0)
 *   intptr int64ptr           int* / loff_t* shown as [value] (read at entry if in, at exit if out)
 *   flags:SET                 or-ed flags decoded with the flag set SET (see src/strace/decode)
 *   enum:SET                  one constant of SET (whence, clockid, fcntl cmd, ioctl request...)
 *   struct:NAME               a struct read from user memory: stat statx timespec timespec2 (two)
 *                             timeval timeval2 itimerval itimerspec sigaction utsname rlimit rusage
 *                             timezone sysinfo tms sched_param stack_t utimbuf statfs open_how
 *   struct:NAME:ifrestart     an out-struct shown only when a signal interrupted the call
 *                             (nanosleep's rem), else its address
 *   sockaddr:N                struct sockaddr whose length is argument N
 *   pollfd:N                  struct pollfd array with argument N entries
 *   fdset:N                   fd_set with argument N as nfds (select)
 *   cpuset:N                  CPU mask of argument N bytes
 *   fds2                      int[2] filled by the call (pipe)
 *   iovec:N                   struct iovec array with argument N entries
 *   argv envp                 NULL-terminated string arrays (execve)
 *   sigset:N                  a signal set whose size in bytes is argument N
 *   wstatus                   int* wait status, decoded after the call
 *   ioctlarg:N fcntlarg:N     the third argument of ioctl/fcntl, decoded by the command in argument N
 * The direction says when a tracer reads it: in at entry, out at exit, inout at both.
 */
export type ArgFormat = string;

export type ArgDirection = 'in' | 'out' | 'inout';

export interface ArgSpec {
  /** The C parameter name, as in the kernel's prototype. */
  name: string;
  /** The C type text, e.g. `const char __user *`, `unsigned int`, `size_t`. Used for D's args[]. */
  ctype: string;
  /** How tracers decode it (see ArgFormat). */
  fmt: ArgFormat;
  /** in: read at entry; out: written by the call, read at exit; inout: both. */
  dir: ArgDirection;
}

/** How the return value is shown: int (decimal), hex (addresses: mmap, brk), none (`= ?`, exit). */
export type RetFormat = 'int' | 'long' | 'hex' | 'fd' | 'none';

/** How complete ksim's implementation of a syscall is (after gVisor's support levels). */
export type SupportLevel = 'full' | 'partial' | 'enosys';

/** strace -e trace=%CLASS classes a syscall belongs to. */
export type SyscallClass =
  | 'file' | 'process' | 'network' | 'signal' | 'ipc' | 'desc' | 'memory' | 'creds' | 'clock'
  | 'stat' | 'lstat' | 'fstat' | 'statfs' | 'pure';

/** A row's handler: implemented in TypeScript (kernel/*.ts, defineSyscall) or in compiled kernel C. */
export type HandlerRef = { kind: 'ts'; name: string } | { kind: 'c'; symbol: string } | { kind: 'none' };

export interface SyscallRow {
  nr: number;
  name: string;
  /** Linux: common / 64 / x32 / i386. FreeBSD: the type column (STD, NOSTD, OBSOL, ...). */
  abi: string;
  /** The entry point named by the table (sys_read, sys_stephen). Empty when the slot has none. */
  entry: string;
  args: ArgSpec[];
  ret: RetFormat;
  support: SupportLevel;
  /** Why a call is partial or ENOSYS, or anything a user should know. */
  note: string;
  /** First release with this slot (Linux), when known. */
  since?: string;
  classes: SyscallClass[];
  /** True for rows the user added (custom syscalls), false for the stock table. */
  custom: boolean;
}
