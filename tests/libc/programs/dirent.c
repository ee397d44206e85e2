/* dirent.c: opendir/readdir/closedir over a directory the program fills (argv[1]), names sorted
 * because directory order is the file system's; plus rewinddir and opendir errors. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list(const char *path) {
  DIR *dir = opendir(path);
  struct dirent *entry;
  char *names[400];
  int n = 0, i;
  if (!dir) {
    printf("opendir %s: %s\n", path, strerror(errno));
    return -1;
  }
  while ((entry = readdir(dir)) != NULL && n < 400) {
    char line[300];
    snprintf(line, sizeof line, "%s type %s", entry->d_name,
             entry->d_type == DT_DIR ? "dir" : entry->d_type == DT_REG ? "file" : "other");
    names[n++] = strdup(line);
  }
  rewinddir(dir);
  printf("after rewinddir first entry exists: %d\n", readdir(dir) != NULL);
  closedir(dir);
  qsort(names, (size_t)n, sizeof names[0], compare_names);
  for (i = 0; i < n; i++) {
    printf("%s\n", names[i]);
    free(names[i]);
  }
  return n;
}

int main(int argc, char **argv) {
  char path[512];
  int i;
  if (argc < 2 || chdir(argv[1]) < 0)
    return 1;
  for (i = 0; i < 150; i++) {
    snprintf(path, sizeof path, "file-with-a-longer-name-%03d.txt", i);
    close(open(path, O_CREAT | O_WRONLY, 0644));
  }
  mkdir("subdir", 0755);
  printf("entries: %d\n", list("."));
  list("no-such-dir");
  list("file-with-a-longer-name-000.txt");
  return 0;
}
