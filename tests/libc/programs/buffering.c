/* buffering.c: where stdio output lands relative to direct write(2)s and stderr, which shows the
 * buffering mode (line-buffered on a terminal, fully buffered to a pipe or file, stderr
 * unbuffered), the buffer size, setvbuf, fflush, and the flush at exit. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void mark(const char *text) {
  write(1, text, strlen(text));
}

int main(void) {
  static char big[10000];
  int i;

  printf("first line\n");
  mark("[write 1]\n");
  printf("partial ");
  fprintf(stderr, "[stderr 1]\n");
  mark("[write 2]\n");
  fflush(stdout);
  mark("[after fflush]\n");

  /* Fill past one buffer: part of it reaches the file before the next write. */
  memset(big, 'b', sizeof big);
  for (i = 0; i < 100; i++)
    big[i * 100 + 99] = '\n';
  fwrite(big, 1, sizeof big, stdout);
  mark("[after big fwrite]\n");
  for (i = 0; i < 300; i++)
    printf("line %03d of many\n", i);
  mark("[after many lines]\n");

  setvbuf(stdout, NULL, _IONBF, 0);
  printf("unbuffered ");
  mark("[write 3]\n");
  setvbuf(stdout, NULL, _IOLBF, 0);
  printf("line-buffered no newline ");
  mark("[write 4]\n");
  printf("then newline\n");
  mark("[write 5]\n");
  setvbuf(stdout, NULL, _IOFBF, 0);
  puts("full again");
  putchar('c');
  fputs("fputs\n", stdout);
  mark("[write 6]\n");
  fputc('\n', stderr);
  printf("left in the buffer at exit\n");
  return 0;
}
