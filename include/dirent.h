/* dirent.h: reading directories (opendir, readdir, closedir), over getdents64 on Linux and
 * getdirentries on FreeBSD; struct dirent is the kernel's record layout. */
#ifndef _DIRENT_H
#define _DIRENT_H
#include <ksim/types.h>

#ifdef __linux__
struct dirent {
  ino_t d_ino;
  off_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[256];
};
#else
struct dirent {
  ino_t d_fileno;
  off_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  unsigned char d_pad0;
  unsigned short d_namlen;
  unsigned short d_pad1;
  char d_name[256];
};
#define d_ino d_fileno
#endif

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

typedef struct __ksim_dir DIR;

DIR *opendir(const char *path);
DIR *fdopendir(int fd);
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);
void rewinddir(DIR *dir);
int dirfd(DIR *dir);
#endif
