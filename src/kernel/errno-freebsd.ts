// FreeBSD's errno numbers, names and strerror(3) texts (sys/sys/errno.h, lib/libc/gen/errlst.c),
// as data. kdump prints `-1 errno N <text>` with these texts for FreeBSD processes.

export interface ErrnoEntry {
  name: string;
  number: number;
  text: string;
}

/** errno 1..97 as in sys/sys/errno.h; texts as FreeBSD's libc prints them. */
export const FREEBSD_ERRNOS: readonly ErrnoEntry[] = [
  { name: 'EPERM', number: 1, text: 'Operation not permitted' },
  { name: 'ENOENT', number: 2, text: 'No such file or directory' },
  { name: 'ESRCH', number: 3, text: 'No such process' },
  { name: 'EINTR', number: 4, text: 'Interrupted system call' },
  { name: 'EIO', number: 5, text: 'Input/output error' },
  { name: 'ENXIO', number: 6, text: 'Device not configured' },
  { name: 'E2BIG', number: 7, text: 'Argument list too long' },
  { name: 'ENOEXEC', number: 8, text: 'Exec format error' },
  { name: 'EBADF', number: 9, text: 'Bad file descriptor' },
  { name: 'ECHILD', number: 10, text: 'No child processes' },
  { name: 'EDEADLK', number: 11, text: 'Resource deadlock avoided' },
  { name: 'ENOMEM', number: 12, text: 'Cannot allocate memory' },
  { name: 'EACCES', number: 13, text: 'Permission denied' },
  { name: 'EFAULT', number: 14, text: 'Bad address' },
  { name: 'ENOTBLK', number: 15, text: 'Block device required' },
  { name: 'EBUSY', number: 16, text: 'Device busy' },
  { name: 'EEXIST', number: 17, text: 'File exists' },
  { name: 'EXDEV', number: 18, text: 'Cross-device link' },
  { name: 'ENODEV', number: 19, text: 'Operation not supported by device' },
  { name: 'ENOTDIR', number: 20, text: 'Not a directory' },
  { name: 'EISDIR', number: 21, text: 'Is a directory' },
  { name: 'EINVAL', number: 22, text: 'Invalid argument' },
  { name: 'ENFILE', number: 23, text: 'Too many open files in system' },
  { name: 'EMFILE', number: 24, text: 'Too many open files' },
  { name: 'ENOTTY', number: 25, text: 'Inappropriate ioctl for device' },
  { name: 'ETXTBSY', number: 26, text: 'Text file busy' },
  { name: 'EFBIG', number: 27, text: 'File too large' },
  { name: 'ENOSPC', number: 28, text: 'No space left on device' },
  { name: 'ESPIPE', number: 29, text: 'Illegal seek' },
  { name: 'EROFS', number: 30, text: 'Read-only file system' },
  { name: 'EMLINK', number: 31, text: 'Too many links' },
  { name: 'EPIPE', number: 32, text: 'Broken pipe' },
  { name: 'EDOM', number: 33, text: 'Numerical argument out of domain' },
  { name: 'ERANGE', number: 34, text: 'Result too large' },
  { name: 'EAGAIN', number: 35, text: 'Resource temporarily unavailable' },
  { name: 'EINPROGRESS', number: 36, text: 'Operation now in progress' },
  { name: 'EALREADY', number: 37, text: 'Operation already in progress' },
  { name: 'ENOTSOCK', number: 38, text: 'Socket operation on non-socket' },
  { name: 'EDESTADDRREQ', number: 39, text: 'Destination address required' },
  { name: 'EMSGSIZE', number: 40, text: 'Message too long' },
  { name: 'EPROTOTYPE', number: 41, text: 'Protocol wrong type for socket' },
  { name: 'ENOPROTOOPT', number: 42, text: 'Protocol not available' },
  { name: 'EPROTONOSUPPORT', number: 43, text: 'Protocol not supported' },
  { name: 'ESOCKTNOSUPPORT', number: 44, text: 'Socket type not supported' },
  { name: 'EOPNOTSUPP', number: 45, text: 'Operation not supported' },
  { name: 'EPFNOSUPPORT', number: 46, text: 'Protocol family not supported' },
  { name: 'EAFNOSUPPORT', number: 47, text: 'Address family not supported by protocol family' },
  { name: 'EADDRINUSE', number: 48, text: 'Address already in use' },
  { name: 'EADDRNOTAVAIL', number: 49, text: "Can't assign requested address" },
  { name: 'ENETDOWN', number: 50, text: 'Network is down' },
  { name: 'ENETUNREACH', number: 51, text: 'Network is unreachable' },
  { name: 'ENETRESET', number: 52, text: 'Network dropped connection on reset' },
  { name: 'ECONNABORTED', number: 53, text: 'Software caused connection abort' },
  { name: 'ECONNRESET', number: 54, text: 'Connection reset by peer' },
  { name: 'ENOBUFS', number: 55, text: 'No buffer space available' },
  { name: 'EISCONN', number: 56, text: 'Socket is already connected' },
  { name: 'ENOTCONN', number: 57, text: 'Socket is not connected' },
  { name: 'ESHUTDOWN', number: 58, text: "Can't send after socket shutdown" },
  { name: 'ETOOMANYREFS', number: 59, text: "Too many references: can't splice" },
  { name: 'ETIMEDOUT', number: 60, text: 'Operation timed out' },
  { name: 'ECONNREFUSED', number: 61, text: 'Connection refused' },
  { name: 'ELOOP', number: 62, text: 'Too many levels of symbolic links' },
  { name: 'ENAMETOOLONG', number: 63, text: 'File name too long' },
  { name: 'EHOSTDOWN', number: 64, text: 'Host is down' },
  { name: 'EHOSTUNREACH', number: 65, text: 'No route to host' },
  { name: 'ENOTEMPTY', number: 66, text: 'Directory not empty' },
  { name: 'EPROCLIM', number: 67, text: 'Too many processes' },
  { name: 'EUSERS', number: 68, text: 'Too many users' },
  { name: 'EDQUOT', number: 69, text: 'Disc quota exceeded' },
  { name: 'ESTALE', number: 70, text: 'Stale NFS file handle' },
  { name: 'EREMOTE', number: 71, text: 'Too many levels of remote in path' },
  { name: 'EBADRPC', number: 72, text: 'RPC struct is bad' },
  { name: 'ERPCMISMATCH', number: 73, text: 'RPC version wrong' },
  { name: 'EPROGUNAVAIL', number: 74, text: 'RPC prog. not avail' },
  { name: 'EPROGMISMATCH', number: 75, text: 'Program version wrong' },
  { name: 'EPROCUNAVAIL', number: 76, text: 'Bad procedure for program' },
  { name: 'ENOLCK', number: 77, text: 'No locks available' },
  { name: 'ENOSYS', number: 78, text: 'Function not implemented' },
  { name: 'EFTYPE', number: 79, text: 'Inappropriate file type or format' },
  { name: 'EAUTH', number: 80, text: 'Authentication error' },
  { name: 'ENEEDAUTH', number: 81, text: 'Need authenticator' },
  { name: 'EIDRM', number: 82, text: 'Identifier removed' },
  { name: 'ENOMSG', number: 83, text: 'No message of desired type' },
  { name: 'EOVERFLOW', number: 84, text: 'Value too large to be stored in data type' },
  { name: 'ECANCELED', number: 85, text: 'Operation canceled' },
  { name: 'EILSEQ', number: 86, text: 'Illegal byte sequence' },
  { name: 'ENOATTR', number: 87, text: 'Attribute not found' },
  { name: 'EDOOFUS', number: 88, text: 'Programming error' },
  { name: 'EBADMSG', number: 89, text: 'Bad message' },
  { name: 'EMULTIHOP', number: 90, text: 'Multihop attempted' },
  { name: 'ENOLINK', number: 91, text: 'Link has been severed' },
  { name: 'EPROTO', number: 92, text: 'Protocol error' },
  { name: 'ENOTCAPABLE', number: 93, text: 'Capabilities insufficient' },
  { name: 'ECAPMODE', number: 94, text: 'Not permitted in capability mode' },
  { name: 'ENOTRECOVERABLE', number: 95, text: 'State not recoverable' },
  { name: 'EOWNERDEAD', number: 96, text: 'Previous owner died' },
  { name: 'EINTEGRITY', number: 97, text: 'Integrity check failed' },
];

/** Other names for the same numbers (errno.h aliases). */
export const FREEBSD_ERRNO_ALIASES: Readonly<Record<string, number>> = {
  EWOULDBLOCK: 35,
  ENOTSUP: 45,
};

/** Kernel-internal pseudo errors (never seen by user space); kdump prints RESTART / JUSTRETURN. */
export const FREEBSD_ERESTART = -1;
export const FREEBSD_EJUSTRETURN = -2;
export const FREEBSD_ENOIOCTL = -3;
export const FREEBSD_EDIRIOCTL = -4;
export const FREEBSD_ERELOOKUP = -5;

const BY_NUMBER = new Map(FREEBSD_ERRNOS.map((e) => [e.number, e]));
const BY_NAME = new Map<string, number>([
  ...FREEBSD_ERRNOS.map((e) => [e.name, e.number] as [string, number]),
  ...Object.entries(FREEBSD_ERRNO_ALIASES),
]);

/** strerror(3) as FreeBSD's libc writes it, including `Unknown error: N`. */
export function freebsdStrerror(errno: number): string {
  if (errno === 0) return 'No error: 0';
  return BY_NUMBER.get(errno)?.text ?? `Unknown error: ${errno}`;
}

export function freebsdErrnoName(errno: number): string | undefined {
  return BY_NUMBER.get(errno)?.name;
}

export function freebsdErrnoNumber(name: string): number | undefined {
  return BY_NAME.get(name);
}
