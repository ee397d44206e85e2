/* strings.c: string.h, strings.h and ctype.h, printed so any difference from glibc shows. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <stdlib.h>
#include <errno.h>
#include <signal.h>

static int sign(int x) { return x < 0 ? -1 : x > 0; }

int main(void) {
  char buf[64], *p, *save;
  char text[] = "  alpha,beta;;gamma , delta";
  int i;

  printf("strlen %zu %zu strnlen %zu %zu\n", strlen(""), strlen("hello"), strnlen("hello", 3), strnlen("hi", 10));
  printf("strcmp %d %d %d %d\n", sign(strcmp("a", "b")), sign(strcmp("b", "a")), strcmp("abc", "abc"), sign(strcmp("ab", "abc")));
  printf("strcmp high bytes %d\n", sign(strcmp("\x80", "a")));
  printf("strncmp %d %d %d\n", strncmp("abcd", "abcf", 3), sign(strncmp("abcd", "abcf", 4)), strncmp("x", "y", 0));
  printf("strcasecmp %d %d %d\n", strcasecmp("HeLLo", "hello"), sign(strcasecmp("apple", "Banana")), sign(strncasecmp("ABCx", "abcy", 4)));
  printf("strncasecmp %d\n", strncasecmp("ABCx", "abcy", 3));
  strcpy(buf, "hello");
  strcat(buf, ", world");
  printf("strcpy/strcat [%s]\n", buf);
  strncat(buf, "!!!???", 3);
  printf("strncat [%s]\n", buf);
  memset(buf, 'z', sizeof buf);
  strncpy(buf, "abc", 6);
  printf("strncpy %d %d %d %d %c\n", buf[3], buf[4], buf[5], buf[6] == 'z', buf[0]);
  strncpy(buf, "abcdef", 3);
  printf("strncpy short [%.6s]\n", buf);
  printf("strchr [%s] [%s] %d\n", strchr("hello", 'l'), strchr("hello", 0) - 5 == (char *)0 ? "?" : "end", strchr("hello", 'z') == NULL);
  printf("strrchr [%s] %d\n", strrchr("hello", 'l'), strrchr("hello", 'q') == NULL);
  printf("strstr [%s] [%s] %d\n", strstr("haystack needle hay", "needle"), strstr("abc", ""), strstr("abc", "abcd") == NULL);
  printf("strspn %zu strcspn %zu strpbrk [%s]\n", strspn("aabbcd", "ab"), strcspn("hello world", " w"), strpbrk("hello world", "ow"));
  for (p = strtok(text, " ,;"); p; p = strtok(NULL, " ,;"))
    printf("strtok [%s]\n", p);
  strcpy(buf, "a:b::c");
  for (p = strtok_r(buf, ":", &save); p; p = strtok_r(NULL, ":", &save))
    printf("strtok_r [%s]\n", p);
  p = strdup("duplicate");
  printf("strdup [%s]\n", p);
  free(p);
  p = strndup("duplicate", 3);
  printf("strndup [%s]\n", p);
  free(p);
  memcpy(buf, "0123456789", 11);
  memmove(buf + 2, buf, 5);
  printf("memmove up [%s]\n", buf);
  memmove(buf, buf + 3, 5);
  printf("memmove down [%s]\n", buf);
  printf("memcmp %d %d %d\n", memcmp("abc", "abd", 3) < 0, memcmp("abc", "abd", 2), memcmp("\xff", "\x01", 1) > 0);
  printf("memchr [%s] %d\n", (char *)memchr("find the x here", 'x', 15), memchr("abc", 'c', 2) == NULL);
  memset(buf, 0, sizeof buf);
  memset(buf, '#', 5);
  printf("memset [%s]\n", buf);
  bzero(buf, 3);
  printf("bzero %d %d %c\n", buf[0], buf[2], buf[3]);
  for (i = 0; i < 4; i++)
    printf("strerror(%d) = %s\n", i * 11, strerror(i * 11));
  printf("strerror EFAULT: %s\n", strerror(EFAULT));
  printf("strerror ENOSYS: %s\n", strerror(ENOSYS));
  printf("strerror 9999: %s\n", strerror(9999));
  printf("strerror -5: %s\n", strerror(-5));
  for (i = 1; i < 32; i++)
    printf("strsignal(%d) = %s\n", i, strsignal(i));
  printf("strsignal SIGRTMIN+3 = %s\n", strsignal(SIGRTMIN + 3));
  printf("strsignal 99 = %s\n", strsignal(99));
  for (i = 0; i < 128; i++) {
    printf("%c%d%d%d%d%d%d%d%d%d%d%d%d%c%c", i % 16 == 0 ? '\n' : ' ', !!isalnum(i), !!isalpha(i), !!isblank(i),
           !!iscntrl(i), !!isdigit(i), !!isgraph(i), !!islower(i), !!isprint(i), !!ispunct(i), !!isspace(i),
           !!isupper(i), !!isxdigit(i), tolower(i) == i ? '=' : (char)tolower(i), toupper(i) == i ? '=' : (char)toupper(i));
  }
  printf("\nctype EOF %d %d\n", !!isalpha(EOF), tolower(EOF));
  errno = ENOENT;
  perror("perror test");
  errno = EACCES;
  perror(NULL);
  return 0;
}
