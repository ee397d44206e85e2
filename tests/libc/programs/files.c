/* files.c: fopen modes, fread/fwrite, fgets, getline, getc/ungetc, fseek/ftell/rewind, feof/ferror,
 * fdopen, remove/rename, stat, and open/read/lseek/unlink at the system-call level. Runs in the
 * directory given as argv[1]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <sys/stat.h>

int main(int argc, char **argv) {
  FILE *f;
  char buf[256], *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int fd, c, i;
  struct stat st;

  if (argc < 2 || chdir(argv[1]) < 0) {
    perror("chdir");
    return 1;
  }
  f = fopen("a.txt", "w");
  for (i = 0; i < 5; i++)
    fprintf(f, "line %d: %s\n", i, i % 2 ? "odd" : "even");
  fputs("no newline at end", f);
  printf("ftell after writing: %ld\n", ftell(f));
  fclose(f);

  f = fopen("a.txt", "r");
  while (fgets(buf, sizeof buf, f))
    printf("fgets [%s]\n", buf);
  printf("feof %d ferror %d\n", feof(f), ferror(f));
  rewind(f);
  while ((len = getline(&line, &cap, f)) != -1)
    printf("getline %zd [%s]\n", len, line);
  fseek(f, 5, SEEK_SET);
  c = getc(f);
  printf("getc at 5: %c, ftell %ld\n", c, ftell(f));
  ungetc('X', f);
  {
    long pos = ftell(f);
    int first = getc(f);
    int second = getc(f);
    printf("after ungetc: ftell %ld, getc %c, getc %c\n", pos, first, second);
  }
  fseek(f, -6, SEEK_END);
  printf("fread from end-6: %zu\n", fread(buf, 1, sizeof buf, f));
  buf[6] = 0;
  printf("[%s] feof %d\n", buf, feof(f));
  clearerr(f);
  printf("after clearerr feof %d\n", feof(f));
  fclose(f);
  free(line);

  f = fopen("a.txt", "a+");
  fputs("\nappended\n", f);
  fseek(f, 0, SEEK_SET);
  printf("a+ first line: %s", fgets(buf, sizeof buf, f));
  fclose(f);
  f = fopen("a.txt", "r+");
  fputs("LINE", f);
  fseek(f, 0, SEEK_CUR);
  printf("r+ rest: %s", fgets(buf, sizeof buf, f));
  fclose(f);

  if (stat("a.txt", &st) == 0)
    printf("stat size %lld regular %d dir %d\n", (long long)st.st_size, S_ISREG(st.st_mode), S_ISDIR(st.st_mode));
  fd = open("a.txt", O_RDONLY);
  printf("lseek end %lld\n", (long long)lseek(fd, 0, SEEK_END));
  fstat(fd, &st);
  printf("fstat size %lld\n", (long long)st.st_size);
  close(fd);
  printf("rename %d\n", rename("a.txt", "b.txt"));
  f = fopen("a.txt", "r");
  printf("fopen missing: %s, errno %s\n", f ? "opened" : "NULL", strerror(errno));
  printf("access b.txt %d, a.txt %d\n", access("b.txt", F_OK), access("a.txt", F_OK));
  printf("mkdir %d", mkdir("d", 0755));
  printf(" rmdir %d", rmdir("d"));
  printf(" mkdir again %d\n", mkdir("d", 0755));
  printf("remove dir %d", remove("d"));
  printf(" remove file %d", remove("b.txt"));
  printf(" remove again %d", remove("b.txt"));
  printf(" %s\n", strerror(errno));

  fd = open("c.bin", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  f = fdopen(fd, "w");
  for (i = 0; i < 3000; i++)
    fwrite(&i, sizeof i, 1, f);
  fclose(f);
  f = fopen("c.bin", "rb");
  {
    int values[3000], ok = 1;
    size_t got = fread(values, sizeof values[0], 3000, f);
    for (i = 0; i < 3000; i++)
      ok &= values[i] == i;
    printf("binary round trip %zu ok %d", got, ok);
    printf(", another fread %zu", fread(values, 4, 1, f));
    printf(" feof %d\n", feof(f));
  }
  fclose(f);
  unlink("c.bin");
  fd = open(".", O_CREAT | O_EXCL | O_WRONLY, 0644);
  printf("open O_EXCL on existing dir: %d %s\n", fd, strerror(errno));
  len = write(99, "x", 1);
  printf("write to bad fd: %zd %s\n", len, strerror(errno));
  return 0;
}
