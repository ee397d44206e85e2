/* errno.c: errno (a plain global: ksim processes are single-threaded), strerror with glibc's texts,
 * indexed by the error names so one table serves Linux and FreeBSD, strsignal, and perror. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>

int errno;

static const char *const error_texts[] = {
  [0] = "Success",
  [EPERM] = "Operation not permitted",
  [ENOENT] = "No such file or directory",
  [ESRCH] = "No such process",
  [EINTR] = "Interrupted system call",
  [EIO] = "Input/output error",
  [ENXIO] = "No such device or address",
  [E2BIG] = "Argument list too long",
  [ENOEXEC] = "Exec format error",
  [EBADF] = "Bad file descriptor",
  [ECHILD] = "No child processes",
  [EAGAIN] = "Resource temporarily unavailable",
  [ENOMEM] = "Cannot allocate memory",
  [EACCES] = "Permission denied",
  [EFAULT] = "Bad address",
  [ENOTBLK] = "Block device required",
  [EBUSY] = "Device or resource busy",
  [EEXIST] = "File exists",
  [EXDEV] = "Invalid cross-device link",
  [ENODEV] = "No such device",
  [ENOTDIR] = "Not a directory",
  [EISDIR] = "Is a directory",
  [EINVAL] = "Invalid argument",
  [ENFILE] = "Too many open files in system",
  [EMFILE] = "Too many open files",
  [ENOTTY] = "Inappropriate ioctl for device",
  [ETXTBSY] = "Text file busy",
  [EFBIG] = "File too large",
  [ENOSPC] = "No space left on device",
  [ESPIPE] = "Illegal seek",
  [EROFS] = "Read-only file system",
  [EMLINK] = "Too many links",
  [EPIPE] = "Broken pipe",
  [EDOM] = "Numerical argument out of domain",
  [ERANGE] = "Numerical result out of range",
  [EDEADLK] = "Resource deadlock avoided",
  [ENAMETOOLONG] = "File name too long",
  [ENOLCK] = "No locks available",
  [ENOSYS] = "Function not implemented",
  [ENOTEMPTY] = "Directory not empty",
  [ELOOP] = "Too many levels of symbolic links",
  [ENOMSG] = "No message of desired type",
  [EIDRM] = "Identifier removed",
#ifdef ECHRNG
  [ECHRNG] = "Channel number out of range",
#endif
#ifdef EL2NSYNC
  [EL2NSYNC] = "Level 2 not synchronized",
#endif
#ifdef EL3HLT
  [EL3HLT] = "Level 3 halted",
#endif
#ifdef EL3RST
  [EL3RST] = "Level 3 reset",
#endif
#ifdef ELNRNG
  [ELNRNG] = "Link number out of range",
#endif
#ifdef EUNATCH
  [EUNATCH] = "Protocol driver not attached",
#endif
#ifdef ENOCSI
  [ENOCSI] = "No CSI structure available",
#endif
#ifdef EL2HLT
  [EL2HLT] = "Level 2 halted",
#endif
#ifdef EBADE
  [EBADE] = "Invalid exchange",
#endif
#ifdef EBADR
  [EBADR] = "Invalid request descriptor",
#endif
#ifdef EXFULL
  [EXFULL] = "Exchange full",
#endif
#ifdef ENOANO
  [ENOANO] = "No anode",
#endif
#ifdef EBADRQC
  [EBADRQC] = "Invalid request code",
#endif
#ifdef EBADSLT
  [EBADSLT] = "Invalid slot",
#endif
#ifdef EBFONT
  [EBFONT] = "Bad font file format",
#endif
#ifdef ENOSTR
  [ENOSTR] = "Device not a stream",
#endif
#ifdef ENODATA
  [ENODATA] = "No data available",
#endif
#ifdef ETIME
  [ETIME] = "Timer expired",
#endif
#ifdef ENOSR
  [ENOSR] = "Out of streams resources",
#endif
#ifdef ENONET
  [ENONET] = "Machine is not on the network",
#endif
#ifdef ENOPKG
  [ENOPKG] = "Package not installed",
#endif
  [EREMOTE] = "Object is remote",
  [ENOLINK] = "Link has been severed",
#ifdef EADV
  [EADV] = "Advertise error",
#endif
#ifdef ESRMNT
  [ESRMNT] = "Srmount error",
#endif
#ifdef ECOMM
  [ECOMM] = "Communication error on send",
#endif
  [EPROTO] = "Protocol error",
  [EMULTIHOP] = "Multihop attempted",
#ifdef EDOTDOT
  [EDOTDOT] = "RFS specific error",
#endif
  [EBADMSG] = "Bad message",
  [EOVERFLOW] = "Value too large for defined data type",
#ifdef ENOTUNIQ
  [ENOTUNIQ] = "Name not unique on network",
#endif
#ifdef EBADFD
  [EBADFD] = "File descriptor in bad state",
#endif
#ifdef EREMCHG
  [EREMCHG] = "Remote address changed",
#endif
#ifdef ELIBACC
  [ELIBACC] = "Can not access a needed shared library",
#endif
#ifdef ELIBBAD
  [ELIBBAD] = "Accessing a corrupted shared library",
#endif
#ifdef ELIBSCN
  [ELIBSCN] = ".lib section in a.out corrupted",
#endif
#ifdef ELIBMAX
  [ELIBMAX] = "Attempting to link in too many shared libraries",
#endif
#ifdef ELIBEXEC
  [ELIBEXEC] = "Cannot exec a shared library directly",
#endif
  [EILSEQ] = "Invalid or incomplete multibyte or wide character",
#ifdef ERESTART
  [ERESTART] = "Interrupted system call should be restarted",
#endif
#ifdef ESTRPIPE
  [ESTRPIPE] = "Streams pipe error",
#endif
  [EUSERS] = "Too many users",
  [ENOTSOCK] = "Socket operation on non-socket",
  [EDESTADDRREQ] = "Destination address required",
  [EMSGSIZE] = "Message too long",
  [EPROTOTYPE] = "Protocol wrong type for socket",
  [ENOPROTOOPT] = "Protocol not available",
  [EPROTONOSUPPORT] = "Protocol not supported",
  [ESOCKTNOSUPPORT] = "Socket type not supported",
  [EOPNOTSUPP] = "Operation not supported",
  [EPFNOSUPPORT] = "Protocol family not supported",
  [EAFNOSUPPORT] = "Address family not supported by protocol",
  [EADDRINUSE] = "Address already in use",
  [EADDRNOTAVAIL] = "Cannot assign requested address",
  [ENETDOWN] = "Network is down",
  [ENETUNREACH] = "Network is unreachable",
  [ENETRESET] = "Network dropped connection on reset",
  [ECONNABORTED] = "Software caused connection abort",
  [ECONNRESET] = "Connection reset by peer",
  [ENOBUFS] = "No buffer space available",
  [EISCONN] = "Transport endpoint is already connected",
  [ENOTCONN] = "Transport endpoint is not connected",
  [ESHUTDOWN] = "Cannot send after transport endpoint shutdown",
  [ETOOMANYREFS] = "Too many references: cannot splice",
  [ETIMEDOUT] = "Connection timed out",
  [ECONNREFUSED] = "Connection refused",
  [EHOSTDOWN] = "Host is down",
  [EHOSTUNREACH] = "No route to host",
  [EALREADY] = "Operation already in progress",
  [EINPROGRESS] = "Operation now in progress",
  [ESTALE] = "Stale file handle",
#ifdef EUCLEAN
  [EUCLEAN] = "Structure needs cleaning",
#endif
#ifdef ENOTNAM
  [ENOTNAM] = "Not a XENIX named type file",
#endif
#ifdef ENAVAIL
  [ENAVAIL] = "No XENIX semaphores available",
#endif
#ifdef EISNAM
  [EISNAM] = "Is a named type file",
#endif
#ifdef EREMOTEIO
  [EREMOTEIO] = "Remote I/O error",
#endif
  [EDQUOT] = "Disk quota exceeded",
#ifdef ENOMEDIUM
  [ENOMEDIUM] = "No medium found",
#endif
#ifdef EMEDIUMTYPE
  [EMEDIUMTYPE] = "Wrong medium type",
#endif
  [ECANCELED] = "Operation canceled",
#ifdef ENOKEY
  [ENOKEY] = "Required key not available",
#endif
#ifdef EKEYEXPIRED
  [EKEYEXPIRED] = "Key has expired",
#endif
#ifdef EKEYREVOKED
  [EKEYREVOKED] = "Key has been revoked",
#endif
#ifdef EKEYREJECTED
  [EKEYREJECTED] = "Key was rejected by service",
#endif
  [EOWNERDEAD] = "Owner died",
  [ENOTRECOVERABLE] = "State not recoverable",
#ifdef ERFKILL
  [ERFKILL] = "Operation not possible due to RF-kill",
#endif
#ifdef EHWPOISON
  [EHWPOISON] = "Memory page has hardware error",
#endif
#ifdef __FreeBSD__
  [EPROCLIM] = "Too many processes",
  [EBADRPC] = "RPC struct is bad",
  [ERPCMISMATCH] = "RPC version wrong",
  [EPROGUNAVAIL] = "RPC program not available",
  [EPROGMISMATCH] = "Program version wrong",
  [EPROCUNAVAIL] = "Bad procedure for program",
  [EFTYPE] = "Inappropriate file type or format",
  [EAUTH] = "Authentication error",
  [ENEEDAUTH] = "Need authenticator",
  [ENOATTR] = "Attribute not found",
  [EDOOFUS] = "Programming error",
  [ENOTCAPABLE] = "Capabilities insufficient",
  [ECAPMODE] = "Not permitted in capability mode",
  [EINTEGRITY] = "Integrity check failed",
#endif
};

#define NUMBER_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Writes the decimal form of n after prefix into buf (for "Unknown error N"). */
static char *format_unknown(char *buf, const char *prefix, int n) {
  char digits[16];
  int len = 0;
  unsigned int u = n < 0 ? 0U - (unsigned int)n : (unsigned int)n;
  char *p = buf;

  while (*prefix)
    *p++ = *prefix++;
  if (n < 0)
    *p++ = '-';
  do {
    digits[len++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  while (len)
    *p++ = digits[--len];
  *p = 0;
  return buf;
}

char *strerror(int errnum) {
  static char unknown[40];
  if (errnum >= 0 && (size_t)errnum < NUMBER_OF(error_texts) && error_texts[errnum])
    return (char *)error_texts[errnum];
  return format_unknown(unknown, "Unknown error ", errnum);
}

int strerror_r(int errnum, char *buf, size_t size) {
  const char *text = strerror(errnum);
  size_t len = strlen(text);
  if (size == 0)
    return ERANGE;
  if (len >= size) {
    memcpy(buf, text, size - 1);
    buf[size - 1] = 0;
    return ERANGE;
  }
  memcpy(buf, text, len + 1);
  return 0;
}

static const char *const signal_texts[] = {
  [SIGHUP] = "Hangup",
  [SIGINT] = "Interrupt",
  [SIGQUIT] = "Quit",
  [SIGILL] = "Illegal instruction",
  [SIGTRAP] = "Trace/breakpoint trap",
  [SIGABRT] = "Aborted",
  [SIGBUS] = "Bus error",
  [SIGFPE] = "Floating point exception",
  [SIGKILL] = "Killed",
  [SIGUSR1] = "User defined signal 1",
  [SIGSEGV] = "Segmentation fault",
  [SIGUSR2] = "User defined signal 2",
  [SIGPIPE] = "Broken pipe",
  [SIGALRM] = "Alarm clock",
  [SIGTERM] = "Terminated",
#ifdef SIGSTKFLT
  [SIGSTKFLT] = "Stack fault",
#endif
  [SIGCHLD] = "Child exited",
  [SIGCONT] = "Continued",
  [SIGSTOP] = "Stopped (signal)",
  [SIGTSTP] = "Stopped",
  [SIGTTIN] = "Stopped (tty input)",
  [SIGTTOU] = "Stopped (tty output)",
  [SIGURG] = "Urgent I/O condition",
  [SIGXCPU] = "CPU time limit exceeded",
  [SIGXFSZ] = "File size limit exceeded",
  [SIGVTALRM] = "Virtual timer expired",
  [SIGPROF] = "Profiling timer expired",
  [SIGWINCH] = "Window changed",
  [SIGIO] = "I/O possible",
#ifdef SIGPWR
  [SIGPWR] = "Power failure",
#endif
#ifdef SIGEMT
  [SIGEMT] = "EMT trap",
#endif
#ifdef SIGINFO
  [SIGINFO] = "Information request",
#endif
  [SIGSYS] = "Bad system call",
};

char *strsignal(int sig) {
  static char unknown[40];
  if (sig > 0 && (size_t)sig < NUMBER_OF(signal_texts) && signal_texts[sig])
    return (char *)signal_texts[sig];
  if (sig >= SIGRTMIN && sig <= SIGRTMAX)
    return format_unknown(unknown, "Real-time signal ", sig - SIGRTMIN);
  return format_unknown(unknown, "Unknown signal ", sig);
}

/* perror: "msg: text\n" on stderr, or just the text when msg is NULL or empty. */
void perror(const char *msg) {
  const char *text = strerror(errno);
  if (msg && *msg)
    fprintf(stderr, "%s: %s\n", msg, text);
  else
    fprintf(stderr, "%s\n", text);
}
