// FreeBSD's libsysdecode, the part kdump uses: the constant tables (generated from the system
// headers by libsysdecode's mktables, in header order, which decides the printed order) and the
// mask/value decoders with their exact rules (a zero entry prints only for a zero value; the first
// matching name wins; leftover bits are reported as <invalid>). Also the Linux signal names for
// Linux processes. Pure functions over numbers; kdump.ts does the printing.

export type NameTable = ReadonlyArray<readonly [number, string]>;

/** A decoded mask: the names joined by `|`, whether anything printed, and the bits left over. */
export interface MaskText {
  text: string;
  printed: boolean;
  rem: number;
}

export function lookupValue(table: NameTable, value: number): string | undefined {
  for (const [v, name] of table) if (v === value) return name;
  return undefined;
}

/** print_mask_part(): names of the bits of `value`, in table order. */
export function maskPart(table: NameTable, value: number, printedBefore = false): MaskText {
  const raw = value >>> 0;
  let rem = raw;
  let printed = printedBefore;
  let text = '';
  for (const [v, name] of table) {
    const bits = v >>> 0;
    if ((bits & rem) >>> 0 === bits) {
      if (bits === 0 && raw !== 0) continue;
      text += (printed ? '|' : '') + name;
      printed = true;
      rem = (rem & ~bits) >>> 0;
    }
  }
  return { text, printed, rem };
}

// ---------------------------------------------------------------------------------------------
// sys/fcntl.h

export const O_ACCMODE = 0x0003;
export const O_RDONLY = 0x0000;
export const O_WRONLY = 0x0001;
export const O_RDWR = 0x0002;
export const O_NOFOLLOW = 0x0100;
export const O_CREAT = 0x0200;
export const O_EXEC = 0x00040000;
export const FRDAHEAD = 0x0200;
export const AT_FDCWD = -100;

const OPEN_FLAGS: NameTable = [
  [0x0004, 'O_NONBLOCK'], [0x0008, 'O_APPEND'], [0x0010, 'O_SHLOCK'], [0x0020, 'O_EXLOCK'],
  [0x0040, 'O_ASYNC'], [0x0080, 'O_FSYNC'], [0x0100, 'O_NOFOLLOW'], [0x0200, 'O_CREAT'],
  [0x0400, 'O_TRUNC'], [0x0800, 'O_EXCL'], [0x8000, 'O_NOCTTY'], [0x00010000, 'O_DIRECT'],
  [0x00020000, 'O_DIRECTORY'], [0x00040000, 'O_EXEC'], [0x00080000, 'O_TTY_INIT'],
  [0x00100000, 'O_CLOEXEC'], [0x00200000, 'O_VERIFY'], [0x00400000, 'O_PATH'],
  [0x00800000, 'O_RESOLVE_BENEATH'], [0x01000000, 'O_DSYNC'], [0x02000000, 'O_EMPTY_PATH'],
];

/** sysdecode_open_flags() */
export function openFlags(flags: number): MaskText {
  let mode = flags & O_ACCMODE;
  let rest = (flags & ~O_ACCMODE) >>> 0;
  let text = '';
  let printed = false;
  switch (mode) {
    case O_RDONLY:
      if (rest & O_EXEC) {
        rest = (rest & ~O_EXEC) >>> 0;
        text = 'O_EXEC';
      } else text = 'O_RDONLY';
      printed = true;
      mode = 0;
      break;
    case O_WRONLY: text = 'O_WRONLY'; printed = true; mode = 0; break;
    case O_RDWR: text = 'O_RDWR'; printed = true; mode = 0; break;
  }
  const part = maskPart(OPEN_FLAGS, rest, printed);
  return { text: text + part.text, printed: part.printed, rem: (part.rem | mode) >>> 0 };
}

/** sysdecode_fcntl_fileflags(): F_GETFL/F_SETFL flags (two open bits mean other things there). */
export function fcntlFileFlags(flags: number): MaskText {
  const r = openFlags(flags & ~(O_NOFOLLOW | FRDAHEAD));
  let { text, printed } = r;
  if (flags & O_NOFOLLOW) { text += (printed ? '|' : '') + 'FPOIXSHM'; printed = true; }
  if (flags & FRDAHEAD) { text += (printed ? '|' : '') + 'FRDAHEAD'; printed = true; }
  return { text, printed, rem: r.rem };
}

export const FCNTL_CMDS: NameTable = [
  [0, 'F_DUPFD'], [1, 'F_GETFD'], [2, 'F_SETFD'], [3, 'F_GETFL'], [4, 'F_SETFL'], [5, 'F_GETOWN'],
  [6, 'F_SETOWN'], [7, 'F_OGETLK'], [8, 'F_OSETLK'], [9, 'F_OSETLKW'], [10, 'F_DUP2FD'], [11, 'F_GETLK'],
  [12, 'F_SETLK'], [13, 'F_SETLKW'], [14, 'F_SETLK_REMOTE'], [15, 'F_READAHEAD'], [16, 'F_RDAHEAD'],
  [17, 'F_DUPFD_CLOEXEC'], [18, 'F_DUP2FD_CLOEXEC'], [19, 'F_ADD_SEALS'], [20, 'F_GET_SEALS'],
  [21, 'F_ISUNIONSTACK'], [22, 'F_KINFO'],
];
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const F_GETOWN = 5;
export const F_GETLK = 11;
export const F_SETLK = 12;
export const F_SETLKW = 13;

/** sysdecode_fcntl_arg_p(): whether the command takes a third argument worth printing. */
export function fcntlHasArg(cmd: number): boolean {
  return cmd !== F_GETFD && cmd !== F_GETFL && cmd !== F_GETOWN;
}

export const AT_FLAGS: NameTable = [
  [0x0100, 'AT_EACCESS'], [0x0200, 'AT_SYMLINK_NOFOLLOW'], [0x0400, 'AT_SYMLINK_FOLLOW'],
  [0x0800, 'AT_REMOVEDIR'], [0x2000, 'AT_RESOLVE_BENEATH'], [0x4000, 'AT_EMPTY_PATH'],
];

export const FLOCK_OPS: NameTable = [[0x01, 'LOCK_SH'], [0x02, 'LOCK_EX'], [0x04, 'LOCK_NB'], [0x08, 'LOCK_UN']];

// sys/unistd.h
export const ACCESS_MODES: NameTable = [[0, 'F_OK'], [0x01, 'X_OK'], [0x02, 'W_OK'], [0x04, 'R_OK']];
export const WHENCE: NameTable = [[0, 'SEEK_SET'], [1, 'SEEK_CUR'], [2, 'SEEK_END'], [3, 'SEEK_DATA'], [4, 'SEEK_HOLE']];

// sys/stat.h, in header order (mktables: S_[A-Z]+ followed by seven octal digits 0-6).
export const FILE_MODES: NameTable = [
  [0o4000, 'S_ISUID'], [0o2000, 'S_ISGID'], [0o1000, 'S_ISTXT'], [0o700, 'S_IRWXU'], [0o400, 'S_IRUSR'],
  [0o200, 'S_IWUSR'], [0o100, 'S_IXUSR'], [0o70, 'S_IRWXG'], [0o40, 'S_IRGRP'], [0o20, 'S_IWGRP'],
  [0o10, 'S_IXGRP'], [0o7, 'S_IRWXO'], [0o4, 'S_IROTH'], [0o2, 'S_IWOTH'], [0o1, 'S_IXOTH'],
  [0o10000, 'S_IFIFO'], [0o20000, 'S_IFCHR'], [0o40000, 'S_IFDIR'], [0o60000, 'S_IFBLK'],
  [0o100000, 'S_IFREG'], [0o120000, 'S_IFLNK'], [0o140000, 'S_IFSOCK'], [0o1000, 'S_ISVTX'],
  [0o160000, 'S_IFWHT'],
];

// sys/mman.h
export const MMAP_PROT: NameTable = [[0x00, 'PROT_NONE'], [0x01, 'PROT_READ'], [0x02, 'PROT_WRITE'], [0x04, 'PROT_EXEC']];
const MMAP_FLAGS: NameTable = [
  [0x0001, 'MAP_SHARED'], [0x0002, 'MAP_PRIVATE'], [0x0010, 'MAP_FIXED'], [0x0200, 'MAP_HASSEMAPHORE'],
  [0x0400, 'MAP_STACK'], [0x0800, 'MAP_NOSYNC'], [0x0000, 'MAP_FILE'], [0x1000, 'MAP_ANON'],
  [0x00002000, 'MAP_GUARD'], [0x00004000, 'MAP_EXCL'], [0x00020000, 'MAP_NOCORE'],
  [0x00040000, 'MAP_PREFAULT_READ'],
];
const MAP_ALIGNMENT_SHIFT = 24;
const MAP_ALIGNMENT_MASK = 0xff << MAP_ALIGNMENT_SHIFT;
const MAP_ALIGNED_SUPER = 1 << MAP_ALIGNMENT_SHIFT;

/** sysdecode_mmap_flags(): MAP_ALIGNED(n) is not a plain bit. */
export function mmapFlags(flags: number): MaskText {
  const align = (flags & MAP_ALIGNMENT_MASK) >>> 0;
  const part = maskPart(MMAP_FLAGS, (flags & ~MAP_ALIGNMENT_MASK) >>> 0);
  let { text, printed } = part;
  if (align !== 0) {
    if (printed) text += '|';
    text += align === MAP_ALIGNED_SUPER ? 'MAP_ALIGNED_SUPER' : `MAP_ALIGNED(${align >>> MAP_ALIGNMENT_SHIFT})`;
    printed = true;
  }
  return { text, printed, rem: part.rem };
}

export const MADVICE: NameTable = [
  [0, 'MADV_NORMAL'], [1, 'MADV_RANDOM'], [2, 'MADV_SEQUENTIAL'], [3, 'MADV_WILLNEED'], [4, 'MADV_DONTNEED'],
  [5, 'MADV_FREE'], [6, 'MADV_NOSYNC'], [7, 'MADV_AUTOSYNC'], [8, 'MADV_NOCORE'], [9, 'MADV_CORE'],
  [10, 'MADV_PROTECT'],
];
export const MSYNC_FLAGS: NameTable = [[0x0000, 'MS_SYNC'], [0x0001, 'MS_ASYNC'], [0x0002, 'MS_INVALIDATE']];
export const MLOCKALL_FLAGS: NameTable = [[0x0001, 'MCL_CURRENT'], [0x0002, 'MCL_FUTURE']];

// sys/wait.h
const WAIT_OPTIONS: NameTable = [
  [1, 'WNOHANG'], [2, 'WUNTRACED'], [4, 'WCONTINUED'], [8, 'WNOWAIT'], [16, 'WEXITED'], [32, 'WTRAPPED'],
  [0o200, 'WCOREFLAG'],
];
/** sysdecode_wait4_options(): 0 is normal; WEXITED and WTRAPPED are implicit and invalid here. */
export function wait4Options(options: number): MaskText {
  if (options === 0) return { text: '0', printed: true, rem: 0 };
  const opt6 = options & (16 | 32);
  const r = maskPart(WAIT_OPTIONS, options & ~opt6);
  return { ...r, rem: (r.rem | opt6) >>> 0 };
}

// sys/signal.h
const FREEBSD_SIGNALS = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGEMT', 'SIGFPE', 'SIGKILL', 'SIGBUS',
  'SIGSEGV', 'SIGSYS', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGURG', 'SIGSTOP', 'SIGTSTP', 'SIGCONT', 'SIGCHLD',
  'SIGTTIN', 'SIGTTOU', 'SIGIO', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGINFO', 'SIGUSR1',
  'SIGUSR2', 'SIGTHR', 'SIGLIBRT',
];
const LINUX_SIGNALS = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR',
  'SIGSYS',
];

/** sysdecode_signal(): undefined when there is no name (kdump then prints `SIG N`). */
export function signalName(signo: number, linux = false): string | undefined {
  const table = linux ? LINUX_SIGNALS : FREEBSD_SIGNALS;
  if (signo > 0 && signo < table.length) return table[signo];
  return undefined;
}

export const SIGPROCMASK_HOW: NameTable = [[1, 'SIG_BLOCK'], [2, 'SIG_UNBLOCK'], [3, 'SIG_SETMASK']];
export const LINUX_SIGPROCMASK_HOW: NameTable = [[0, 'SIG_BLOCK'], [1, 'SIG_UNBLOCK'], [2, 'SIG_SETMASK']];

// si_code values: generic ones first (sysdecode_sigcode), then per signal.
const FREEBSD_SIGCODES: NameTable = [
  [0, 'SI_NOINFO'], [0x10001, 'SI_USER'], [0x10002, 'SI_QUEUE'], [0x10003, 'SI_TIMER'], [0x10004, 'SI_ASYNCIO'],
  [0x10005, 'SI_MESGQ'], [0x10006, 'SI_KERNEL'], [0x10007, 'SI_LWP'],
];
const LINUX_SIGCODES: NameTable = [
  [0, 'SI_USER'], [0x80, 'SI_KERNEL'], [-1, 'SI_QUEUE'], [-2, 'SI_TIMER'], [-3, 'SI_MESGQ'], [-4, 'SI_ASYNCIO'],
  [-5, 'SI_SIGIO'], [-6, 'SI_TKILL'],
];
const SIGILL_CODES: NameTable = [
  [1, 'ILL_ILLOPC'], [2, 'ILL_ILLOPN'], [3, 'ILL_ILLADR'], [4, 'ILL_ILLTRP'], [5, 'ILL_PRVOPC'],
  [6, 'ILL_PRVREG'], [7, 'ILL_COPROC'], [8, 'ILL_BADSTK'],
];
const SIGBUS_CODES: NameTable = [[1, 'BUS_ADRALN'], [2, 'BUS_ADRERR'], [3, 'BUS_OBJERR'], [100, 'BUS_OOMERR']];
const SIGSEGV_CODES: NameTable = [[1, 'SEGV_MAPERR'], [2, 'SEGV_ACCERR'], [100, 'SEGV_PKUERR']];
const SIGFPE_CODES: NameTable = [
  [1, 'FPE_INTOVF'], [2, 'FPE_INTDIV'], [3, 'FPE_FLTDIV'], [4, 'FPE_FLTOVF'], [5, 'FPE_FLTUND'],
  [6, 'FPE_FLTRES'], [7, 'FPE_FLTINV'], [8, 'FPE_FLTSUB'], [9, 'FPE_FLTIDO'],
];
const SIGTRAP_CODES: NameTable = [[1, 'TRAP_BRKPT'], [2, 'TRAP_TRACE'], [3, 'TRAP_DTRACE'], [4, 'TRAP_CAP']];
const SIGCHLD_CODES: NameTable = [
  [1, 'CLD_EXITED'], [2, 'CLD_KILLED'], [3, 'CLD_DUMPED'], [4, 'CLD_TRAPPED'], [5, 'CLD_STOPPED'], [6, 'CLD_CONTINUED'],
];

/** sysdecode_sigcode(): the si_code's name for this signal, or undefined. */
export function sigcodeName(signo: number, code: number, linux = false): string | undefined {
  const generic = lookupValue(linux ? LINUX_SIGCODES : FREEBSD_SIGCODES, code);
  if (generic !== undefined) return generic;
  const names = linux ? LINUX_SIGNALS : FREEBSD_SIGNALS;
  switch (names[signo]) {
    case 'SIGILL': return lookupValue(SIGILL_CODES, code);
    case 'SIGBUS': return lookupValue(SIGBUS_CODES, code);
    case 'SIGSEGV': return lookupValue(SIGSEGV_CODES, code);
    case 'SIGFPE': return lookupValue(SIGFPE_CODES, code);
    case 'SIGTRAP': return lookupValue(SIGTRAP_CODES, code);
    case 'SIGCHLD': return lookupValue(SIGCHLD_CODES, code);
    default: return undefined;
  }
}

// sys/socket.h, netinet/in.h
export const SOCKET_DOMAINS: NameTable = [
  [0, 'PF_UNSPEC'], [1, 'PF_LOCAL'], [2, 'PF_INET'], [3, 'PF_IMPLINK'], [4, 'PF_PUP'], [5, 'PF_CHAOS'],
  [6, 'PF_NETBIOS'], [7, 'PF_ISO'], [8, 'PF_ECMA'], [9, 'PF_DATAKIT'], [10, 'PF_CCITT'], [11, 'PF_SNA'],
  [12, 'PF_DECnet'], [13, 'PF_DLI'], [14, 'PF_LAT'], [15, 'PF_HYLINK'], [16, 'PF_APPLETALK'], [17, 'PF_ROUTE'],
  [18, 'PF_LINK'], [19, 'PF_XTP'], [20, 'PF_COIP'], [21, 'PF_CNT'], [22, 'PF_RTIP'], [23, 'PF_IPX'],
  [24, 'PF_SIP'], [25, 'PF_PIP'], [26, 'PF_ISDN'], [27, 'PF_KEY'], [28, 'PF_INET6'], [29, 'PF_NATM'],
  [30, 'PF_ATM'], [32, 'PF_NETGRAPH'], [33, 'PF_SLOW'], [34, 'PF_SCLUSTER'], [35, 'PF_ARP'],
  [36, 'PF_BLUETOOTH'], [37, 'PF_IEEE80211'], [38, 'PF_NETLINK'], [40, 'PF_INET_SDP'], [42, 'PF_INET6_SDP'],
  [43, 'PF_HYPERV'], [44, 'PF_DIVERT'],
];
export const PF_INET = 2;
export const PF_INET6 = 28;
const SOCKET_TYPES: NameTable = [[1, 'SOCK_STREAM'], [2, 'SOCK_DGRAM'], [3, 'SOCK_RAW'], [4, 'SOCK_RDM'], [5, 'SOCK_SEQPACKET']];
const SOCK_CLOEXEC = 0x10000000;
const SOCK_NONBLOCK = 0x20000000;
const SOCKET_TYPE_FLAGS: NameTable = [[SOCK_CLOEXEC, 'SOCK_CLOEXEC'], [SOCK_NONBLOCK, 'SOCK_NONBLOCK']];

/** sysdecode_socket_type(): one type, then SOCK_CLOEXEC / SOCK_NONBLOCK. */
export function socketType(type: number): MaskText {
  const base = type & ~(SOCK_CLOEXEC | SOCK_NONBLOCK);
  const name = lookupValue(SOCKET_TYPES, base);
  const flags = maskPart(SOCKET_TYPE_FLAGS, type & (SOCK_CLOEXEC | SOCK_NONBLOCK), name !== undefined);
  return { text: (name ?? '') + flags.text, printed: flags.printed, rem: name !== undefined ? 0 : base >>> 0 };
}

export const IP_PROTOCOLS: NameTable = [
  [0, 'IPPROTO_IP'], [1, 'IPPROTO_ICMP'], [2, 'IPPROTO_IGMP'], [4, 'IPPROTO_IPV4'], [6, 'IPPROTO_TCP'],
  [17, 'IPPROTO_UDP'], [41, 'IPPROTO_IPV6'], [47, 'IPPROTO_GRE'], [50, 'IPPROTO_ESP'], [58, 'IPPROTO_ICMPV6'],
  [132, 'IPPROTO_SCTP'], [136, 'IPPROTO_UDPLITE'], [255, 'IPPROTO_RAW'],
];
export const SHUTDOWN_HOW: NameTable = [[0, 'SHUT_RD'], [1, 'SHUT_WR'], [2, 'SHUT_RDWR']];
export const MSG_FLAGS: NameTable = [
  [0x00000001, 'MSG_OOB'], [0x00000002, 'MSG_PEEK'], [0x00000004, 'MSG_DONTROUTE'], [0x00000008, 'MSG_EOR'],
  [0x00000010, 'MSG_TRUNC'], [0x00000020, 'MSG_CTRUNC'], [0x00000040, 'MSG_WAITALL'], [0x00000080, 'MSG_DONTWAIT'],
  [0x00000100, 'MSG_EOF'], [0x00000800, 'MSG_NOTIFICATION'], [0x00001000, 'MSG_NBIO'], [0x00002000, 'MSG_COMPAT'],
  [0x00020000, 'MSG_NOSIGNAL'], [0x00040000, 'MSG_CMSG_CLOEXEC'], [0x00080000, 'MSG_WAITFORONE'],
];

// sys/resource.h
export const RLIMITS: NameTable = [
  [0, 'RLIMIT_CPU'], [1, 'RLIMIT_FSIZE'], [2, 'RLIMIT_DATA'], [3, 'RLIMIT_STACK'], [4, 'RLIMIT_CORE'],
  [5, 'RLIMIT_RSS'], [6, 'RLIMIT_MEMLOCK'], [7, 'RLIMIT_NPROC'], [8, 'RLIMIT_NOFILE'], [9, 'RLIMIT_SBSIZE'],
  [10, 'RLIMIT_VMEM'], [11, 'RLIMIT_NPTS'], [12, 'RLIMIT_SWAP'], [13, 'RLIMIT_KQUEUES'], [14, 'RLIMIT_UMTXP'],
  [15, 'RLIMIT_PIPEBUF'],
];
export const RUSAGE_WHO: NameTable = [[0, 'RUSAGE_SELF'], [-1, 'RUSAGE_CHILDREN'], [1, 'RUSAGE_THREAD']];
export const PRIO_WHICH: NameTable = [[0, 'PRIO_PROCESS'], [1, 'PRIO_PGRP'], [2, 'PRIO_USER']];
export const ITIMERS: NameTable = [[0, 'ITIMER_REAL'], [1, 'ITIMER_VIRTUAL'], [2, 'ITIMER_PROF']];
export const CLOCK_IDS: NameTable = [
  [0, 'CLOCK_REALTIME'], [1, 'CLOCK_VIRTUAL'], [2, 'CLOCK_PROF'], [4, 'CLOCK_MONOTONIC'], [5, 'CLOCK_UPTIME'],
  [7, 'CLOCK_UPTIME_PRECISE'], [8, 'CLOCK_UPTIME_FAST'], [9, 'CLOCK_REALTIME_PRECISE'],
  [10, 'CLOCK_REALTIME_FAST'], [11, 'CLOCK_MONOTONIC_PRECISE'], [12, 'CLOCK_MONOTONIC_FAST'], [13, 'CLOCK_SECOND'],
  [14, 'CLOCK_THREAD_CPUTIME_ID'], [15, 'CLOCK_PROCESS_CPUTIME_ID'],
];

// ioctl requests: _IOC(inout, group, num, len) = inout | (len & 0x1fff) << 16 | group << 8 | num.
const IOC_VOID = 0x20000000;
const IOC_OUT = 0x40000000;
const IOC_IN = 0x80000000;
const ioc = (inout: number, group: string, num: number, len: number): number =>
  (inout | ((len & 0x1fff) << 16) | (group.charCodeAt(0) << 8) | num) >>> 0;
export const IOCTL_NAMES: NameTable = [
  [ioc(IOC_VOID, 'f', 1, 0), 'FIOCLEX'], [ioc(IOC_VOID, 'f', 2, 0), 'FIONCLEX'],
  [ioc(IOC_OUT, 'f', 127, 4), 'FIONREAD'], [ioc(IOC_IN, 'f', 126, 4), 'FIONBIO'],
  [ioc(IOC_IN, 'f', 125, 4), 'FIOASYNC'], [ioc(IOC_IN, 'f', 124, 4), 'FIOSETOWN'],
  [ioc(IOC_OUT, 'f', 123, 4), 'FIOGETOWN'], [ioc(IOC_OUT, 'f', 122, 4), 'FIODTYPE'],
  [ioc(IOC_OUT, 't', 19, 44), 'TIOCGETA'], [ioc(IOC_IN, 't', 20, 44), 'TIOCSETA'],
  [ioc(IOC_IN, 't', 21, 44), 'TIOCSETAW'], [ioc(IOC_IN, 't', 22, 44), 'TIOCSETAF'],
  [ioc(IOC_OUT, 't', 104, 8), 'TIOCGWINSZ'], [ioc(IOC_IN, 't', 103, 8), 'TIOCSWINSZ'],
  [ioc(IOC_OUT, 't', 119, 4), 'TIOCGPGRP'], [ioc(IOC_IN, 't', 118, 4), 'TIOCSPGRP'],
  [ioc(IOC_VOID, 't', 97, 0), 'TIOCSCTTY'], [ioc(IOC_VOID, 't', 113, 0), 'TIOCNOTTY'],
  [ioc(IOC_OUT, 't', 98, 4), 'TIOCGSID'], [ioc(IOC_VOID, 't', 94, 0), 'TIOCDRAIN'],
  [ioc(IOC_IN, 't', 16, 4), 'TIOCFLUSH'], [ioc(IOC_OUT, 't', 115, 4), 'TIOCOUTQ'],
];

export function ioctlName(request: number): string | undefined {
  return lookupValue(IOCTL_NAMES, request >>> 0);
}

// vm/vm.h and vm/vm_param.h (page faults)
export const VM_PROT: NameTable = [
  [0x00, 'VM_PROT_NONE'], [0x01, 'VM_PROT_READ'], [0x02, 'VM_PROT_WRITE'], [0x04, 'VM_PROT_EXECUTE'],
  [0x08, 'VM_PROT_COPY'],
];
export const VM_RESULTS: NameTable = [
  [0, 'KERN_SUCCESS'], [1, 'KERN_INVALID_ADDRESS'], [2, 'KERN_PROTECTION_FAILURE'], [3, 'KERN_NO_SPACE'],
  [4, 'KERN_INVALID_ARGUMENT'], [5, 'KERN_FAILURE'], [6, 'KERN_RESOURCE_SHORTAGE'], [7, 'KERN_NOT_RECEIVER'],
  [8, 'KERN_NO_ACCESS'], [9, 'KERN_OUT_OF_BOUNDS'], [10, 'KERN_RESTART'],
];

// sys/capsicum.h: the index-0 rights (CAPRIGHT(0, bit)) in header order; index-1 rights follow.
const CAP_RIGHTS_0: ReadonlyArray<readonly [bigint, string]> = [
  [0x1n, 'CAP_READ'], [0x2n, 'CAP_WRITE'], [0x4n, 'CAP_SEEK_TELL'], [0x8n, 'CAP_SEEK'], [0x10n, 'CAP_MMAP'],
  [0x40n, 'CAP_CREATE'], [0x80n, 'CAP_FEXECVE'], [0x100n, 'CAP_FSYNC'], [0x200n, 'CAP_FTRUNCATE'],
  [0x400n, 'CAP_LOOKUP'], [0x800n, 'CAP_FCHDIR'], [0x1000n, 'CAP_FCHFLAGS'], [0x2000n, 'CAP_FCHMOD'],
  [0x4000n, 'CAP_FCHOWN'], [0x8000n, 'CAP_FCNTL'], [0x10000n, 'CAP_FLOCK'], [0x20000n, 'CAP_FPATHCONF'],
  [0x40000n, 'CAP_FSCK'], [0x80000n, 'CAP_FSTAT'], [0x100000n, 'CAP_FSTATFS'], [0x200000n, 'CAP_FUTIMES'],
  [0x400000n, 'CAP_LINKAT_TARGET'], [0x800000n, 'CAP_MKDIRAT'], [0x1000000n, 'CAP_MKFIFOAT'],
  [0x2000000n, 'CAP_MKNODAT'], [0x4000000n, 'CAP_RENAMEAT_SOURCE'], [0x8000000n, 'CAP_SYMLINKAT'],
  [0x10000000n, 'CAP_UNLINKAT'], [0x20000000n, 'CAP_ACCEPT'], [0x40000000n, 'CAP_BIND'],
  [0x80000000n, 'CAP_CONNECT'], [0x100000000n, 'CAP_GETPEERNAME'], [0x200000000n, 'CAP_GETSOCKNAME'],
  [0x400000000n, 'CAP_GETSOCKOPT'], [0x800000000n, 'CAP_LISTEN'], [0x1000000000n, 'CAP_PEELOFF'],
  [0x2000000000n, 'CAP_SETSOCKOPT'], [0x4000000000n, 'CAP_SHUTDOWN'], [0x8000000000n, 'CAP_BINDAT'],
  [0x10000000000n, 'CAP_CONNECTAT'], [0x20000000000n, 'CAP_LINKAT_SOURCE'], [0x40000000000n, 'CAP_RENAMEAT_TARGET'],
];
const CAP_RIGHTS_1: ReadonlyArray<readonly [bigint, string]> = [
  [0x1n, 'CAP_MAC_GET'], [0x2n, 'CAP_MAC_SET'], [0x4n, 'CAP_SEM_GETVALUE'], [0x8n, 'CAP_SEM_POST'],
  [0x10n, 'CAP_SEM_WAIT'], [0x20n, 'CAP_EVENT'], [0x40n, 'CAP_KQUEUE_EVENT'], [0x80n, 'CAP_IOCTL'],
  [0x100n, 'CAP_TTYHOOK'], [0x200n, 'CAP_PDGETPID'], [0x400n, 'CAP_PDWAIT'], [0x800n, 'CAP_PDKILL'],
  [0x1000n, 'CAP_EXTATTR_DELETE'], [0x2000n, 'CAP_EXTATTR_GET'], [0x4000n, 'CAP_EXTATTR_LIST'],
  [0x8000n, 'CAP_EXTATTR_SET'], [0x10000n, 'CAP_ACL_CHECK'], [0x20000n, 'CAP_ACL_DELETE'], [0x40000n, 'CAP_ACL_GET'],
  [0x80000n, 'CAP_ACL_SET'], [0x100000n, 'CAP_KQUEUE_CHANGE'],
];

/** sysdecode_cap_rights(): a cap_rights_t (two little-endian uint64 words) as `CAP_READ,CAP_SEEK`. */
export function capRights(bytes: Uint8Array): string {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = [dv.getBigUint64(0, true), dv.getBigUint64(8, true)];
  // Each word carries its index as bit 57+i (CAPIDXBIT), and the version in the top bits of word 0.
  for (let i = 0; i < 2; i++) {
    const idx = (words[i]! >> 57n) & 0x1fn;
    if (idx !== 1n << BigInt(i)) return 'invalid cap_rights_t';
  }
  const names: string[] = [];
  const mask = (1n << 57n) - 1n;
  [CAP_RIGHTS_0, CAP_RIGHTS_1].forEach((table, i) => {
    const bits = words[i]! & mask;
    for (const [bit, name] of table) if ((bits & bit) === bit) names.push(name);
  });
  return names.join(',');
}

/** Builds a cap_rights_t value (for tests and the recorder): names from the two tables. */
export function encodeCapRights(names: string[]): Uint8Array {
  const words = [1n << 57n | (0n << 62n), 1n << 58n];
  for (const n of names) {
    const i0 = CAP_RIGHTS_0.find(([, name]) => name === n);
    const i1 = CAP_RIGHTS_1.find(([, name]) => name === n);
    if (i0) words[0] = words[0]! | i0[0];
    else if (i1) words[1] = words[1]! | i1[0];
    else throw new RangeError(`unknown capability right ${n}`);
  }
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, words[0]!, true);
  dv.setBigUint64(8, words[1]!, true);
  return out;
}
