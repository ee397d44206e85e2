/* ps: lists the machine's processes from /proc (PID, TTY, TIME, CMD), like `ps -e` without options
 * beyond -e/-A (every process is shown either way). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

int main(void) {
  DIR *d = opendir("/proc");
  if (!d) { perror("ps: /proc"); return 1; }
  int pids[1024], n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < 1024) {
    if (e->d_name[0] >= '1' && e->d_name[0] <= '9') pids[n++] = atoi(e->d_name);
  }
  closedir(d);
  qsort(pids, n, sizeof pids[0], cmp);
  printf("    PID TTY          TIME CMD\n");
  for (int i = 0; i < n; i++) {
    char path[64], comm[64] = "?";
    snprintf(path, sizeof path, "/proc/%d/comm", pids[i]);
    FILE *f = fopen(path, "r");
    if (!f) continue;
    if (fgets(comm, sizeof comm, f)) comm[strcspn(comm, "\n")] = 0;
    fclose(f);
    /* utime and stime are fields 14 and 15 of /proc/PID/stat, in clock ticks (100 Hz). */
    long ticks = 0;
    snprintf(path, sizeof path, "/proc/%d/stat", pids[i]);
    f = fopen(path, "r");
    if (f) {
      char line[512];
      if (fgets(line, sizeof line, f)) {
        char *p = strrchr(line, ')');
        long ut = 0, st = 0;
        if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &ut, &st) == 2) ticks = ut + st;
      }
      fclose(f);
    }
    long secs = ticks / 100;
    printf("%7d pts/0    %02ld:%02ld:%02ld %s\n", pids[i], secs / 3600, secs / 60 % 60, secs % 60, comm);
  }
  return 0;
}
