/* wc: counts lines, words and bytes of each file or standard input (-l -w -c select columns). */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

static int lflag, wflag, cflag;
static long tl, tw, tc;

static void count(FILE *f, long *l, long *w, long *c) {
  int ch, inword = 0;
  *l = *w = *c = 0;
  while ((ch = getc(f)) != EOF) {
    (*c)++;
    if (ch == '\n') (*l)++;
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f') inword = 0;
    else if (!inword) { inword = 1; (*w)++; }
  }
}

static void show(long l, long w, long c, const char *name, int width) {
  int first = 1;
  if (lflag) { printf("%*ld", width, l); first = 0; }
  if (wflag) { printf(first ? "%*ld" : " %*ld", width, w); first = 0; }
  if (cflag) { printf(first ? "%*ld" : " %*ld", width, c); first = 0; }
  if (name) printf(" %s", name);
  putchar('\n');
}

int main(int argc, char **argv) {
  int i = 1, status = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'l') lflag = 1;
      else if (*p == 'w') wflag = 1;
      else if (*p == 'c') cflag = 1;
      else { fprintf(stderr, "wc: invalid option -- '%c'\n", *p); return 1; }
    }
  }
  int nsel = lflag + wflag + cflag;
  if (!nsel) { lflag = wflag = cflag = 1; nsel = 3; }
  long l, w, c;
  if (i == argc) {
    count(stdin, &l, &w, &c);
    /* GNU wc: one column alone has no padding; a regular file's columns are as wide as its size,
     * a pipe's are 7 wide. */
    struct stat st;
    int width = 7;
    if (fstat(0, &st) == 0 && S_ISREG(st.st_mode)) for (width = 1; st.st_size >= 10; st.st_size /= 10) width++;
    show(l, w, c, NULL, nsel == 1 ? 1 : width);
    return 0;
  }
  int nfiles = argc - i;
  long counts[64][3];
  int ok[64];
  int k = 0;
  for (; i < argc && k < 64; i++, k++) {
    FILE *f = fopen(argv[i], "r");
    ok[k] = f != NULL;
    if (!f) { fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno)); status = 1; continue; }
    count(f, &counts[k][0], &counts[k][1], &counts[k][2]);
    fclose(f);
    tl += counts[k][0]; tw += counts[k][1]; tc += counts[k][2];
  }
  /* GNU wc pads every column to the width of the largest total. */
  int width = 1;
  for (long t = tc > tl ? (tc > tw ? tc : tw) : (tl > tw ? tl : tw); t >= 10; t /= 10) width++;
  if (nfiles == 1 && nsel == 1) width = 1;
  for (int j = 0; j < k; j++) if (ok[j]) show(counts[j][0], counts[j][1], counts[j][2], argv[argc - nfiles + j], width);
  if (nfiles > 1) show(tl, tw, tc, "total", width);
  return status;
}
