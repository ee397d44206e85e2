/* ls: lists directory contents, sorted by name, one per line (-a: also dot files; -l: long format;
 * -1 is accepted). A file operand is listed as itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <dirent.h>
#include <sys/stat.h>

static int aflag, lflag;

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void mode_string(unsigned m, char *out) {
  const char *t = "?";
  if (S_ISDIR(m)) t = "d";
  else if (S_ISREG(m)) t = "-";
  else if (S_ISLNK(m)) t = "l";
  else if (S_ISCHR(m)) t = "c";
  else if (S_ISBLK(m)) t = "b";
  else if (S_ISFIFO(m)) t = "p";
  else if (S_ISSOCK(m)) t = "s";
  const char *rwx = "rwxrwxrwx";
  out[0] = t[0];
  for (int i = 0; i < 9; i++) out[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
  out[10] = 0;
}

static void show(const char *path, const char *name) {
  if (!lflag) { puts(name); return; }
  struct stat st;
  if (lstat(path, &st) < 0) { fprintf(stderr, "ls: cannot access '%s': %s\n", path, strerror(errno)); return; }
  char mode[11], when[32];
  mode_string(st.st_mode, mode);
  time_t t = st.st_mtime;
  strftime(when, sizeof when, "%b %e %H:%M", localtime(&t));
  printf("%s %ld %ld %ld %8ld %s %s\n", mode, (long)st.st_nlink, (long)st.st_uid, (long)st.st_gid, (long)st.st_size, when, name);
}

static int list(const char *path, int header) {
  struct stat st;
  if (stat(path, &st) < 0) { fprintf(stderr, "ls: cannot access '%s': %s\n", path, strerror(errno)); return 2; }
  if (!S_ISDIR(st.st_mode)) { show(path, path); return 0; }
  DIR *d = opendir(path);
  if (!d) { fprintf(stderr, "ls: cannot open directory '%s': %s\n", path, strerror(errno)); return 2; }
  int n = 0, cap = 64;
  char **names = malloc(cap * sizeof *names);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' && !aflag) continue;
    if (n == cap) { cap *= 2; names = realloc(names, cap * sizeof *names); }
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp);
  if (header) printf("%s:\n", path);
  char full[4096];
  for (int i = 0; i < n; i++) {
    snprintf(full, sizeof full, "%s/%s", path, names[i]);
    show(full, names[i]);
    free(names[i]);
  }
  free(names);
  return 0;
}

int main(int argc, char **argv) {
  int i = 1, status = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'a') aflag = 1;
      else if (*p == 'l') lflag = 1;
      else if (*p != '1') { fprintf(stderr, "ls: invalid option -- '%c'\n", *p); return 2; }
    }
  }
  if (i == argc) return list(".", 0);
  int many = argc - i > 1;
  for (int first = i; i < argc; i++) {
    if (many && i > first) putchar('\n');
    int r = list(argv[i], many);
    if (r) status = r;
  }
  return status;
}
