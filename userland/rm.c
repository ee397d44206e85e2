/* rm: removes files (-f: ignore missing ones; -r: directories and their contents). */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

static int force, recursive;

static int rm(const char *path) {
  struct stat st;
  if (lstat(path, &st) < 0) {
    if (force && errno == ENOENT) return 0;
    fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno));
    return 1;
  }
  if (S_ISDIR(st.st_mode)) {
    if (!recursive) { fprintf(stderr, "rm: cannot remove '%s': Is a directory\n", path); return 1; }
    DIR *d = opendir(path);
    if (!d) { fprintf(stderr, "rm: cannot open '%s': %s\n", path, strerror(errno)); return 1; }
    struct dirent *e;
    int status = 0;
    char child[4096];
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      snprintf(child, sizeof child, "%s/%s", path, e->d_name);
      status |= rm(child);
    }
    closedir(d);
    if (rmdir(path) < 0) { fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno)); return 1; }
    return status;
  }
  if (unlink(path) < 0) { fprintf(stderr, "rm: cannot remove '%s': %s\n", path, strerror(errno)); return 1; }
  return 0;
}

int main(int argc, char **argv) {
  int i = 1, status = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'f') force = 1;
      else if (*p == 'r' || *p == 'R') recursive = 1;
      else { fprintf(stderr, "rm: invalid option -- '%c'\n", *p); return 1; }
    }
  }
  if (i == argc && !force) { fprintf(stderr, "rm: missing operand\n"); return 1; }
  for (; i < argc; i++) status |= rm(argv[i]);
  return status;
}
