/* dmesg: prints the kernel log.
 * On Linux it reads it with syslog(2) (SYSLOG_ACTION_READ_ALL) as util-linux dmesg does: each line
 * `<level>[seconds.micros] text` loses its level prefix (-r keeps it raw, -t drops the timestamp
 * too); -c reads and clears, -C clears.
 * On FreeBSD it is FreeBSD's dmesg(8): reads the message buffer with sysctlbyname("kern.msgbuf"),
 * skips the lines of other facilities than the kernel's (all with -a) and drops their `<pri>`,
 * prints each line vis(3)-encoded; -c then clears the buffer (kern.msgbuf_clear). */
#ifdef __FreeBSD__
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>

#define LOG_KERN 0
#define LOG_FAC(p) (((p) & 0x3f8) >> 3)

static const char usage[] = "usage: dmesg [-ac] [-M core [-N system]]\n";

/* libc's sysctlbyname(3) on FreeBSD 13 and later: the name's length and the __sysctlbyname call. */
static int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, const void *newp, size_t newlen) {
  return (int)syscall(SYS___sysctlbyname, name, strlen(name), oldp, oldlenp, newp, newlen);
}

static void fail(const char *what) {
  fprintf(stderr, "dmesg: %s: %s\n", what, strerror(errno));
  exit(1);
}

/* vis(3) with no flags, as strvisx(dst, src, len, 0): controls as \^X, meta as \M-x or \M^X, DEL as \^?. */
static void vis_out(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned c = (unsigned char)p[i];
    if (c == '\t' || c == '\n' || c == ' ' || (c > ' ' && c < 0x7f && c != '\\')) { putchar((int)c); continue; }
    if (c == '\\') { fputs("\\\\", stdout); continue; }
    if (c & 0x80) {
      fputs("\\M", stdout);
      c &= 0x7f;
      if (c >= ' ' && c < 0x7f) { printf("-%c", (int)c); continue; }
    } else putchar('\\');
    if (c == 0x7f) fputs("^?", stdout);
    else if (c < ' ') printf("^%c", (int)(c + 0x40));
    else printf("-%c", (int)c);
  }
}

int main(int argc, char **argv) {
  int all = 0, clear = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      if (i + 1 < argc) { fputs(usage, stderr); return 1; }
      break;
    }
    if (a[0] != '-' || a[1] == '\0') { fputs(usage, stderr); return 1; }
    for (int j = 1; a[j]; j++) {
      if (a[j] == 'a') all = 1;
      else if (a[j] == 'c') clear = 1;
      else if (a[j] == 'M' || a[j] == 'N') { fputs("dmesg: -M and -N (crash dumps) are not supported by ksim\n", stderr); return 1; }
      else { fprintf(stderr, "dmesg: illegal option -- %c\n%s", a[j], usage); return 1; }
    }
  }
  size_t buflen = 0;
  if (sysctlbyname("kern.msgbuf", NULL, &buflen, NULL, 0) == -1) fail("sysctl kern.msgbuf");
  /* Room for growth between the two calls, and for the \n appended below. */
  buflen += buflen / 8;
  char *bp = malloc(buflen + 2);
  if (bp == NULL) { fputs("dmesg: malloc failed\n", stderr); return 1; }
  if (sysctlbyname("kern.msgbuf", bp, &buflen, NULL, 0) == -1) fail("sysctl kern.msgbuf");
  if (buflen > 0 && bp[buflen - 1] == '\0') buflen--;
  if (clear && sysctlbyname("kern.msgbuf_clear", NULL, NULL, &clear, sizeof(int)) == -1) fail("sysctl kern.msgbuf_clear");
  char *p = bp, *ep = bp + buflen;
  /* The buffer may start with NULs when it has not wrapped. */
  while (p < ep && *p == '\0') p++;
  if (p == ep) return 0;
  /* The last line gets printed even without its newline. */
  if (ep[-1] != '\n') *ep++ = '\n';
  for (char *nextp; p < ep; p = nextp) {
    nextp = memchr(p, '\n', (size_t)(ep - p));
    nextp++;
    /* A `<pri>` starts a log(9) line: other facilities than the kernel's only with -a. */
    if (*p == '<' && isdigit((unsigned char)p[1])) {
      char *q;
      errno = 0;
      long pri = strtol(p + 1, &q, 10);
      if (*q == '>' && pri >= 0 && pri < 0x7fffffff && errno == 0) {
        if (LOG_FAC(pri) != LOG_KERN && !all) continue;
        p = q + 1;
      }
    }
    vis_out(p, (size_t)(nextp - p));
  }
  free(bp);
  return 0;
}

#else
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_READ_CLEAR 4
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_SIZE_BUFFER 10

static long klogctl(int type, char *buf, int len) { return syscall(SYS_syslog, type, buf, len); }

int main(int argc, char **argv) {
  int raw = 0, clear = 0, read_clear = 0, notime = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--raw") == 0) raw = 1;
    else if (strcmp(argv[i], "-C") == 0 || strcmp(argv[i], "--clear") == 0) clear = 1;
    else if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--read-clear") == 0) read_clear = 1;
    else if (strcmp(argv[i], "-t") == 0 || strcmp(argv[i], "--notime") == 0) notime = 1;
    else { fprintf(stderr, "dmesg: unrecognized option '%s'\n", argv[i]); return 1; }
  }
  if (clear) {
    if (klogctl(SYSLOG_ACTION_CLEAR, NULL, 0) < 0) { fprintf(stderr, "dmesg: clear failed: %s\n", strerror(errno)); return 1; }
    return 0;
  }
  long size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
  if (size < 0) { fprintf(stderr, "dmesg: read kernel buffer failed: %s\n", strerror(errno)); return 1; }
  if (size < 16 * 1024) size = 16 * 1024;
  char *buf = malloc(size);
  long n = klogctl(read_clear ? SYSLOG_ACTION_READ_CLEAR : SYSLOG_ACTION_READ_ALL, buf, (int)size);
  if (n < 0) { fprintf(stderr, "dmesg: read kernel buffer failed: %s\n", strerror(errno)); return 1; }
  for (long i = 0; i < n;) {
    long end = i;
    while (end < n && buf[end] != '\n') end++;
    long start = i;
    /* Strip the <N> syslog prefix. */
    if (!raw && buf[start] == '<') {
      long j = start + 1;
      while (j < end && buf[j] >= '0' && buf[j] <= '9') j++;
      if (j < end && buf[j] == '>') start = j + 1;
    }
    /* Strip the [seconds.micros] timestamp and the space after it. */
    if (notime && !raw && buf[start] == '[') {
      long j = start;
      while (j < end && buf[j] != ']') j++;
      if (j < end) start = j + 1 < end && buf[j + 1] == ' ' ? j + 2 : j + 1;
    }
    fwrite(buf + start, 1, end - start, stdout);
    putchar('\n');
    i = end + 1;
  }
  free(buf);
  return 0;
}
#endif
