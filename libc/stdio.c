/* stdio.c: buffered streams with glibc's rules. A stream's buffering is decided at its first I/O:
 * line-buffered on a terminal, else fully buffered with a buffer of min(st_blksize, BUFSIZ) bytes;
 * stderr is unbuffered. Line-buffered output is written up to its last newline at each write; a
 * formatted print to an unbuffered stream is staged and written with one write(). Reading from a
 * line-buffered or unbuffered stream first flushes stdout if stdout is line-buffered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include "internal.h"
#include "stdio_impl.h"

static FILE stdin_file = {0, STREAM_READ | STREAM_STATIC, BUFFERING_UNDECIDED, NULL, 0, 0, 0, 0, EOF, 0, NULL};
static FILE stdout_file = {1, STREAM_WRITE | STREAM_STATIC, BUFFERING_UNDECIDED, NULL, 0, 0, 0, 0, EOF, 0, &stdin_file};
static FILE stderr_file = {2, STREAM_WRITE | STREAM_STATIC, _IONBF, NULL, 0, 0, 0, 0, EOF, 0, &stdout_file};

FILE *stdin = &stdin_file;
FILE *stdout = &stdout_file;
FILE *stderr = &stderr_file;

static FILE *open_streams = &stderr_file;

/* ---- buffers ---- */

static void set_unbuffered(FILE *f) {
  f->mode = _IONBF;
  f->buf = &f->one_byte;
  f->size = 1;
}

/* Decides buffering and allocates the buffer on first use, as glibc's _IO_file_doallocate. */
static void ensure_buffer(FILE *f) {
  struct stat st;
  size_t size = BUFSIZ;
  int is_tty = 0;

  if (f->buf)
    return;
  if (f->mode == _IONBF) {
    set_unbuffered(f);
    return;
  }
  if (fstat(f->fd, &st) == 0) {
    if (S_ISCHR(st.st_mode) && isatty(f->fd))
      is_tty = 1;
    if (st.st_blksize > 0 && (size_t)st.st_blksize < BUFSIZ)
      size = (size_t)st.st_blksize;
  }
  if (f->mode == BUFFERING_UNDECIDED)
    f->mode = is_tty ? _IOLBF : _IOFBF;
  f->buf = malloc(size);
  if (!f->buf) {
    set_unbuffered(f);
    return;
  }
  f->size = size;
  f->flags |= STREAM_OWNS_BUFFER;
}

/* ---- output ---- */

/* write() all n bytes, retrying after short writes and EINTR. */
static int write_all(FILE *f, const char *p, size_t n) {
  while (n > 0) {
    ssize_t k = write(f->fd, p, n);
    if (k < 0) {
      if (errno == EINTR)
        continue;
      f->flags |= STREAM_ERROR;
      return -1;
    }
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

static int flush_output(FILE *f) {
  if (f->write_len == 0)
    return 0;
  if (write_all(f, f->buf, f->write_len) < 0) {
    f->write_len = 0;
    return EOF;
  }
  f->write_len = 0;
  return 0;
}

/* Forgets buffered input, moving the file offset back to what the program has consumed. */
static void drop_input(FILE *f) {
  size_t unread = f->read_len - f->read_pos + (f->pushback != EOF);
  if (unread)
    lseek(f->fd, -(off_t)unread, SEEK_CUR);
  f->read_pos = f->read_len = 0;
  f->pushback = EOF;
}

/* Copies into the buffer, writing it out whenever it fills; large pieces go straight to the file. */
static int buffer_bytes(FILE *f, const char *p, size_t n) {
  while (n > 0) {
    size_t room, k;
    if (f->write_len == 0 && n >= f->size) {
      size_t direct = n - n % f->size;
      if (write_all(f, p, direct) < 0)
        return -1;
      p += direct;
      n -= direct;
      continue;
    }
    room = f->size - f->write_len;
    k = n < room ? n : room;
    memcpy(f->buf + f->write_len, p, k);
    f->write_len += k;
    p += k;
    n -= k;
    if (f->write_len == f->size && flush_output(f) == EOF)
      return -1;
  }
  return 0;
}

size_t __stream_write(FILE *f, const char *p, size_t n) {
  if (!(f->flags & STREAM_WRITE)) {
    f->flags |= STREAM_ERROR;
    errno = EBADF;
    return 0;
  }
  ensure_buffer(f);
  if (f->read_len > f->read_pos || f->pushback != EOF)
    drop_input(f);
  if (f->mode == _IONBF) {
    if (flush_output(f) == EOF || write_all(f, p, n) < 0)
      return 0;
    return n;
  }
  if (f->mode == _IOLBF) {
    const char *last_newline = NULL;
    size_t i;
    for (i = n; i > 0; i--)
      if (p[i - 1] == '\n') {
        last_newline = p + i - 1;
        break;
      }
    if (last_newline) {
      size_t head = (size_t)(last_newline + 1 - p);
      if (buffer_bytes(f, p, head) < 0 || flush_output(f) == EOF)
        return 0;
      if (buffer_bytes(f, p + head, n - head) < 0)
        return 0;
      return n;
    }
  }
  if (buffer_bytes(f, p, n) < 0)
    return 0;
  return n;
}

int fflush(FILE *f) {
  int result = 0;
  if (!f) {
    FILE *g;
    for (g = open_streams; g; g = g->next)
      if ((g->flags & STREAM_WRITE) && g->write_len && fflush(g) == EOF)
        result = EOF;
    return result;
  }
  if (f->write_len)
    return flush_output(f);
  if ((f->flags & STREAM_READ) && (f->read_len > f->read_pos || f->pushback != EOF))
    drop_input(f);
  return 0;
}

void __stdio_flush_all(void) {
  fflush(NULL);
}

size_t fwrite(const void *ptr, size_t size, size_t n, FILE *f) {
  size_t total = size * n;
  if (total == 0)
    return 0;
  return __stream_write(f, ptr, total) == total ? n : 0;
}

int fputc(int c, FILE *f) {
  char byte = (char)c;
  return __stream_write(f, &byte, 1) == 1 ? (unsigned char)byte : EOF;
}

int putc(int c, FILE *f) {
  return fputc(c, f);
}

int putchar(int c) {
  return fputc(c, stdout);
}

int fputs(const char *s, FILE *f) {
  size_t n = strlen(s);
  return __stream_write(f, s, n) == n ? 1 : EOF;
}

/* puts returns the bytes written, capped at INT_MAX, as glibc's does (fputs returns 1). */
int puts(const char *s) {
  size_t n = strlen(s);
  if (fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF)
    return EOF;
  return n + 1 > 2147483647 ? 2147483647 : (int)(n + 1);
}

/* ---- formatted output ---- */

int vfprintf(FILE *f, const char *fmt, va_list ap) {
  int n;
  ensure_buffer(f);
  if (f->mode == _IONBF) {
    /* Stage the whole message so it leaves in one write(), as glibc does for stderr. */
    char staging[BUFSIZ];
    char *saved_buf = f->buf;
    size_t saved_size = f->size;
    f->buf = staging;
    f->size = sizeof staging;
    f->mode = _IOFBF;
    n = __format_to_stream(f, fmt, ap);
    if (flush_output(f) == EOF)
      n = -1;
    f->buf = saved_buf;
    f->size = saved_size;
    f->mode = _IONBF;
    return n;
  }
  return __format_to_stream(f, fmt, ap);
}

int vprintf(const char *fmt, va_list ap) {
  return vfprintf(stdout, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vfprintf(f, fmt, ap);
  va_end(ap);
  return n;
}

int printf(const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vfprintf(stdout, fmt, ap);
  va_end(ap);
  return n;
}

int vdprintf(int fd, const char *fmt, va_list ap) {
  char staging[BUFSIZ];
  FILE f;
  int n;
  memset(&f, 0, sizeof f);
  f.fd = fd;
  f.flags = STREAM_WRITE;
  f.mode = _IOFBF;
  f.buf = staging;
  f.size = sizeof staging;
  f.pushback = EOF;
  n = __format_to_stream(&f, fmt, ap);
  if (flush_output(&f) == EOF)
    return -1;
  return n;
}

int dprintf(int fd, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vdprintf(fd, fmt, ap);
  va_end(ap);
  return n;
}

int vasprintf(char **out, const char *fmt, va_list ap) {
  va_list again;
  int n;
  va_copy(again, ap);
  n = vsnprintf(NULL, 0, fmt, ap);
  if (n < 0 || !(*out = malloc((size_t)n + 1))) {
    va_end(again);
    return -1;
  }
  vsnprintf(*out, (size_t)n + 1, fmt, again);
  va_end(again);
  return n;
}

int asprintf(char **out, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vasprintf(out, fmt, ap);
  va_end(ap);
  return n;
}

/* ---- input ---- */

/* Refills the read buffer; returns 0, or EOF at end of file or on error. */
static int fill_input(FILE *f) {
  ssize_t k;
  if (!(f->flags & STREAM_READ)) {
    f->flags |= STREAM_ERROR;
    errno = EBADF;
    return EOF;
  }
  ensure_buffer(f);
  if (f->write_len && flush_output(f) == EOF)
    return EOF;
  if (f->mode != _IOFBF && stdout->mode == _IOLBF && stdout->write_len)
    flush_output(stdout);
  do
    k = read(f->fd, f->buf, f->size);
  while (k < 0 && errno == EINTR);
  if (k <= 0) {
    f->flags |= k == 0 ? STREAM_EOF : STREAM_ERROR;
    return EOF;
  }
  f->read_pos = 0;
  f->read_len = (size_t)k;
  return 0;
}

int fgetc(FILE *f) {
  if (f->pushback != EOF) {
    int c = f->pushback;
    f->pushback = EOF;
    return c;
  }
  if (f->read_pos >= f->read_len && fill_input(f) == EOF)
    return EOF;
  return (unsigned char)f->buf[f->read_pos++];
}

int getc(FILE *f) {
  return fgetc(f);
}

int getchar(void) {
  return fgetc(stdin);
}

int ungetc(int c, FILE *f) {
  if (c == EOF || f->pushback != EOF)
    return EOF;
  f->pushback = (unsigned char)c;
  f->flags &= ~STREAM_EOF;
  return (unsigned char)c;
}

size_t fread(void *ptr, size_t size, size_t n, FILE *f) {
  size_t want = size * n, got = 0;
  char *out = ptr;
  if (want == 0)
    return 0;
  if (f->pushback != EOF) {
    out[got++] = (char)f->pushback;
    f->pushback = EOF;
  }
  while (got < want) {
    size_t avail = f->read_len - f->read_pos;
    if (avail == 0) {
      ensure_buffer(f);
      if (want - got >= f->size && (f->flags & STREAM_READ) && f->write_len == 0) {
        /* A large read goes straight into the caller's memory. */
        ssize_t k = read(f->fd, out + got, want - got);
        if (k < 0 && errno == EINTR)
          continue;
        if (k <= 0) {
          f->flags |= k == 0 ? STREAM_EOF : STREAM_ERROR;
          break;
        }
        got += (size_t)k;
        continue;
      }
      if (fill_input(f) == EOF)
        break;
      avail = f->read_len - f->read_pos;
    }
    if (avail > want - got)
      avail = want - got;
    memcpy(out + got, f->buf + f->read_pos, avail);
    f->read_pos += avail;
    got += avail;
  }
  return got / size;
}

char *fgets(char *s, int size, FILE *f) {
  int i = 0;
  if (size <= 0)
    return NULL;
  while (i < size - 1) {
    int c = fgetc(f);
    if (c == EOF)
      break;
    s[i++] = (char)c;
    if (c == '\n')
      break;
  }
  if (i == 0 && size > 1)
    return NULL;
  s[i] = 0;
  return s;
}

ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f) {
  size_t len = 0;
  if (!line || !cap) {
    errno = EINVAL;
    return -1;
  }
  if (!*line || *cap == 0) {
    *cap = 120;
    *line = malloc(*cap);
    if (!*line)
      return -1;
  }
  for (;;) {
    int c = fgetc(f);
    if (c == EOF)
      break;
    if (len + 2 > *cap) {
      size_t bigger = *cap * 2;
      char *p = realloc(*line, bigger);
      if (!p)
        return -1;
      *line = p;
      *cap = bigger;
    }
    (*line)[len++] = (char)c;
    if (c == delim)
      break;
  }
  (*line)[len] = 0;
  return len ? (ssize_t)len : -1;
}

ssize_t getline(char **line, size_t *cap, FILE *f) {
  return getdelim(line, cap, '\n', f);
}

/* ---- opening and closing ---- */

/* Maps an fopen mode ("r", "w+", "ab", "re", "wx") to open flags and stream flags. */
static int parse_mode(const char *mode, int *open_flags, int *stream_flags) {
  const char *p;
  switch (mode[0]) {
  case 'r':
    *open_flags = O_RDONLY;
    *stream_flags = STREAM_READ;
    break;
  case 'w':
    *open_flags = O_WRONLY | O_CREAT | O_TRUNC;
    *stream_flags = STREAM_WRITE;
    break;
  case 'a':
    *open_flags = O_WRONLY | O_CREAT | O_APPEND;
    *stream_flags = STREAM_WRITE;
    break;
  default:
    errno = EINVAL;
    return -1;
  }
  for (p = mode + 1; *p; p++) {
    if (*p == '+') {
      *open_flags = (*open_flags & ~O_ACCMODE) | O_RDWR;
      *stream_flags = STREAM_READ | STREAM_WRITE;
    } else if (*p == 'x') {
      *open_flags |= O_EXCL;
    } else if (*p == 'e') {
      *open_flags |= O_CLOEXEC;
    }
  }
  return 0;
}

static FILE *new_stream(int fd, int stream_flags) {
  FILE *f = malloc(sizeof *f);
  if (!f)
    return NULL;
  memset(f, 0, sizeof *f);
  f->fd = fd;
  f->flags = stream_flags;
  f->mode = BUFFERING_UNDECIDED;
  f->pushback = EOF;
  f->next = open_streams;
  open_streams = f;
  return f;
}

FILE *fopen(const char *path, const char *mode) {
  int open_flags, stream_flags, fd;
  FILE *f;
  if (parse_mode(mode, &open_flags, &stream_flags) < 0)
    return NULL;
  fd = open(path, open_flags, 0666);
  if (fd < 0)
    return NULL;
  f = new_stream(fd, stream_flags);
  if (!f)
    close(fd);
  return f;
}

FILE *fdopen(int fd, const char *mode) {
  int open_flags, stream_flags;
  if (parse_mode(mode, &open_flags, &stream_flags) < 0)
    return NULL;
  if (fcntl(fd, F_GETFL) < 0)
    return NULL;
  return new_stream(fd, stream_flags);
}

int fclose(FILE *f) {
  int result = fflush(f);
  FILE **link;
  if (close(f->fd) < 0)
    result = EOF;
  if (f->flags & STREAM_OWNS_BUFFER)
    free(f->buf);
  f->buf = NULL;
  f->size = 0;
  f->flags &= ~STREAM_OWNS_BUFFER;
  for (link = &open_streams; *link; link = &(*link)->next)
    if (*link == f) {
      *link = f->next;
      break;
    }
  if (!(f->flags & STREAM_STATIC))
    free(f);
  return result;
}

FILE *freopen(const char *path, const char *mode, FILE *f) {
  int open_flags, stream_flags, fd;
  fflush(f);
  if (parse_mode(mode, &open_flags, &stream_flags) < 0)
    return NULL;
  fd = open(path, open_flags, 0666);
  if (fd < 0)
    return NULL;
  if (fd != f->fd) {
    dup2(fd, f->fd);
    close(fd);
  }
  f->flags = (f->flags & (STREAM_STATIC | STREAM_OWNS_BUFFER)) | stream_flags;
  f->read_pos = f->read_len = f->write_len = 0;
  f->pushback = EOF;
  return f;
}

/* setvbuf follows glibc: with no buffer given, line and full buffering keep the stream's current
 * buffer (even the one-byte buffer of a formerly unbuffered stream) and flush nothing; full
 * buffering allocates one if there is none yet. Unbuffering or a caller's buffer flushes first. */
int setvbuf(FILE *f, char *buf, int mode, size_t size) {
  if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF)
    return -1;
  if (mode != _IONBF && !buf) {
    f->mode = mode;
    if (mode == _IOFBF && !f->buf)
      ensure_buffer(f);
    return 0;
  }
  fflush(f);
  if (f->flags & STREAM_OWNS_BUFFER)
    free(f->buf);
  f->flags &= ~STREAM_OWNS_BUFFER;
  f->buf = NULL;
  f->size = 0;
  f->mode = mode;
  if (mode == _IONBF || size == 0) {
    set_unbuffered(f);
    f->mode = mode;
  } else {
    f->buf = buf;
    f->size = size;
  }
  return 0;
}

void setbuf(FILE *f, char *buf) {
  setvbuf(f, buf, buf ? _IOFBF : _IONBF, BUFSIZ);
}

void setlinebuf(FILE *f) {
  setvbuf(f, NULL, _IOLBF, 0);
}

/* ---- position and state ---- */

int fseek(FILE *f, long offset, int whence) {
  if (f->write_len && flush_output(f) == EOF)
    return -1;
  if (whence == SEEK_CUR)
    offset -= (long)(f->read_len - f->read_pos + (f->pushback != EOF));
  f->read_pos = f->read_len = 0;
  f->pushback = EOF;
  if (lseek(f->fd, offset, whence) < 0)
    return -1;
  f->flags &= ~STREAM_EOF;
  return 0;
}

long ftell(FILE *f) {
  off_t pos = lseek(f->fd, 0, SEEK_CUR);
  if (pos < 0)
    return -1;
  return (long)(pos - (off_t)(f->read_len - f->read_pos) - (f->pushback != EOF) + (off_t)f->write_len);
}

void rewind(FILE *f) {
  fseek(f, 0, SEEK_SET);
  f->flags &= ~STREAM_ERROR;
}

int fileno(FILE *f) { return f->fd; }
int feof(FILE *f) { return (f->flags & STREAM_EOF) != 0; }
int ferror(FILE *f) { return (f->flags & STREAM_ERROR) != 0; }
void clearerr(FILE *f) { f->flags &= ~(STREAM_EOF | STREAM_ERROR); }

/* remove: unlink a file, or rmdir a directory (glibc tries unlink first). */
int remove(const char *path) {
  if (unlink(path) == 0)
    return 0;
  if (errno != EISDIR && errno != EPERM)
    return -1;
  return rmdir(path);
}
