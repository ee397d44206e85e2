// The declarative syscall row: one row per syscall drives dispatch, strace/kdump decoding,
// D args[] types, `ksim syscalls`, and the .tbl / syscalls.master import. Nothing else may keep
// a parallel table of syscall facts.

/**
 * How an argument is shown and in which direction it travels. A small, closed vocabulary that every
 * tracer understands. Forms (N is a 0-based argument index):
 *   int uint long ulong hex   plain numbers (hex: %#x)
 *   fd dirfd                  a descriptor; dirfd also decodes AT_FDCWD
 *   pid signo mode            pid_t, a signal number (SIGTERM), an octal mode (0644)
 *   path                      a NUL-terminated path, never cut by strace -s
 *   str                       a NUL-terminated string, cut at -s
 *   buf:N                     in-buffer whose length is argument N (write's data)
 *   obuf:N                    out-buffer, shown after the call, length = min(return value, arg N)
 *   ptr                       an address (NULL for 0)
 *   flags:SET                 or-ed flags decoded with the flag set SET (see decode tables)
 *   enum:SET                  one constant of SET (whence, clockid, fcntl cmd, ioctl request...)
 *   struct:NAME               a struct read from user memory (stat, timespec, utsname, sigaction...)
 *   fds2                      int[2] filled by the call (pipe)
 *   iovec:N                   struct iovec array with N entries
 *   argv envp                 NULL-terminated string arrays (execve)
 *   sigset:N                  a signal set of N bytes
 *   wstatus                   int* wait status, decoded after the call
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
