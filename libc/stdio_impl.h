/* stdio_impl.h: the FILE structure, shared by stdio.c (buffering) and printf.c (formatting). */
#ifndef _KSIM_STDIO_IMPL_H
#define _KSIM_STDIO_IMPL_H
#include <stdio.h>
#include <stdarg.h>

#define STREAM_READ 1
#define STREAM_WRITE 2
#define STREAM_EOF 4
#define STREAM_ERROR 8
#define STREAM_OWNS_BUFFER 16
#define STREAM_STATIC 32

#define BUFFERING_UNDECIDED (-1)

struct __ksim_file {
  int fd;
  int flags;             /* STREAM_* */
  int mode;              /* _IOFBF, _IOLBF, _IONBF or BUFFERING_UNDECIDED */
  char *buf;
  size_t size;
  size_t write_len;      /* output waiting in buf[0..write_len) */
  size_t read_pos;       /* input waiting in buf[read_pos..read_len) */
  size_t read_len;
  int pushback;          /* a byte pushed back by ungetc, or EOF */
  char one_byte;         /* the buffer of an unbuffered stream */
  struct __ksim_file *next;  /* every open stream, for fflush(NULL) and exit */
};

/* Buffered write of n bytes; returns how many were accepted (n unless an error occurred). */
size_t __stream_write(FILE *f, const char *p, size_t n);

/* printf.c: formats into a stream (through __stream_write). */
int __format_to_stream(FILE *f, const char *fmt, va_list ap);
#endif
