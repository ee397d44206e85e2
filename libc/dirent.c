/* dirent.c: directory streams. A DIR holds a buffer of the kernel's directory records (getdents64
 * on Linux, getdirentries on FreeBSD); readdir hands them out one by one and refills the buffer. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>
#include "internal.h"

#define DIR_BUFFER_SIZE 4096

struct __ksim_dir {
  int fd;
  size_t pos;   /* next record in buf */
  size_t len;   /* bytes of records in buf */
  long base;    /* FreeBSD's getdirentries position */
  char buf[DIR_BUFFER_SIZE];
};

DIR *fdopendir(int fd) {
  DIR *dir = malloc(sizeof *dir);
  if (!dir)
    return NULL;
  dir->fd = fd;
  dir->pos = dir->len = 0;
  dir->base = 0;
  return dir;
}

DIR *opendir(const char *path) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *dir;
  if (fd < 0)
    return NULL;
  dir = fdopendir(fd);
  if (!dir)
    close(fd);
  return dir;
}

/* Returns the next entry, or NULL at the end (errno unchanged) or on error (errno set). */
struct dirent *readdir(DIR *dir) {
  struct dirent *entry;
  if (dir->pos >= dir->len) {
    long raw;
#ifdef SYS_getdents64
    raw = __syscall3(SYS_getdents64, dir->fd, (long)dir->buf, DIR_BUFFER_SIZE);
#else
    raw = __syscall4(SYS_getdirentries, dir->fd, (long)dir->buf, DIR_BUFFER_SIZE, (long)&dir->base);
#endif
    if (raw <= 0) {
      if (raw < 0)
        errno = (int)-raw;
      return NULL;
    }
    dir->len = (size_t)raw;
    dir->pos = 0;
  }
  entry = (struct dirent *)(dir->buf + dir->pos);
  dir->pos += entry->d_reclen;
  return entry;
}

void rewinddir(DIR *dir) {
  lseek(dir->fd, 0, SEEK_SET);
  dir->pos = dir->len = 0;
  dir->base = 0;
}

int dirfd(DIR *dir) {
  return dir->fd;
}

int closedir(DIR *dir) {
  int result = close(dir->fd);
  free(dir);
  return result;
}
