/* dmesg: prints the kernel log, read with syslog(2) (SYSLOG_ACTION_READ_ALL) as util-linux dmesg
 * does: each line `<level>[seconds.micros] text` loses its level prefix (-r keeps it raw, -t drops
 * the timestamp too); -c reads and clears, -C clears. */
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
