/* syscall.c: syscall(2) with glibc's convention (the result, or -1 with errno set), over the
 * compiler's __syscall6 builtin, which returns the raw result (-errno on error). */
#include <stdarg.h>
#include <errno.h>
#include "internal.h"

long __syscall_ret(long raw) {
  if (__is_syscall_error(raw)) {
    errno = (int)-raw;
    return -1;
  }
  return raw;
}

/* Reads six argument words whatever the caller passed, as glibc's assembly stub does. */
long syscall(long nr, ...) {
  va_list ap;
  long a, b, c, d, e, f;

  va_start(ap, nr);
  a = va_arg(ap, long);
  b = va_arg(ap, long);
  c = va_arg(ap, long);
  d = va_arg(ap, long);
  e = va_arg(ap, long);
  f = va_arg(ap, long);
  va_end(ap);
  return __syscall_ret(__syscall6(nr, a, b, c, d, e, f));
}
