// Flag and constant tables of Linux x86_64 as data, in the order strace prints them (its xlat/*.in
// files), and the two printers strace uses: or-ed flags (`O_RDONLY|O_CLOEXEC`, leftovers `|0x40`)
// and one constant of a set (`SEEK_END`, unknown `0x7 /* SEEK_??? */`).

/** A named constant: [name, value]. */
export type Named = readonly [string, number];

export interface FlagSet {
  /** The names in print order; a name is printed when all of its bits are set. */
  readonly flags: readonly Named[];
  /** What 0 prints as (`O_RDONLY` is handled by the open printer; `PROT_NONE`, `MAP_FILE`). */
  readonly zero?: string;
}

export interface EnumSet {
  readonly values: readonly Named[];
  /** The prefix of the `/* PREFIX_??? *\/` comment strace writes for unknown values. */
  readonly unknown: string;
}

const O_FLAGS: readonly Named[] = [
  ['O_CREAT', 0o100], ['O_EXCL', 0o200], ['O_NOCTTY', 0o400], ['O_TRUNC', 0o1000],
  ['O_APPEND', 0o2000], ['O_NONBLOCK', 0o4000], ['O_SYNC', 0o4010000], ['O_DSYNC', 0o10000],
  ['O_DIRECT', 0o40000], ['O_LARGEFILE', 0o100000], ['O_NOFOLLOW', 0o400000],
  ['O_NOATIME', 0o1000000], ['O_CLOEXEC', 0o2000000], ['O_PATH', 0o10000000],
  ['O_TMPFILE', 0o20200000], ['O_DIRECTORY', 0o200000], ['FASYNC', 0o20000],
];

export const FLAG_SETS: Readonly<Record<string, FlagSet>> = {
  /** Only the non-access-mode bits; printOpenFlags adds O_RDONLY/O_WRONLY/O_RDWR. */
  open: { flags: O_FLAGS },
  /** O_* bits where no access mode is meant (pipe2, dup3): 0 prints as 0. */
  oflags: { flags: O_FLAGS },
  at: {
    flags: [
      ['AT_SYMLINK_NOFOLLOW', 0x100], ['AT_REMOVEDIR', 0x200], ['AT_SYMLINK_FOLLOW', 0x400],
      ['AT_NO_AUTOMOUNT', 0x800], ['AT_EMPTY_PATH', 0x1000], ['AT_RECURSIVE', 0x8000],
    ],
  },
  prot: {
    flags: [['PROT_READ', 1], ['PROT_WRITE', 2], ['PROT_EXEC', 4], ['PROT_SEM', 8], ['PROT_GROWSDOWN', 0x1000000], ['PROT_GROWSUP', 0x2000000]],
    zero: 'PROT_NONE',
  },
  /** MAP_* without the type bits (MAP_SHARED/MAP_PRIVATE), which printMmapFlags adds. */
  mmap: {
    flags: [
      ['MAP_FIXED', 0x10], ['MAP_ANONYMOUS', 0x20], ['MAP_32BIT', 0x40], ['MAP_NORESERVE', 0x4000],
      ['MAP_POPULATE', 0x8000], ['MAP_NONBLOCK', 0x10000], ['MAP_GROWSDOWN', 0x100],
      ['MAP_DENYWRITE', 0x800], ['MAP_EXECUTABLE', 0x1000], ['MAP_LOCKED', 0x2000],
      ['MAP_STACK', 0x20000], ['MAP_HUGETLB', 0x40000], ['MAP_SYNC', 0x80000],
      ['MAP_FIXED_NOREPLACE', 0x100000],
    ],
  },
  mremap: { flags: [['MREMAP_MAYMOVE', 1], ['MREMAP_FIXED', 2], ['MREMAP_DONTUNMAP', 4]] },
  msync: { flags: [['MS_ASYNC', 1], ['MS_INVALIDATE', 2], ['MS_SYNC', 4]] },
  mlockall: { flags: [['MCL_CURRENT', 1], ['MCL_FUTURE', 2], ['MCL_ONFAULT', 4]] },
  mlock: { flags: [['MLOCK_ONFAULT', 1]] },
  access: { flags: [['R_OK', 4], ['W_OK', 2], ['X_OK', 1]], zero: 'F_OK' },
  wait: {
    flags: [
      ['WNOHANG', 1], ['WSTOPPED', 2], ['WEXITED', 4], ['WCONTINUED', 8], ['WNOWAIT', 0x1000000],
      ['__WNOTHREAD', 0x20000000], ['__WALL', 0x40000000], ['__WCLONE', 0x80000000],
    ],
  },
  clone: {
    flags: [
      ['CLONE_VM', 0x100], ['CLONE_FS', 0x200], ['CLONE_FILES', 0x400], ['CLONE_SIGHAND', 0x800],
      ['CLONE_PIDFD', 0x1000], ['CLONE_PTRACE', 0x2000], ['CLONE_VFORK', 0x4000], ['CLONE_PARENT', 0x8000],
      ['CLONE_THREAD', 0x10000], ['CLONE_NEWNS', 0x20000], ['CLONE_SYSVSEM', 0x40000],
      ['CLONE_SETTLS', 0x80000], ['CLONE_PARENT_SETTID', 0x100000], ['CLONE_CHILD_CLEARTID', 0x200000],
      ['CLONE_UNTRACED', 0x800000], ['CLONE_CHILD_SETTID', 0x1000000], ['CLONE_NEWCGROUP', 0x2000000],
      ['CLONE_NEWUTS', 0x4000000], ['CLONE_NEWIPC', 0x8000000], ['CLONE_NEWUSER', 0x10000000],
      ['CLONE_NEWPID', 0x20000000], ['CLONE_NEWNET', 0x40000000], ['CLONE_IO', 0x80000000],
    ],
  },
  grnd: { flags: [['GRND_NONBLOCK', 1], ['GRND_RANDOM', 2], ['GRND_INSECURE', 4]] },
  sa: {
    flags: [
      ['SA_NOCLDSTOP', 1], ['SA_NOCLDWAIT', 2], ['SA_SIGINFO', 4], ['SA_UNSUPPORTED', 0x400],
      ['SA_EXPOSE_TAGBITS', 0x800], ['SA_RESTORER', 0x4000000], ['SA_ONSTACK', 0x8000000],
      ['SA_RESTART', 0x10000000], ['SA_NODEFER', 0x40000000], ['SA_RESETHAND', 0x80000000],
    ],
  },
  socktype_flags: { flags: [['SOCK_CLOEXEC', 0o2000000], ['SOCK_NONBLOCK', 0o4000]] },
  sock: { flags: [['SOCK_CLOEXEC', 0o2000000], ['SOCK_NONBLOCK', 0o4000]] },
  msg: {
    flags: [
      ['MSG_OOB', 1], ['MSG_PEEK', 2], ['MSG_DONTROUTE', 4], ['MSG_CTRUNC', 8], ['MSG_PROXY', 0x10],
      ['MSG_TRUNC', 0x20], ['MSG_DONTWAIT', 0x40], ['MSG_EOR', 0x80], ['MSG_WAITALL', 0x100],
      ['MSG_FIN', 0x200], ['MSG_SYN', 0x400], ['MSG_CONFIRM', 0x800], ['MSG_RST', 0x1000],
      ['MSG_ERRQUEUE', 0x2000], ['MSG_NOSIGNAL', 0x4000], ['MSG_MORE', 0x8000],
      ['MSG_WAITFORONE', 0x10000], ['MSG_BATCH', 0x40000], ['MSG_ZEROCOPY', 0x4000000],
      ['MSG_FASTOPEN', 0x20000000], ['MSG_CMSG_CLOEXEC', 0x40000000],
    ],
  },
  flock: { flags: [['LOCK_SH', 1], ['LOCK_EX', 2], ['LOCK_NB', 4], ['LOCK_UN', 8]] },
  fd: { flags: [['FD_CLOEXEC', 1]] },
  xattr: { flags: [['XATTR_CREATE', 1], ['XATTR_REPLACE', 2]] },
  splice: { flags: [['SPLICE_F_MOVE', 1], ['SPLICE_F_NONBLOCK', 2], ['SPLICE_F_MORE', 4], ['SPLICE_F_GIFT', 8]] },
  timer: { flags: [['TIMER_ABSTIME', 1]] },
  tfd: { flags: [['TFD_CLOEXEC', 0o2000000], ['TFD_NONBLOCK', 0o4000]] },
  tfdset: { flags: [['TFD_TIMER_ABSTIME', 1], ['TFD_TIMER_CANCEL_ON_SET', 2]] },
  sfd: { flags: [['SFD_CLOEXEC', 0o2000000], ['SFD_NONBLOCK', 0o4000]] },
  efd: { flags: [['EFD_SEMAPHORE', 1], ['EFD_CLOEXEC', 0o2000000], ['EFD_NONBLOCK', 0o4000]] },
  epoll: { flags: [['EPOLL_CLOEXEC', 0o2000000]] },
  inotifyinit: { flags: [['IN_CLOEXEC', 0o2000000], ['IN_NONBLOCK', 0o4000]] },
  inotify: {
    flags: [
      ['IN_ACCESS', 1], ['IN_MODIFY', 2], ['IN_ATTRIB', 4], ['IN_CLOSE_WRITE', 8], ['IN_CLOSE_NOWRITE', 0x10],
      ['IN_OPEN', 0x20], ['IN_MOVED_FROM', 0x40], ['IN_MOVED_TO', 0x80], ['IN_CREATE', 0x100],
      ['IN_DELETE', 0x200], ['IN_DELETE_SELF', 0x400], ['IN_MOVE_SELF', 0x800], ['IN_UNMOUNT', 0x2000],
      ['IN_Q_OVERFLOW', 0x4000], ['IN_IGNORED', 0x8000], ['IN_ONLYDIR', 0x1000000],
      ['IN_DONT_FOLLOW', 0x2000000], ['IN_EXCL_UNLINK', 0x4000000], ['IN_MASK_CREATE', 0x10000000],
      ['IN_MASK_ADD', 0x20000000], ['IN_ISDIR', 0x40000000], ['IN_ONESHOT', 0x80000000],
    ],
  },
  falloc: {
    flags: [['FALLOC_FL_KEEP_SIZE', 1], ['FALLOC_FL_PUNCH_HOLE', 2], ['FALLOC_FL_NO_HIDE_STALE', 4],
      ['FALLOC_FL_COLLAPSE_RANGE', 8], ['FALLOC_FL_ZERO_RANGE', 0x10], ['FALLOC_FL_INSERT_RANGE', 0x20],
      ['FALLOC_FL_UNSHARE_RANGE', 0x40]],
  },
  rename: { flags: [['RENAME_NOREPLACE', 1], ['RENAME_EXCHANGE', 2], ['RENAME_WHITEOUT', 4]] },
  mfd: { flags: [['MFD_CLOEXEC', 1], ['MFD_ALLOW_SEALING', 2], ['MFD_HUGETLB', 4], ['MFD_NOEXEC_SEAL', 8], ['MFD_EXEC', 0x10]] },
  rwf: { flags: [['RWF_HIPRI', 1], ['RWF_DSYNC', 2], ['RWF_SYNC', 4], ['RWF_NOWAIT', 8], ['RWF_APPEND', 0x10]] },
  close_range: { flags: [['CLOSE_RANGE_UNSHARE', 2], ['CLOSE_RANGE_CLOEXEC', 4]] },
  sync_file_range: {
    flags: [['SYNC_FILE_RANGE_WAIT_BEFORE', 1], ['SYNC_FILE_RANGE_WRITE', 2], ['SYNC_FILE_RANGE_WAIT_AFTER', 4]],
  },
  umount: { flags: [['MNT_FORCE', 1], ['MNT_DETACH', 2], ['MNT_EXPIRE', 4], ['UMOUNT_NOFOLLOW', 8]] },
  mount: {
    flags: [
      ['MS_RDONLY', 1], ['MS_NOSUID', 2], ['MS_NODEV', 4], ['MS_NOEXEC', 8], ['MS_SYNCHRONOUS', 0x10],
      ['MS_REMOUNT', 0x20], ['MS_MANDLOCK', 0x40], ['MS_DIRSYNC', 0x80], ['MS_NOSYMFOLLOW', 0x100],
      ['MS_NOATIME', 0x400], ['MS_NODIRATIME', 0x800], ['MS_BIND', 0x1000], ['MS_MOVE', 0x2000],
      ['MS_REC', 0x4000], ['MS_SILENT', 0x8000], ['MS_POSIXACL', 0x10000], ['MS_UNBINDABLE', 0x20000],
      ['MS_PRIVATE', 0x40000], ['MS_SLAVE', 0x80000], ['MS_SHARED', 0x100000], ['MS_RELATIME', 0x200000],
      ['MS_KERNMOUNT', 0x400000], ['MS_I_VERSION', 0x800000], ['MS_STRICTATIME', 0x1000000],
      ['MS_LAZYTIME', 0x2000000],
    ],
  },
  statx: {
    flags: [
      ['STATX_TYPE', 1], ['STATX_MODE', 2], ['STATX_NLINK', 4], ['STATX_UID', 8], ['STATX_GID', 0x10],
      ['STATX_ATIME', 0x20], ['STATX_MTIME', 0x40], ['STATX_CTIME', 0x80], ['STATX_INO', 0x100],
      ['STATX_SIZE', 0x200], ['STATX_BLOCKS', 0x400], ['STATX_BTIME', 0x800], ['STATX_MNT_ID', 0x1000],
      ['STATX_DIOALIGN', 0x2000],
    ],
  },
  ipcget: { flags: [['IPC_CREAT', 0o1000], ['IPC_EXCL', 0o2000], ['IPC_NOWAIT', 0o4000]] },
  ipcmsg: { flags: [['IPC_NOWAIT', 0o4000], ['MSG_NOERROR', 0o10000], ['MSG_EXCEPT', 0o20000], ['MSG_COPY', 0o40000]] },
  shmat: { flags: [['SHM_RDONLY', 0o10000], ['SHM_RND', 0o20000], ['SHM_REMAP', 0o40000], ['SHM_EXEC', 0o100000]] },
};

function enumOf(unknown: string, values: readonly Named[]): EnumSet {
  return { values, unknown };
}

/** ioctl requests strace knows by name (the common tty and file ones). */
const IOCTLS: readonly Named[] = [
  ['TCGETS', 0x5401], ['TCSETS', 0x5402], ['TCSETSW', 0x5403], ['TCSETSF', 0x5404], ['TCGETA', 0x5405],
  ['TCSETA', 0x5406], ['TCSETAW', 0x5407], ['TCSETAF', 0x5408], ['TCSBRK', 0x5409], ['TCXONC', 0x540a],
  ['TCFLSH', 0x540b], ['TIOCEXCL', 0x540c], ['TIOCNXCL', 0x540d], ['TIOCSCTTY', 0x540e],
  ['TIOCGPGRP', 0x540f], ['TIOCSPGRP', 0x5410], ['TIOCOUTQ', 0x5411], ['TIOCSTI', 0x5412],
  ['TIOCGWINSZ', 0x5413], ['TIOCSWINSZ', 0x5414], ['TIOCMGET', 0x5415], ['TIOCMBIS', 0x5416],
  ['TIOCMBIC', 0x5417], ['TIOCMSET', 0x5418], ['TIOCGSOFTCAR', 0x5419], ['TIOCSSOFTCAR', 0x541a],
  ['FIONREAD', 0x541b], ['TIOCLINUX', 0x541c], ['TIOCCONS', 0x541d], ['TIOCGSERIAL', 0x541e],
  ['TIOCSSERIAL', 0x541f], ['TIOCPKT', 0x5420], ['FIONBIO', 0x5421], ['TIOCNOTTY', 0x5422],
  ['TIOCSETD', 0x5423], ['TIOCGETD', 0x5424], ['TCSBRKP', 0x5425], ['TIOCSBRK', 0x5427],
  ['TIOCCBRK', 0x5428], ['TIOCGSID', 0x5429], ['TIOCGPTN', 0x80045430], ['TIOCSPTLCK', 0x40045431],
  ['FIONCLEX', 0x5450], ['FIOCLEX', 0x5451], ['FIOASYNC', 0x5452], ['TIOCSERCONFIG', 0x5453],
  ['TIOCSERGWILD', 0x5454], ['TIOCSERSWILD', 0x5455], ['TIOCGLCKTRMIOS', 0x5456],
  ['TIOCSLCKTRMIOS', 0x5457], ['TIOCSERGSTRUCT', 0x5458], ['TIOCSERGETLSR', 0x5459],
  ['FIOQSIZE', 0x5460], ['FIOGETOWN', 0x8903], ['FIOSETOWN', 0x8901], ['SIOCGPGRP', 0x8904],
  ['FS_IOC_GETFLAGS', 0x80086601], ['FS_IOC_SETFLAGS', 0x40086602], ['FICLONE', 0x40049409],
  ['BLKGETSIZE64', 0x80081272], ['BLKSSZGET', 0x1268],
];

export const ENUM_SETS: Readonly<Record<string, EnumSet>> = {
  whence: enumOf('SEEK', [['SEEK_SET', 0], ['SEEK_CUR', 1], ['SEEK_END', 2], ['SEEK_DATA', 3], ['SEEK_HOLE', 4]]),
  sigprocmask: enumOf('SIG', [['SIG_BLOCK', 0], ['SIG_UNBLOCK', 1], ['SIG_SETMASK', 2]]),
  clockid: enumOf('CLOCK', [
    ['CLOCK_REALTIME', 0], ['CLOCK_MONOTONIC', 1], ['CLOCK_PROCESS_CPUTIME_ID', 2],
    ['CLOCK_THREAD_CPUTIME_ID', 3], ['CLOCK_MONOTONIC_RAW', 4], ['CLOCK_REALTIME_COARSE', 5],
    ['CLOCK_MONOTONIC_COARSE', 6], ['CLOCK_BOOTTIME', 7], ['CLOCK_REALTIME_ALARM', 8],
    ['CLOCK_BOOTTIME_ALARM', 9], ['CLOCK_SGI_CYCLE', 10], ['CLOCK_TAI', 11],
  ]),
  fcntl: enumOf('F', [
    ['F_DUPFD', 0], ['F_GETFD', 1], ['F_SETFD', 2], ['F_GETFL', 3], ['F_SETFL', 4], ['F_GETLK', 5],
    ['F_SETLK', 6], ['F_SETLKW', 7], ['F_SETOWN', 8], ['F_GETOWN', 9], ['F_SETSIG', 10], ['F_GETSIG', 11],
    ['F_SETOWN_EX', 15], ['F_GETOWN_EX', 16], ['F_GETOWNER_UIDS', 17], ['F_OFD_GETLK', 36],
    ['F_OFD_SETLK', 37], ['F_OFD_SETLKW', 38], ['F_SETLEASE', 1024], ['F_GETLEASE', 1025],
    ['F_NOTIFY', 1026], ['F_DUPFD_QUERY', 1027], ['F_DUPFD_CLOEXEC', 1030], ['F_SETPIPE_SZ', 1031],
    ['F_GETPIPE_SZ', 1032], ['F_ADD_SEALS', 1033], ['F_GET_SEALS', 1034], ['F_GET_RW_HINT', 1035],
    ['F_SET_RW_HINT', 1036], ['F_GET_FILE_RW_HINT', 1037], ['F_SET_FILE_RW_HINT', 1038],
  ]),
  ioctl: enumOf('', IOCTLS),
  madvise: enumOf('MADV', [
    ['MADV_NORMAL', 0], ['MADV_RANDOM', 1], ['MADV_SEQUENTIAL', 2], ['MADV_WILLNEED', 3],
    ['MADV_DONTNEED', 4], ['MADV_FREE', 8], ['MADV_REMOVE', 9], ['MADV_DONTFORK', 10], ['MADV_DOFORK', 11],
    ['MADV_MERGEABLE', 12], ['MADV_UNMERGEABLE', 13], ['MADV_HUGEPAGE', 14], ['MADV_NOHUGEPAGE', 15],
    ['MADV_DONTDUMP', 16], ['MADV_DODUMP', 17], ['MADV_WIPEONFORK', 18], ['MADV_KEEPONFORK', 19],
    ['MADV_COLD', 20], ['MADV_PAGEOUT', 21], ['MADV_POPULATE_READ', 22], ['MADV_POPULATE_WRITE', 23],
    ['MADV_DONTNEED_LOCKED', 24], ['MADV_HWPOISON', 100], ['MADV_SOFT_OFFLINE', 101],
  ]),
  rlimit: enumOf('RLIMIT', [
    ['RLIMIT_CPU', 0], ['RLIMIT_FSIZE', 1], ['RLIMIT_DATA', 2], ['RLIMIT_STACK', 3], ['RLIMIT_CORE', 4],
    ['RLIMIT_RSS', 5], ['RLIMIT_NPROC', 6], ['RLIMIT_NOFILE', 7], ['RLIMIT_MEMLOCK', 8], ['RLIMIT_AS', 9],
    ['RLIMIT_LOCKS', 10], ['RLIMIT_SIGPENDING', 11], ['RLIMIT_MSGQUEUE', 12], ['RLIMIT_NICE', 13],
    ['RLIMIT_RTPRIO', 14], ['RLIMIT_RTTIME', 15],
  ]),
  rusage: enumOf('RUSAGE', [['RUSAGE_SELF', 0], ['RUSAGE_CHILDREN', -1], ['RUSAGE_THREAD', 1]]),
  itimer: enumOf('ITIMER', [['ITIMER_REAL', 0], ['ITIMER_VIRTUAL', 1], ['ITIMER_PROF', 2]]),
  af: enumOf('AF', [
    ['AF_UNSPEC', 0], ['AF_UNIX', 1], ['AF_INET', 2], ['AF_AX25', 3], ['AF_IPX', 4], ['AF_APPLETALK', 5],
    ['AF_NETROM', 6], ['AF_BRIDGE', 7], ['AF_ATMPVC', 8], ['AF_X25', 9], ['AF_INET6', 10],
    ['AF_NETLINK', 16], ['AF_PACKET', 17], ['AF_VSOCK', 40], ['AF_XDP', 44],
  ]),
  socktype: enumOf('SOCK', [
    ['SOCK_STREAM', 1], ['SOCK_DGRAM', 2], ['SOCK_RAW', 3], ['SOCK_RDM', 4], ['SOCK_SEQPACKET', 5],
    ['SOCK_DCCP', 6], ['SOCK_PACKET', 10],
  ]),
  shutdown: enumOf('SHUT', [['SHUT_RD', 0], ['SHUT_WR', 1], ['SHUT_RDWR', 2]]),
  sollevel: enumOf('SOL', [['SOL_IP', 0], ['SOL_SOCKET', 1], ['SOL_TCP', 6], ['SOL_UDP', 17], ['SOL_IPV6', 41], ['SOL_RAW', 255]]),
  prio: enumOf('PRIO', [['PRIO_PROCESS', 0], ['PRIO_PGRP', 1], ['PRIO_USER', 2]]),
  sched: enumOf('SCHED', [
    ['SCHED_OTHER', 0], ['SCHED_FIFO', 1], ['SCHED_RR', 2], ['SCHED_BATCH', 3], ['SCHED_ISO', 4],
    ['SCHED_IDLE', 5], ['SCHED_DEADLINE', 6],
  ]),
  personality: enumOf('PER', [['PER_LINUX', 0], ['PER_LINUX_32BIT', 0x800000], ['PER_LINUX32', 8]]),
  ipckey: enumOf('IPC', [['IPC_PRIVATE', 0]]),
  ipccmd: enumOf('IPC', [['IPC_RMID', 0], ['IPC_SET', 1], ['IPC_STAT', 2], ['IPC_INFO', 3]]),
  syslog: enumOf('SYSLOG_ACTION', [
    ['SYSLOG_ACTION_CLOSE', 0], ['SYSLOG_ACTION_OPEN', 1], ['SYSLOG_ACTION_READ', 2],
    ['SYSLOG_ACTION_READ_ALL', 3], ['SYSLOG_ACTION_READ_CLEAR', 4], ['SYSLOG_ACTION_CLEAR', 5],
    ['SYSLOG_ACTION_CONSOLE_OFF', 6], ['SYSLOG_ACTION_CONSOLE_ON', 7], ['SYSLOG_ACTION_CONSOLE_LEVEL', 8],
    ['SYSLOG_ACTION_SIZE_UNREAD', 9], ['SYSLOG_ACTION_SIZE_BUFFER', 10],
  ]),
  ptrace: enumOf('PTRACE', [
    ['PTRACE_TRACEME', 0], ['PTRACE_PEEKTEXT', 1], ['PTRACE_PEEKDATA', 2], ['PTRACE_PEEKUSER', 3],
    ['PTRACE_POKETEXT', 4], ['PTRACE_POKEDATA', 5], ['PTRACE_POKEUSER', 6], ['PTRACE_CONT', 7],
    ['PTRACE_KILL', 8], ['PTRACE_SINGLESTEP', 9], ['PTRACE_GETREGS', 12], ['PTRACE_SETREGS', 13],
    ['PTRACE_ATTACH', 16], ['PTRACE_DETACH', 17], ['PTRACE_SYSCALL', 24], ['PTRACE_SETOPTIONS', 0x4200],
    ['PTRACE_GETEVENTMSG', 0x4201], ['PTRACE_GETSIGINFO', 0x4202], ['PTRACE_SETSIGINFO', 0x4203],
    ['PTRACE_SEIZE', 0x4206], ['PTRACE_INTERRUPT', 0x4207], ['PTRACE_LISTEN', 0x4208],
  ]),
  prctl: enumOf('PR', [
    ['PR_SET_PDEATHSIG', 1], ['PR_GET_PDEATHSIG', 2], ['PR_GET_DUMPABLE', 3], ['PR_SET_DUMPABLE', 4],
    ['PR_GET_KEEPCAPS', 7], ['PR_SET_KEEPCAPS', 8], ['PR_GET_TIMING', 13], ['PR_SET_TIMING', 14],
    ['PR_SET_NAME', 15], ['PR_GET_NAME', 16], ['PR_GET_SECCOMP', 21], ['PR_SET_SECCOMP', 22],
    ['PR_CAPBSET_READ', 23], ['PR_CAPBSET_DROP', 24], ['PR_GET_SECUREBITS', 27], ['PR_SET_SECUREBITS', 28],
    ['PR_SET_TIMERSLACK', 29], ['PR_GET_TIMERSLACK', 30], ['PR_SET_CHILD_SUBREAPER', 36],
    ['PR_GET_CHILD_SUBREAPER', 37], ['PR_SET_NO_NEW_PRIVS', 38], ['PR_GET_NO_NEW_PRIVS', 39],
    ['PR_GET_TID_ADDRESS', 40], ['PR_SET_THP_DISABLE', 41], ['PR_GET_THP_DISABLE', 42],
    ['PR_CAP_AMBIENT', 47],
  ]),
  arch_prctl: enumOf('ARCH', [
    ['ARCH_SET_GS', 0x1001], ['ARCH_SET_FS', 0x1002], ['ARCH_GET_FS', 0x1003], ['ARCH_GET_GS', 0x1004],
    ['ARCH_GET_CPUID', 0x1011], ['ARCH_SET_CPUID', 0x1012], ['ARCH_GET_XCOMP_SUPP', 0x1021],
    ['ARCH_GET_XCOMP_PERM', 0x1022], ['ARCH_REQ_XCOMP_PERM', 0x1023], ['ARCH_MAP_VDSO_X32', 0x2001],
    ['ARCH_MAP_VDSO_32', 0x2002], ['ARCH_MAP_VDSO_64', 0x2003], ['ARCH_SHSTK_ENABLE', 0x5001],
  ]),
  fadvise: enumOf('POSIX_FADV', [
    ['POSIX_FADV_NORMAL', 0], ['POSIX_FADV_RANDOM', 1], ['POSIX_FADV_SEQUENTIAL', 2],
    ['POSIX_FADV_WILLNEED', 3], ['POSIX_FADV_DONTNEED', 4], ['POSIX_FADV_NOREUSE', 5],
  ]),
  epollctl: enumOf('EPOLL_CTL', [['EPOLL_CTL_ADD', 1], ['EPOLL_CTL_DEL', 2], ['EPOLL_CTL_MOD', 3]]),
  mpol: enumOf('MPOL', [['MPOL_DEFAULT', 0], ['MPOL_PREFERRED', 1], ['MPOL_BIND', 2], ['MPOL_INTERLEAVE', 3], ['MPOL_LOCAL', 4], ['MPOL_PREFERRED_MANY', 5]]),
  idtype: enumOf('P', [['P_ALL', 0], ['P_PID', 1], ['P_PGID', 2], ['P_PIDFD', 3]]),
  keyctl: enumOf('KEYCTL', [['KEYCTL_GET_KEYRING_ID', 0], ['KEYCTL_JOIN_SESSION_KEYRING', 1], ['KEYCTL_UPDATE', 2], ['KEYCTL_REVOKE', 3]]),
  kcmp: enumOf('KCMP', [['KCMP_FILE', 0], ['KCMP_VM', 1], ['KCMP_FILES', 2], ['KCMP_FS', 3], ['KCMP_SIGHAND', 4], ['KCMP_IO', 5], ['KCMP_SYSVSEM', 6], ['KCMP_EPOLL_TFD', 7]]),
  seccomp: enumOf('SECCOMP_SET_MODE', [['SECCOMP_SET_MODE_STRICT', 0], ['SECCOMP_SET_MODE_FILTER', 1], ['SECCOMP_GET_ACTION_AVAIL', 2], ['SECCOMP_GET_NOTIF_SIZES', 3]]),
  bpf: enumOf('BPF', [['BPF_MAP_CREATE', 0], ['BPF_MAP_LOOKUP_ELEM', 1], ['BPF_MAP_UPDATE_ELEM', 2], ['BPF_MAP_DELETE_ELEM', 3], ['BPF_MAP_GET_NEXT_KEY', 4], ['BPF_PROG_LOAD', 5]]),
  membarrier: enumOf('MEMBARRIER_CMD', [['MEMBARRIER_CMD_QUERY', 0], ['MEMBARRIER_CMD_GLOBAL', 1], ['MEMBARRIER_CMD_GLOBAL_EXPEDITED', 2], ['MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED', 4], ['MEMBARRIER_CMD_PRIVATE_EXPEDITED', 8], ['MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED', 16]]),
  io_uring_register: enumOf('IORING_REGISTER', [['IORING_REGISTER_BUFFERS', 0], ['IORING_UNREGISTER_BUFFERS', 1], ['IORING_REGISTER_FILES', 2], ['IORING_UNREGISTER_FILES', 3]]),
  fsconfig: enumOf('FSCONFIG', [['FSCONFIG_SET_FLAG', 0], ['FSCONFIG_SET_STRING', 1], ['FSCONFIG_SET_BINARY', 2], ['FSCONFIG_SET_PATH', 3], ['FSCONFIG_SET_PATH_EMPTY', 4], ['FSCONFIG_SET_FD', 5], ['FSCONFIG_CMD_CREATE', 6], ['FSCONFIG_CMD_RECONFIGURE', 7]]),
  /** The futex command (low 7 bits); printFutexOp adds _PRIVATE and _CLOCK_REALTIME. */
  futex: enumOf('FUTEX', [
    ['FUTEX_WAIT', 0], ['FUTEX_WAKE', 1], ['FUTEX_FD', 2], ['FUTEX_REQUEUE', 3], ['FUTEX_CMP_REQUEUE', 4],
    ['FUTEX_WAKE_OP', 5], ['FUTEX_LOCK_PI', 6], ['FUTEX_UNLOCK_PI', 7], ['FUTEX_TRYLOCK_PI', 8],
    ['FUTEX_WAIT_BITSET', 9], ['FUTEX_WAKE_BITSET', 10], ['FUTEX_WAIT_REQUEUE_PI', 11],
    ['FUTEX_CMP_REQUEUE_PI', 12], ['FUTEX_LOCK_PI2', 13],
  ]),
  /** si_code values common to every signal. */
  si_code: enumOf('SI', [
    ['SI_USER', 0], ['SI_KERNEL', 0x80], ['SI_QUEUE', -1], ['SI_TIMER', -2], ['SI_MESGQ', -3],
    ['SI_ASYNCIO', -4], ['SI_SIGIO', -5], ['SI_TKILL', -6], ['SI_DETHREAD', -7], ['SI_ASYNCNL', -60],
  ]),
  cld: enumOf('CLD', [['CLD_EXITED', 1], ['CLD_KILLED', 2], ['CLD_DUMPED', 3], ['CLD_TRAPPED', 4], ['CLD_STOPPED', 5], ['CLD_CONTINUED', 6]]),
  segv: enumOf('SEGV', [['SEGV_MAPERR', 1], ['SEGV_ACCERR', 2], ['SEGV_BNDERR', 3], ['SEGV_PKUERR', 4], ['SEGV_ACCADI', 5], ['SEGV_ADIDERR', 6], ['SEGV_ADIPERR', 7], ['SEGV_MTEAERR', 8], ['SEGV_MTESERR', 9]]),
  bus: enumOf('BUS', [['BUS_ADRALN', 1], ['BUS_ADRERR', 2], ['BUS_OBJERR', 3], ['BUS_MCEERR_AR', 4], ['BUS_MCEERR_AO', 5]]),
  ill: enumOf('ILL', [['ILL_ILLOPC', 1], ['ILL_ILLOPN', 2], ['ILL_ILLADR', 3], ['ILL_ILLTRP', 4], ['ILL_PRVOPC', 5], ['ILL_PRVREG', 6], ['ILL_COPROC', 7], ['ILL_BADSTK', 8]]),
  fpe: enumOf('FPE', [['FPE_INTDIV', 1], ['FPE_INTOVF', 2], ['FPE_FLTDIV', 3], ['FPE_FLTOVF', 4], ['FPE_FLTUND', 5], ['FPE_FLTRES', 6], ['FPE_FLTINV', 7], ['FPE_FLTSUB', 8]]),
  trap: enumOf('TRAP', [['TRAP_BRKPT', 1], ['TRAP_TRACE', 2], ['TRAP_BRANCH', 3], ['TRAP_HWBKPT', 4]]),
};

/** strace's hex: `%#x` (0 prints as `0`). */
export function hex(v: number | bigint): string {
  if (typeof v === 'bigint') return v === 0n ? '0' : '0x' + v.toString(16);
  return v === 0 ? '0' : '0x' + v.toString(16);
}

/** Or-ed flags: known names in table order, then the leftover bits in hex; 0 prints `zero` or `0`. */
export function printFlags(set: FlagSet, value: number | bigint): string {
  let v = BigInt.asUintN(64, BigInt(value));
  if (v === 0n) return set.zero ?? '0';
  const parts: string[] = [];
  for (const [name, bits] of set.flags) {
    const b = BigInt(bits);
    if (b !== 0n && (v & b) === b) {
      parts.push(name);
      v &= ~b;
    }
  }
  if (v !== 0n) parts.push(hex(v));
  return parts.join('|');
}

/** One constant of a set, or `0x7 /* SEEK_??? *\/` for a value the set does not name. */
export function printEnum(set: EnumSet, value: number): string {
  const found = set.values.find(([, v]) => v === value);
  if (found) return found[0];
  const shown = hex(value < 0 ? value >>> 0 : value);
  return set.unknown ? `${shown} /* ${set.unknown}_??? */` : shown;
}

export function enumName(set: EnumSet, value: number): string | undefined {
  return set.values.find(([, v]) => v === value)?.[0];
}

/** open(2) flags: the access mode first (O_RDONLY, O_WRONLY, O_RDWR, O_ACCMODE), then the rest. */
export function printOpenFlags(value: number): string {
  const v = value >>> 0;
  const modes = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'];
  const rest = v & ~3;
  const mode = modes[v & 3]!;
  return rest === 0 ? mode : `${mode}|${printFlags(FLAG_SETS.open!, rest)}`;
}

/** mmap(2) flags: the mapping type first (MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE), then the rest. */
export function printMmapFlags(value: number | bigint): string {
  const v = Number(BigInt.asUintN(32, BigInt(value)));
  if (v === 0) return 'MAP_FILE';
  const type = v & 0xf;
  const types: Record<number, string> = { 0: '', 1: 'MAP_SHARED', 2: 'MAP_PRIVATE', 3: 'MAP_SHARED_VALIDATE' };
  const parts: string[] = [];
  const t = types[type];
  if (t === undefined) parts.push(`${hex(type)} /* MAP_??? */`);
  else if (t) parts.push(t);
  const huge = (v >>> 26) & 0x3f;
  const rest = v & ~0xf & ~(0x3f << 26);
  if (rest) parts.push(printFlags(FLAG_SETS.mmap!, rest));
  if (huge) parts.push(`${huge}<<MAP_HUGE_SHIFT`);
  return parts.length ? parts.join('|') : 'MAP_FILE';
}

/** socket(2) type: the type constant, then SOCK_CLOEXEC|SOCK_NONBLOCK. */
export function printSocketType(value: number): string {
  const type = value & 0xf;
  const rest = value & ~0xf;
  const t = printEnum(ENUM_SETS.socktype!, type);
  return rest ? `${t}|${printFlags(FLAG_SETS.socktype_flags!, rest)}` : t;
}

/** futex(2) op: the command, plus _PRIVATE (128) and _CLOCK_REALTIME (256). */
export function printFutexOp(value: number): string {
  const cmd = value & 0x7f;
  const name = enumName(ENUM_SETS.futex!, cmd);
  if (!name) return `${hex(value >>> 0)} /* FUTEX_??? */`;
  let s = name;
  if (value & 128) s += '_PRIVATE';
  if (value & 256) s = 'FUTEX_CLOCK_REALTIME|' + s;
  return s;
}
